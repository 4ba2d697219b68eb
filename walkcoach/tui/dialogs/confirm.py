"""A yes/no question."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from walkcoach.text import visible
from walkcoach.tui.dialogs.base import Dialog


class ConfirmDialog(Dialog[bool]):
    """A yes/no question; y or enter says yes, n or escape says no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", priority=True),
        Binding("n,escape", "answer(False)", "No", priority=True),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(visible(self.question), style="bold"), classes="dialog-title")
            if self.detail:
                yield Static(Text(visible(self.detail, allow="\n")))
            yield Static(Text(self.key_hints(), style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
