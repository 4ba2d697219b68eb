"""The plan rules: one per field, and the plan file and the editor's form agree on them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walkcoach import editing
from walkcoach import planrules as rules
from walkcoach.plan import (
    MAX_PROBLEMS,
    Plan,
    PlanError,
    Problem,
    Repeat,
    Segment,
    Step,
    parse_plan,
    plan_errors,
    to_data,
)
from walkcoach.planrules import Direction
from walkcoach.units import SpeedUnit


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        (rules.seconds_problem(4), "at least 5 s"),
        (rules.seconds_problem(5), None),
        (rules.speed_problem(3.8, "mph", "backward"), "walking backward: 0.4 to 3.7 mph"),
        (rules.speed_problem(3.7, "mph", "backward"), None),
        (rules.speed_problem(0.35, "mph", "forward"), "walking forward: 0.4 to 5.5 mph"),
        (rules.speed_problem(9.0, "kmh", "forward"), None),
        (rules.speed_problem(6.1, "kmh", "backward"), "walking backward: 0.5 to 6.0 km/h"),
        (rules.incline_problem(15.5), "expected 0 to 15 (per cent)"),
        (rules.repeat_problem(0), "expected a whole number from 1 to 100"),
        (rules.nesting_problem(3), None),
        (rules.nesting_problem(4), "repeat blocks nest at most 4 deep"),
        (rules.steps_problem(0), "has no steps; add at least one segment"),
        (rules.session_problem(4 * 3600), None),
        (
            rules.session_problem(4 * 3600 + 5),
            "the session lasts 4:00:05; at most 4:00:00 is accepted",
        ),
        (rules.name_problem(""), "give the plan a name"),
        (rules.name_problem("N" * 81), "at most 80 characters (81 now)"),
        (rules.label_problem("x\a"), "contains a control character (U+0007); remove it"),
        (rules.description_problem("Two\nlines"), None),
    ],
)
def test_each_rule_says_what_is_wrong_or_nothing(problem: str | None, message: str | None) -> None:
    assert problem == message


def test_speed_limits_in_mph_are_one_decimal_rounded_inwards() -> None:
    assert rules.speed_limits("backward", "mph") == (0.4, 3.7)
    assert rules.speed_limits("forward", "mph") == (0.4, 5.5)
    assert rules.speed_limits("forward", "kmh") == (0.5, 9.0)


# --- the plan file and the form agree ----------------------------------------------------

FORM_FIELDS = {"duration": "duration", "incline": "incline_pct", "label": "label"}


@settings(max_examples=300, deadline=None)
@given(
    name=st.text(max_size=90),
    description=st.text(max_size=5) | st.text(min_size=1995, max_size=2005),
    times=st.integers(-2, 105),
    direction=st.sampled_from(rules.DIRECTIONS),
    seconds=st.integers(0, 600),
    unit=st.sampled_from(["kmh", "mph"]),
    speed=st.floats(-1, 12, allow_nan=False) | st.integers(0, 100).map(lambda t: t / 10),
    incline=st.floats(-2, 17, allow_nan=False),
    label=st.text(max_size=65),
)
def test_the_plan_file_and_the_form_accept_the_same_values_with_the_same_messages(
    name: str,
    description: str,
    times: int,
    direction: Direction,
    seconds: int,
    unit: SpeedUnit,
    speed: float,
    incline: float,
    label: str,
) -> None:
    speed_key = f"speed_{unit}"
    segment = {
        "direction": direction,
        "duration": seconds,
        speed_key: speed,
        "incline_pct": incline,
        "label": label,
    }
    data = {
        "name": name,
        "description": description,
        "steps": [{"repeat": times, "steps": [segment]}],
    }
    try:
        parse_plan(data)
    except PlanError as exc:
        in_file = {p.path: p.message for p in exc.problems}
    else:
        in_file = {}

    form = editing.SegmentForm(direction, str(seconds), repr(speed), repr(incline), label)
    in_form: dict[str, str | None] = {
        "name": editing.check_name(name)[1],
        "description": editing.check_description(description)[1],
        "steps[0].repeat": editing.check_repeat(str(times))[1],
    }
    errors = form.errors(unit)
    for field, key in (*FORM_FIELDS.items(), ("speed", speed_key)):
        in_form[f"steps[0].steps[0].{key}"] = errors.get(field)
    assert {path: in_file.get(path) for path in in_form} == in_form


# --- the editor's whole-plan check is the plan file's --------------------------------------

_texts = st.text(max_size=3) | st.text(min_size=58, max_size=62)
_segments = st.builds(
    Segment,
    direction=st.sampled_from(rules.DIRECTIONS),
    seconds=st.integers(0, 3 * 3600),
    speed_kmh=st.floats(0, 10, allow_nan=False),
    incline_pct=st.floats(-1, 16, allow_nan=False),
    label=_texts,
)


def _steps(inner: st.SearchStrategy[tuple[Step, ...]]) -> st.SearchStrategy[tuple[Step, ...]]:
    blocks = st.builds(Repeat, times=st.integers(0, 3), steps=inner, label=_texts)
    return st.lists(_segments | blocks, max_size=3).map(tuple)


@settings(max_examples=300, deadline=None)
@given(
    name=st.text(max_size=3) | st.text(min_size=79, max_size=82),
    steps=st.recursive(st.lists(_segments, max_size=2).map(tuple), _steps, max_leaves=12),
)
def test_checking_a_built_plan_finds_what_reading_it_from_a_file_finds(
    name: str, steps: tuple[Step, ...]
) -> None:
    plan = Plan(name, steps)
    try:
        parse_plan(to_data(plan))
    except PlanError as exc:
        read: tuple[tuple[Problem, ...], int] = (exc.problems, exc.total)
    else:
        read = ((), 0)
    found = plan_errors(plan)
    assert (tuple(found[:MAX_PROBLEMS]), len(found)) == read
    assert editing.check(plan).errors == tuple(found)
