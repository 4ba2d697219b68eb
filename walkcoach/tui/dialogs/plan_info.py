"""The form of a plan's name and description."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Static

from walkcoach import editing
from walkcoach.tui.dialogs.form import FormDialog
from walkcoach.tui.widgets.fields import FieldRow, TextInput


class PlanInfoDialog(FormDialog):
    """The plan's name and description. Dismisses with ``(name, description)``.

    `taken` says why a name cannot be had (another plan has it), or None when it can.
    """

    FIELDS = ("name", "description")

    def __init__(
        self,
        name: str,
        description: str,
        taken: Callable[[str], str | None] | None = None,
        title: str = "Name and description",
    ) -> None:
        super().__init__()
        self.plan_name = name
        self.description = description
        self.taken = taken
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="plan-form"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield FieldRow("Name", TextInput(self.plan_name, id="name", compact=True), "name")
            yield FieldRow(
                "About", TextInput(self.description, id="description", compact=True), "description"
            )
            yield Static(Text(self.key_hints(), style="dim"), classes="dialog-keys")
        yield Footer()

    def errors(self) -> dict[str, str]:
        found = {}
        for name, check in (
            ("name", editing.check_name),
            ("description", editing.check_description),
        ):
            _, error = check(self.value_of(name))
            if error:
                found[name] = error
        if "name" not in found and self.taken is not None:
            taken = self.taken(self.value_of("name").strip())
            if taken:
                found["name"] = taken
        return found

    def result(self) -> tuple[str, str]:
        name, _ = editing.check_name(self.value_of("name"))
        description = self.value_of("description")
        if description == self.description:
            return name or self.plan_name, self.description
        checked, _ = editing.check_description(description)
        return name or self.plan_name, checked or ""
