"""The question asked before unsaved changes are left: save, discard or stay."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from walkcoach.text import visible
from walkcoach.tui.dialogs.base import Dialog

LeaveChoice = Literal["save", "discard", "cancel"]


class LeaveDialog(Dialog[LeaveChoice]):
    """Unsaved changes: s saves, d discards, escape stays."""

    BINDINGS = [
        Binding("s", "choose('save')", "Save", tooltip="save and leave"),
        Binding("d", "choose('discard')", "Discard", tooltip="discard them"),
        Binding(
            "escape,c", "choose('cancel')", "Cancel", key_display="esc", tooltip="keep editing"
        ),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="leave-dialog"):
            title = Text("Unsaved changes to ", style="bold")
            title.append(visible(self.what))
            yield Static(title, classes="dialog-title")
            yield Static(Text(self.key_hints()))
        yield Footer()

    def action_choose(self, choice: LeaveChoice) -> None:
        self.dismiss(choice)
