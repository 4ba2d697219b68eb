"""Personal calories: the resting-rate correction, the handrail factors, gross and net kcal,
the plausible range, and the model checked against published figures."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walkcoach import calories, energy
from walkcoach.calories import Body, Rest
from walkcoach.resources import seeds_dir
from walkcoach.store.profile import AGE_LIMITS, HEIGHT_LIMITS_CM, WEIGHT_LIMITS_KG, Profile

STANDARD = Rest(3.5, personal=False)
# A 60-year-old woman, 90 kg, 160 cm, by the original Harris-Benedict equation:
#   655.0955 + 9.5634 x 90 + 1.8496 x 160 - 4.6756 x 60
#   = 655.0955 + 860.706 + 295.936 - 280.536 = 1531.2015 kcal/day
# resting VO2 = 1531.2015 / 1440 / 5.0 x 1000 / 90 = 1531.2015 / 648 = 2.362965... ml/kg/min
WOMAN = Body(weight_kg=90.0, age=60, sex="female", height_cm=160.0)
WOMAN_VO2 = 1531.2015 / 648


def test_the_standard_rest_is_used_until_weight_age_sex_and_height_are_all_set() -> None:
    assert calories.resting_rate(Body()) == STANDARD
    assert calories.resting_rate(Body(weight_kg=80.0, age=40, sex="male")) == STANDARD
    assert calories.resting_rate(WOMAN._replace(weight_kg=None)) == STANDARD
    assert calories.resting_rate(Profile(weight_kg=80.0).body) == STANDARD
    assert STANDARD.met == 1.0


def test_harris_benedict_for_a_woman_and_a_man() -> None:
    assert calories.resting_kcal_per_day("female", 90, 160, 60) == pytest.approx(1531.2015)
    # 66.4730 + 13.7516 x 80 + 5.0033 x 180 - 6.7550 x 30
    # = 66.473 + 1100.128 + 900.594 - 202.65 = 1864.545 kcal/day
    assert calories.resting_kcal_per_day("male", 80, 180, 30) == pytest.approx(1864.545)


def test_the_resting_rate_in_ml_per_kg_per_minute() -> None:
    rest = calories.resting_rate(WOMAN)
    assert rest.personal
    assert rest.vo2 == pytest.approx(WOMAN_VO2)  # 2.3630
    assert rest.met == pytest.approx(WOMAN_VO2 / 3.5)  # 0.6751
    # The man above: 1864.545 / 1440 / 5.0 x 1000 / 80 = 1864.545 / 576 = 3.2371
    man = calories.resting_rate(Body(80.0, 30, "male", 180.0))
    assert man.vo2 == pytest.approx(1864.545 / 576)


def test_the_corrected_met_is_the_walk_as_a_multiple_of_the_walkers_rest() -> None:
    # 4.3 x 3.5 / 2.362965 = 15.05 / 2.362965 = 6.3691
    rest = calories.resting_rate(WOMAN)
    assert calories.corrected_met(4.3, rest) == pytest.approx(15.05 / WOMAN_VO2)
    assert calories.corrected_met(4.3, rest) == pytest.approx(6.3691, abs=1e-4)


def test_the_compendium_anchors_stay_exact_for_the_standard_walker() -> None:
    rest = calories.resting_rate(Profile().body)
    assert calories.corrected_met(energy.met("forward", 5.6, 0), rest) == 4.3
    assert calories.corrected_met(energy.met("backward", 5.6, 0), rest) == 6.0
    assert calories.corrected_met(energy.met("backward", 5.6, 5), rest) == 8.0
    assert calories.gross_kcal(4.3, 70, 3600) == energy.kcal(4.3, 70, 3600)


def test_handrail_factors_are_the_middle_and_ends_of_the_published_cuts() -> None:
    # Berling et al. 2006: gripping cut VO2 by 15-21 %, resting the hands by 4-8 %.
    assert calories.hold_factor("free") == (1.0, 1.0, 1.0)
    point, low, high = calories.hold_factor("resting")
    assert (point, low, high) == pytest.approx((0.94, 0.92, 0.96))
    point, low, high = calories.hold_factor("gripping")
    assert (point, low, high) == pytest.approx((0.82, 0.79, 0.85))


def test_gross_kcal_is_met_times_kg_times_hours_times_the_hold() -> None:
    # 4.3 MET x 70 kg x 1 h = 301 kcal; x 0.94 = 282.94 resting; x 0.82 = 246.82 gripping
    assert calories.gross_kcal(4.3, 70, 3600) == pytest.approx(301.0)
    assert calories.gross_kcal(4.3, 70, 3600, "resting") == pytest.approx(282.94)
    assert calories.gross_kcal(4.3, 70, 3600, "gripping") == pytest.approx(246.82)


def test_the_walkers_own_rest_replaces_the_standard_one_in_gross_kcal() -> None:
    # The README's example, 5.6 km/h level (4.3 MET), one hour:
    #   standard: 4.3 x 90 kg = 387 kcal
    #   the woman: (4.3 - 1 + 0.675133) x 90 = 3.975133 x 90 = 357.762 kcal
    rest = calories.resting_rate(WOMAN)
    assert calories.gross_kcal(4.3, 90, 3600) == pytest.approx(387.0)
    assert calories.gross_kcal(4.3, 90, 3600, rest=STANDARD) == calories.gross_kcal(4.3, 90, 3600)
    assert calories.gross_kcal(4.3, 90, 3600, rest=rest) == pytest.approx(357.762, abs=1e-3)
    # The hold applies to the MET as measured: (4.3 x 0.82 - 1 + 0.675133) x 90
    #   = (3.526 - 0.324867) x 90 = 288.102 kcal gripping
    assert calories.gross_kcal(4.3, 90, 3600, "gripping", rest) == pytest.approx(288.102, abs=1e-3)
    # What the shift is: (0.675133 - 1) x 90 x 1 h = -29.238 kcal; 0 for the standard.
    assert calories.rest_shift_kcal(rest, 90, 3600) == pytest.approx(-29.238, abs=1e-3)
    assert calories.rest_shift_kcal(STANDARD, 90, 3600) == 0.0


def test_net_kcal_is_gross_less_resting() -> None:
    # Standard walker: 301 kcal gross less 1 MET x 70 kg x 1 h = 70 -> 231 net.
    resting = calories.resting_kcal(STANDARD, 70, 3600)
    assert resting == pytest.approx(70.0)
    assert calories.net_kcal(301.0, resting) == pytest.approx(231.0)
    # The woman, 30 min backward at 6.0 MET:
    #   gross (6.0 - 1 + 0.675133) x 90 x 0.5 = 5.675133 x 45 = 255.381 kcal
    #   resting 0.675133 x 90 x 0.5 = 30.381 kcal
    #   net 225.0 kcal = (6.0 - 1) x 90 x 0.5: the cost above rest is the Compendium's
    rest = calories.resting_rate(WOMAN)
    gross = calories.gross_kcal(6.0, 90, 1800, rest=rest)
    resting = calories.resting_kcal(rest, 90, 1800)
    assert gross == pytest.approx(255.381, abs=1e-3)
    assert resting == pytest.approx(WOMAN_VO2 / 3.5 * 45)
    assert calories.net_kcal(gross, resting) == pytest.approx(225.0)


def test_net_kcal_is_never_negative() -> None:
    assert calories.net_kcal(10.0, 12.0) == 0.0


def test_the_range_takes_each_holds_ends_and_the_model_uncertainty() -> None:
    assert calories.model_uncertainty() == pytest.approx(0.20)
    # 200 kcal with free arms and 100 kcal (as if free) gripping:
    #   estimate 200 x 1.0 + 100 x 0.82 = 282
    #   low  (200 x 1.0 + 100 x 0.79) x 0.8 = 279 x 0.8 = 223.2
    #   high (200 x 1.0 + 100 x 0.85) x 1.2 = 285 x 1.2 = 342.0
    low, point, high = calories.kcal_range({"free": 200.0, "gripping": 100.0})
    assert (low, point, high) == pytest.approx((223.2, 282.0, 342.0))
    assert calories.kcal_range({}) == (0.0, 0.0, 0.0)
    # The same walk by a walker whose own rest takes 30 kcal off (the shift):
    #   estimate 282 - 30 = 252; low (279 - 30) x 0.8 = 199.2; high (285 - 30) x 1.2 = 306
    shifted = calories.kcal_range({"free": 200.0, "gripping": 100.0}, rest_shift=-30.0)
    assert shifted == pytest.approx((199.2, 252.0, 306.0))


def test_the_comparison_with_published_figures() -> None:
    rows = {(row.check, row.source): row for row in calories.comparisons()}
    assert len(rows) == 9
    for check in ("Forward, 5.6 km/h, level", "Backward, 5.6 km/h, level"):
        assert rows[check, "2011 Compendium"].difference == 0
    assert rows["Backward, 5.6 km/h, 5 % grade", "2011 Compendium"].model == 8.0
    # ACSM at 5.6 km/h = 93.333 m/min: 3.5 + 0.1 x 93.333 = 12.833 ml/kg/min = 3.667 MET;
    # + 1.8 x 93.333 x 0.05 = 8.4 -> 6.067 MET at 5 %; + 16.8 -> 8.467 MET at 10 %.
    # The model: 4.3 level, 4.3 + 2.0 = 6.3 at 5 %, 4.3 + 4.0 = 8.3 at 10 %.
    acsm = [
        rows[check, "ACSM walking equation"]
        for check in (
            "Forward, 5.6 km/h, level",
            "Forward, 5.6 km/h, 5 % grade",
            "Forward, 5.6 km/h, 10 % grade",
        )
    ]
    assert [r.published_low for r in acsm] == pytest.approx([3.6667, 6.0667, 8.4667], abs=1e-4)
    assert [r.difference for r in acsm] == pytest.approx([0.6333, 0.2333, -0.1667], abs=1e-4)
    # Hooper: backward 17-20 % above forward. The model at 5 %: 8.0 / 6.3 = +26.98 %,
    # 6.98 points above the range; at 10 %: 10.0 / 8.3 = +20.48 %.
    at_5 = rows["Backward over forward, 5.6 km/h, 5 % grade", "Hooper et al. 2004"]
    assert at_5.model == pytest.approx(26.984, abs=1e-3)
    assert at_5.difference == pytest.approx(6.984, abs=1e-3)
    at_10 = rows["Backward over forward, 5.6 km/h, 10 % grade", "Hooper et al. 2004"]
    assert at_10.difference == pytest.approx(0.482, abs=1e-3)


def test_the_stated_model_uncertainty_covers_every_published_comparison() -> None:
    worst = max(abs(row.cost_difference) for row in calories.comparisons())
    assert worst == pytest.approx(0.6333 / 3.6667, abs=1e-4)  # ACSM on the level: 17 %
    assert worst <= calories.model_uncertainty()


def test_the_markdown_table_has_a_row_per_comparison() -> None:
    table = calories.comparison_markdown()
    lines = table.splitlines()
    assert lines[0] == "| Check | Published | Model | Difference | Source |"
    assert len(lines) == 2 + 9
    assert "| Forward, 5.6 km/h, level | 3.67 MET | 4.30 MET | +0.63 MET (+17 %) |" in table
    assert "| +17-20 % | +27.0 % | +7.0 points | Hooper et al. 2004 |" in table


def test_the_readmes_comparison_table_is_the_models() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert calories.comparison_markdown() in readme
    # And the worked example it gives: 387 kcal an hour standard, about 358 hers.
    rest = calories.resting_rate(WOMAN)
    assert round(calories.gross_kcal(4.3, 90, 3600)) == 387
    assert round(calories.gross_kcal(4.3, 90, 3600, rest=rest)) == 358
    assert (
        round(calories.net_kcal(calories.gross_kcal(4.3, 90, 3600, rest=rest), 90 * rest.met))
        == 297
    )
    words = " ".join(readme.split())
    assert "387 kcal an hour" in words and "358 kcal an hour gross and 297 net" in words


def test_the_figures_and_their_sources_live_in_seeds() -> None:
    data = tomllib.loads((seeds_dir() / "calories.toml").read_text(encoding="utf-8"))
    resting = data["resting"]
    assert "Harris JA, Benedict FG" in resting["equation_citation"]
    assert "J Sport Health Sci 2024;13(1):6-12" in resting["correction_citation"]
    assert resting["kcal_per_litre_o2"] == 5.0
    assert resting["male"]["constant"] == 66.4730 and resting["female"]["per_kg"] == 9.5634
    assert "Berling" in data["handrails"]["citation"]
    assert "ACSM" in data["check"]["acsm_walking"]["citation"]
    assert "Hooper" in data["check"]["hooper_backward"]["citation"]


bodies = st.builds(
    Body,
    weight_kg=st.none() | st.floats(*WEIGHT_LIMITS_KG),
    age=st.none() | st.integers(*AGE_LIMITS),
    sex=st.sampled_from([None, "female", "male"]),
    height_cm=st.none() | st.floats(*HEIGHT_LIMITS_CM),
)
holds = st.sampled_from(calories.HOLDS)
directions = st.sampled_from(["forward", "backward"])
speeds = st.floats(0.0, 12.0)
inclines = st.floats(0.0, 15.0)


def _estimate(body: Body, hold: calories.Hold, d: str, v: float, g: float) -> tuple[float, float]:
    """Gross and net kcal of a minute's walk, as the recap would add them up."""
    weight = body.weight_kg or 70.0
    rest = calories.resting_rate(body)
    gross = calories.gross_kcal(energy.met(d, v, g), weight, 60, hold, rest)
    resting = calories.resting_kcal(rest, weight, 60)
    return gross, calories.net_kcal(gross, resting)


@given(bodies, holds, directions, speeds, speeds, inclines)
def test_the_estimate_never_falls_as_speed_rises(
    body: Body, hold: calories.Hold, d: str, a: float, b: float, g: float
) -> None:
    low, high = sorted((a, b))
    slow, fast = _estimate(body, hold, d, low, g), _estimate(body, hold, d, high, g)
    assert slow[0] <= fast[0] and slow[1] <= fast[1]


@given(bodies, holds, directions, speeds, inclines, inclines)
def test_the_estimate_never_falls_as_incline_rises(
    body: Body, hold: calories.Hold, d: str, v: float, a: float, b: float
) -> None:
    low, high = sorted((a, b))
    flat, steep = _estimate(body, hold, d, v, low), _estimate(body, hold, d, v, high)
    assert flat[0] <= steep[0] and flat[1] <= steep[1]


@given(bodies, holds, directions, speeds, inclines)
def test_the_estimate_is_continuous(
    body: Body, hold: calories.Hold, d: str, v: float, g: float
) -> None:
    # At most about 4.6 MET per km/h or per % (see test_energy), x 300 kg / 60 min: under
    # 25 kcal a minute per unit, so a step of 1e-6 moves it by under 3e-5.
    step = 1e-6
    here = _estimate(body, hold, d, v, g)
    for there in (_estimate(body, hold, d, v + step, g), _estimate(body, hold, d, v, g + step)):
        assert abs(there[0] - here[0]) < 30 * step
        assert abs(there[1] - here[1]) < 30 * step
