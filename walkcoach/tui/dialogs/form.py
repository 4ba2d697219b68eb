"""The base of the plan forms: fields checked as they are typed.

Every field's message (the checks live in `walkcoach.editing`) is shown beside it;
enter is refused while a field has a problem, so the form stays open with what was
typed.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Input, Label, Select

from walkcoach.text import visible
from walkcoach.tui.dialogs.base import Dialog


class FormDialog(Dialog[object]):
    """A form of checked fields: shows each field's message, refuses enter until all
    are fine, and dismisses with `result()`."""

    BINDINGS = [
        # Enter in a field submits it; these two are the field's and the screen's own,
        # named here for the form's line of keys.
        Binding("enter", "submit", "Done", show=False),
        Binding("tab", "app.focus_next", "Next field", show=False),
        Binding("escape", "cancel", "Cancel"),
    ]
    FIELDS: tuple[str, ...] = ()

    def errors(self) -> dict[str, str]:
        raise NotImplementedError

    def result(self) -> object:
        raise NotImplementedError

    def value_of(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def show_errors(self) -> dict[str, str]:
        errors = self.errors()
        for name in self.FIELDS:
            message = errors.get(name, "")
            # A message may quote another plan's name: data, shown escaped.
            self.query_one(f"#{name}-error", Label).update(Text(visible(message)))
            field = self.query_one(f"#{name}")
            field.set_class(bool(message), "-invalid")
        return errors

    def on_input_changed(self, _: Input.Changed) -> None:
        self.show_errors()

    def on_select_changed(self, _: Select.Changed) -> None:
        self.show_errors()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Done, unless a field has a problem: then the first such field is focused."""
        errors = self.show_errors()
        if errors:
            self.query_one(f"#{next(iter(errors))}").focus()
            return
        self.dismiss(self.result())

    def action_cancel(self) -> None:
        self.dismiss(None)
