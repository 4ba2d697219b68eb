"""The energy model: MET for a walking direction, speed and incline, and kcal from MET.

MET(v, g, dir) = D(dir) x L(v) + k x v x g (the README's "How calories are estimated").
The numbers come from the 2011 Compendium of Physical Activities and live, with their codes and the
citation, in seeds/met.toml; this module only does the arithmetic.
"""

from __future__ import annotations

import tomllib
from bisect import bisect_right
from functools import cache
from typing import NamedTuple

from walkcoach.planrules import DIRECTIONS
from walkcoach.resources import seeds_dir


class MetTable(NamedTuple):
    speeds: tuple[float, ...]
    mets: tuple[float, ...]
    codes: tuple[str, ...]
    backward_factor_num: float
    backward_factor_den: float
    grade_rise: float
    reference_speed_kmh: float
    reference_grade_pct: float
    citation: str

    @property
    def grade_coefficient(self) -> float:
        """k of the model: the MET one km/h adds for each per cent of incline (the grade's
        rise at the reference speed and incline, spread over both). `met` works with the
        same ratio, multiplied out in an order that keeps the reference exact."""
        return self.grade_rise / (self.reference_speed_kmh * self.reference_grade_pct)


@cache
def table() -> MetTable:
    """The MET table from seeds/met.toml, read once."""
    with (seeds_dir() / "met.toml").open("rb") as f:
        data = tomllib.load(f)
    points = sorted(data["forward_level"], key=lambda p: p["speed_kmh"])
    back = data["backward"]
    return MetTable(
        speeds=tuple(float(p["speed_kmh"]) for p in points),
        mets=tuple(float(p["met"]) for p in points),
        codes=tuple(str(p["code"]) for p in points),
        backward_factor_num=float(back["backward_level_met"]),
        backward_factor_den=float(back["forward_reference_met"]),
        grade_rise=float(back["backward_grade_met"]) - float(back["backward_level_met"]),
        reference_speed_kmh=float(back["reference_speed_kmh"]),
        reference_grade_pct=float(back["reference_grade_pct"]),
        citation=str(data["citation"]),
    )


def level_met(speed_kmh: float) -> float:
    """L(v): forward walking on the level, by straight lines between the table points."""
    t = table()
    if speed_kmh <= t.speeds[0]:
        return t.mets[0]
    i = min(bisect_right(t.speeds, speed_kmh) - 1, len(t.speeds) - 2)
    x0, x1 = t.speeds[i], t.speeds[i + 1]
    y0, y1 = t.mets[i], t.mets[i + 1]
    return y0 + (y1 - y0) * (speed_kmh - x0) / (x1 - x0)


def met(direction: str, speed_kmh: float, incline_pct: float) -> float:
    """MET of walking `direction` ("forward" or "backward") at a speed and incline."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}: expected 'forward' or 'backward'")
    if not speed_kmh >= 0:
        raise ValueError(f"speed must be 0 km/h or more, not {speed_kmh}")
    if not incline_pct >= 0:
        raise ValueError(f"incline must be 0 % or more, not {incline_pct}")
    t = table()
    level = level_met(speed_kmh)
    if direction == "backward":
        # Multiply before dividing so that L(5.6) = 4.3 gives exactly 6.0.
        level = level * t.backward_factor_num / t.backward_factor_den
    # Written as a ratio to the reference so that 5.6 km/h at 5 % adds exactly 2.0.
    grade = (
        t.grade_rise * (speed_kmh * incline_pct) / (t.reference_speed_kmh * t.reference_grade_pct)
    )
    return level + grade


def kcal(met: float, weight_kg: float, seconds: float) -> float:
    """Gross kcal: MET x body mass (kg) x hours."""
    return met * weight_kg * seconds / 3600.0
