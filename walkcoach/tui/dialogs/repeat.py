"""The form of a repeat block: its count and label (its segments are edited in the
editor's table)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Static

from walkcoach import editing
from walkcoach.plan import Repeat
from walkcoach.tui.dialogs.form import FormDialog
from walkcoach.tui.widgets.fields import FieldRow, TextInput


class RepeatDialog(FormDialog):
    """Edits a repeat block's count and label; its segments are edited in the table."""

    FIELDS = ("times", "label")

    def __init__(self, block: Repeat) -> None:
        super().__init__()
        self.block = block

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="repeat-form"):
            yield Static(Text("Repeat block", style="bold"), classes="dialog-title")
            yield FieldRow(
                "Repeat", TextInput(str(self.block.times), id="times", compact=True), "times"
            )
            yield FieldRow("Label", TextInput(self.block.label, id="label", compact=True), "label")
            yield Static(Text(self.key_hints(), style="dim"), classes="dialog-keys")
        yield Footer()

    def errors(self) -> dict[str, str]:
        found = {}
        for name, check in (("times", editing.check_repeat), ("label", editing.check_label)):
            _, error = check(self.value_of(name))
            if error:
                found[name] = error
        return found

    def result(self) -> Repeat:
        times, _ = editing.check_repeat(self.value_of("times"))
        label, _ = editing.check_label(self.value_of("label"))
        assert times is not None
        return self.block._replace(times=times, label=label or "")
