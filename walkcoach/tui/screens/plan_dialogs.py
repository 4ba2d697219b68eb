"""Dialogs for plans: a typed line (a name, a file path), the step forms, and the
save / discard / cancel question asked before unsaved changes are left.

Every field is checked as it is typed (the checks live in `walkcoach.editing`) and its
message is shown beside it; enter is refused while a field has a problem, so the form
stays open with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, Select, Static

from walkcoach import editing
from walkcoach.editing import SegmentForm
from walkcoach.plan import Repeat, Segment
from walkcoach.text import visible
from walkcoach.tui.screens.dialogs import Dialog
from walkcoach.tui.widgets.fields import FieldRow, TextInput
from walkcoach.units import SpeedUnit, speed_label

LeaveChoice = Literal["save", "discard", "cancel"]

FORM_KEYS = "enter: done     tab: next field     esc: cancel"


class FormDialog(Dialog[object]):
    """A form of checked fields: shows each field's message, refuses enter until all
    are fine, and dismisses with `result()`."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
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
        errors = self.show_errors()
        if errors:
            self.query_one(f"#{next(iter(errors))}").focus()
            return
        self.dismiss(self.result())

    def action_cancel(self) -> None:
        self.dismiss(None)


class SegmentDialog(FormDialog):
    """Edits one segment; speed in the walker's unit. Dismisses with the new `Segment`."""

    FIELDS = ("direction", "duration", "speed", "incline", "label")

    def __init__(self, segment: Segment, unit: SpeedUnit, title: str = "Segment") -> None:
        super().__init__()
        self.segment = segment
        self.unit = unit
        self.title_text = title
        self.initial = SegmentForm.of(segment, unit)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="segment-form"):
            yield Static(Text(visible(self.title_text), style="bold"), classes="dialog-title")
            direction: Select[str] = Select(
                [("forward", "forward"), ("backward", "backward")],
                value=self.segment.direction,
                allow_blank=False,
                id="direction",
                compact=True,
            )
            yield FieldRow("Direction", direction, "direction")
            yield FieldRow(
                "Duration",
                TextInput(self.initial.duration, placeholder="2:00", id="duration", compact=True),
                "duration",
            )
            yield FieldRow(
                f"Speed {speed_label(self.unit)}",
                TextInput(self.initial.speed, id="speed", compact=True),
                "speed",
            )
            yield FieldRow(
                "Incline %",
                TextInput(self.initial.incline, placeholder="0", id="incline", compact=True),
                "incline",
            )
            yield FieldRow(
                "Label", TextInput(self.initial.label, id="label", compact=True), "label"
            )
            yield Static(Text(FORM_KEYS, style="dim"), classes="dialog-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#duration", Input).focus()

    def form(self) -> SegmentForm:
        direction = self.query_one("#direction", Select).value
        return SegmentForm(
            str(direction),
            self.value_of("duration"),
            self.value_of("speed"),
            self.value_of("incline"),
            self.value_of("label"),
        )

    def errors(self) -> dict[str, str]:
        return self.form().errors(self.unit, self.segment)

    def result(self) -> Segment | None:
        return self.form().segment(self.unit, self.segment)


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
            yield Static(Text(FORM_KEYS, style="dim"), classes="dialog-keys")
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
            yield Static(Text(FORM_KEYS, style="dim"), classes="dialog-keys")
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


class LineDialog(Dialog[str | None]):
    """Asks for one line (a name, a file path). `submit` acts on it and returns an error
    message to keep the dialog open with, or None when done."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

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
            yield Static(Text("enter: done     esc: cancel", style="dim"), classes="dialog-keys")
        yield Footer()

    def on_input_changed(self, _: Input.Changed) -> None:
        self.query_one("#line-error", Static).update(Text(""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        error = self.submit(event.value)
        if error:
            self.query_one("#line-error", Static).update(Text(visible(error)))
        else:
            self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LeaveDialog(Dialog[LeaveChoice]):
    """Unsaved changes: s saves, d discards, escape stays."""

    BINDINGS = [
        Binding("s", "choose('save')", "Save"),
        Binding("d", "choose('discard')", "Discard"),
        Binding("escape,c", "choose('cancel')", "Cancel"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="leave-dialog"):
            title = Text("Unsaved changes to ", style="bold")
            title.append(visible(self.what))
            yield Static(title, classes="dialog-title")
            yield Static(Text("s: save and leave     d: discard them     esc: keep editing"))
        yield Footer()

    def action_choose(self, choice: LeaveChoice) -> None:
        self.dismiss(choice)
