"""The first run's question: the walker's weight, for calorie estimates, and optionally
their age, sex, height and usual handrail hold, for their own resting rate."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, Select, Static

from walkcoach.calories import HOLD_LABELS, HOLDS, Hold, Sex
from walkcoach.store.profile import FieldName, Profile, validate_field, with_field
from walkcoach.tui.dialogs.base import Dialog
from walkcoach.tui.widgets.fields import FieldRow, TextInput
from walkcoach.units import WeightUnit

# What calories count with meanwhile: the first run has no profile yet, so the default one's.
DEFAULT_WEIGHT = Profile().calorie_weight_text


class PersonalAnswers(NamedTuple):
    """The optional answers of the first run: what the walker's own resting rate and their
    usual handrail hold need (each of the first three may be left unset)."""

    age: int | None = None
    sex: Sex | None = None
    height_cm: float | None = None
    handrail_hold: Hold = "free"

    def applied_to(self, profile: Profile) -> Profile:
        """`profile` with these answers in it."""
        return profile._replace(**self._asdict())


SavePersonal = Callable[[PersonalAnswers], str | None]
"""Saves the optional answers; a message comes back when they could not be saved."""
# The choices of the sex and handrail fields, here and in Settings.
SEX_CHOICES: list[tuple[str, str]] = [("not set", ""), ("female", "female"), ("male", "male")]
HOLD_CHOICES: list[tuple[str, str]] = [(HOLD_LABELS[hold], hold) for hold in HOLDS]


class WeightDialog(Dialog[float | None]):
    """Asks for the walker's weight once, for calorie estimates; escape skips.

    Given `save_personal`, it also asks, on the same screen and each optional, for the
    walker's age, sex, height and usual handrail hold, and saves them with it before it
    closes with the weight.
    """

    DEFAULT_CSS = """
    WeightDialog FieldRow {
        margin-bottom: 0;
    }

    WeightDialog #personal-note {
        margin-top: 1;
    }
    """

    BINDINGS = [Binding("escape", "skip", f"Skip (use {DEFAULT_WEIGHT})")]

    def __init__(self, unit: WeightUnit = "kg", save_personal: SavePersonal | None = None) -> None:
        super().__init__()
        self.unit = unit
        self.save_personal = save_personal

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
            if self.save_personal is not None:
                yield Static(
                    "Optional: with your age, sex and height (in cm) calories use your own "
                    "resting rate; and how do you usually hold the rails? Tab moves on, "
                    "enter saves.",
                    id="personal-note",
                )
                yield FieldRow(
                    "Age", TextInput(placeholder="not set", id="age", compact=True), "age"
                )
                yield FieldRow("Sex", self._select(SEX_CHOICES, "", "sex"), "sex")
                yield FieldRow(
                    "Height (cm)",
                    TextInput(placeholder="not set", id="height_cm", compact=True),
                    "height_cm",
                )
                yield FieldRow(
                    "Hands", self._select(HOLD_CHOICES, "free", "handrail_hold"), "handrail_hold"
                )
        yield Footer()

    @staticmethod
    def _select(options: list[tuple[str, str]], value: str, name: str) -> Select[str]:
        return Select(options, value=value, allow_blank=False, id=name, compact=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "weight":
            self.query_one("#weight-error", Label).update(self._check(event.value)[1] or "")
        else:
            self._personal()  # shows the message of the field typed in

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value, error = self._check(self.query_one("#weight", Input).value)
        if error is not None or value is None:
            self.query_one("#weight-error", Label).update(error or "type a weight")
            self.query_one("#weight", Input).focus()
            return
        if self.save_personal is not None:
            answers = self._personal()
            if answers is None:
                return
            problem = self.save_personal(answers)
            if problem:
                self.notify(problem, severity="error", markup=False)
                return
        self.dismiss(value)

    def _personal(self) -> PersonalAnswers | None:
        """The optional answers as typed, each message beside its field; None while one
        is wrong."""
        answers: list[tuple[FieldName, str]] = [
            ("age", self.query_one("#age", Input).value),
            ("height_cm", self.query_one("#height_cm", Input).value),
            ("sex", str(self.query_one("#sex", Select).value)),
            ("handrail_hold", str(self.query_one("#handrail_hold", Select).value)),
        ]
        profile, wrong = Profile(), False
        for name, text in answers:
            value, error = validate_field(name, text, profile)
            if name in ("age", "height_cm"):
                self.query_one(f"#{name}-error", Label).update(error or "")
            if error is None:
                profile = with_field(profile, name, value)
            wrong = wrong or error is not None
        if wrong:
            return None
        return PersonalAnswers(profile.age, profile.sex, profile.height_cm, profile.handrail_hold)

    def _check(self, text: str) -> tuple[float | None, str | None]:
        if not text.strip():
            return None, None
        value, error = validate_field("weight_kg", text, Profile(weight_unit=self.unit))
        return (float(value) if isinstance(value, int | float) else None), error

    def action_skip(self) -> None:
        self.dismiss(None)
