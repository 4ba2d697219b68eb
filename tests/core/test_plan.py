"""Plans: parsing, validation with paths, round trips, timelines and summaries."""

from __future__ import annotations

import codecs
import contextlib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walkcoach import calories, planrules
from walkcoach import plan as P
from walkcoach.resources import seeds_dir
from walkcoach.userfiles import MAX_TEXT_BYTES
from walkcoach.walks import WalkTotals

EXAMPLE = """
format = 1
name = "Retro intervals"
description = "Backward intervals between brisk forward walking"

[[steps]]
label = "Warm-up"
direction = "forward"
duration = "5:00"
speed_kmh = 4.5
incline_pct = 0

[[steps]]
repeat = 6
  [[steps.steps]]
  direction = "backward"
  duration = 60
  speed_kmh = 3.0
  [[steps.steps]]
  direction = "forward"
  duration = "2:00"
  speed_mph = 3.1
"""


def problems(text: str) -> dict[str, str]:
    with pytest.raises(P.PlanError) as info:
        P.loads(text)
    return {p.path: p.message for p in info.value.problems}


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2:30", 150),
        ("1m30s", 90),
        ("90s", 90),
        ("5m", 300),
        ("1h", 3600),
        ("1:02:03", 3723),
        ("0:05", 5),
        (90, 90),
        ("90", 90),
        (" 2m 5s ", 125),
        (120.0, 120),
    ],
)
def test_durations_in_every_accepted_form(text: object, seconds: int) -> None:
    assert P.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "1:5", "abc", "1.5m", "m", "-5", True, 1.5, None, [1]])
def test_bad_durations_are_refused_with_the_accepted_forms(text: object) -> None:
    with pytest.raises(ValueError):
        P.parse_duration(text)


def test_example_plan_from_design_loads() -> None:
    plan = P.loads(EXAMPLE)
    assert plan.name == "Retro intervals"
    assert plan.steps[0] == P.Segment("forward", 300, 4.5, 0.0, "Warm-up")
    block = plan.steps[1]
    assert isinstance(block, P.Repeat) and block.times == 6
    assert block.steps[1].speed_kmh == pytest.approx(3.1 * 1.609344)  # type: ignore[union-attr]


def test_every_problem_is_reported_at_once_with_its_path() -> None:
    found = problems(
        """
name = "Bad"
colour = "red"
[[steps]]
direction = "sideways"
duration = 3
speed_kmh = 4
[[steps]]
repeat = 2
  [[steps.steps]]
  direction = "backward"
  duration = "1:00"
  speed_kmh = 7.5
  incline_pct = 20
"""
    )
    assert set(found) == {
        "colour",
        "steps[0].direction",
        "steps[0].duration",
        "steps[1].steps[0].speed_kmh",
        "steps[1].steps[0].incline_pct",
    }
    assert found["steps[1].steps[0].speed_kmh"] == "walking backward: 0.5 to 6.0 km/h"
    assert "at least 5 s" in found["steps[0].duration"]
    assert "0 to 15" in found["steps[1].steps[0].incline_pct"]
    assert '"forward" or "backward"' in found["steps[0].direction"]
    assert "accepted keys here" in found["colour"]


def test_forward_speed_limit_is_wider_than_backward() -> None:
    seg = '[[steps]]\ndirection = "{d}"\nduration = 60\nspeed_kmh = 8.5\n'
    P.loads('name = "x"\n' + seg.format(d="forward"))
    assert "steps[0].speed_kmh" in problems('name = "x"\n' + seg.format(d="backward"))


def _speed_problem(direction: str, key: str, value: float) -> str | None:
    text = f'name = "x"\n[[steps]]\ndirection = "{direction}"\nduration = 60\n{key} = {value!r}\n'
    try:
        P.loads(text)
    except P.PlanError as exc:
        return {p.path: p.message for p in exc.problems}.get(f"steps[0].{key}")
    return None


@pytest.mark.parametrize(
    ("direction", "key", "told"),
    [
        ("forward", "speed_mph", "walking forward: 0.4 to 5.5 mph"),
        ("backward", "speed_mph", "walking backward: 0.4 to 3.7 mph"),
        ("forward", "speed_kmh", "walking forward: 0.5 to 9.0 km/h"),
        ("backward", "speed_kmh", "walking backward: 0.5 to 6.0 km/h"),
    ],
)
def test_a_speed_out_of_range_tells_limits_rounded_inwards(
    direction: str, key: str, told: str
) -> None:
    message = _speed_problem(direction, key, 99.0)
    assert message == told


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["forward", "backward"]),
    st.sampled_from(["speed_kmh", "speed_mph"]),
    st.floats(-5, 50, allow_nan=False),
    st.integers(0, 1000),
)
def test_every_speed_inside_the_told_limits_is_accepted(
    direction: str, key: str, refused: float, tenth: int
) -> None:
    message = _speed_problem(direction, key, refused)
    if message is None:
        return
    found = re.search(r": (\S+) to (\S+) (mph|km/h)$", message)
    assert found is not None, message
    low, high = float(found[1]), float(found[2])
    assert low <= high
    # Every value at one decimal from low to high, both ends included.
    value = round(low + (tenth % (round((high - low) * 10) + 1)) / 10, 1)
    assert _speed_problem(direction, key, value) is None


def test_a_session_over_four_hours_is_refused() -> None:
    text = (
        'name = "long"\n[[steps]]\nrepeat = 100\n  [[steps.steps]]\n'
        '  direction = "forward"\n  duration = "2:30"\n  speed_kmh = 4\n'
    )
    assert "at most 4:00:00" in problems(text)["steps"]


def test_both_speed_units_at_once_is_an_error() -> None:
    text = (
        'name = "x"\n[[steps]]\ndirection = "forward"\nduration = 60\n'
        "speed_kmh = 4\nspeed_mph = 2.5\n"
    )
    assert "not both" in problems(text)["steps[0].speed_mph"]


def test_broken_toml_is_a_plan_error_naming_the_source() -> None:
    with pytest.raises(P.PlanError) as info:
        P.loads("name = ", source="mine.toml")
    # One problem is one line: the source, then the problem.
    assert str(info.value) == "mine.toml: not valid TOML: Invalid value (at end of document)"
    assert "not valid TOML" in info.value.problems[0].message


def test_warnings_are_kept_apart_from_errors() -> None:
    plan = P.loads(
        'name = "w"\n[[steps]]\ndirection = "backward"\nduration = "4:00"\nspeed_kmh = 5.8\n'
    )
    found = {w.path: w.message for w in P.plan_warnings(plan)}
    assert set(found) == {"steps[0].speed_kmh", "steps", "steps[0]"}
    assert "5.9 km/h" in found["steps[0].speed_kmh"]
    assert "first backward segment lasts 4:00" in found["steps"]
    assert "no warm-up" in found["steps[0]"]
    assert len(P.plan_warnings(P.loads(P.dumps(plan)))) == 3  # saved and read back


def test_flatten_unrolls_repeats_with_start_times_and_rounds() -> None:
    timeline = P.flatten(P.loads(EXAMPLE))
    assert len(timeline) == 13
    assert [e.start_s for e in timeline[:4]] == [0, 300, 360, 480]
    assert timeline[-1].end_s == 300 + 6 * 180
    assert timeline[3].rounds == ((2, 6),)


def test_summary_splits_time_distance_and_kcal_by_direction() -> None:
    plan = P.loads(
        'name = "s"\n[[steps]]\ndirection = "forward"\nduration = "10:00"\nspeed_kmh = 5.6\n'
        '[[steps]]\ndirection = "backward"\nduration = "30:00"\nspeed_kmh = 5.6\nincline_pct = 5\n'
    )
    s = P.summarize(plan, weight_kg=80)
    assert (s.total_s, s.forward_s, s.backward_s) == (2400, 600, 1800)
    assert s.forward_km == pytest.approx(5.6 / 6)
    assert s.backward_km == pytest.approx(2.8)
    # 4.3 MET x 80 kg x 1/6 h + 8.0 MET x 80 kg x 1/2 h
    assert s.kcal == pytest.approx(4.3 * 80 / 6 + 8.0 * 80 / 2)
    assert s.backward_share == pytest.approx(0.75)


def test_round_trip_gives_an_equal_plan() -> None:
    plan = P.loads(EXAMPLE)
    assert P.loads(P.dumps(plan)) == plan


def test_built_in_plans_validate_without_errors_or_warnings() -> None:
    files = sorted((seeds_dir() / "plans").glob("*.toml"))
    assert len(files) >= 5
    for path in files:
        plan = P.load(path)
        assert P.plan_warnings(plan) == [], path.name
        assert P.loads(P.dumps(plan)) == plan


def test_built_in_plans_cover_the_promised_kinds() -> None:
    plans = {p.stem: P.load(p) for p in (seeds_dir() / "plans").glob("*.toml")}
    totals = {k: P.summarize(v, 70) for k, v in plans.items()}
    assert totals["quick"].total_s == 600
    assert totals["back-care"].total_s == 1800
    back_care = P.flatten(plans["back-care"])
    assert back_care[0].segment.direction == back_care[-1].segment.direction == "backward"
    assert any(e.segment.incline_pct > 0 for e in P.flatten(plans["incline"]))
    beginner = P.flatten(plans["beginner"])
    assert all(
        e.segment.seconds <= 60 and e.segment.speed_kmh <= 2.0
        for e in beginner
        if e.segment.direction == "backward"
    )


def test_load_names_the_file_it_could_not_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe not text")
    with pytest.raises(P.PlanError, match=r"bad\.toml"):
        P.load(bad)
    with pytest.raises(P.PlanError, match=r"missing\.toml"):
        P.load(tmp_path / "missing.toml")


# --- property-based -------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["forward", "backward", "1:30", "90s", "5m"]),
)
keys = st.sampled_from(
    [
        "name",
        "format",
        "description",
        "steps",
        "repeat",
        "label",
        "direction",
        "duration",
        "speed_kmh",
        "speed_mph",
        "incline_pct",
        "colour",
    ]
)
toml_like = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=6)),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(toml_like)
def test_arbitrary_data_never_raises_anything_but_plan_error(data: object) -> None:
    try:
        plan = P.parse_plan(data)
    except P.PlanError as exc:
        assert exc.problems
    else:
        assert P.loads(P.dumps(plan)) == plan


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises_anything_but_plan_error(text: str) -> None:
    with contextlib.suppress(P.PlanError):
        P.loads(text)


# Plan text holds no control characters (they could drive a terminal); the rest is free.
plan_text = st.characters(blacklist_categories=("Cc", "Cs"))

segments = st.builds(
    P.Segment,
    direction=st.sampled_from(planrules.DIRECTIONS),
    seconds=st.integers(5, 600),
    speed_kmh=st.floats(0.5, 6.0),
    incline_pct=st.floats(0, 15),
    label=st.text(plan_text, max_size=20),
)
short_segments = segments.map(lambda s: s._replace(seconds=min(s.seconds, 120)))
steps = st.recursive(
    segments,
    lambda inner: st.builds(
        P.Repeat,
        times=st.integers(1, 3),
        steps=st.lists(inner, min_size=1, max_size=3).map(tuple),
        # Left to itself, builds() draws labels longer than a plan allows (60 characters).
        label=st.text(plan_text, max_size=20),
    ),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None)
@given(
    st.text(plan_text, min_size=1, max_size=30).filter(str.strip).map(str.strip),
    st.lists(steps, min_size=1, max_size=4).map(tuple),
)
def test_valid_plans_survive_save_and_load(name: str, plan_steps: tuple[P.Step, ...]) -> None:
    plan = P.Plan(name, plan_steps)
    if P.total_seconds(plan_steps) > planrules.MAX_SESSION_S:
        return
    assert P.loads(P.dumps(plan)) == plan
    assert P.flatten(plan)[-1].end_s == P.total_seconds(plan_steps)


@pytest.mark.parametrize(
    ("factor", "kcal", "km"),
    [(1.0, 60.0, 1.0), (1.1, 65.0, 1.1), (0.9, 58.0, 0.9)],  # MET 3.0, 3.25, 2.9
)
def test_the_summary_counts_the_true_speed_of_a_treadmill_that_reads_off(
    factor: float, kcal: float, km: float
) -> None:
    # 15 min on a console reading 4.0 km/h, 80 kg: the belt really moves at 4.0 x factor.
    plan = P.Plan("x", (P.Segment("forward", 900, 4.0),))
    summary = P.summarize(plan, 80, factor)
    assert (round(summary.kcal, 1), round(summary.forward_km, 6)) == (kcal, km)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            short_segments,
            st.builds(
                P.Repeat,
                times=st.integers(1, 3),
                steps=st.lists(short_segments, min_size=1, max_size=2).map(tuple),
            ),
        ),
        min_size=1,
        max_size=3,
    ).map(tuple),
    st.floats(0.8, 1.2),
    st.floats(20, 300),
    st.floats(0.25, 4.9),
    st.sampled_from(calories.HOLDS),
    st.one_of(st.none(), st.builds(calories.Rest, st.floats(1.8, 4.0), st.just(True))),
)
def test_a_walk_without_corrections_counts_what_its_summary_estimated(
    plan_steps: tuple[P.Step, ...],
    factor: float,
    weight: float,
    tick: float,
    hold: calories.Hold,
    rest: calories.Rest | None,
) -> None:
    """Home's and the CLI's estimate before a walk is what the walk counts, for every
    walker: belt factor, weight, usual handrail hold and resting rate."""
    from walkcoach.engine import Engine

    plan = P.Plan("x", plan_steps)
    engine = Engine(plan, weight, lead_in_s=0, treadmill_factor=factor, hold=hold, rest=rest)
    engine.start(0.0)
    now = 0.0
    while not engine.finished:
        now += tick
        engine.tick(now)
    walked = WalkTotals.of(engine.result())
    summary = P.summarize(plan, weight, factor, hold, rest)
    assert walked.kcal == pytest.approx(summary.kcal, rel=1e-9)
    assert walked.forward_km == pytest.approx(summary.forward_km, rel=1e-9, abs=1e-12)
    assert walked.backward_km == pytest.approx(summary.backward_km, rel=1e-9, abs=1e-12)


# --- hostile input: bounded answers -------------------------------------------------------


def test_the_longest_plan_there_can_be_fits_every_reading_limit() -> None:
    # 4 hours of 5-second segments, each with the longest label and an incline.
    label = "L" * planrules.MAX_LABEL_LENGTH
    steps = tuple(
        P.Segment(("forward", "backward")[n % 2], planrules.MIN_SEGMENT_S, 3.05, 12.5, label)
        for n in range(planrules.MAX_SESSION_S // planrules.MIN_SEGMENT_S)
    )
    longest = P.Plan("N" * planrules.MAX_NAME_LENGTH, steps, "D" * planrules.MAX_DESCRIPTION_LENGTH)
    text = P.dumps(longest)
    assert len(text.encode()) <= MAX_TEXT_BYTES
    assert P.loads(text) == longest


def test_many_problems_are_counted_and_the_first_kept() -> None:
    text = (
        'name = "x"\n'
        + "".join(f"k{n} = 1\n" for n in range(500))
        + EXAMPLE.split('description = "Backward intervals between brisk forward walking"')[1]
    )
    with pytest.raises(P.PlanError) as info:
        P.loads(text, "many.toml")
    error = info.value
    assert error.total == 500
    assert [p.path for p in error.problems] == [f"k{n}" for n in range(P.MAX_PROBLEMS)]
    lines = str(error).splitlines()
    assert lines[0] == "many.toml: 500 problems in the plan"
    assert len(lines) == 1 + P.MAX_PROBLEMS + 1
    assert lines[-1] == f"  ... and {500 - P.MAX_PROBLEMS} more"
    assert error.one_line() == (
        "many.toml: 500 problems in the plan, the first: "
        "k0: unknown key; accepted keys here: description, format, name, steps"
    )


def test_keys_and_values_from_the_file_are_echoed_cut_short() -> None:
    key = "k" * 100_000
    found = problems(
        f'name = "x"\n{key} = 1\n[[steps]]\ndirection = "{"b" * 5000}"\n'
        f'duration = "{"9" * 5000}"\nspeed_kmh = 4\n'
    )
    assert found == {
        f"{'k' * P.MAX_SHOWN_CHARS}... (100,000 characters)": (
            "unknown key; accepted keys here: description, format, name, steps"
        ),
        "steps[0].direction": (
            f"'{'b' * P.MAX_SHOWN_CHARS}'... (5,000 characters) is not a direction; "
            'expected "forward" or "backward"'
        ),
        "steps[0].duration": (
            f"'{'9' * P.MAX_SHOWN_CHARS}'... (5,000 characters) is not {P.DURATION_HINT}"
        ),
    }


@given(st.text(min_size=P.MAX_DURATION_CHARS + 1, max_size=6000))
def test_a_duration_text_too_long_to_be_one_is_refused_whatever_it_holds(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a duration such as"):
        P.parse_duration(text.replace(" ", "x"))


def test_a_number_too_large_for_a_float_is_out_of_range_not_a_crash() -> None:
    # Files cannot hold such numbers (walkcoach.userfiles refuses them); data can.
    huge = 10**400
    step = {"direction": "forward", "duration": 60, "speed_kmh": huge, "incline_pct": huge}
    with pytest.raises(P.PlanError) as info:
        P.parse_plan({"name": "x", "steps": [step]})
    assert [p.path for p in info.value.problems] == ["steps[0].speed_kmh", "steps[0].incline_pct"]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (codecs.BOM_UTF8 + b'name = "x"\n', None),
        ('name = "x"\n'.encode("utf-16"), "UTF-16 text, not UTF-8; save it as UTF-8"),
        (b"x = " + b"[" * 40 + b"]" * 40, "line 1: brackets nested over 32 deep"),
    ],
    ids=["bom", "utf-16", "deep"],
)
def test_reading_a_file_names_what_is_wrong_with_its_text(
    tmp_path: Path, data: bytes, says: str | None
) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(data)
    with pytest.raises(P.PlanError) as info:
        P.load(path)
    if says is None:  # read, and then found to have no steps
        assert [p.path for p in info.value.problems] == ["steps"]
    else:
        assert str(info.value).startswith(f"{path}: {says}")
