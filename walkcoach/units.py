"""Unit conversions and the few number formats every part of walkcoach shares."""

from __future__ import annotations

import math
from typing import Final, Literal

SpeedUnit = Literal["kmh", "mph"]
WeightUnit = Literal["kg", "lb"]

KM_PER_MILE: Final = 1.609344
KG_PER_POUND: Final = 0.45359237
# A treadmill's console shows its speed to one decimal, in its own unit; one press of
# + or - during a walk moves the belt by that last digit.
SPEED_DECIMALS: Final = 1
SPEED_STEP: Final = 10.0**-SPEED_DECIMALS


def kmh_to_mph(kmh: float) -> float:
    return kmh / KM_PER_MILE


def mph_to_kmh(mph: float) -> float:
    return mph * KM_PER_MILE


def kg_to_lb(kg: float) -> float:
    return kg / KG_PER_POUND


def lb_to_kg(lb: float) -> float:
    return lb * KG_PER_POUND


def speed_label(unit: SpeedUnit) -> str:
    return "mph" if unit == "mph" else "km/h"


def speed_in(kmh: float, unit: SpeedUnit) -> float:
    """A speed in km/h, in `unit`."""
    return kmh_to_mph(kmh) if unit == "mph" else kmh


def kmh_from(speed: float, unit: SpeedUnit) -> float:
    """A speed in `unit`, in km/h (the inverse of `speed_in`)."""
    return mph_to_kmh(speed) if unit == "mph" else speed


def format_speed(kmh: float, unit: SpeedUnit) -> str:
    """A speed as the walker's treadmill shows it: one decimal, with its unit."""
    return f"{speed_in(kmh, unit):.{SPEED_DECIMALS}f} {speed_label(unit)}"


def speed_limit(kmh: float, unit: SpeedUnit, side: Literal["low", "high"]) -> float:
    """A speed limit in `unit` at one decimal, rounded inwards: a speed typed as shown
    is inside the limit (6 km/h backward is 3.73 mph: the high limit reads 3.7 mph)."""
    tenths = speed_in(kmh, unit) * 10
    # The small slack keeps a limit that is a whole tenth (0.5, 9.0) from moving.
    rounded = math.ceil(tenths - 1e-6) if side == "low" else math.floor(tenths + 1e-6)
    return rounded / 10


def weight_number(kg: float, unit: WeightUnit) -> str:
    """A weight's number in the walker's unit, as `format_weight` shows it (for a field
    that holds the number alone): "80", "176.4"."""
    value = kg_to_lb(kg) if unit == "lb" else kg
    return f"{round(value, 1):g}"


def format_weight(kg: float, unit: WeightUnit) -> str:
    """A weight in the walker's unit, to one decimal without a trailing ".0": "80 kg",
    "176.4 lb"."""
    return f"{weight_number(kg, unit)} {unit}"


def format_distance(km: float, unit: SpeedUnit) -> str:
    if unit == "mph":
        return f"{kmh_to_mph(km):.2f} mi"
    return f"{km:.2f} km"


def speed_step_kmh(unit: SpeedUnit) -> float:
    """One press of + or -, in km/h: `SPEED_STEP` in the unit the walker's treadmill
    uses."""
    return round(mph_to_kmh(SPEED_STEP), 6) if unit == "mph" else SPEED_STEP


def format_clock(seconds: float) -> str:
    """Seconds as m:ss, or h:mm:ss from an hour up; partial seconds round up.

    Rounding up means a countdown shows 0:01 until the very end, never 0:00 early.
    """
    whole = max(0, int(-(-seconds // 1)))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def counted(count: int, noun: str) -> str:
    """The count and the noun, plural unless there is one: "1 error", "3 warnings"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
