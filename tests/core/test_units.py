"""The number formats every part of walkcoach shares."""

from __future__ import annotations

from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walkcoach.units import (
    SPEED_STEP,
    SpeedUnit,
    WeightUnit,
    counted,
    format_clock,
    format_weight,
    kmh_from,
    lb_to_kg,
    mph_to_kmh,
    speed_in,
    speed_limit,
    speed_step_kmh,
    weight_number,
)


def test_one_press_moves_the_belt_by_the_consoles_last_digit_in_its_unit() -> None:
    assert SPEED_STEP == 0.1
    assert speed_step_kmh("kmh") == SPEED_STEP
    assert speed_in(speed_step_kmh("mph"), "mph") == pytest.approx(SPEED_STEP, abs=1e-6)


def test_counted_is_plural_unless_there_is_one() -> None:
    assert counted(0, "walk") == "0 walks"
    assert counted(1, "problem") == "1 problem"
    assert counted(3, "more warning") == "3 more warnings"


@pytest.mark.parametrize(
    ("kg", "unit", "shown"),
    [
        (80.0, "kg", "80 kg"),
        (72.5, "kg", "72.5 kg"),
        (80.0, "lb", "176.4 lb"),
        (lb_to_kg(160), "lb", "160 lb"),
    ],
)
def test_a_weight_is_shown_in_the_walkers_unit_to_one_decimal(
    kg: float, unit: WeightUnit, shown: str
) -> None:
    assert format_weight(kg, unit) == shown


@given(st.floats(20, 300), st.sampled_from(["kg", "lb"]))
def test_a_weight_field_holds_the_number_every_screen_shows(kg: float, unit: WeightUnit) -> None:
    number = weight_number(kg, unit)
    assert format_weight(kg, unit) == f"{number} {unit}"
    assert not number.endswith(".0") and len(number.partition(".")[2]) <= 1


@pytest.mark.parametrize(
    ("kmh", "unit", "side", "limit"),
    [
        (0.5, "kmh", "low", 0.5),
        (9.0, "kmh", "high", 9.0),
        (0.5, "mph", "low", 0.4),  # 0.31 mph: 0.3 would be too slow
        (6.0, "mph", "high", 3.7),  # 3.73 mph: 3.8 would be too fast
        (mph_to_kmh(3.7), "mph", "high", 3.7),  # a whole tenth stays put
        (mph_to_kmh(3.7), "mph", "low", 3.7),
    ],
)
def test_a_speed_limit_is_one_decimal_rounded_inwards(
    kmh: float, unit: SpeedUnit, side: Literal["low", "high"], limit: float
) -> None:
    assert speed_limit(kmh, unit, side) == limit


@given(st.floats(0.5, 9.0), st.sampled_from(["kmh", "mph"]))
def test_a_limit_as_shown_is_inside_the_real_one(kmh: float, unit: SpeedUnit) -> None:
    def back(value: float) -> float:
        return mph_to_kmh(value) if unit == "mph" else value

    assert back(speed_limit(kmh, unit, "low")) >= kmh - 1e-6
    assert back(speed_limit(kmh, unit, "high")) <= kmh + 1e-6


@given(st.floats(0, 50), st.sampled_from(["kmh", "mph"]))
def test_a_speed_in_a_unit_turns_back_into_the_same_km_h(kmh: float, unit: SpeedUnit) -> None:
    assert kmh_from(speed_in(kmh, unit), unit) == pytest.approx(kmh)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0:00"), (5, "0:05"), (150, "2:30"), (3599, "59:59"), (3723, "1:02:03")],
)
def test_whole_seconds_read_as_plans_write_durations(seconds: int, shown: str) -> None:
    assert format_clock(seconds) == shown
