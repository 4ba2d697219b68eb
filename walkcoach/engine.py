"""The session engine: where a walk is, what is due, and what it has burnt.

Pure and clock-injected. Every method that changes the state
takes the current monotonic time and returns the `Event`s that became due; nothing
here counts timer ticks or sleeps. The screens call `tick(now)` a few times a second
and render `snapshot()`.

Two speeds, one boundary. Every speed the engine hands out (`Snapshot.speed_kmh`, the
events' `speed_kmh`, the coming segment in `Snapshot.next_entry`) is a *belt* speed: the
number the walker reads and sets on the treadmill's console, as plans are written. The
walker's treadmill may read high or low; `treadmill_factor` (the profile's calibration)
turns a belt speed into the *true* speed (true = belt x factor), and only what the walk
produces uses it: MET, kcal and distance (so also the average speed in the results).
The screen and the voice therefore always agree with each other and with the console.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum
from typing import Final, Literal, NamedTuple

from walkcoach import energy
from walkcoach.cues import Cue
from walkcoach.plan import SPEED_LIMITS_KMH, Direction, Plan, Segment, TimelineEntry, flatten
from walkcoach.units import SpeedUnit, format_speed, kmh_to_mph, mph_to_kmh

DEFAULT_LEAD_IN_S: Final = 10
AUTO_PAUSE_GAP_S: Final = 5.0  # a longer gap between ticks is a stall, not walking
STALE_AFTER_S: Final = 1.0  # a tick or prepare this late is dropped, not cued
PREPARE_BEFORE_S: Final = 10
PREPARE_EARLIEST_S: Final = 1.0  # in a short segment, prepare this far into it
TICKS_BEFORE_END: Final = (3, 2, 1)
HALFWAY_CLEAR_OF_SWITCH_S: Final = 1.5
TIME_LEFT_MINUTES: Final = (5, 1)  # "five minutes left", "one minute left"
TIME_LEFT_CLEAR_OF_HALFWAY_S: Final = 30.0  # a short walk's halfway already says it
BACK_GRACE_S: Final = 3.0  # "back" in a segment's first seconds goes to the previous one
_EPS: Final = 1e-9
_LEAD_IN: Final = -1

EventKind = Literal["prepare", "tick", "switch", "halfway", "time_left", "finish", "auto_pause"]


class Phase(StrEnum):
    READY = "ready"
    LEAD_IN = "lead_in"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class Event(NamedTuple):
    """Something that became due; `cue` is the sound to play, or None for none."""

    kind: EventKind
    due: float  # the clock time at which it was due
    cue: Cue | None = None
    position: int | None = None  # the timeline segment it is about (the coming one for switch)
    direction: Direction | None = None
    speed_kmh: float | None = None  # prepare, switch: the belt speed to set (corrected)
    seconds_left: int = 0  # tick: seconds before the segment ends; time_left: in the walk


class SpeedCorrection(NamedTuple):
    """The walker's live speed correction, one factor per direction (1.0: as planned).

    A factor rather than an offset: within a walk a direction's segments differ in speed
    (a 2.5 km/h backward bout, a 3.5 km/h one later), and an offset learnt on a fast one
    would wipe out a slow one (-1.5 km/h taken from 2.0) while a factor scales them alike,
    keeps the plan's build-up and can never reach zero. One per direction because
    backward speeds are much lower than forward ones and feel different: slowing the
    backward bouts says nothing about the forward walking.
    """

    forward: float = 1.0
    backward: float = 1.0

    def of(self, direction: Direction) -> float:
        return self.backward if direction == "backward" else self.forward

    def with_factor(self, direction: Direction, factor: float) -> SpeedCorrection:
        return self._replace(**{direction: factor})

    def percent(self, direction: Direction) -> int:
        """The correction as a whole percentage: +4 for a factor of 1.04."""
        return round((self.of(direction) - 1.0) * 100)

    def in_force(self) -> tuple[tuple[Direction, int], ...]:
        """The corrected directions with their percentage (those that round to 0 % left
        out: no console step is that small)."""
        directions: tuple[Direction, ...] = ("forward", "backward")
        return tuple((d, self.percent(d)) for d in directions if self.percent(d) != 0)


class Pause(NamedTuple):
    started: float
    ended: float | None
    auto: bool

    @property
    def seconds(self) -> float:
        return 0.0 if self.ended is None else self.ended - self.started


class _Tally:
    """What one segment has added up so far; updated in place as the walk goes on."""

    __slots__ = ("actual_s", "completed", "kcal", "kcal_if_forward", "km", "skipped")

    def __init__(self) -> None:
        self.actual_s = 0.0
        self.kcal = 0.0
        self.kcal_if_forward = 0.0
        self.km = 0.0
        self.skipped = False
        self.completed = False


class SegmentRecord(NamedTuple):
    """What was planned for one segment and what the walker actually did."""

    position: int
    direction: Direction
    label: str
    planned_s: int
    planned_speed_kmh: float
    incline_pct: float
    actual_s: float
    kcal: float
    kcal_if_forward: float  # the same time, speeds and incline walked forward
    distance_km: float  # true distance (the treadmill factor applied)
    skipped: bool
    completed: bool

    @property
    def actual_speed_kmh(self) -> float:
        """Average true speed over the time walked (the planned speed if none)."""
        if self.actual_s <= 0:
            return self.planned_speed_kmh
        return self.distance_km * 3600 / self.actual_s


class Snapshot(NamedTuple):
    """Everything a screen needs to draw the session at one moment.

    `entry` is the current segment as planned (its speed is the plan's; `speed_kmh` is
    the belt's now); `next_entry` is the coming segment as it will be walked: its speed
    is the belt speed to set, the walker's correction applied (see `Engine.target_kmh`).
    """

    phase: Phase
    auto_paused: bool
    lead_in_left: float
    position: int | None
    entry: TimelineEntry | None
    segment_elapsed: float
    segment_left: float
    speed_kmh: float  # the belt speed now
    met: float  # at the true speed
    next_entry: TimelineEntry | None
    elapsed_s: float
    remaining_s: float
    total_s: int
    position_s: float
    kcal: float
    kcal_forward: float
    kcal_backward: float
    segment_count: int
    correction: SpeedCorrection = SpeedCorrection()

    @property
    def progress(self) -> float:
        return min(1.0, self.position_s / self.total_s) if self.total_s else 1.0

    @property
    def segment(self) -> Segment | None:
        return self.entry.segment if self.entry else None


class SessionResult(NamedTuple):
    records: tuple[SegmentRecord, ...]
    pauses: tuple[Pause, ...]
    finished: bool

    @property
    def active_s(self) -> float:
        return sum(r.actual_s for r in self.records)

    def seconds(self, direction: Direction) -> float:
        return sum(r.actual_s for r in self.records if r.direction == direction)

    def distance_km(self, direction: Direction) -> float:
        return sum(r.distance_km for r in self.records if r.direction == direction)

    def kcal_in(self, direction: Direction) -> float:
        return sum(r.kcal for r in self.records if r.direction == direction)

    @property
    def kcal(self) -> float:
        return sum(r.kcal for r in self.records)

    @property
    def kcal_if_forward(self) -> float:
        return sum(r.kcal_if_forward for r in self.records)

    @property
    def skipped(self) -> int:
        return sum(1 for r in self.records if r.skipped)

    @property
    def completed(self) -> int:
        return sum(1 for r in self.records if r.completed)

    @property
    def pause_s(self) -> float:
        return sum(p.seconds for p in self.pauses)


class _Scheduled(NamedTuple):
    """A cue due `offset` seconds into a segment; `order` breaks ties (prepare first)."""

    offset: float
    order: int
    kind: EventKind
    seconds_left: int = 0


class Engine:
    """One walking session over a plan's timeline.

    `treadmill_factor` is the true belt speed over what the console shows (see the module
    docstring); `speed_unit` is the unit of the walker's console, whose 0.1 steps the
    corrected speeds are set in.
    """

    def __init__(
        self,
        plan: Plan,
        weight_kg: float,
        lead_in_s: int = DEFAULT_LEAD_IN_S,
        *,
        treadmill_factor: float = 1.0,
        speed_unit: SpeedUnit = "kmh",
    ) -> None:
        self.plan = plan
        self.timeline: tuple[TimelineEntry, ...] = flatten(plan)
        if not self.timeline:
            raise ValueError("a session needs at least one segment")
        if not (math.isfinite(treadmill_factor) and treadmill_factor > 0):
            raise ValueError(f"a treadmill factor must be above zero, not {treadmill_factor}")
        self.weight_kg = weight_kg
        self.lead_in_s = max(0, lead_in_s)
        self.treadmill_factor = treadmill_factor
        self.speed_unit: SpeedUnit = speed_unit
        self._correction = SpeedCorrection()
        self.total_s = self.timeline[-1].end_s
        self._halfway_at = self.total_s / 2
        self._tallies = [_Tally() for _ in self.timeline]
        self._pauses: list[Pause] = []
        self._slot = _LEAD_IN
        self._offset = 0.0
        self._speed = self.timeline[0].segment.speed_kmh
        self._last = 0.0
        self._latest = -math.inf  # the latest clock time seen: time never runs backward here
        self._started = False
        self.started_at: float | None = None
        self._paused = False
        self._auto_paused = False
        self._finished = False
        self._quit = False
        self._halfway_done = False
        self._time_left_marks = [
            (self.total_s - minutes * 60, minutes * 60)
            for minutes in TIME_LEFT_MINUTES
            if self.total_s - minutes * 60 >= 60
            and abs(self.total_s - minutes * 60 - self._halfway_at) > TIME_LEFT_CLEAR_OF_HALFWAY_S
        ]
        self._schedule: list[_Scheduled] = []

    # --- commands ------------------------------------------------------------

    def _now(self, now: float) -> float:
        """`now`, or the latest time already seen when the clock stepped back: a pause
        never ends before it began, and no second is walked twice."""
        self._latest = max(self._latest, now)
        return self._latest

    def start(self, now: float) -> list[Event]:
        """Begins the lead-in (or the first segment when there is none)."""
        now = self._now(now)
        if self._started:
            return []
        self._started = True
        self.started_at = now
        self._last = now
        if self.lead_in_s > 0:
            self._restart(_LEAD_IN)
            return self._collapse(self._due_at_offset(now, 0.0), now)
        batch = [self._enter(0, now)]
        batch += self._due_at_offset(now, 0.0)
        return self._collapse(batch, now)

    def tick(self, now: float) -> list[Event]:
        """Moves the session on to `now` and returns what became due."""
        now = self._now(now)
        return self._collapse(self._advance(now), now)

    def pause(self, now: float) -> list[Event]:
        now = self._now(now)
        events = self.tick(now)
        if self._walking():
            self._paused = True
            self._pauses.append(Pause(now, None, auto=False))
        return events

    def resume(self, now: float) -> list[Event]:
        now = self._now(now)
        if self._paused and not self._finished:
            self._paused = False
            self._auto_paused = False
            last = self._pauses[-1]
            self._pauses[-1] = Pause(last.started, now, last.auto)
            self._last = now
        return []

    def toggle_pause(self, now: float) -> list[Event]:
        return self.resume(now) if self._paused else self.pause(now)

    def skip(self, now: float) -> list[Event]:
        """Ends the current segment now (recorded as skipped) and moves to the next."""
        now = self._now(now)
        batch = self._advance(now)
        if not self._started or self._finished:
            return self._collapse(batch, now)
        if self._slot != _LEAD_IN:
            self._tallies[self._slot].skipped = True
        batch += self._leave_slot(now)
        return self._collapse(batch, now)

    def back(self, now: float) -> list[Event]:
        """Restarts the current segment, or goes to the previous one in its first 3 s."""
        now = self._now(now)
        batch = self._advance(now)
        if not self._started or self._finished:
            return self._collapse(batch, now)
        if self._slot > 0 and self._offset < BACK_GRACE_S:
            batch.append(self._enter(self._slot - 1, now))
        else:
            self._restart(self._slot)
        batch += self._due_at_offset(now, 0.0)
        return self._collapse(batch, now)

    def adjust_speed(self, now: float, delta_kmh: float) -> list[Event]:
        """Changes the belt speed of the current segment (clamped to the plan limits),
        and with it the correction of every later segment in the same direction: the
        new speed over the planned one becomes that direction's factor."""
        now = self._now(now)
        events = self.tick(now)
        if self._slot != _LEAD_IN and not self._finished:
            segment = self.timeline[self._slot].segment
            low, high = SPEED_LIMITS_KMH[segment.direction]
            self._speed = round(min(high, max(low, self._speed + delta_kmh)), 6)
            # Back on the plan's number as the console shows it: no correction at all.
            unit = self.speed_unit
            on_plan = format_speed(self._speed, unit) == format_speed(segment.speed_kmh, unit)
            factor = 1.0 if on_plan else self._speed / segment.speed_kmh
            self._correction = self._correction.with_factor(segment.direction, factor)
        return events

    def stop(self, now: float) -> None:
        """Ends the session early (quit): time up to `now` counts, nothing more is due."""
        now = self._now(now)
        if self._started and not self._finished:
            if not self._paused:
                self._advance(now)
            self._close_open_pause(now)
            self._finished = True
            self._quit = True

    # --- queries -------------------------------------------------------------

    @property
    def phase(self) -> Phase:
        if not self._started:
            return Phase.READY
        if self._finished:
            return Phase.FINISHED
        if self._paused:
            return Phase.PAUSED
        return Phase.LEAD_IN if self._slot == _LEAD_IN else Phase.RUNNING

    @property
    def correction(self) -> SpeedCorrection:
        return self._correction

    def target_kmh(self, position: int) -> float:
        """The belt speed segment `position` is to be walked at: its planned speed times
        its direction's correction, on the console's 0.1 steps, within the plan's limits.
        Uncorrected, exactly the planned speed."""
        segment = self.timeline[position].segment
        factor = self._correction.of(segment.direction)
        if factor == 1.0:
            return segment.speed_kmh
        low, high = SPEED_LIMITS_KMH[segment.direction]
        return min(high, max(low, self._on_console(segment.speed_kmh * factor)))

    def true_kmh(self, belt_kmh: float) -> float:
        """The speed the belt really moves at when the console reads `belt_kmh`."""
        return belt_kmh * self.treadmill_factor

    def snapshot(self) -> Snapshot:
        walking = self._slot != _LEAD_IN and not self._finished
        entry = self.timeline[self._slot] if walking else None
        nxt_index = 0 if self._slot == _LEAD_IN else self._slot + 1
        next_entry = self._as_walked(nxt_index) if nxt_index < len(self.timeline) else None
        if self._finished:
            next_entry = None
        length = self._slot_length(self._slot)
        segment_left = max(0.0, length - self._offset) if not self._finished else 0.0
        position = self._position()
        kcal = {"forward": 0.0, "backward": 0.0}
        for t, e in zip(self._tallies, self.timeline, strict=True):
            kcal[e.segment.direction] += t.kcal
        current_met = (
            energy.met(
                entry.segment.direction, self.true_kmh(self._speed), entry.segment.incline_pct
            )
            if entry
            else 0.0
        )
        return Snapshot(
            phase=self.phase,
            auto_paused=self._auto_paused,
            lead_in_left=segment_left if self._slot == _LEAD_IN and not self._finished else 0.0,
            position=self._slot if walking else None,
            entry=entry,
            segment_elapsed=self._offset if walking else 0.0,
            segment_left=segment_left if walking else 0.0,
            speed_kmh=self._speed,
            met=current_met,
            next_entry=next_entry,
            elapsed_s=sum(t.actual_s for t in self._tallies),
            remaining_s=0.0 if self._finished else max(0.0, self.total_s - position),
            total_s=self.total_s,
            position_s=self.total_s if self._finished else position,
            kcal=kcal["forward"] + kcal["backward"],
            kcal_forward=kcal["forward"],
            kcal_backward=kcal["backward"],
            segment_count=len(self.timeline),
            correction=self._correction,
        )

    def result(self) -> SessionResult:
        records = tuple(
            SegmentRecord(
                position=e.position,
                direction=e.segment.direction,
                label=e.segment.label,
                planned_s=e.segment.seconds,
                planned_speed_kmh=e.segment.speed_kmh,
                incline_pct=e.segment.incline_pct,
                actual_s=t.actual_s,
                kcal=t.kcal,
                kcal_if_forward=t.kcal_if_forward,
                distance_km=t.km,
                skipped=t.skipped,
                completed=t.completed,
            )
            for e, t in zip(self.timeline, self._tallies, strict=True)
        )
        return SessionResult(records, tuple(self._pauses), self._finished and not self._quit)

    def seconds_to_next_event(self) -> float | None:
        """How long until something is due (a cue or a segment's end), while walking."""
        if not self._walking():
            return None
        until_end = self._slot_length(self._slot) - self._offset
        if self._schedule:
            return max(0.0, min(until_end, self._schedule[0].offset - self._offset))
        return max(0.0, until_end)

    def seconds_free(self) -> float | None:
        """How long a prompt may talk from now before it would run into something the
        walker must hear on time: a countdown tick, a turn call or the segment's end.
        None while nothing runs (lead-in and walking only)."""
        if not self._walking():
            return None
        until_end = self._slot_length(self._slot) - self._offset
        critical = [
            s.offset - self._offset for s in self._schedule if s.kind in ("tick", "prepare")
        ]
        return max(0.0, min([until_end, *critical]))

    @property
    def finished(self) -> bool:
        return self._finished

    # --- internals -----------------------------------------------------------

    def _walking(self) -> bool:
        return self._started and not self._paused and not self._finished

    def _on_console(self, kmh: float) -> float:
        """The speed the console can be set to nearest `kmh` (its 0.1 steps)."""
        if self.speed_unit == "mph":
            return round(mph_to_kmh(round(kmh_to_mph(kmh), 1)), 6)
        return round(kmh, 1)

    def _as_walked(self, position: int) -> TimelineEntry:
        """Timeline entry `position` with the belt speed it is to be walked at."""
        entry = self.timeline[position]
        target = self.target_kmh(position)
        if target == entry.segment.speed_kmh:
            return entry
        return entry._replace(segment=entry.segment._replace(speed_kmh=target))

    def _slot_length(self, slot: int) -> float:
        return float(self.lead_in_s if slot == _LEAD_IN else self.timeline[slot].segment.seconds)

    def _position(self) -> float:
        if self._slot == _LEAD_IN:
            return 0.0
        return self.timeline[self._slot].start_s + self._offset

    def _close_open_pause(self, now: float) -> None:
        if self._pauses and self._pauses[-1].ended is None:
            last = self._pauses[-1]
            self._pauses[-1] = Pause(last.started, now, last.auto)
            self._paused = False

    def _restart(self, slot: int) -> None:
        """Makes `slot` current from its start, at its target speed."""
        self._slot = slot
        self._offset = 0.0
        self._schedule = self._build_schedule(slot)
        if slot != _LEAD_IN:
            self._speed = self.target_kmh(slot)

    def _enter(self, slot: int, now: float) -> Event:
        """Moves to segment `slot` from its start; returns its switch event, due `now`."""
        previous = self._slot
        self._restart(slot)
        segment = self.timeline[slot].segment
        before = None if previous == _LEAD_IN else self.timeline[previous].segment.direction
        cue: Cue
        if before == segment.direction:
            cue = "next"
        else:
            cue = "to_backward" if segment.direction == "backward" else "to_forward"
        return Event(
            "switch",
            now,
            cue,
            position=slot,
            direction=segment.direction,
            speed_kmh=self._speed,
        )

    def _build_schedule(self, slot: int) -> list[_Scheduled]:
        length = self._slot_length(slot)
        items = [
            _Scheduled(length - n, i, "tick", n)
            for i, n in enumerate(TICKS_BEFORE_END)
            if length - n > 0
        ]
        if slot != _LEAD_IN and slot + 1 < len(self.timeline):
            here = self.timeline[slot].segment.direction
            if self.timeline[slot + 1].segment.direction != here:
                at = max(length - PREPARE_BEFORE_S, PREPARE_EARLIEST_S)
                items.append(_Scheduled(at, -1, "prepare"))
        if slot != _LEAD_IN and not self._halfway_done:
            start = self.timeline[slot].start_s
            # Kept clear of the switch cue at a segment's start (symmetric plans put the
            # middle exactly on a boundary); a skip past the middle still marks it.
            if self._halfway_at < start + length:
                at = max(HALFWAY_CLEAR_OF_SWITCH_S, self._halfway_at - start)
                items.append(_Scheduled(at, 10, "halfway"))
        if slot != _LEAD_IN:
            start = self.timeline[slot].start_s
            for mark, seconds in self._time_left_marks:
                # Marks already passed (or skipped past) are not said late.
                if start - _EPS <= mark < start + length:
                    at = max(HALFWAY_CLEAR_OF_SWITCH_S, mark - start)
                    items.append(_Scheduled(at, 11, "time_left", seconds))
        return sorted(items, key=lambda item: (item.offset, item.order))

    def _due_at_offset(self, now: float, offset: float) -> list[Event]:
        """Fires the scheduled events at or before `offset` (which the clock reached at
        `now`) and removes them from the schedule."""
        fired: list[Event] = []
        while self._schedule and self._schedule[0].offset <= offset + _EPS:
            item = self._schedule.pop(0)
            due = now - (offset - item.offset)
            fired.append(self._scheduled_event(item, due))
        return fired

    def _scheduled_event(self, item: _Scheduled, due: float) -> Event:
        if item.kind == "tick":
            index = None if self._slot == _LEAD_IN else self._slot
            return Event("tick", due, "tick", position=index, seconds_left=item.seconds_left)
        if item.kind == "time_left":
            self._time_left_marks = [m for m in self._time_left_marks if m[1] != item.seconds_left]
            return Event(
                "time_left", due, None, position=self._slot, seconds_left=item.seconds_left
            )
        if item.kind == "halfway":
            self._halfway_done = True
            return Event("halfway", due, "halfway", position=self._slot)
        nxt = self.timeline[self._slot + 1]
        return Event(
            "prepare",
            due,
            "prepare",
            position=nxt.position,
            direction=nxt.segment.direction,
            speed_kmh=self.target_kmh(nxt.position),
        )

    def _advance(self, now: float) -> list[Event]:
        if not self._walking():
            return []
        gap = now - self._last
        if gap > AUTO_PAUSE_GAP_S:
            # A stall (sleep, SIGSTOP): pause at the last tick; the gap is not walking.
            self._paused = True
            self._auto_paused = True
            self._pauses.append(Pause(self._last, None, auto=True))
            return [Event("auto_pause", self._last)]
        remaining = max(0.0, gap)
        clock = self._last
        self._last = max(self._last, now)
        batch: list[Event] = []
        while True:
            length = self._slot_length(self._slot)
            room = length - self._offset
            step = min(remaining, room)
            self._walk(step)
            clock += step
            remaining -= step
            self._offset = length if step >= room else self._offset + step
            batch += self._due_at_offset(clock, self._offset)
            if self._offset < length - _EPS:
                break
            batch += self._leave_slot(clock)
            if self._finished:
                break
        return batch

    def _walk(self, seconds: float) -> None:
        if self._slot == _LEAD_IN or seconds <= 0:
            return
        segment = self.timeline[self._slot].segment
        tally = self._tallies[self._slot]
        speed = self.true_kmh(self._speed)
        met = energy.met(segment.direction, speed, segment.incline_pct)
        met_forward = energy.met("forward", speed, segment.incline_pct)
        tally.actual_s += seconds
        tally.kcal += energy.kcal(met, self.weight_kg, seconds)
        tally.kcal_if_forward += energy.kcal(met_forward, self.weight_kg, seconds)
        tally.km += speed * seconds / 3600

    def _leave_slot(self, clock: float) -> list[Event]:
        """Ends the current slot at `clock`: the next one starts, or the session ends."""
        batch: list[Event] = []
        if self._slot != _LEAD_IN:
            tally = self._tallies[self._slot]
            if self._offset >= self._slot_length(self._slot) - _EPS:
                tally.completed = True
                tally.skipped = False
        # Whatever is left of this slot's schedule (after a skip) never fires.
        self._schedule = []
        nxt = self._slot + 1
        if nxt >= len(self.timeline):
            self._finished = True
            self._close_open_pause(clock)
            batch.append(Event("finish", clock, "finish"))
            return batch
        batch.append(self._enter(nxt, clock))
        batch += self._due_at_offset(clock, 0.0)
        return batch

    @staticmethod
    def _collapse(batch: Sequence[Event], now: float) -> list[Event]:
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
            kept = [e if e is winner or e.cue is None else _silenced(e) for e in kept]
        return kept


def _silenced(event: Event) -> Event:
    return Event(
        event.kind,
        event.due,
        None,
        event.position,
        event.direction,
        event.speed_kmh,
        event.seconds_left,
    )
