"""The walker's profile: weight, units, treadmill factor, sound, lead-in, safety check, and
for personal calories age, sex, height and how they hold the handrails.

Stored as a small TOML file. Every field is checked with a message a person can act
on, both when the file is read and, one field at a time, when the settings screen
edits it (`validate_field`). A profile file that cannot be read is never overwritten.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple, TypeAlias, get_args

from walkcoach.calories import HOLDS, SEXES, Body, Hold, Rest, Sex, resting_rate
from walkcoach.engine import DEFAULT_LEAD_IN_S
from walkcoach.errors import WalkcoachError
from walkcoach.plan import Plan, Summary, summarize
from walkcoach.store.atomic import atomic_write_text
from walkcoach.units import SpeedUnit, WeightUnit, format_weight, kg_to_lb, lb_to_kg
from walkcoach.userfiles import NotUtf8, TooComplex, loads_toml, read_text
from walkcoach.voice import COUNTDOWNS, Countdown

DEFAULT_WEIGHT_KG: Final = 70.0
WEIGHT_LIMITS_KG: Final = (20.0, 300.0)
LEAD_IN_LIMITS_S: Final = (0, 30)
TREADMILL_FACTOR_LIMITS: Final = (0.8, 1.2)
AGE_LIMITS: Final = (18, 100)  # the Harris-Benedict equations and the Compendium are for adults
HEIGHT_LIMITS_CM: Final = (120.0, 230.0)
_FACTOR_TYPED: Final = re.compile(r"[0-9]{1,2}(?:[.,][0-9]{1,4})?")

FieldName = Literal[
    "weight_kg",
    "weight_unit",
    "speed_unit",
    "treadmill_factor",
    "sound",
    "voice",
    "countdown",
    "lead_in_s",
    "safety_check",
    # For personal calories (walkcoach.calories).
    "age",
    "sex",
    "height_cm",
    "handrail_hold",
]
WalkFormat = Literal["csv", "json", "fit", "tcx"]
"""A format a walk is exported in from the screens (by the file's extension)."""
WALK_FORMATS: Final[tuple[WalkFormat, ...]] = get_args(WalkFormat)
DEFAULT_WALK_FORMATS: Final[tuple[WalkFormat, ...]] = ("csv", "json")
RememberedFieldName = Literal["export_formats", "weight_skipped"]
"""What the screens remember between runs, kept in the file and checked like the
settings; the Settings screen does not show them."""
FieldValue: TypeAlias = float | int | bool | str | tuple[str, ...] | None

_TRUE: Final = frozenset({"true", "yes", "on", "1"})
_FALSE: Final = frozenset({"false", "no", "off", "0"})
_SPEED_UNIT_ALIASES: Final[Mapping[str, SpeedUnit]] = {
    "kmh": "kmh",
    "km/h": "kmh",
    "kph": "kmh",
    "mph": "mph",
}
_WEIGHT_TYPED: Final = re.compile(r"([0-9]{1,4}(?:[.,][0-9]{1,3})?)\s*(kgs?|lbs?)?")
"""A weight as a person types it: "72", "72,5", "160 lb", "72kg" (ASCII digits only)."""
_COUNTDOWN_ALIASES: Final[Mapping[str, Countdown]] = {
    "tones": "tones",
    "tone": "tones",
    "ticks": "tones",
    "words": "words",
    "numbers": "words",
    "spoken": "words",
}
_WEIGHT_UNIT_ALIASES: Final[Mapping[str, WeightUnit]] = {
    "kg": "kg",
    "kgs": "kg",
    "lb": "lb",
    "lbs": "lb",
}
_HEIGHT_TYPED: Final = re.compile(r"([0-9]{2,3}(?:[.,][0-9])?)\s*(?:cm)?")
"""A height as a person types it: "172", "172,5", "172 cm" (ASCII digits only)."""
_SEX_ALIASES: Final[Mapping[str, Sex]] = {
    "female": "female",
    "f": "female",
    "woman": "female",
    "male": "male",
    "m": "male",
    "man": "male",
}
_HOLD_ALIASES: Final[Mapping[str, Hold]] = {
    "free": "free",
    "none": "free",
    "swing": "free",
    "resting": "resting",
    "rest": "resting",
    "light": "resting",
    "gripping": "gripping",
    "grip": "gripping",
    "holding": "gripping",
}


class Profile(NamedTuple):
    """Weight is always kept in kg; `weight_unit` and `speed_unit` are how to show it."""

    weight_kg: float | None = None
    weight_unit: WeightUnit = "kg"
    speed_unit: SpeedUnit = "kmh"
    # The true belt speed over what the treadmill's console shows (1.0: it reads right).
    # Plans, the screen and the voice keep to the console's numbers; calories and
    # distance use the true speed (see walkcoach.engine). Older profiles lack it: 1.0.
    treadmill_factor: float = 1.0
    sound: bool = True
    voice: bool = True  # spoken prompts (when sound is on)
    countdown: Countdown = "tones"  # the last three seconds: "tones" or spoken "words"
    lead_in_s: int = DEFAULT_LEAD_IN_S
    safety_check: bool = True
    # For the walker's own resting rate (walkcoach.calories); each may be left unset.
    age: int | None = None
    sex: Sex | None = None
    height_cm: float | None = None
    handrail_hold: Hold = "free"  # how the walker usually holds on; a walk may change it
    # The formats the last export of a walk was written in; None or none:
    # `DEFAULT_WALK_FORMATS`.
    export_formats: tuple[WalkFormat, ...] | None = None
    # True once the walker has left the weight unset where they were asked for it (the
    # first run's question, or Settings): they are not asked again. None: never so.
    weight_skipped: bool | None = None

    @property
    def effective_weight_kg(self) -> float:
        """The weight to compute calories with: the walker's, or `DEFAULT_WEIGHT_KG` when
        unset."""
        return DEFAULT_WEIGHT_KG if self.weight_kg is None else self.weight_kg

    @property
    def calorie_weight_text(self) -> str:
        """The weight calories are counted with, as every screen and the command line show
        it, in the walker's unit: "80 kg", "176.4 lb", or the default's "70 kg" while none
        is set."""
        return format_weight(self.effective_weight_kg, self.weight_unit)

    @property
    def body(self) -> Body:
        """What `walkcoach.calories.resting_rate` needs (the weight only when it is set)."""
        return Body(self.weight_kg, self.age, self.sex, self.height_cm)

    def resting_rate(self, weight_kg: float | None = None) -> Rest:
        """The walker's resting rate: their own when the weight (`weight_kg`, given for one
        run, or the profile's), age, sex and height are all known, else the standard."""
        body = self.body if weight_kg is None else self.body._replace(weight_kg=weight_kg)
        return resting_rate(body)

    def estimate(self, plan: Plan, weight_kg: float | None = None) -> Summary:
        """The plan's time, distance and kcal as a walk by this walker counts them (their
        belt factor, usual handrail hold and resting rate; `weight_kg` for one run)."""
        weight = self.effective_weight_kg if weight_kg is None else weight_kg
        return summarize(
            plan, weight, self.treadmill_factor, self.handrail_hold, self.resting_rate(weight_kg)
        )


FIELDS: Final[tuple[FieldName, ...]] = get_args(FieldName)
"""The fields the Settings screen shows, one row each."""
REMEMBERED_FIELDS: Final[tuple[RememberedFieldName, ...]] = get_args(RememberedFieldName)
SETTINGS: Final[tuple[str, ...]] = FIELDS + REMEMBERED_FIELDS
"""Every setting a profile file may hold."""
_UNSET_ALLOWED: Final = frozenset(
    {"weight_kg", "age", "sex", "height_cm", "export_formats", "weight_skipped"}
)


class ProfileError(WalkcoachError):
    """A profile file that cannot be used, or a value that does not fit a field."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


# --- checking one value ------------------------------------------------------------


def _check_value(name: str, value: object) -> tuple[FieldValue, str | None]:
    """A typed value (as TOML gives it) checked for field `name`."""
    if name == "weight_kg":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, "expected a number of kilograms"
        low, high = WEIGHT_LIMITS_KG
        if not math.isfinite(value) or not low <= value <= high:
            return None, f"expected a weight from {low:g} to {high:g} kg, not {value:g}"
        return float(value), None
    if name == "treadmill_factor":
        low_f, high_f = TREADMILL_FACTOR_LIMITS
        expected = f"expected a treadmill factor from {low_f:g} to {high_f:g}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, f"{expected} (1 when the treadmill reads right)"
        if not math.isfinite(value) or not low_f <= value <= high_f:
            return None, f"{expected}, not {value:g}"
        return float(value), None
    if name == "lead_in_s":
        low_s, high_s = LEAD_IN_LIMITS_S
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"expected a whole number of seconds from {low_s} to {high_s}"
        if not low_s <= value <= high_s:
            return None, f"expected a lead-in from {low_s} to {high_s} seconds, not {value}"
        return value, None
    if name in ("sound", "voice", "safety_check", "weight_skipped"):
        if not isinstance(value, bool):
            return None, "expected true or false"
        return value, None
    if name == "countdown":
        if value not in COUNTDOWNS:
            return None, 'expected "tones" or "words"'
        return str(value), None
    if name == "weight_unit":
        if value not in get_args(WeightUnit):
            return None, 'expected "kg" or "lb"'
        return str(value), None
    if name == "speed_unit":
        if value not in get_args(SpeedUnit):
            return None, 'expected "kmh" or "mph"'
        return str(value), None
    if name == "age":
        low_a, high_a = AGE_LIMITS
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"expected a whole number of years from {low_a} to {high_a}"
        if not low_a <= value <= high_a:
            return None, f"expected an age from {low_a} to {high_a} years, not {value}"
        return value, None
    if name == "height_cm":
        low_h, high_h = HEIGHT_LIMITS_CM
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, "expected a height in centimetres"
        if not math.isfinite(value) or not low_h <= value <= high_h:
            return None, f"expected a height from {low_h:g} to {high_h:g} cm, not {value:g}"
        return float(value), None
    if name == "sex":
        if value not in SEXES:
            return None, 'expected "female" or "male"'
        return str(value), None
    if name == "handrail_hold":
        if value not in HOLDS:
            return None, 'expected "free", "resting" or "gripping"'
        return str(value), None
    if name == "export_formats":
        known = ", ".join(f'"{f}"' for f in WALK_FORMATS)
        if not isinstance(value, list | tuple) or any(f not in WALK_FORMATS for f in value):
            return None, f"expected a list of formats out of {known}"
        return tuple(str(f) for f in value), None
    return None, f"unknown setting; the settings are {', '.join(SETTINGS)}"


def validate_field(name: str, raw_text: str, profile: Profile) -> tuple[FieldValue, str | None]:
    """What the user typed for one field, checked: ``(value, None)`` or ``(None, error)``.

    The weight is typed in the profile's weight unit and returned in kg. An empty weight,
    age, sex or height means "not set" and gives ``(None, None)``.
    """
    text = raw_text.strip()
    lowered = text.lower()
    if name in _UNSET_ALLOWED and not text:
        return None, None
    if name == "weight_kg":
        unit = profile.weight_unit
        typed = _WEIGHT_TYPED.fullmatch(lowered)
        if typed is None:
            return None, f"expected a number of {unit}, such as {_weight_example(unit)}"
        number_text, unit_text = typed.groups()
        if unit_text:  # "160 lb" or "72 kg": the unit typed wins over the profile's
            unit = _WEIGHT_UNIT_ALIASES[unit_text]
        number = float(number_text.replace(",", "."))
        kg = lb_to_kg(number) if unit == "lb" else number
        low, high = WEIGHT_LIMITS_KG
        if not low <= kg <= high:
            if unit == "lb":
                # Rounded inwards, so a weight typed as told is accepted (20 kg is 44.09 lb).
                span = f"{math.ceil(kg_to_lb(low))} to {math.floor(kg_to_lb(high))} lb"
            else:
                span = f"{low:g} to {high:g} kg"
            return None, f"expected a weight from {span}"
        return kg, None
    if name == "treadmill_factor":
        if not _FACTOR_TYPED.fullmatch(text):
            low_f, high_f = TREADMILL_FACTOR_LIMITS
            return None, f"expected a number from {low_f:g} to {high_f:g}, such as 0.95"
        return _check_value(name, float(text.replace(",", ".")))
    if name == "lead_in_s":
        low_s, high_s = LEAD_IN_LIMITS_S
        if not text.isdigit():
            return None, f"expected a whole number of seconds from {low_s} to {high_s}"
        return _check_value(name, int(text))
    if name in ("sound", "voice", "safety_check"):
        if lowered in _TRUE:
            return True, None
        if lowered in _FALSE:
            return False, None
        return None, "expected on or off (yes/no, true/false)"
    if name == "countdown":
        if lowered in _COUNTDOWN_ALIASES:
            return _COUNTDOWN_ALIASES[lowered], None
        return None, 'expected "tones" or "words"'
    if name == "weight_unit":
        if lowered in _WEIGHT_UNIT_ALIASES:
            return _WEIGHT_UNIT_ALIASES[lowered], None
        return None, 'expected "kg" or "lb"'
    if name == "speed_unit":
        if lowered in _SPEED_UNIT_ALIASES:
            return _SPEED_UNIT_ALIASES[lowered], None
        return None, 'expected "km/h" or "mph"'
    if name == "age":
        if not text.isascii() or not text.isdigit():
            low_a, high_a = AGE_LIMITS
            return None, f"expected a whole number of years from {low_a} to {high_a}"
        return _check_value(name, int(text))
    if name == "height_cm":
        typed = _HEIGHT_TYPED.fullmatch(lowered)
        if typed is None:
            return None, "expected a height in centimetres, such as 172"
        return _check_value(name, float(typed.group(1).replace(",", ".")))
    if name == "sex":
        if lowered in _SEX_ALIASES:
            return _SEX_ALIASES[lowered], None
        return None, 'expected "female" or "male" (or leave it empty)'
    if name == "handrail_hold":
        if lowered in _HOLD_ALIASES:
            return _HOLD_ALIASES[lowered], None
        return None, 'expected "free", "resting" or "gripping"'
    return _check_value(name, text)


def _weight_example(unit: WeightUnit) -> str:
    return "154" if unit == "lb" else "70"


def with_field(profile: Profile, name: FieldName, value: FieldValue) -> Profile:
    """A copy of `profile` with one field changed (a value `validate_field` returned)."""
    changes: dict[str, Any] = {name: value}
    return profile._replace(**changes)


# --- reading and writing the file ----------------------------------------------------


def unknown_settings(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys of profile data that this walkcoach does not know (a newer one wrote them)."""
    return tuple(key for key in data if key not in SETTINGS)


def profile_from_data(data: Mapping[str, Any], source: str = "") -> Profile:
    """A `Profile` from TOML data; `ProfileError` naming every bad field.

    Settings this walkcoach does not know are left out, not refused: a profile written
    by a newer walkcoach keeps every setting this one understands (see `save_profile`,
    which writes the unknown ones back as they were).
    """
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in SETTINGS:
            continue
        checked, error = _check_value(key, value)
        if error:
            problems.append(f"{key}: {error}")
        else:
            values[key] = checked
    if problems:
        where = f"{source}: " if source else ""
        raise ProfileError(f"{where}{'; '.join(problems)}", Path(source) if source else None)
    return Profile(**values)


def load_profile(path: Path) -> Profile:
    """The profile in `path`; the defaults when there is no such file.

    `ProfileError` (naming the file and the problem) when it cannot be read or used.
    """
    return profile_from_data(_profile_data(path), str(path))


def load_profile_noting_unknown(path: Path) -> tuple[Profile, tuple[str, ...]]:
    """`load_profile`, with the names of the settings it did not know (and left alone)."""
    data = _profile_data(path)
    return profile_from_data(data, str(path)), unknown_settings(data)


def _profile_data(path: Path) -> dict[str, Any]:
    """The TOML data of `path` (empty when there is no such file), or `ProfileError`."""
    try:
        text = read_text(path)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ProfileError(f"{path}: cannot be read ({exc.strerror})", path) from None
    except NotUtf8 as exc:
        raise ProfileError(f"{path}: {exc}", path) from None
    try:
        return loads_toml(text)
    except TooComplex as exc:
        raise ProfileError(f"{path}: {exc}", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML ({exc})", path) from None


def dumps_profile(profile: Profile, kept: Mapping[str, Any] | None = None) -> str:
    """The profile as TOML; `kept` holds settings from a newer walkcoach, written back as
    they were."""
    import tomli_w

    data = {k: v for k, v in profile._asdict().items() if v is not None}
    for key, value in (kept or {}).items():
        data.setdefault(key, value)
    return tomli_w.dumps(data)


def save_profile(path: Path, profile: Profile) -> None:
    """Writes `profile` to `path` atomically.

    Refuses (`ProfileError`) to replace a file that exists but cannot be read as a
    profile: it is left untouched for the user to fix or remove.
    """
    for name, value in profile._asdict().items():
        _, error = _check_value(name, value)
        if error and not (name in _UNSET_ALLOWED and value is None):
            raise ProfileError(f"{name}: {error}", path)
    try:
        data = _profile_data(path)
        profile_from_data(data, str(path))
    except ProfileError as exc:
        raise ProfileError(
            f"{exc}; the file was left untouched and the settings were not saved "
            "(fix or remove it, then save again)",
            path,
        ) from None
    kept = {key: data[key] for key in unknown_settings(data)}
    atomic_write_text(path, dumps_profile(profile, kept))
