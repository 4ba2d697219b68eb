"""Which safety reminder to show at a moment of a session (pure).

The texts live in seeds/reminders.toml; this module only picks one from the
engine's state: at the start, before a backward segment (with the belt speed to
set), while walking backward, and before turning back to forward.
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Final, Literal, NamedTuple

from walkcoach.engine import Phase, Snapshot
from walkcoach.plan import TimelineEntry
from walkcoach.resources import seeds_dir
from walkcoach.units import SpeedUnit, format_speed
from walkcoach.voice import turn_order

WARN_BEFORE_S: Final = 10.0
START_S: Final = 30.0
BACKWARD_ROTATE_S: Final = 20
FORWARD_ROTATE_S: Final = 30

Situation = Literal[
    "start", "before_backward", "during_backward", "before_forward", "during_forward"
]


class Reminders(NamedTuple):
    checklist: tuple[str, ...]
    start: tuple[str, ...]
    before_backward: tuple[str, ...]
    during_backward: tuple[str, ...]
    before_forward: tuple[str, ...]
    before_forward_slower: tuple[str, ...]
    during_forward: tuple[str, ...]

    def texts(self, situation: Situation) -> tuple[str, ...]:
        texts: tuple[str, ...] = getattr(self, situation)
        return texts


class Reminder(NamedTuple):
    situation: Situation
    text: str

    @property
    def urgent(self) -> bool:
        """A turn is coming: the screen should make this one stand out."""
        return self.situation in ("before_backward", "before_forward")


@cache
def reminders() -> Reminders:
    with (seeds_dir() / "reminders.toml").open("rb") as f:
        data = tomllib.load(f)
    return Reminders(**{key: tuple(data[key]) for key in Reminders._fields})


def turn_coming(snap: Snapshot) -> TimelineEntry | None:
    """The next segment, while walking one, when it turns the walker round within the
    warning time: what the turn reminders and the screen's turn call are about."""
    nxt = snap.next_entry
    if snap.entry is None or nxt is None or nxt.segment.direction == snap.entry.segment.direction:
        return None
    return nxt if snap.segment_left <= WARN_BEFORE_S else None


def situation(snap: Snapshot) -> Situation | None:
    """The safety situation the walker is in, or None once the session is over."""
    if snap.phase is Phase.FINISHED or snap.phase is Phase.READY:
        return None
    if snap.entry is None:
        nxt = snap.next_entry
        if nxt is not None and nxt.segment.direction == "backward":
            return "before_backward"
        return "start"
    here = snap.entry.segment.direction
    if turn_coming(snap) is not None:
        return "before_forward" if here == "backward" else "before_backward"
    if here == "backward":
        return "during_backward"
    if snap.elapsed_s < START_S:
        return "start"
    return "during_forward"


def choose(snap: Snapshot, unit: SpeedUnit) -> Reminder | None:
    """The one reminder to show now."""
    found = situation(snap)
    if found is None:
        return None
    texts = reminders().texts(found)
    if found in ("before_backward", "before_forward"):
        nxt = snap.next_entry
        speed = format_speed(nxt.segment.speed_kmh, unit) if nxt else ""
        slower = nxt and turn_order(nxt.segment.speed_kmh, snap.speed_kmh, unit) == "slow_first"
        if found == "before_forward" and slower:
            # Never "raise" to a slower speed: slowing down comes before the turn.
            texts = reminders().before_forward_slower
        return Reminder(found, texts[0].format(speed=speed))
    rotate = BACKWARD_ROTATE_S if found == "during_backward" else FORWARD_ROTATE_S
    turn = int(snap.segment_elapsed // rotate) % len(texts)
    return Reminder(found, texts[turn])
