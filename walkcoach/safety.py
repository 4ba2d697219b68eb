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
from walkcoach.resources import seeds_dir
from walkcoach.units import SpeedUnit, format_speed

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
    nxt = snap.next_entry
    turning = nxt is not None and nxt.segment.direction != here
    if turning and snap.segment_left <= WARN_BEFORE_S:
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
        if found == "before_forward" and nxt and nxt.segment.speed_kmh < snap.speed_kmh:
            # Never "raise" to a slower speed: slowing down comes before the turn.
            texts = reminders().before_forward_slower
        return Reminder(found, texts[0].format(speed=speed))
    rotate = BACKWARD_ROTATE_S if found == "during_backward" else FORWARD_ROTATE_S
    turn = int(snap.segment_elapsed // rotate) % len(texts)
    return Reminder(found, texts[turn])
