"""The form of one segment of a plan."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Input, Select, Static

from walkcoach.editing import SegmentForm
from walkcoach.plan import Segment
from walkcoach.text import visible
from walkcoach.tui.dialogs.form import FormDialog
from walkcoach.tui.widgets.fields import FieldRow, TextInput
from walkcoach.units import SpeedUnit, speed_label


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
            yield Static(Text(self.key_hints(), style="dim"), classes="dialog-keys")
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
