"""What the engine hands out when something becomes due."""

from __future__ import annotations

from typing import Literal, NamedTuple

from walkcoach.cues import Cue
from walkcoach.planrules import Direction

EventKind = Literal["prepare", "tick", "switch", "halfway", "time_left", "finish", "auto_pause"]


class Event(NamedTuple):
    """Something that became due; `cue` is the sound to play, or None for none."""

    kind: EventKind
    due: float  # the clock time at which it was due
    cue: Cue | None = None
    position: int | None = None  # the timeline segment it is about (the coming one for switch)
    direction: Direction | None = None
    speed_kmh: float | None = None  # prepare, switch: the belt speed to set (corrected)
    seconds_left: int = 0  # tick: seconds before the segment ends; time_left: in the walk
