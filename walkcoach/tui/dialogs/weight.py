"""The first run's question: the walker's weight, for calorie estimates."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, Static

from walkcoach.store.profile import Profile, validate_field
from walkcoach.tui.dialogs.base import Dialog
from walkcoach.tui.widgets.fields import TextInput
from walkcoach.units import WeightUnit

# What calories count with meanwhile: the first run has no profile yet, so the default one's.
DEFAULT_WEIGHT = Profile().calorie_weight_text


class WeightDialog(Dialog[float | None]):
    """Asks for the walker's weight once, for calorie estimates; escape skips."""

    BINDINGS = [Binding("escape", "skip", f"Skip (use {DEFAULT_WEIGHT})")]

    def __init__(self, unit: WeightUnit = "kg") -> None:
        super().__init__()
        self.unit = unit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Your weight", style="bold"), classes="dialog-title")
            yield Static(
                "Calories depend on body weight. Type yours and press enter, "
                f"or press escape to skip: walkcoach will count with {DEFAULT_WEIGHT} until you "
                "set it."
            )
            yield TextInput(placeholder=f"e.g. 72 {self.unit} or 160 lb", id="weight")
            yield Label("", id="weight-error", classes="field-error")
        yield Footer()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#weight-error", Label).update(self._check(event.value)[1] or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value, error = self._check(event.value)
        if error is None and value is not None:
            self.dismiss(value)
        else:
            self.query_one("#weight-error", Label).update(error or "type a weight")

    def _check(self, text: str) -> tuple[float | None, str | None]:
        if not text.strip():
            return None, None
        value, error = validate_field("weight_kg", text, Profile(weight_unit=self.unit))
        return (float(value) if isinstance(value, int | float) else None), error

    def action_skip(self) -> None:
        self.dismiss(None)
