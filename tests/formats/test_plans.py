"""Plans as FIT workouts, workout text and Zwift workouts: round trips, what other
readers see in the FIT files, and the places named for what cannot be read."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path

import fitdecode
import pytest
from garmin_fit_sdk import Decoder, Stream
from hypothesis import given, settings
from hypothesis import strategies as st

from walkcoach import plan as P
from walkcoach.formats import fit_activity, fit_workout, workout_text, zwo
from walkcoach.formats.fit_common import build, file_id
from walkcoach.formats.walk import Lap, Walk
from walkcoach.planrules import MAX_SESSION_S, SPEED_LIMITS_KMH
from walkcoach.units import mph_to_kmh

RETRO = P.Plan(
    "Retro <intervals> & more",
    (
        P.Segment("forward", 300, 4.5, 0.0, "Warm-up"),
        P.Repeat(
            6,
            (
                P.Segment("backward", 60, 3.0, 2.5, 'Back "slow"'),
                P.Segment("forward", 120, 4.99),
                P.Repeat(2, (P.Segment("forward", 30, 6.21, 1.0),), "Surges"),
            ),
            "Main set",
        ),
        P.Segment("forward", 90, 4.0, 0.0, "Cool-down"),
    ),
    "Backward intervals between brisk forward walking",
)


def segments(max_label: int = 12) -> st.SearchStrategy[P.Segment]:
    def build(direction: str, seconds: int, hundredths: int, incline: int, label: str) -> P.Segment:
        return P.Segment(direction, seconds, hundredths / 100, incline / 10, label)  # type: ignore[arg-type]

    def for_direction(direction: str) -> st.SearchStrategy[P.Segment]:
        low, high = SPEED_LIMITS_KMH[direction]  # type: ignore[index]
        return st.builds(
            build,
            st.just(direction),
            st.integers(5, 600),
            st.integers(round(low * 100), round(high * 100)),
            st.integers(0, 150),
            st.text("abcXYZ <>&'-", max_size=max_label).map(str.strip),
        )

    return st.sampled_from(["forward", "backward"]).flatmap(for_direction)


def plans(nested: bool) -> st.SearchStrategy[P.Plan]:
    inner: st.SearchStrategy[P.Segment | P.Repeat] = segments()
    if nested:
        inner = st.one_of(
            segments(),
            st.builds(P.Repeat, st.integers(1, 3), st.tuples(segments()), st.just("")),
        )
    repeat = st.builds(
        P.Repeat,
        st.integers(1, 4),
        st.lists(inner, min_size=1, max_size=3).map(tuple),
        st.text("abc <>", max_size=10).map(str.strip),
    )
    steps = st.lists(st.one_of(segments(), repeat), min_size=1, max_size=4).map(tuple)
    plan = st.builds(P.Plan, st.just("Generated plan"), steps, st.just(""))
    return plan.filter(lambda p: P.total_seconds(p.steps) <= MAX_SESSION_S)


# --- FIT workouts -----------------------------------------------------------------


def test_a_fit_workout_round_trip_gives_an_equal_plan() -> None:
    assert fit_workout.decode_plan(fit_workout.encode_plan(RETRO)) == RETRO


@settings(max_examples=60, deadline=None)
@given(plans(nested=True))
def test_any_plan_with_speeds_in_hundredths_survives_fit(plan: P.Plan) -> None:
    assert fit_workout.decode_plan(fit_workout.encode_plan(plan)) == plan


def test_a_fit_workout_as_garmins_sdk_reads_it() -> None:
    data = fit_workout.encode_plan(RETRO)
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    assert messages["file_id_mesgs"][0]["type"] == "workout"
    (workout,) = messages["workout_mesgs"]
    assert workout["sport"] == "walking"
    assert workout["wkt_name"] == RETRO.name
    steps = messages["workout_step_mesgs"]
    assert workout["num_valid_steps"] == len(steps) == 7
    assert [s.get("wkt_step_name") for s in steps] == [
        "Forward: Warm-up",
        'Backward: Back "slow"',
        "Forward",
        "Forward",
        "Surges",
        "Main set",
        "Forward: Cool-down",
    ]
    surges, main = steps[4], steps[5]
    assert (surges["duration_type"], surges["duration_step"], surges["repeat_steps"]) == (
        "repeat_until_steps_cmplt",
        3,
        2,
    )
    assert (main["duration_step"], main["repeat_steps"]) == (1, 6)
    backward = steps[1]
    assert backward["duration_time"] == 60.0
    assert backward["target_type"] == "speed"
    middle = (backward["custom_target_speed_low"] + backward["custom_target_speed_high"]) / 2
    assert middle * 3.6 == pytest.approx(3.0, abs=0.002)
    assert backward["notes"] == "incline 2.5%"
    odd = RETRO._replace(steps=(P.Segment("forward", 60, 4.0, 2.123456789),))
    assert fit_workout.decode_plan(fit_workout.encode_plan(odd)) == odd


def test_a_fit_workout_as_fitdecode_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "retro.fit"
    path.write_bytes(fit_workout.encode_plan(RETRO))
    names = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with fitdecode.FitReader(
            path, check_crc=fitdecode.CrcCheck.ENABLED, error_handling=fitdecode.ErrorHandling.RAISE
        ) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "workout_step":
                    names.append(frame.get_value("wkt_step_name", fallback=None))
    assert names[0] == "Forward: Warm-up"
    assert len(names) == 7


def test_a_long_description_is_cut_to_a_fit_string() -> None:
    plan = RETRO._replace(description="ü" * 300)
    assert fit_workout.decode_plan(fit_workout.encode_plan(plan)).description == "ü" * 127


def fit_problems(data: bytes) -> list[str]:
    with pytest.raises(P.PlanError) as info:
        fit_workout.decode_plan(data, "w.fit")
    return [str(p) for p in info.value.problems]


def test_a_fit_activity_is_no_workout() -> None:
    walk = Walk(
        1, "Walk", datetime(2026, 11, 30, tzinfo=UTC), (Lap("forward", "", 60, 0.07, 0, 5),)
    )
    assert fit_problems(fit_activity.encode_walk(walk, UTC)) == [
        "file_id.type: not a workout file (an activity, a course?)",
        "workout: missing; a FIT workout file has one",
    ]


def test_a_step_walkcoach_cannot_walk_is_named() -> None:
    from fit_tool.profile.messages.workout_message import WorkoutMessage
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
    from fit_tool.profile.profile_type import FileType, WorkoutStepDuration, WorkoutStepTarget

    workout = WorkoutMessage()
    workout.workout_name = "Run"
    distance = WorkoutStepMessage()
    distance.duration_type = WorkoutStepDuration.DISTANCE
    distance.duration_distance = 1000.0
    heart = WorkoutStepMessage()
    heart.duration_type = WorkoutStepDuration.TIME
    heart.duration_time = 60.0
    heart.target_type = WorkoutStepTarget.HEART_RATE
    heart.target_hr_zone = 2
    data = build([file_id(FileType.WORKOUT, datetime.now(UTC)), workout, distance, heart])
    assert fit_problems(data) == [
        "workout_step[0].duration_type: distance: walkcoach steps last a time",
        "workout_step[1].target_type: heart_rate: walkcoach needs a speed target",
    ]


def test_plan_rules_apply_to_a_fit_workout() -> None:
    too_fast = RETRO._replace(steps=(P.Segment("backward", 60, 8.0),))
    (problem,) = fit_problems(fit_workout.encode_plan(too_fast))
    assert problem.startswith("workout_step[0]: steps[0].speed_kmh: ")


# --- workout text -------------------------------------------------------------------

INTERVALS_ICU = """\
Warmup
- forward "Warm-up" 5m 4.5km/h

Main set 4x
- backward 1' 3 km/h 2% incline
- 1m30 5.5kph
- 30" 5.5kph

Cooldown
- Easy does it 2:30 2.5mph
"""


def text_problems(text: str) -> list[str]:
    with pytest.raises(P.PlanError) as info:
        workout_text.loads(text, "Imported", "w.txt")
    return [str(p) for p in info.value.problems]


def test_workout_text_in_the_intervals_icu_form() -> None:
    plan = workout_text.loads(INTERVALS_ICU, "Imported")
    assert plan == P.Plan(
        "Imported",
        (
            P.Segment("forward", 300, 4.5, 0.0, "Warm-up"),
            P.Repeat(
                4,
                (
                    P.Segment("backward", 60, 3.0, 2.0),
                    P.Segment("forward", 90, 5.5),
                    P.Segment("forward", 30, 5.5),
                ),
                "Main set",
            ),
            P.Segment("forward", 150, mph_to_kmh(2.5), 0.0, "Easy does it"),
        ),
    )


def test_workout_text_round_trip() -> None:
    text = workout_text.dumps(RETRO)
    assert text.splitlines()[:3] == [
        '- forward "Warm-up" 5m 4.5km/h',
        "",
        "Main set 6x",
    ]
    back = workout_text.loads(text, RETRO.name)
    as_written = RETRO._replace(steps=_with_quotes_as_written(RETRO))
    assert [e.segment for e in P.flatten(back)] == [e.segment for e in P.flatten(as_written)]
    assert back.description == ""


def _with_quotes_as_written(plan: P.Plan) -> tuple[P.Step, ...]:
    def fix(step: P.Step) -> P.Step:
        if isinstance(step, P.Repeat):
            return step._replace(steps=tuple(fix(s) for s in step.steps))
        return step._replace(label=step.label.replace('"', "'"))

    return tuple(fix(s) for s in plan.steps)


@settings(max_examples=60, deadline=None)
@given(plans(nested=False))
def test_any_plan_without_nested_repeats_survives_workout_text(plan: P.Plan) -> None:
    assert workout_text.loads(workout_text.dumps(plan), plan.name) == plan


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- 5m", ["line 1: the step has no speed (such as 4.5km/h)"]),
        ("5m 4km/h", ["line 1: '5m 4km/h' reads like a step: start a step with '- '"]),
        (
            "- 10m 4km/h Z2",
            ["line 1: 'Z2' is not a duration (5m), a speed (4.5km/h) or an incline (2% incline)"],
        ),
        (
            "- 10m 75%",
            [
                "line 1: '75%' without 'incline' after it is a share of another target "
                "(power, pace); walkcoach needs a speed",
                "line 1: the step has no speed (such as 4.5km/h)",
            ],
        ),
        ("- 5m 4km/h 6m", ["line 1: '6m': the step already has a duration"]),
        (
            "- 2km 5km/h",
            [
                "line 1: '2km' is a distance; walkcoach steps last a time",
                "line 1: the step has no duration (such as 5m)",
            ],
        ),
        ("Warmup\n\n", ["no steps: a step is a line such as '- 5m 4.5km/h'"]),
        ("Main 10000x\n- 5m 4km/h", ["line 1: '10000'x: a block repeats at most 100 times"]),
    ],
)
def test_workout_text_problems_name_the_line(text: str, expected: list[str]) -> None:
    assert text_problems(text) == expected


def test_plan_rules_on_workout_text_name_the_line() -> None:
    (problem,) = text_problems("Warmup\n- 5m 4km/h\n\n3x\n- backward 1m 8km/h\n")
    assert problem.startswith("line 5: steps[1].steps[0].speed_kmh: ")


# --- Zwift workouts -------------------------------------------------------------------

ZWIFT_RUN = """<workout_file>
    <author>Coach</author>
    <name>Run &amp; walk</name>
    <description>Threshold shares</description>
    <sportType>run</sportType>
    <workout>
        <Warmup Duration="300" PowerLow="0.5" PowerHigh="0.7" pace="2"/>
        <SteadyState Duration="600" Power="0.8">
            <textevent timeoffset="10" message="Settle in"/>
        </SteadyState>
        <IntervalsT Repeat="4" OnDuration="60" OffDuration="120" OnPower="0.9" OffPower="0.6"
                    Cadence="90"/>
        <Cooldown Duration="300" PowerLow="0.7" PowerHigh="0.5"/>
    </workout>
</workout_file>
"""


def test_a_zwift_run_maps_to_speeds_of_the_reference() -> None:
    imported = zwo.loads(ZWIFT_RUN, reference_kmh=6.0, name="fallback")
    assert imported.plan == P.Plan(
        "Run & walk",
        (
            P.Segment("forward", 300, 3.6),
            P.Segment("forward", 600, 4.8),
            P.Repeat(4, (P.Segment("forward", 60, 5.4), P.Segment("forward", 120, 3.6))),
            P.Segment("forward", 300, 3.6),
        ),
        "Threshold shares",
    )
    assert [str(note) for note in imported.notes] == [
        "workout_file/workout/Warmup[1]: not kept: 'pace'",
        "workout_file/workout/Warmup[1]: a ramp from 0.5 to 0.7 is walked at one speed, their mean",
        "workout_file/workout/SteadyState[2]: not kept: 1 text event(s) or other child elements",
        "workout_file/workout/IntervalsT[3]: not kept: 'Cadence'",
        "workout_file/workout/Cooldown[4]: a ramp from 0.7 to 0.5 is walked at one speed, "
        "their mean",
    ]


def zwo_problems(text: str, reference_kmh: float = 6.0) -> list[str]:
    with pytest.raises(P.PlanError) as info:
        zwo.loads(text, reference_kmh, "fallback", "w.zwo")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("run", "bike"), "workout_file/sportType: 'bike': only run workouts map to walking"),
        (('Power="0.8"', 'Power="nan"'), "workout_file/workout/SteadyState[2]@Power: "
         "'nan' is not a positive number"),
        (("<Cooldown", "<FreeRide Duration='60'/><Cooldown"),
         "workout_file/workout/FreeRide[4]: 'FreeRide' has no speed a walk can take"),
        (('Repeat="4"', 'Repeat="2.5"'),
         "workout_file/workout/IntervalsT[3]@Repeat: 2.5 is not a whole number"),
    ],
)  # fmt: skip
def test_what_a_zwift_file_cannot_map_is_named(change: tuple[str, str], expected: str) -> None:
    assert zwo_problems(ZWIFT_RUN.replace(*change)) == [expected]


def test_plan_rules_on_a_zwift_file_name_the_element() -> None:
    (problem,) = zwo_problems(ZWIFT_RUN, reference_kmh=11.0)
    assert problem.startswith("workout_file/workout/IntervalsT[3]: steps[2].steps[0].speed_kmh: ")
