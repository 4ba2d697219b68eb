"""Walking plans: parse and validate plan data, flatten it to a timeline, summarise it.

A plan is a named list of steps; a step is a segment (one direction, one duration,
one speed) or a repeat block of steps. The TOML form is in the README's "Plans" section.
Everything a user could get wrong is reported at once as `Problem`s, each with a
path such as ``steps[1].steps[0].speed_kmh``; the only exception this module
raises for bad input is `PlanError`. What each field accepts, and the message when it
does not, is `walkcoach.planrules`: this module reads the file's values into typed
ones and asks those rules, as the editor's form does.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple, TypeAlias

from walkcoach import calories, energy
from walkcoach import planrules as rules
from walkcoach.planrules import DIRECTION_HINT, DIRECTIONS, INCLINE_HINT, REPEAT_HINT, Direction
from walkcoach.units import (
    SpeedUnit,
    counted,
    format_clock,
    format_speed,
    kmh_from,
    speed_label,
    speed_limit,
)
from walkcoach.userfiles import NotUtf8, TooComplex, loads_toml
from walkcoach.userfiles import read_text as read_user_text

FORMAT_VERSION: Final = 1

# Warnings: allowed, but worth a second look (the README's "Plans" section lists them).
BACKWARD_RUN_KMH: Final = 5.9  # where people start to run backward
BACKWARD_RUN_RISK_KMH: Final = 5.5
FIRST_BACKWARD_MAX_S: Final = 180
WARM_UP_MIN_S: Final = 120
WARM_UP_MAX_KMH: Final[Mapping[Direction, float]] = {"forward": 4.5, "backward": 3.0}

_SEGMENT_KEYS: Final = frozenset(
    {"label", "direction", "duration", "speed_kmh", "speed_mph", "incline_pct"}
)
_REPEAT_KEYS: Final = frozenset({"repeat", "label", "steps"})
_PLAN_KEYS: Final = frozenset({"format", "name", "description", "steps"})
_DURATION_UNITS = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_DURATION_CLOCK = re.compile(r"^(?:(\d+):)?(\d+):([0-5]\d)$")
MAX_DURATION_CHARS: Final = 20
DURATION_HINT: Final = 'a duration such as "2:30", "1m30s", "90s" or 90'


class Segment(NamedTuple):
    direction: Direction
    seconds: int
    speed_kmh: float
    incline_pct: float = 0.0
    label: str = ""


class Repeat(NamedTuple):
    times: int
    steps: tuple[Step, ...]
    label: str = ""


Step: TypeAlias = Segment | Repeat


class Plan(NamedTuple):
    name: str
    steps: tuple[Step, ...]
    description: str = ""


class Problem(NamedTuple):
    """One thing wrong (or worth a look) in a plan, and where it is."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


MAX_PROBLEMS: Final = 20
"""The most problems kept and listed for one plan; the rest are only counted, so a file
of 100 000 unknown keys gets a short answer."""
MAX_SHOWN_CHARS: Final = 40
"""The most characters of a key or value from the file echoed in a problem."""


class PlanError(ValueError):
    """Plan data that cannot be used; `problems` lists the reasons at once (the first
    `MAX_PROBLEMS` of them), `total` counts them all."""

    def __init__(self, problems: Sequence[Problem], source: str = "", total: int = 0) -> None:
        self.problems = tuple(problems[:MAX_PROBLEMS])
        self.total = max(total, len(problems))
        self.source = source
        where = f"{source}: " if source else ""
        if self.total == 1 and self.problems:
            super().__init__(f"{where}{self.problems[0]}")
            return
        head = f"{where}{counted(self.total, 'problem')} in the plan"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems), *self.more()]))

    def one_line(self) -> str:
        """The error in one line: its only problem, or how many there are and the first."""
        if self.total == 1 or not self.problems:
            return str(self)
        where = f"{self.source}: " if self.source else ""
        return f"{where}{counted(self.total, 'problem')} in the plan, the first: {self.problems[0]}"

    def more(self) -> list[str]:
        """The line saying how many problems are not listed, if any are not."""
        hidden = self.total - len(self.problems)
        return [f"  ... and {hidden} more"] if hidden else []


class TimelineEntry(NamedTuple):
    """One segment in the order it is walked, with where it sits in the session."""

    position: int
    segment: Segment
    start_s: int
    rounds: tuple[tuple[int, int], ...] = ()  # (round, of) for each enclosing repeat

    @property
    def end_s(self) -> int:
        return self.start_s + self.segment.seconds


class Summary(NamedTuple):
    total_s: int
    forward_s: int
    backward_s: int
    forward_km: float
    backward_km: float
    kcal: float
    segments: int

    @property
    def backward_share(self) -> float:
        return self.backward_s / self.total_s if self.total_s else 0.0


# --- durations ----------------------------------------------------------------


def parse_duration(value: object) -> int:
    """Seconds from "m:ss", "h:mm:ss", "1m30s", "90s", "5m" or a whole number.

    Raises ValueError with a readable reason.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected {DURATION_HINT}, not true/false")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"expected whole seconds, not {value}")
    if not isinstance(value, str):
        raise ValueError(f"expected {DURATION_HINT}")
    text = value.strip().lower().replace(" ", "")
    if len(text) > MAX_DURATION_CHARS:  # no duration is this long; int() of it could fail
        raise ValueError(f"{_shown(value)} is not {DURATION_HINT}")
    clock = _DURATION_CLOCK.match(text)
    if clock:
        hours, minutes, secs = clock.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
    if text.isdigit():
        return int(text)
    units = _DURATION_UNITS.match(text)
    if text and units and any(units.groups()):
        hours, minutes, secs = (int(g or 0) for g in units.groups())
        return hours * 3600 + minutes * 60 + secs
    raise ValueError(f"{_shown(value)} is not {DURATION_HINT}")


# --- parsing and validation -----------------------------------------------------


class _Collector:
    """The problems found, the first `MAX_PROBLEMS` of them kept, all of them counted."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.count = 0

    def add(self, path: str, message: str) -> None:
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(path, message))


def _cut(text: str) -> str:
    """`text` from the file, cut to `MAX_SHOWN_CHARS` characters to be echoed."""
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    return f"{text[:MAX_SHOWN_CHARS]}... ({len(text):,} characters)"


def _shown(value: object) -> str:
    """A value from the file as it was written (text in quotes), cut like `_cut`."""
    if not isinstance(value, str):
        return _cut(str(value))
    if len(value) <= MAX_SHOWN_CHARS:
        return repr(value)
    return f"{value[:MAX_SHOWN_CHARS]!r}... ({len(value):,} characters)"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        return None
    return number if math.isfinite(number) else None


def _text(out: _Collector, data: Mapping[str, Any], key: str, path: str) -> str:
    """The text under `key` ("" when there is none); anything else is a problem."""
    value = data.get(key, "")
    if not isinstance(value, str):
        out.add(_join(path, key), "expected text in quotes")
        return ""
    return value


def _check(out: _Collector, path: str, problem: str | None) -> None:
    """Adds what a rule of `walkcoach.planrules` found at `path`, if anything."""
    if problem is not None:
        out.add(path, problem)


def _unknown_keys(
    out: _Collector, data: Mapping[str, Any], allowed: frozenset[str], path: str
) -> None:
    accepted = ", ".join(sorted(allowed))
    for key in data:
        if key not in allowed:
            out.add(_join(path, _cut(str(key))), f"unknown key; accepted keys here: {accepted}")


def _parse_segment(out: _Collector, data: Mapping[str, Any], path: str) -> Segment | None:
    _unknown_keys(out, data, _SEGMENT_KEYS, path)
    start = out.count
    label = _text(out, data, "label", path)
    _check(out, _join(path, "label"), rules.label_problem(label))

    direction = data.get("direction")
    if direction not in DIRECTIONS:
        shown = "missing" if direction is None else f"{_shown(direction)} is not a direction"
        out.add(_join(path, "direction"), f"{shown}; {DIRECTION_HINT}")

    seconds = 0
    if "duration" not in data:
        out.add(_join(path, "duration"), f"missing; expected {DURATION_HINT}")
    else:
        try:
            seconds = parse_duration(data["duration"])
        except ValueError as exc:
            out.add(_join(path, "duration"), str(exc))
        else:
            _check(out, _join(path, "duration"), rules.seconds_problem(seconds))

    speed_kmh = _parse_speed(out, data, path, direction if direction in DIRECTIONS else None)

    incline = 0.0
    if "incline_pct" in data:
        number = _number(data["incline_pct"])
        if number is None:
            out.add(_join(path, "incline_pct"), INCLINE_HINT)
        else:
            _check(out, _join(path, "incline_pct"), rules.incline_problem(number))
            incline = number

    if out.count > start or direction not in DIRECTIONS or speed_kmh is None:
        return None
    return Segment(direction, seconds, speed_kmh, incline, label)


def _parse_speed(
    out: _Collector, data: Mapping[str, Any], path: str, direction: Direction | None
) -> float | None:
    """The speed in km/h, given in either unit. With no direction to go by, the speed is
    held to the widest limits there are (forward's)."""
    has_kmh, has_mph = "speed_kmh" in data, "speed_mph" in data
    if has_kmh and has_mph:
        out.add(_join(path, "speed_mph"), "give speed_kmh or speed_mph, not both")
        return None
    if not has_kmh and not has_mph:
        low, high = rules.speed_limits(direction or "forward", "kmh")
        out.add(
            _join(path, "speed_kmh"),
            f"missing; expected speed_kmh ({low:g} to {high:g}) or speed_mph",
        )
        return None
    unit: SpeedUnit = "kmh" if has_kmh else "mph"
    key = f"speed_{unit}"
    number = _number(data[key])
    if number is None:
        out.add(_join(path, key), "expected a number")
        return None
    problem = rules.speed_problem(number, unit, direction or "forward")
    if problem is not None:
        out.add(_join(path, key), problem)
        return None
    return kmh_from(number, unit)


def _parse_steps(out: _Collector, value: object, path: str, depth: int) -> tuple[Step, ...]:
    if not isinstance(value, list):
        out.add(path, "expected a list of steps ([[steps]] tables)")
        return ()
    empty = rules.steps_problem(len(value))
    if empty is not None:
        out.add(path, empty)
        return ()
    steps: list[Step] = []
    for i, item in enumerate(value):
        item_path = f"{path}[{i}]"
        if not isinstance(item, Mapping):
            out.add(item_path, "expected a table with direction, duration and speed")
            continue
        step = (
            _parse_repeat(out, item, item_path, depth)
            if "repeat" in item
            else _parse_segment(out, item, item_path)
        )
        if step is not None:
            steps.append(step)
    return tuple(steps)


def _parse_repeat(out: _Collector, data: Mapping[str, Any], path: str, depth: int) -> Repeat | None:
    _unknown_keys(out, data, _REPEAT_KEYS, path)
    start = out.count
    label = _text(out, data, "label", path)
    _check(out, _join(path, "label"), rules.label_problem(label))
    nesting = rules.nesting_problem(depth)
    if nesting is not None:
        out.add(path, nesting)
        return None
    times = data["repeat"]
    if isinstance(times, bool) or not isinstance(times, int):
        out.add(_join(path, "repeat"), REPEAT_HINT)
    else:
        _check(out, _join(path, "repeat"), rules.repeat_problem(times))
    if "steps" not in data:
        out.add(_join(path, "steps"), "missing; a repeat block needs its own [[steps]]")
        steps: tuple[Step, ...] = ()
    else:
        steps = _parse_steps(out, data["steps"], _join(path, "steps"), depth + 1)
    if out.count > start:
        return None
    return Repeat(times, steps, label)


def parse_plan(data: object, source: str = "") -> Plan:
    """A validated `Plan` from TOML-shaped data, or `PlanError` listing every problem."""
    out = _Collector()
    if not isinstance(data, Mapping):
        raise PlanError([Problem("", "expected a table of plan keys")], source)
    _unknown_keys(out, data, _PLAN_KEYS, "")
    fmt = data.get("format", FORMAT_VERSION)
    if fmt != FORMAT_VERSION or isinstance(fmt, bool):
        out.add("format", f"expected {FORMAT_VERSION}, the only plan format there is so far")
    name = _text(out, data, "name", "").strip()
    if "name" not in data:
        out.add("name", "missing; give the plan a name")
    elif isinstance(data["name"], str):
        _check(out, "name", rules.name_problem(name))
    description = _text(out, data, "description", "")
    _check(out, "description", rules.description_problem(description))
    steps = _parse_steps(out, data.get("steps"), "steps", 0) if "steps" in data else ()
    if "steps" not in data:
        out.add("steps", "missing; a plan needs at least one [[steps]] segment")
    if not out.count:
        _check(out, "steps", rules.session_problem(total_seconds(steps)))
    if out.count:
        raise PlanError(out.problems, source, out.count)
    return Plan(name, steps, description)


def plan_errors(plan: Plan) -> list[Problem]:
    """What `parse_plan` would refuse in a plan that is already built (the editor's): the
    same rules, on its typed values, with the same paths."""
    found: list[Problem] = []

    def check(path: str, problem: str | None) -> None:
        if problem is not None:
            found.append(Problem(path, problem))

    def visit(steps: Sequence[Step], path: str, depth: int) -> None:
        check(path, rules.steps_problem(len(steps)))
        for i, step in enumerate(steps):
            here = f"{path}[{i}]"
            check(f"{here}.label", rules.label_problem(step.label))
            if isinstance(step, Repeat):
                nesting = rules.nesting_problem(depth)
                if nesting is not None:
                    check(here, nesting)
                    continue
                check(f"{here}.repeat", rules.repeat_problem(step.times))
                visit(step.steps, f"{here}.steps", depth + 1)
            else:
                check(f"{here}.duration", rules.seconds_problem(step.seconds))
                speed = rules.speed_problem(step.speed_kmh, "kmh", step.direction)
                check(f"{here}.speed_kmh", speed)
                check(f"{here}.incline_pct", rules.incline_problem(step.incline_pct))

    check("name", rules.name_problem(plan.name.strip()))
    check("description", rules.description_problem(plan.description))
    visit(plan.steps, "steps", 0)
    if not found:
        check("steps", rules.session_problem(total_seconds(plan.steps)))
    return found


def loads(text: str, source: str = "") -> Plan:
    """A plan from TOML text; `PlanError` for bad TOML or bad content.

    Text that would cost the parser too much time, memory or stack (deep nesting, huge
    numbers, see `walkcoach.userfiles.check_toml_shape`) is refused before parsing.
    """
    try:
        data = loads_toml(text)
    except TooComplex as exc:
        raise PlanError([Problem("", str(exc))], source) from None
    except tomllib.TOMLDecodeError as exc:
        raise PlanError([Problem("", f"not valid TOML: {exc}")], source) from None
    return parse_plan(data, source)


def load(path: Path) -> Plan:
    """A plan from a TOML file; `PlanError` (naming the file) for anything wrong."""
    return loads(read_text(path), str(path))


def read_text(path: Path) -> str:
    """The text of a plan file; `PlanError` (naming the file) when it cannot be read.

    Only a regular file of a sane size is read (`walkcoach.userfiles`): a FIFO or a
    device named as a plan is refused at once instead of hanging. UTF-8 is read with or
    without a byte-order mark; UTF-16 is named as such.
    """
    try:
        return read_user_text(path)
    except NotUtf8 as exc:
        raise PlanError([Problem("", str(exc))], str(path)) from None
    except OSError as exc:
        raise PlanError([Problem("", f"cannot be read ({exc.strerror})")], str(path)) from None


# --- writing --------------------------------------------------------------------


def _step_data(step: Step) -> dict[str, Any]:
    if isinstance(step, Repeat):
        block: dict[str, Any] = {"repeat": step.times}
        if step.label:
            block["label"] = step.label
        block["steps"] = [_step_data(s) for s in step.steps]
        return block
    data: dict[str, Any] = {}
    if step.label:
        data["label"] = step.label
    data["direction"] = step.direction
    data["duration"] = format_clock(step.seconds)
    data["speed_kmh"] = step.speed_kmh
    data["incline_pct"] = step.incline_pct
    return data


def to_data(plan: Plan) -> dict[str, Any]:
    data: dict[str, Any] = {"format": FORMAT_VERSION, "name": plan.name}
    if plan.description:
        data["description"] = plan.description
    data["steps"] = [_step_data(s) for s in plan.steps]
    return data


def dumps(plan: Plan) -> str:
    """The plan as TOML text that `loads` turns back into an equal plan."""
    import tomli_w  # only writing needs it

    return tomli_w.dumps(to_data(plan))


# --- timeline and summary -------------------------------------------------------


def total_seconds(steps: Sequence[Step]) -> int:
    total = 0
    for step in steps:
        if isinstance(step, Repeat):
            total += step.times * total_seconds(step.steps)
        else:
            total += step.seconds
    return total


def iter_segments(
    steps: Sequence[Step], rounds: tuple[tuple[int, int], ...] = ()
) -> Iterator[tuple[Segment, tuple[tuple[int, int], ...]]]:
    for step in steps:
        if isinstance(step, Repeat):
            for n in range(1, step.times + 1):
                yield from iter_segments(step.steps, (*rounds, (n, step.times)))
        else:
            yield step, rounds


def flatten(plan: Plan) -> tuple[TimelineEntry, ...]:
    """The plan's segments in walking order, repeats unrolled."""
    entries: list[TimelineEntry] = []
    start = 0
    for index, (segment, rounds) in enumerate(iter_segments(plan.steps)):
        entries.append(TimelineEntry(index, segment, start, rounds))
        start += segment.seconds
    return tuple(entries)


def summarize(
    plan: Plan,
    weight_kg: float,
    treadmill_factor: float = 1.0,
    hold: calories.Hold = "free",
    rest: calories.Rest | None = None,
) -> Summary:
    """Planned time, distance and estimated kcal (see `walkcoach.calories`), counted as
    the walk itself counts them (`walkcoach.engine`).

    The plan's speeds are belt speeds, as the console shows them; `treadmill_factor` (the
    profile's calibration: true speed = belt speed x factor) turns them into the true
    speeds that distance and kcal come from. `hold` and `rest` are the walker's usual
    handrail hold and resting rate (the standard one when None)."""
    seconds = {"forward": 0, "backward": 0}
    km = {"forward": 0.0, "backward": 0.0}
    kcal = 0.0
    count = 0
    for segment, _ in iter_segments(plan.steps):
        count += 1
        speed = segment.speed_kmh * treadmill_factor
        seconds[segment.direction] += segment.seconds
        km[segment.direction] += speed * segment.seconds / 3600
        met = energy.met(segment.direction, speed, segment.incline_pct)
        kcal += calories.gross_kcal(met, weight_kg, segment.seconds, hold, rest)
    return Summary(
        total_s=seconds["forward"] + seconds["backward"],
        forward_s=seconds["forward"],
        backward_s=seconds["backward"],
        forward_km=km["forward"],
        backward_km=km["backward"],
        kcal=kcal,
        segments=count,
    )


def plan_warnings(plan: Plan, unit: SpeedUnit = "kmh") -> list[Problem]:
    """Things allowed but worth a look: risky backward speed, long first backward bout,
    no warm-up. Speeds are told in `unit`, at one decimal, as a treadmill shows them."""
    found: list[Problem] = []

    def at_most(kmh: float) -> str:
        # Rounded down, so that a speed typed as shown is within the advice.
        return f"{speed_limit(kmh, unit, 'high'):.1f} {speed_label(unit)}"

    def visit(steps: Sequence[Step], path: str) -> None:
        for i, step in enumerate(steps):
            here = f"{path}[{i}]"
            if isinstance(step, Repeat):
                visit(step.steps, f"{here}.steps")
            elif step.direction == "backward" and step.speed_kmh > BACKWARD_RUN_RISK_KMH:
                found.append(
                    Problem(
                        f"{here}.speed_kmh",
                        f"{format_speed(step.speed_kmh, unit)} backward is close to a run "
                        "(people switch to running backward near "
                        f"{format_speed(BACKWARD_RUN_KMH, unit)}); "
                        f"{at_most(BACKWARD_RUN_RISK_KMH)} or less is safer",
                    )
                )

    visit(plan.steps, "steps")
    segments = [s for s, _ in iter_segments(plan.steps)]
    first_backward = next((s for s in segments if s.direction == "backward"), None)
    if first_backward is not None and first_backward.seconds > FIRST_BACKWARD_MAX_S:
        found.append(
            Problem(
                "steps",
                f"the first backward segment lasts {format_clock(first_backward.seconds)}; "
                f"a first bout of {format_clock(FIRST_BACKWARD_MAX_S)} or less "
                "lets the walker settle in",
            )
        )
    if segments and not _is_warm_up(segments[0]):
        found.append(
            Problem(
                "steps[0]",
                f"no warm-up: start with at least {WARM_UP_MIN_S // 60} minutes at an easy pace "
                f"(up to {at_most(WARM_UP_MAX_KMH['forward'])} forward "
                f"or {at_most(WARM_UP_MAX_KMH['backward'])} backward)",
            )
        )
    return found


def _is_warm_up(segment: Segment) -> bool:
    return (
        segment.seconds >= WARM_UP_MIN_S
        and segment.speed_kmh <= WARM_UP_MAX_KMH[segment.direction] + 1e-9
    )
