"""The energy model reproduces the Compendium's figures and behaves between them."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walkcoach import energy
from walkcoach.resources import seeds_dir


def test_forward_brisk_walk_level_is_4_3_met() -> None:
    assert energy.met("forward", 5.6, 0) == 4.3


def test_backward_same_speed_level_is_6_0_met() -> None:
    assert energy.met("backward", 5.6, 0) == 6.0


def test_backward_same_speed_up_5_percent_is_8_0_met() -> None:
    assert energy.met("backward", 5.6, 5) == 8.0


@pytest.mark.parametrize(
    ("speed", "expected"),
    [(1.6, 2.0), (3.2, 2.8), (4.0, 3.0), (4.8, 3.5), (6.4, 5.0), (7.2, 7.0), (8.0, 8.3)],
)
def test_forward_level_hits_every_table_point(speed: float, expected: float) -> None:
    assert energy.met("forward", speed, 0) == pytest.approx(expected, abs=1e-12)


def test_between_points_is_a_straight_line_and_below_the_first_is_flat() -> None:
    assert energy.met("forward", 5.2, 0) == pytest.approx((3.5 + 4.3) / 2)
    assert energy.met("forward", 0.5, 0) == 2.0
    # Above 8.0 km/h the last piece (7.2 -> 8.0) is extended: +1.3 MET per 0.8 km/h.
    assert energy.met("forward", 8.8, 0) == pytest.approx(9.6)


def test_incline_adds_the_same_in_both_directions() -> None:
    # k = 2.0 / (5.6 x 5) = 1/14 MET per (km/h x %)
    assert energy.met("forward", 4.2, 10) - energy.met("forward", 4.2, 0) == pytest.approx(3.0)
    assert energy.met("backward", 4.2, 10) - energy.met("backward", 4.2, 0) == pytest.approx(3.0)


def test_the_grade_coefficient_is_what_one_km_h_adds_per_percent() -> None:
    k = energy.table().grade_coefficient
    assert k == pytest.approx(1 / 14)  # 2.0 MET at 5.6 km/h up 5 %
    for direction in ("forward", "backward"):
        added = energy.met(direction, 4.2, 3) - energy.met(direction, 4.2, 0)
        assert added == pytest.approx(k * 4.2 * 3)


def test_kcal_is_met_times_weight_times_hours() -> None:
    assert energy.kcal(4.3, 70, 3600) == pytest.approx(301.0)
    assert energy.kcal(6.0, 80, 600) == pytest.approx(80.0)


def test_an_unknown_direction_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="unknown direction 'sideways'"):
        energy.met("sideways", 4, 0)


def test_table_with_codes_and_citation_lives_in_seeds() -> None:
    data = tomllib.loads((seeds_dir() / "met.toml").read_text())
    assert "Ainsworth" in data["citation"] and "43(8):1575-81" in data["citation"]
    assert next(p["code"] for p in data["forward_level"]) == "17151"
    assert data["backward"]["code_level"] == "17320"
    assert data["backward"]["code_grade"] == "17325"
    assert energy.table().citation == data["citation"]


speeds = st.floats(0.0, 12.0)
inclines = st.floats(0.0, 15.0)
directions = st.sampled_from(["forward", "backward"])


@given(directions, speeds, speeds, inclines)
def test_met_never_falls_as_speed_rises(d: str, a: float, b: float, g: float) -> None:
    low, high = sorted((a, b))
    assert energy.met(d, low, g) <= energy.met(d, high, g)


@given(directions, speeds, inclines, inclines)
def test_met_never_falls_as_incline_rises(d: str, v: float, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert energy.met(d, v, low) <= energy.met(d, v, high)


@given(directions, speeds, inclines)
def test_met_is_continuous(d: str, v: float, g: float) -> None:
    # The steepest piece is 2.5 MET per km/h (x 6/4.3 backward), plus 15/14 per km/h of grade.
    step = 1e-6
    assert abs(energy.met(d, v + step, g) - energy.met(d, v, g)) < 10 * step
    assert abs(energy.met(d, v, g + step) - energy.met(d, v, g)) < 10 * step


@given(speeds, inclines)
def test_backward_always_costs_more_than_forward(v: float, g: float) -> None:
    assert energy.met("backward", v, g) > energy.met("forward", v, g)


def test_the_energy_model_loads_without_the_plan_module() -> None:
    # walkcoach.plan summarises with this module; this module must not need plan back.
    code = "import sys, walkcoach.energy; print('walkcoach.plan' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
