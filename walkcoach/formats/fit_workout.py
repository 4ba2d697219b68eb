"""A plan as a FIT workout file, the form a Garmin watch loads, and back.

One workout step per segment: a time duration, a custom speed target (the plan's speed
in a band of +-`SPEED_BAND_MMS` mm/s), its name saying the direction ("Backward" or
"Backward: Recovery", see `walkcoach.formats.naming`) and its incline in the step's
notes ("incline 2.5%"). A repeat block is its steps followed by a "repeat until steps
complete" step pointing back at the first of them, as the FIT profile's workout_step
message describes (duration_step and target_repeat_steps). Speeds travel in mm/s, so a
plan comes back equal when its speeds are whole hundredths of a km/h. Descriptions
longer than a FIT string (254 bytes) are cut.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Final

from walkcoach.formats.fit_common import build, file_id, fit_text
from walkcoach.formats.limits import MAX_FIT_BYTES, MAX_STEPS, shown
from walkcoach.formats.naming import read_step_name, step_name
from walkcoach.formats.places import parse_at
from walkcoach.plan import Plan, PlanError, Problem, Repeat, Step

SPEED_BAND_MMS: Final = 28  # about 0.1 km/h either side
_INCLINE_NOTE: Final = re.compile(r"^incline (\d{1,2}(?:\.\d{1,20})?)%$")


def _incline_note(incline_pct: float) -> str:
    return f"incline {incline_pct!r}%" if incline_pct else ""  # repr: read back equal


def encode_plan(plan: Plan, created: datetime | None = None) -> bytes:
    """The plan as a FIT workout file for walking."""
    from fit_tool.profile.messages.workout_message import (  # type: ignore[import-untyped]
        WorkoutMessage,
    )
    from fit_tool.profile.messages.workout_step_message import (  # type: ignore[import-untyped]
        WorkoutStepMessage,
    )
    from fit_tool.profile.profile_type import (  # type: ignore[import-untyped]
        FileType,
        Intensity,
        Sport,
        SubSport,
        WorkoutStepDuration,
        WorkoutStepTarget,
    )

    steps: list[Any] = []

    def add(step: Step) -> None:
        message = WorkoutStepMessage()
        message.message_index = len(steps)
        if isinstance(step, Repeat):
            first = len(steps)
            for inner in step.steps:
                add(inner)
            message.message_index = len(steps)
            message.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
            message.duration_step = first
            message.target_repeat_steps = step.times
            if step.label:
                message.workout_step_name = fit_text(step.label)
        else:
            message.workout_step_name = fit_text(step_name(step.direction, step.label))
            message.intensity = Intensity.ACTIVE
            message.duration_type = WorkoutStepDuration.TIME
            message.duration_time = float(step.seconds)
            message.target_type = WorkoutStepTarget.SPEED
            message.target_value = 0
            speed_mms = round(step.speed_kmh / 3.6 * 1000)
            message.custom_target_speed_low = (speed_mms - SPEED_BAND_MMS) / 1000
            message.custom_target_speed_high = (speed_mms + SPEED_BAND_MMS) / 1000
            note = _incline_note(step.incline_pct)
            if note:
                message.notes = note
        steps.append(message)

    for step in plan.steps:
        add(step)
    workout = WorkoutMessage()
    workout.workout_name = fit_text(plan.name)
    workout.sport = Sport.WALKING
    workout.sub_sport = SubSport.INDOOR_WALKING
    workout.num_valid_steps = len(steps)
    if plan.description:
        workout.workout_description = fit_text(plan.description)
    return build([file_id(FileType.WORKOUT, created or datetime.now(UTC)), workout, *steps])


def decode_plan(data: bytes, source: str = "") -> Plan:
    """The plan a FIT workout file holds; `PlanError` naming the FIT message and field
    for anything walkcoach cannot walk, and every plan rule checked by `parse_plan`."""
    if len(data) > MAX_FIT_BYTES:
        raise PlanError(
            [Problem("", f"is {len(data):,} bytes; a FIT workout has at most {MAX_FIT_BYTES:,}")],
            source,
        )
    plan_data, places = _plan_data(_read_messages(data, source), source)
    return parse_at(plan_data, places, source)


def _read_messages(data: bytes, source: str) -> list[Any]:
    from fit_tool import FitFile  # type: ignore[import-untyped]

    try:
        fit_file = FitFile.from_bytes(data)
    except Exception as exc:  # the decoder may fail in any way on a hostile file
        reason = shown(str(exc) or type(exc).__name__)
        problem = Problem("", f"not a FIT file that can be read ({reason})")
        raise PlanError([problem], source) from None
    return [record.message for record in fit_file.records]


def _plan_data(messages: list[Any], source: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The plan data of a workout's messages, and the FIT step each plan step came from."""
    from fit_tool.profile.messages.file_id_message import (  # type: ignore[import-untyped]
        FileIdMessage,
    )
    from fit_tool.profile.messages.workout_message import (
        WorkoutMessage,
    )
    from fit_tool.profile.messages.workout_step_message import (
        WorkoutStepMessage,
    )
    from fit_tool.profile.profile_type import FileType

    problems: list[Problem] = []
    file_ids = [m for m in messages if isinstance(m, FileIdMessage)]
    if file_ids and file_ids[0].type != FileType.WORKOUT.value:
        problems.append(Problem("file_id.type", "not a workout file (an activity, a course?)"))
    workouts = [m for m in messages if isinstance(m, WorkoutMessage)]
    steps = [m for m in messages if isinstance(m, WorkoutStepMessage)]
    if not workouts:
        problems.append(Problem("workout", "missing; a FIT workout file has one"))
    if len(steps) > MAX_STEPS:
        problems.append(Problem("workout_step", f"{len(steps):,}; at most {MAX_STEPS} are read"))
    if problems:
        raise PlanError(problems, source)
    workout = workouts[0]
    data: dict[str, Any] = {"name": _string(workout.workout_name)}
    description = _string(workout.workout_description)
    if description:
        data["description"] = description
    origins: dict[int, int] = {}
    data["steps"] = _steps_data(steps, problems, origins)
    if problems:
        raise PlanError(problems, source)
    return data, _places(data["steps"], origins)


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


def _steps_data(
    steps: list[Any], problems: list[Problem], origins: dict[int, int]
) -> list[dict[str, Any]]:
    """The plan's steps from the FIT steps in order; a repeat step gathers the steps
    from the one it points back at. `origins` gets the FIT step index of each step's
    data, by its id."""
    from fit_tool.profile.profile_type import (
        WorkoutStepDuration,
        WorkoutStepTarget,
    )

    placed: list[tuple[int, dict[str, Any]]] = []  # (index of its first FIT step, data)
    for index, message in enumerate(steps):
        path = f"workout_step[{index}]"
        kind = message.duration_type
        if kind == WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT.value:
            first = message.duration_step
            starts = [start for start, _ in placed]
            if not isinstance(first, int) or first not in starts:
                problems.append(
                    Problem(f"{path}.duration_step", "does not point back at the start of a step")
                )
                continue
            cut = starts.index(first)
            block: dict[str, Any] = {"repeat": message.target_repeat_steps}
            label = _string(message.workout_step_name)
            if label:
                block["label"] = label
            block["steps"] = [step for _, step in placed[cut:]]
            placed[cut:] = [(first, block)]
            origins[id(block)] = index
        elif kind == WorkoutStepDuration.TIME.value:
            segment = _segment_data(message, path, problems, WorkoutStepTarget)
            origins[id(segment)] = index
            placed.append((index, segment))
        else:
            problems.append(
                Problem(
                    f"{path}.duration_type",
                    f"{_enum_name(WorkoutStepDuration, kind)}: walkcoach steps last a time",
                )
            )
    return [step for _, step in placed]


def _segment_data(message: Any, path: str, problems: list[Problem], targets: Any) -> dict[str, Any]:
    name = _string(message.workout_step_name)
    direction, label = read_step_name(name) or ("forward", name)
    data: dict[str, Any] = {"direction": direction}
    if label:
        data["label"] = label
    seconds = message.duration_time
    data["duration"] = round(seconds) if isinstance(seconds, float) else seconds
    low, high = message.custom_target_speed_low, message.custom_target_speed_high
    if message.target_type != targets.SPEED.value:
        problems.append(
            Problem(
                f"{path}.target_type",
                f"{_enum_name(targets, message.target_type)}: walkcoach needs a speed target",
            )
        )
    elif not isinstance(low, float) or not isinstance(high, float) or not low or not high:
        problems.append(
            Problem(f"{path}.custom_target_speed_low", "missing; a speed zone is not a speed")
        )
    else:
        data["speed_kmh"] = round((low + high) / 2 * 3.6, 2)
    note = _INCLINE_NOTE.match(_string(message.notes))
    if note:
        data["incline_pct"] = float(note.group(1))
    return data


def _places(steps: list[dict[str, Any]], origins: dict[int, int]) -> dict[str, str]:
    """Each plan step's path ("steps[1].steps[0]") and the FIT step it came from."""
    places: dict[str, str] = {}
    pending = [("steps", steps)]
    while pending:  # a loop, not recursion: a hostile file may nest repeats deep
        path, items = pending.pop()
        for i, item in enumerate(items):
            here = f"{path}[{i}]"
            places[here] = f"workout_step[{origins[id(item)]}]"
            if "steps" in item:
                pending.append((f"{here}.steps", item["steps"]))
    return places


def _enum_name(enum: Any, value: object) -> str:
    try:
        return str(enum(value).name.lower())
    except ValueError:
        return f"type {shown(str(value))}"
