"""Settings: the walker's profile (weight and units, the treadmill factor, sound and voice,
lead-in, safety check, and for personal calories age, sex, height and the usual handrail
hold).

Each field is checked as it is typed with `validate_field`, the message beside it; ctrl+s
(or enter in a field) saves through the app context, atomically. A profile file that
cannot be read is shown as such and never overwritten.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static

from walkcoach import calories
from walkcoach.store.profile import (
    FIELDS,
    FieldName,
    Profile,
    validate_field,
    with_field,
)
from walkcoach.tui.context import AppContext
from walkcoach.tui.dialogs.leave import LeaveChoice, LeaveDialog
from walkcoach.tui.dialogs.weight import HOLD_CHOICES, SEX_CHOICES
from walkcoach.tui.widgets.fields import FieldRow, TextInput
from walkcoach.units import WeightUnit, weight_number

ON_OFF = [("on", "on"), ("off", "off")]
FACTOR_HINT = "true ÷ shown speed (0.95: reads 5 % high)"
"""Beside the belt factor while it is valid: what the number means."""
COUNTDOWN_CHOICES = [("tones", "tones"), ("spoken numbers", "words")]
TYPED_FIELDS = ("weight_kg", "treadmill_factor", "lead_in_s", "age", "height_cm")
"""The fields typed in, each with its message beside it."""


PROFILE_FIELDS: tuple[FieldName, ...] = tuple(name for name in FIELDS if name != "weight_kg")
"""The fields set from a choice or typed as is (the weight is converted, so apart)."""


def weight_text(weight_kg: float | None, unit: WeightUnit) -> str:
    """The weight field's text: the number as every other screen shows the weight."""
    return "" if weight_kg is None else weight_number(weight_kg, unit)


def unset_weight_hint(unit: WeightUnit) -> str:
    """What the empty weight field says: the weight calories are counted with meanwhile
    (short enough for the field)."""
    return f"not set ({Profile(weight_unit=unit).calorie_weight_text})"


def on_off(value: bool) -> str:
    return "on" if value else "off"


def rest_line(profile: Profile) -> Text:
    """Which resting rate calories are counted with, and what sets the walker's own."""
    weight, age, sex, height = profile.body
    if weight is not None and age is not None and sex is not None and height is not None:
        kcal_a_day = calories.resting_kcal_per_day(sex, weight, height, age)
        text = Text("Calories: your resting rate, ", style="dim")
        text.append(f"about {kcal_a_day:.0f} kcal a day", style="bold")
        text.append(" (Harris-Benedict)", style="dim")
        return text
    unset = [
        name
        for name, value in (
            ("weight", profile.weight_kg),
            ("age", profile.age),
            ("sex", profile.sex),
            ("height", profile.height_cm),
        )
        if value is None
    ]
    missing = ", ".join(unset[:-1]) + (" and " if len(unset) > 1 else "") + unset[-1]
    return Text(f"Calories: standard resting rate (set {missing} for your own)", style="dim")


class SettingsScreen(Screen[bool]):
    """Dismisses with True when the profile was saved."""

    DEFAULT_CSS = """
    #settings {
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }

    #settings-title {
        height: 1;
        margin-bottom: 1;
        color: $accent;
    }

    #profile-problem {
        color: $error;
        margin-bottom: 1;
    }

    #settings-status {
        margin-top: 1;
    }

    #settings .field-error.-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", key_display="^s"),
        Binding("escape", "leave", "Back", key_display="esc"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.saved_once = False
        self._shown_unit: WeightUnit = ctx.profile.weight_unit

    def compose(self) -> ComposeResult:
        profile = self.ctx.profile
        # Scrolls: on a small terminal the notes below the fields would be cut off.
        with VerticalScroll(id="settings"):
            yield Static(Text("Settings", style="bold"), id="settings-title")
            if self.ctx.profile_error:
                problem = Text("Your profile file cannot be read: ", style="bold")
                problem.append(self.ctx.profile_error)
                problem.append(
                    "\nwalkcoach uses the defaults and will not overwrite the file: "
                    "fix or remove it to save settings."
                )
                yield Static(problem, id="profile-problem")
            yield FieldRow(
                "Weight",
                TextInput(
                    weight_text(profile.weight_kg, profile.weight_unit),
                    placeholder=unset_weight_hint(profile.weight_unit),
                    id="weight_kg",
                    compact=True,
                ),
                "weight_kg",
            )
            yield FieldRow(
                "Weight unit",
                self._select([("kg", "kg"), ("lb", "lb")], profile.weight_unit, "weight_unit"),
                "weight_unit",
            )
            yield FieldRow(
                "Speed unit",
                self._select([("km/h", "kmh"), ("mph", "mph")], profile.speed_unit, "speed_unit"),
                "speed_unit",
            )
            yield FieldRow(
                "Belt factor",
                TextInput(
                    f"{profile.treadmill_factor:g}",
                    placeholder="1 (reads right)",
                    id="treadmill_factor",
                    compact=True,
                ),
                "treadmill_factor",
            )
            yield FieldRow("Sound", self._select(ON_OFF, on_off(profile.sound), "sound"), "sound")
            yield FieldRow("Voice", self._select(ON_OFF, on_off(profile.voice), "voice"), "voice")
            yield FieldRow(
                "Last seconds",
                self._select(COUNTDOWN_CHOICES, profile.countdown, "countdown"),
                "countdown",
            )
            yield FieldRow(
                "Lead-in (s)",
                TextInput(str(profile.lead_in_s), id="lead_in_s", compact=True),
                "lead_in_s",
            )
            yield FieldRow(
                "Safety check",
                self._select(ON_OFF, on_off(profile.safety_check), "safety_check"),
                "safety_check",
            )
            yield FieldRow(
                "Age",
                TextInput(
                    "" if profile.age is None else str(profile.age),
                    placeholder="not set",
                    id="age",
                    compact=True,
                ),
                "age",
            )
            yield FieldRow("Sex", self._select(SEX_CHOICES, profile.sex or "", "sex"), "sex")
            yield FieldRow(
                "Height (cm)",
                TextInput(
                    "" if profile.height_cm is None else f"{profile.height_cm:g}",
                    placeholder="not set",
                    id="height_cm",
                    compact=True,
                ),
                "height_cm",
            )
            yield FieldRow(
                "Hands",
                self._select(HOLD_CHOICES, profile.handrail_hold, "handrail_hold"),
                "handrail_hold",
            )
            yield Static(id="settings-rest")
            yield Static(id="settings-info")
            yield Static(id="settings-status")
        yield Footer()

    @staticmethod
    def _select(options: list[tuple[str, str]], value: str, name: str) -> Select[str]:
        return Select(options, value=value, allow_blank=False, id=name, compact=True)

    def on_mount(self) -> None:
        info = Text("Sound plays through: ", style="bold")
        info.append(self.ctx.player.backend_name)
        info.append(
            "\nWeight is used only for calorie estimates. The belt factor corrects calories "
            "and distance when the treadmill reads high or low; the screen and the voice "
            "keep to the treadmill's numbers. The voice says every turn, "
            "the belt speed to set and the time left; the last seconds of each segment "
            "are counted with tones or spoken numbers. The lead-in is the get-ready "
            "countdown before a walk; the safety check is the short list shown before "
            "each walk. Age, sex and height (in cm) are optional: with them and the "
            "weight, calories use your own resting rate instead of the standard one. Hands "
            "is how you usually hold the rails (h changes it during a walk): resting or "
            "gripping them lowers the calories.",
            style="dim",
        )
        self.query_one("#settings-info", Static).update(info)
        self.query_one("#weight_kg", Input).focus()
        self.show_state()

    # --- what the fields say ---------------------------------------------------------

    def text_of(self, name: str) -> str:
        widget = self.query_one(f"#{name}")
        if isinstance(widget, Input):
            return widget.value
        assert isinstance(widget, Select)
        return str(widget.value)

    def pending(self) -> tuple[Profile, dict[str, str]]:
        """The profile the fields describe, and a message for each field that is wrong."""
        profile = self.ctx.profile
        errors: dict[str, str] = {}
        for name in PROFILE_FIELDS:
            value, error = validate_field(name, self.text_of(name), profile)
            if error:
                errors[name] = error
            else:
                profile = with_field(profile, name, value)
        weight = self.text_of("weight_kg")
        original = self.ctx.profile
        if weight == weight_text(original.weight_kg, profile.weight_unit):
            profile = with_field(profile, "weight_kg", original.weight_kg)
        else:
            value, error = validate_field("weight_kg", weight, profile)
            if error:
                errors["weight_kg"] = error
            else:
                profile = with_field(profile, "weight_kg", value)
        return profile, errors

    @property
    def dirty(self) -> bool:
        profile, errors = self.pending()
        return bool(errors) or profile != self.ctx.profile

    def show_state(self) -> None:
        profile, errors = self.pending()
        self.query_one("#settings-rest", Static).update(rest_line(profile))
        for name in TYPED_FIELDS:
            message = errors.get(name, "")
            label = self.query_one(f"#{name}-error", Label)
            hint = not message and name == "treadmill_factor"
            label.update(Text(FACTOR_HINT if hint else message))
            label.set_class(hint, "-hint")
            self.query_one(f"#{name}").set_class(bool(message), "-invalid")
        status = Text("Unsaved changes: ctrl+s saves", style="yellow") if self.dirty else Text()
        self.query_one("#settings-status", Static).update(status)

    def on_input_changed(self, _: Input.Changed) -> None:
        self.show_state()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "weight_unit":
            self._convert_weight(str(event.value))
        self.show_state()

    def _convert_weight(self, unit: str) -> None:
        """Shows the typed weight in the newly chosen unit (when it is a valid weight)."""
        if unit not in ("kg", "lb") or unit == self._shown_unit:
            return
        field = self.query_one("#weight_kg", Input)
        shown_in = Profile(weight_unit=self._shown_unit)
        kg, error = validate_field("weight_kg", field.value, shown_in)
        self._shown_unit = "lb" if unit == "lb" else "kg"
        field.placeholder = unset_weight_hint(self._shown_unit)
        if error is None and isinstance(kg, float):
            original = self.ctx.profile.weight_kg
            if field.value == weight_text(original, shown_in.weight_unit):
                kg = original
            field.value = weight_text(kg, self._shown_unit)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    # --- saving and leaving ----------------------------------------------------------

    def action_save(self) -> None:
        self.save()

    def save(self) -> bool:
        profile, errors = self.pending()
        if errors:
            name, message = next(iter(errors.items()))
            self.notify(
                f"Not saved: {name.replace('_', ' ')}: {message}",
                severity="error",
                markup=False,
            )
            self.query_one(f"#{name}").focus()
            return False
        problem = self.ctx.save_settings(profile)
        if problem:
            self.notify(f"Not saved: {problem}", severity="error", timeout=10, markup=False)
            return False
        self.saved_once = True
        self.notify("Settings saved", markup=False)
        self.show_state()
        return True

    def action_leave(self) -> None:
        if not self.dirty:
            self.dismiss(self.saved_once)
            return

        def chosen(choice: LeaveChoice | None) -> None:
            if choice == "discard" or (choice == "save" and self.save()):
                self.dismiss(self.saved_once)

        self.app.push_screen(LeaveDialog("the settings"), chosen)
