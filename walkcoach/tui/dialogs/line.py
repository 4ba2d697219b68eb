"""One typed line: a name, a file path."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static

from walkcoach.text import visible
from walkcoach.tui.dialogs.base import Dialog
from walkcoach.tui.widgets.fields import TextInput


class LineDialog(Dialog[str | None]):
    """Asks for one line (a name, a file path). `submit` acts on it and returns an error
    message to keep the dialog open with, or None when done."""

    BINDINGS = [
        # Enter in the line submits it; named here for the dialog's line of keys.
        Binding("enter", "submit", "Done", show=False),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self, title: str, initial: str, submit: Callable[[str], str | None], hint: str = ""
    ) -> None:
        super().__init__()
        self.title_text = title
        self.initial = initial
        self.submit = submit
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="line-dialog"):
            yield Static(Text(visible(self.title_text), style="bold"), classes="dialog-title")
            if self.hint:
                yield Static(Text(visible(self.hint)))
            yield TextInput(self.initial, id="line")
            yield Static(Text(""), id="line-error", classes="field-error")
            yield Static(Text(self.key_hints(), style="dim"), classes="dialog-keys")
        yield Footer()

    def on_input_changed(self, _: Input.Changed) -> None:
        self.query_one("#line-error", Static).update(Text(""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Acts on the line; an error keeps the dialog open, saying it."""
        typed = self.query_one("#line", Input).value
        error = self.submit(typed)
        if error:
            self.query_one("#line-error", Static).update(Text(visible(error)))
        else:
            self.dismiss(typed)

    def action_cancel(self) -> None:
        self.dismiss(None)
