"""The short check before a walk."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from walkcoach.safety import reminders
from walkcoach.text import visible
from walkcoach.tui.dialogs.base import Dialog


class SafetyCheckDialog(Dialog[bool]):
    """The short check before a walk; enter starts, escape goes back to where the walk
    was chosen: Home, or the shell for `walkcoach run`."""

    BINDINGS = [
        Binding(
            "enter",
            "answer(True)",
            "Ready: start",
            priority=True,
            tooltip="all done, start the walk",
        ),
        Binding("escape", "answer(False)", "Not yet"),
        # After `walkcoach run`, the same answer leaves walkcoach: the footer says so.
        Binding("escape", "leave_walkcoach", "Leave walkcoach", tooltip="not yet, leave walkcoach"),
    ]

    def __init__(self, plan_name: str, back_to_shell: bool = False) -> None:
        super().__init__()
        self.plan_name = plan_name
        self.back_to_shell = back_to_shell

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="safety-check"):
            title = Text("Before you start ")
            title.append(visible(self.plan_name), style="bold")
            yield Static(title, classes="dialog-title")
            for item in reminders().checklist:
                yield Static(Text(f"[ ] {item}"), classes="check-item")
            yield Static(Text(self.key_hints(), style="bold"), classes="dialog-keys")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == (False,):
            return not self.back_to_shell
        if action == "leave_walkcoach":
            return self.back_to_shell
        return True

    def action_answer(self, ready: bool) -> None:
        self.dismiss(ready)

    def action_leave_walkcoach(self) -> None:
        self.dismiss(False)
