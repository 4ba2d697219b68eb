"""The cues of one slot (the lead-in or a segment) and how a batch of them is said.

Pure: the engine (`walkcoach.engine.machine`) asks for a slot's schedule as it enters
the slot, fires the items its clock reaches, and collapses whatever came due together
into what the walker hears.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, Literal, NamedTuple

from walkcoach.cues import Cue
from walkcoach.engine.events import Event
from walkcoach.plan import TimelineEntry
from walkcoach.planrules import Direction

PREPARE_BEFORE_S: Final = 10
PREPARE_EARLIEST_S: Final = 1.0  # in a short segment, prepare this far into it
TICKS_BEFORE_END: Final = (3, 2, 1)
HALFWAY_CLEAR_OF_SWITCH_S: Final = 1.5
TIME_LEFT_MINUTES: Final = (5, 1)  # "five minutes left", "one minute left"
TIME_LEFT_CLEAR_OF_HALFWAY_S: Final = 30.0  # a short walk's halfway already says it
STALE_AFTER_S: Final = 1.0  # a tick or prepare this late is dropped, not cued
EPS: Final = 1e-9  # how far apart two clock offsets may be and still be the same moment

ScheduledKind = Literal["prepare", "tick", "halfway", "time_left"]


class Slot(NamedTuple):
    """The lead-in or one segment, as far as its cues are concerned."""

    length: float  # seconds
    position: int | None = None  # the segment's place in the timeline; None: the lead-in
    start_s: float = 0.0  # where in the walk it begins
    turn_to: Direction | None = None  # the next segment's direction, when it differs

    @classmethod
    def lead_in(cls, seconds: float) -> Slot:
        return cls(float(seconds))

    @classmethod
    def segment(cls, timeline: Sequence[TimelineEntry], position: int) -> Slot:
        """Segment `position` of `timeline`."""
        entry = timeline[position]
        here = entry.segment.direction
        coming = timeline[position + 1].segment.direction if position + 1 < len(timeline) else None
        turn_to = coming if coming != here else None
        return cls(float(entry.segment.seconds), position, float(entry.start_s), turn_to)


class Scheduled(NamedTuple):
    """A cue due `offset` seconds into its slot; `order` breaks ties (prepare first)."""

    offset: float
    order: int
    kind: ScheduledKind
    seconds_left: int = 0  # tick: before the slot ends; time_left: before the walk ends


class TimeLeftMark(NamedTuple):
    """A "minutes left" announcement: said `at_s` seconds into the walk."""

    at_s: float
    seconds_left: int


class WalkMarks(NamedTuple):
    """The announcements about the walk as a whole that are still to be made."""

    halfway_at: float | None  # seconds into the walk; None once said
    time_left: tuple[TimeLeftMark, ...] = ()

    def after(self, fired: Iterable[Scheduled]) -> WalkMarks:
        """These marks once `fired` have been said: each is said once per walk."""
        marks = self
        for item in fired:
            if item.kind == "halfway":
                marks = marks._replace(halfway_at=None)
            elif item.kind == "time_left":
                left = tuple(m for m in marks.time_left if m.seconds_left != item.seconds_left)
                marks = marks._replace(time_left=left)
        return marks


def walk_marks(total_s: float) -> WalkMarks:
    """The walk-wide marks of a walk `total_s` long: its middle, and the minutes-left
    marks that fall after its first minute and are not drowned out by the middle."""
    halfway_at = total_s / 2
    time_left = tuple(
        TimeLeftMark(total_s - minutes * 60, minutes * 60)
        for minutes in TIME_LEFT_MINUTES
        if total_s - minutes * 60 >= 60
        and abs(total_s - minutes * 60 - halfway_at) > TIME_LEFT_CLEAR_OF_HALFWAY_S
    )
    return WalkMarks(halfway_at, time_left)


def slot_schedule(slot: Slot, marks: WalkMarks) -> tuple[Scheduled, ...]:
    """What is due in `slot` from its start, in the order it comes due."""
    length = slot.length
    items = [
        Scheduled(length - n, order, "tick", n)
        for order, n in enumerate(TICKS_BEFORE_END)
        if length - n > 0
    ]
    if slot.position is not None:
        if slot.turn_to is not None:
            at = max(length - PREPARE_BEFORE_S, PREPARE_EARLIEST_S)
            items.append(Scheduled(at, -1, "prepare"))
        end = slot.start_s + length
        # Both kept clear of the switch cue at a segment's start (symmetric plans put the
        # middle exactly on a boundary); a skip past the middle still marks it, but a
        # minutes-left mark already passed (or skipped past) is not said late.
        if marks.halfway_at is not None and marks.halfway_at < end:
            at = max(HALFWAY_CLEAR_OF_SWITCH_S, marks.halfway_at - slot.start_s)
            items.append(Scheduled(at, 10, "halfway"))
        for mark in marks.time_left:
            if slot.start_s - EPS <= mark.at_s < end:
                at = max(HALFWAY_CLEAR_OF_SWITCH_S, mark.at_s - slot.start_s)
                items.append(Scheduled(at, 11, "time_left", mark.seconds_left))
    return tuple(sorted(items, key=lambda item: (item.offset, item.order)))


class Fired(NamedTuple):
    """What `fire` found due, and what is left to come."""

    events: list[Event]
    schedule: tuple[Scheduled, ...]
    marks: WalkMarks


def fire(
    schedule: tuple[Scheduled, ...],
    marks: WalkMarks,
    slot: Slot,
    offset: float,
    now: float,
    coming_kmh: float | None,
) -> Fired:
    """The items of `slot`'s schedule at or before `offset` (reached at clock time `now`)
    as events, each stamped with the clock time it was due. `coming_kmh` is the belt
    speed the next segment is to be walked at (what a prepare cue announces)."""
    count = 0
    while count < len(schedule) and schedule[count].offset <= offset + EPS:
        count += 1
    due = schedule[:count]
    events = [_event(item, now - (offset - item.offset), slot, coming_kmh) for item in due]
    return Fired(events, schedule[count:], marks.after(due))


def _event(item: Scheduled, due: float, slot: Slot, coming_kmh: float | None) -> Event:
    if item.kind == "tick":
        return Event("tick", due, "tick", position=slot.position, seconds_left=item.seconds_left)
    if item.kind == "time_left":
        return Event("time_left", due, None, position=slot.position, seconds_left=item.seconds_left)
    if item.kind == "halfway":
        return Event("halfway", due, "halfway", position=slot.position)
    coming = None if slot.position is None else slot.position + 1
    return Event(
        "prepare", due, "prepare", position=coming, direction=slot.turn_to, speed_kmh=coming_kmh
    )


def switch_cue(before: Direction | None, after: Direction) -> Cue:
    """The cue of a move into a segment walked `after`-wards from one walked `before`
    (None: from the lead-in): a turn is called by its new direction."""
    if before == after:
        return "next"
    return "to_backward" if after == "backward" else "to_forward"


def seconds_to_next(schedule: Sequence[Scheduled], slot: Slot, offset: float) -> float:
    """How long from `offset` until the next cue of `slot` or its end."""
    until_end = slot.length - offset
    if schedule:
        return max(0.0, min(until_end, schedule[0].offset - offset))
    return max(0.0, until_end)


def seconds_free(schedule: Sequence[Scheduled], slot: Slot, offset: float) -> float:
    """How long from `offset` until something the walker must hear on time: a countdown
    tick, a turn call or the end of `slot`."""
    until_end = slot.length - offset
    critical = [s.offset - offset for s in schedule if s.kind in ("tick", "prepare")]
    return max(0.0, min([until_end, *critical]))


def collapse(batch: Sequence[Event], now: float) -> list[Event]:
    """No burst of cues: of the events due together, the latest switch speaks for
    everything before it, stale counts are dropped, and finish has the last word."""
    if len(batch) <= 1:
        return list(batch)
    last_switch = max((i for i, e in enumerate(batch) if e.kind == "switch"), default=None)
    kept: list[Event] = []
    for i, event in enumerate(batch):
        superseded = last_switch is not None and i < last_switch
        if event.kind in ("tick", "prepare"):
            if superseded or now - event.due > STALE_AFTER_S:
                continue
        elif event.kind == "switch" and superseded:
            continue
        kept.append(event)
    speaking = [e for e in kept if e.cue is not None]
    if len(speaking) > 1:
        winner = next(
            (e for e in reversed(speaking) if e.kind == "finish"),
            next((e for e in reversed(speaking) if e.kind == "switch"), speaking[-1]),
        )
        kept = [e if e is winner or e.cue is None else e._replace(cue=None) for e in kept]
    return kept
