"""What a plan may hold: its directions, its limits and one small rule for each field.

The plan file parser (`walkcoach.plan`) and the editor's form (`walkcoach.editing`) both
call these rules on typed values (seconds, a speed in a unit, a label), so a value one of
them accepts the other accepts too, and one it refuses gets the same message from both.
Each rule returns that message, or None when the value is fine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

from walkcoach.text import control_problem
from walkcoach.units import SpeedUnit, format_clock, speed_label, speed_limit

Direction = Literal["forward", "backward"]
DIRECTIONS: Final[tuple[Direction, ...]] = ("forward", "backward")

MIN_SEGMENT_S: Final = 5
MAX_SESSION_S: Final = 4 * 3600
MAX_REPEAT: Final = 100
MAX_NESTING: Final = 4
SPEED_LIMITS_KMH: Final[Mapping[Direction, tuple[float, float]]] = {
    "forward": (0.5, 9.0),
    "backward": (0.5, 6.0),
}
INCLINE_LIMITS_PCT: Final = (0.0, 15.0)
MAX_NAME_LENGTH: Final = 80
MAX_LABEL_LENGTH: Final = 60
MAX_DESCRIPTION_LENGTH: Final = 2000

# What to write instead, for a value that is not even of the right kind.
DIRECTION_HINT: Final = 'expected "forward" or "backward"'
INCLINE_HINT: Final = f"expected {INCLINE_LIMITS_PCT[0]:g} to {INCLINE_LIMITS_PCT[1]:g} (per cent)"
REPEAT_HINT: Final = f"expected a whole number from 1 to {MAX_REPEAT}"


def seconds_problem(seconds: int) -> str | None:
    """A segment's length in seconds."""
    return None if seconds >= MIN_SEGMENT_S else f"at least {MIN_SEGMENT_S} s"


def speed_limits(direction: Direction, unit: SpeedUnit) -> tuple[float, float]:
    """The speeds a direction accepts, in `unit` at one decimal (as a treadmill shows
    them), rounded inwards so that every speed shown inside them is accepted."""
    low, high = SPEED_LIMITS_KMH[direction]
    return speed_limit(low, unit, "low"), speed_limit(high, unit, "high")


def speed_range(direction: Direction, unit: SpeedUnit) -> str:
    """The accepted speeds as the user is told them: "0.4 to 3.7 mph"."""
    low, high = speed_limits(direction, unit)
    return f"{low:.1f} to {high:.1f} {speed_label(unit)}"


def speed_problem(speed: float, unit: SpeedUnit, direction: Direction) -> str | None:
    """A speed in `unit` for a segment walked `direction`."""
    low, high = speed_limits(direction, unit)
    if low <= speed <= high:
        return None
    return f"walking {direction}: {speed_range(direction, unit)}"


def incline_problem(percent: float) -> str | None:
    """A segment's incline in per cent."""
    low, high = INCLINE_LIMITS_PCT
    return None if low <= percent <= high else INCLINE_HINT


def repeat_problem(times: int) -> str | None:
    """How many times a repeat block runs."""
    return None if 1 <= times <= MAX_REPEAT else REPEAT_HINT


def nesting_problem(depth: int) -> str | None:
    """A repeat block inside `depth` others."""
    return None if depth < MAX_NESTING else f"repeat blocks nest at most {MAX_NESTING} deep"


def steps_problem(count: int) -> str | None:
    """A plan's (or a repeat block's) list of `count` steps."""
    return None if count else "has no steps; add at least one segment"


def session_problem(total_s: int) -> str | None:
    """The length of the whole session in seconds."""
    if total_s <= MAX_SESSION_S:
        return None
    return (
        f"the session lasts {format_clock(total_s)}; "
        f"at most {format_clock(MAX_SESSION_S)} is accepted"
    )


def name_problem(name: str) -> str | None:
    """A plan's name, as kept: without spaces around it."""
    if not name:
        return "give the plan a name"
    return _text_problem(name, MAX_NAME_LENGTH)


def label_problem(label: str) -> str | None:
    """A step's label."""
    return _text_problem(label, MAX_LABEL_LENGTH)


def description_problem(description: str) -> str | None:
    """A plan's description: lines are allowed."""
    return _text_problem(description, MAX_DESCRIPTION_LENGTH, allow="\t\n")


def _text_problem(text: str, limit: int, allow: str = "\t") -> str | None:
    if len(text) > limit:
        return f"at most {limit} characters ({len(text)} now)"
    return control_problem(text, allow)
