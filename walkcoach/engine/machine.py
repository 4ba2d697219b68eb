"""The session state machine: where a walk is, what it has burnt, and what it says when.

What is due in each slot comes from `walkcoach.engine.schedule`; this module moves
through the slots under the injected clock, keeps the tallies and the stored `Phase`.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Final

from walkcoach import calories, energy
from walkcoach.calories import HOLDS, Body, Hold, Rest
from walkcoach.engine.correction import SpeedCorrection
from walkcoach.engine.events import Event
from walkcoach.engine.phase import Phase
from walkcoach.engine.results import Pause, SegmentRecord, SessionResult, Snapshot
from walkcoach.engine.schedule import (
    EPS,
    Scheduled,
    Slot,
    collapse,
    fire,
    seconds_free,
    seconds_to_next,
    slot_schedule,
    switch_cue,
    walk_marks,
)
from walkcoach.plan import Plan, TimelineEntry, flatten
from walkcoach.planrules import SPEED_LIMITS_KMH
from walkcoach.units import SPEED_DECIMALS, SpeedUnit, format_speed, kmh_to_mph, mph_to_kmh

DEFAULT_LEAD_IN_S: Final = 10
AUTO_PAUSE_GAP_S: Final = 5.0  # a longer gap between ticks is a stall, not walking
BACK_GRACE_S: Final = 3.0  # "back" in a segment's first seconds goes to the previous one


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


class Engine:
    """One walking session over a plan's timeline.

    `treadmill_factor` is the true belt speed over what the console shows (see the
    package docstring); `speed_unit` is the unit of the walker's console, whose 0.1 steps
    the corrected speeds are set in. `rest` is the walker's resting rate (the standard
    one when None) and `hold` how they hold the handrails as the walk begins (`set_hold`
    changes it); both go into the kcal (see `walkcoach.calories`).
    """

    def __init__(
        self,
        plan: Plan,
        weight_kg: float,
        lead_in_s: int = DEFAULT_LEAD_IN_S,
        *,
        treadmill_factor: float = 1.0,
        speed_unit: SpeedUnit = "kmh",
        rest: Rest | None = None,
        hold: Hold = "free",
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
        self.rest = calories.resting_rate(Body()) if rest is None else rest
        self._hold: Hold = hold
        # Per hold: the seconds walked with it, and the Compendium's MET x kg x hours of
        # that time as with free arms (what `calories.kcal_range` takes).
        self._hold_s: dict[Hold, float] = dict.fromkeys(HOLDS, 0.0)
        self._free_kcal: dict[Hold, float] = dict.fromkeys(HOLDS, 0.0)
        self._correction = SpeedCorrection()
        self.total_s = self.timeline[-1].end_s
        self._tallies = [_Tally() for _ in self.timeline]
        self._pauses: list[Pause] = []
        self._phase = Phase.READY
        self._quit = False  # ended by `stop`, not by walking (or skipping) to the end
        self.started_at: float | None = None
        self.wall_started_at: datetime | None = None  # the same moment by the wall clock
        self._slot = Slot.lead_in(self.lead_in_s)
        self._offset = 0.0
        self._speed = self.timeline[0].segment.speed_kmh
        self._last = 0.0
        self._latest = -math.inf  # the latest clock time seen: time never runs backward here
        self._marks = walk_marks(self.total_s)
        self._schedule: tuple[Scheduled, ...] = ()

    # --- commands ------------------------------------------------------------

    def _now(self, now: float) -> float:
        """`now`, or the latest time already seen when the clock stepped back: a pause
        never ends before it began, and no second is walked twice."""
        self._latest = max(self._latest, now)
        return self._latest

    def start(self, now: float, started_at: datetime | None = None) -> list[Event]:
        """Begins the lead-in (or the first segment when there is none). `started_at`:
        the same moment by the wall clock, which the results carry."""
        now = self._now(now)
        if self._phase is not Phase.READY:
            return []
        self.started_at = now
        self.wall_started_at = started_at
        self._last = now
        if self.lead_in_s > 0:
            self._become(Phase.LEAD_IN)
            self._restart(None)
            return collapse(self._due_at_offset(now, 0.0), now)
        batch = [self._enter(0, now)]
        batch += self._due_at_offset(now, 0.0)
        return collapse(batch, now)

    def tick(self, now: float) -> list[Event]:
        """Moves the session on to `now` and returns what became due."""
        now = self._now(now)
        return collapse(self._advance(now), now)

    def pause(self, now: float) -> list[Event]:
        now = self._now(now)
        events = self.tick(now)
        if self._walking():
            self._become(Phase.PAUSED)
            self._pauses.append(Pause(now, None, auto=False))
        return events

    def resume(self, now: float) -> list[Event]:
        now = self._now(now)
        if self._phase is Phase.PAUSED:
            # A skip while paused may have left the lead-in.
            self._become(Phase.LEAD_IN if self._slot.position is None else Phase.RUNNING)
            last = self._pauses[-1]
            self._pauses[-1] = Pause(last.started, now, last.auto)
            self._last = now
        return []

    def toggle_pause(self, now: float) -> list[Event]:
        return self.resume(now) if self._phase is Phase.PAUSED else self.pause(now)

    def skip(self, now: float) -> list[Event]:
        """Ends the current segment now (recorded as skipped) and moves to the next."""
        now = self._now(now)
        batch = self._advance(now)
        if self._phase in (Phase.READY, Phase.FINISHED):
            return collapse(batch, now)
        if self._slot.position is not None:
            self._tallies[self._slot.position].skipped = True
        batch += self._leave_slot(now)
        return collapse(batch, now)

    def back(self, now: float) -> list[Event]:
        """Restarts the current segment, or goes to the previous one in its first 3 s."""
        now = self._now(now)
        batch = self._advance(now)
        if self._phase in (Phase.READY, Phase.FINISHED):
            return collapse(batch, now)
        position = self._slot.position
        if position is not None and position > 0 and self._offset < BACK_GRACE_S:
            batch.append(self._enter(position - 1, now))
        else:
            self._restart(position)
        batch += self._due_at_offset(now, 0.0)
        return collapse(batch, now)

    def adjust_speed(self, now: float, delta_kmh: float) -> list[Event]:
        """Changes the belt speed of the current segment (clamped to the plan limits),
        and with it the correction of every later segment in the same direction: the
        new speed over the planned one becomes that direction's factor."""
        now = self._now(now)
        events = self.tick(now)
        position = self._slot.position
        if position is not None and self._phase is not Phase.FINISHED:
            segment = self.timeline[position].segment
            low, high = SPEED_LIMITS_KMH[segment.direction]
            self._speed = round(min(high, max(low, self._speed + delta_kmh)), 6)
            # Back on the plan's number as the console shows it: no correction at all.
            unit = self.speed_unit
            on_plan = format_speed(self._speed, unit) == format_speed(segment.speed_kmh, unit)
            factor = 1.0 if on_plan else self._speed / segment.speed_kmh
            self._correction = self._correction.with_factor(segment.direction, factor)
        return events

    def set_hold(self, now: float, hold: Hold) -> list[Event]:
        """From `now` on the walker holds the handrails this way (what was walked up to
        `now` keeps the hold it had)."""
        events = self.tick(now)
        self._hold = hold
        return events

    def stop(self, now: float) -> None:
        """Ends the session early (quit): time up to `now` counts, nothing more is due."""
        now = self._now(now)
        if self._phase in (Phase.READY, Phase.FINISHED):
            return
        if self._phase is not Phase.PAUSED:
            self._advance(now)
        self._close_open_pause(now)
        if not self.finished:  # walking up to `now` may have ended it
            self._become(Phase.FINISHED)
        self._quit = True

    # --- queries -------------------------------------------------------------

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def hold(self) -> Hold:
        return self._hold

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
        finished = self._phase is Phase.FINISHED
        position = self._slot.position
        entry = self.timeline[position] if position is not None and not finished else None
        nxt_index = 0 if position is None else position + 1
        next_entry = (
            self._as_walked(nxt_index) if nxt_index < len(self.timeline) and not finished else None
        )
        slot_left = 0.0 if finished else max(0.0, self._slot.length - self._offset)
        walked_to = self._position()
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
            phase=self._phase,
            auto_paused=self._phase is Phase.PAUSED and self._pauses[-1].auto,
            lead_in_left=slot_left if position is None else 0.0,
            position=position if entry else None,
            entry=entry,
            segment_elapsed=self._offset if entry else 0.0,
            segment_left=slot_left if entry else 0.0,
            speed_kmh=self._speed,
            met=current_met,
            next_entry=next_entry,
            elapsed_s=sum(t.actual_s for t in self._tallies),
            remaining_s=0.0 if finished else max(0.0, self.total_s - walked_to),
            total_s=self.total_s,
            position_s=self.total_s if finished else walked_to,
            kcal=kcal["forward"] + kcal["backward"],
            kcal_forward=kcal["forward"],
            kcal_backward=kcal["backward"],
            segment_count=len(self.timeline),
            correction=self._correction,
            hold=self._hold,
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
        finished = self._phase is Phase.FINISHED and not self._quit
        return SessionResult(
            records,
            tuple(self._pauses),
            finished,
            rest=self.rest,
            weight_kg=self.weight_kg,
            seconds_by_hold=dict(self._hold_s),
            free_kcal_by_hold=dict(self._free_kcal),
            started_at=self.wall_started_at,
        )

    def seconds_to_next_event(self) -> float | None:
        """How long until something is due (a cue or a segment's end), while walking."""
        if not self._walking():
            return None
        return seconds_to_next(self._schedule, self._slot, self._offset)

    def seconds_free(self) -> float | None:
        """How long a prompt may talk from now before it would run into something the
        walker must hear on time: a countdown tick, a turn call or the segment's end.
        None while nothing runs (lead-in and walking only)."""
        if not self._walking():
            return None
        return seconds_free(self._schedule, self._slot, self._offset)

    @property
    def finished(self) -> bool:
        return self._phase is Phase.FINISHED

    # --- internals -----------------------------------------------------------

    def _become(self, phase: Phase) -> None:
        if not self._phase.can_become(phase):
            raise RuntimeError(f"a session cannot go from {self._phase} to {phase}")
        self._phase = phase

    def _walking(self) -> bool:
        return self._phase in (Phase.LEAD_IN, Phase.RUNNING)

    def _on_console(self, kmh: float) -> float:
        """The speed the console can be set to nearest `kmh` (its 0.1 steps)."""
        if self.speed_unit == "mph":
            return round(mph_to_kmh(round(kmh_to_mph(kmh), SPEED_DECIMALS)), 6)
        return round(kmh, SPEED_DECIMALS)

    def _as_walked(self, position: int) -> TimelineEntry:
        """Timeline entry `position` with the belt speed it is to be walked at."""
        entry = self.timeline[position]
        target = self.target_kmh(position)
        if target == entry.segment.speed_kmh:
            return entry
        return entry._replace(segment=entry.segment._replace(speed_kmh=target))

    def _position(self) -> float:
        """How far into the walk (in planned seconds) the walker is."""
        if self._slot.position is None:
            return 0.0
        return self._slot.start_s + self._offset

    def _close_open_pause(self, now: float) -> None:
        if self._pauses and self._pauses[-1].ended is None:
            last = self._pauses[-1]
            self._pauses[-1] = Pause(last.started, now, last.auto)

    def _restart(self, position: int | None) -> None:
        """Makes segment `position` (None: the lead-in) current from its start, at its
        target speed, with its cues scheduled."""
        if position is None:
            self._slot = Slot.lead_in(self.lead_in_s)
        else:
            self._slot = Slot.segment(self.timeline, position)
            self._speed = self.target_kmh(position)
        self._offset = 0.0
        self._schedule = slot_schedule(self._slot, self._marks)

    def _enter(self, position: int, now: float) -> Event:
        """Moves to segment `position` from its start (which ends a lead-in, and starts
        walking when there was none); returns its switch event, due `now`."""
        previous = self._slot.position
        self._restart(position)
        if self._phase in (Phase.READY, Phase.LEAD_IN):
            self._become(Phase.RUNNING)
        segment = self.timeline[position].segment
        before = None if previous is None else self.timeline[previous].segment.direction
        return Event(
            "switch",
            now,
            switch_cue(before, segment.direction),
            position=position,
            direction=segment.direction,
            speed_kmh=self._speed,
        )

    def _due_at_offset(self, now: float, offset: float) -> list[Event]:
        """Fires the scheduled cues at or before `offset` (which the clock reached at
        `now`) and drops them from the schedule."""
        coming = 0 if self._slot.position is None else self._slot.position + 1
        coming_kmh = self.target_kmh(coming) if coming < len(self.timeline) else None
        fired = fire(self._schedule, self._marks, self._slot, offset, now, coming_kmh)
        self._schedule, self._marks = fired.schedule, fired.marks
        return fired.events

    def _advance(self, now: float) -> list[Event]:
        if not self._walking():
            return []
        gap = now - self._last
        if gap > AUTO_PAUSE_GAP_S:
            # A stall (sleep, SIGSTOP): pause at the last tick; the gap is not walking.
            self._become(Phase.PAUSED)
            self._pauses.append(Pause(self._last, None, auto=True))
            return [Event("auto_pause", self._last)]
        remaining = max(0.0, gap)
        clock = self._last
        self._last = max(self._last, now)
        batch: list[Event] = []
        while True:
            length = self._slot.length
            room = length - self._offset
            step = min(remaining, room)
            self._walk(step)
            clock += step
            remaining -= step
            self._offset = length if step >= room else self._offset + step
            batch += self._due_at_offset(clock, self._offset)
            if self._offset < length - EPS:
                break
            batch += self._leave_slot(clock)
            if self._phase is Phase.FINISHED:
                break
        return batch

    def _walk(self, seconds: float) -> None:
        position = self._slot.position
        if position is None or seconds <= 0:
            return
        segment = self.timeline[position].segment
        tally = self._tallies[position]
        speed = self.true_kmh(self._speed)
        met = energy.met(segment.direction, speed, segment.incline_pct)
        met_forward = energy.met("forward", speed, segment.incline_pct)
        weight, hold, rest = self.weight_kg, self._hold, self.rest
        tally.actual_s += seconds
        tally.kcal += calories.gross_kcal(met, weight, seconds, hold, rest)
        tally.kcal_if_forward += calories.gross_kcal(met_forward, weight, seconds, hold, rest)
        self._hold_s[hold] += seconds
        self._free_kcal[hold] += energy.kcal(met, weight, seconds)
        tally.km += speed * seconds / 3600

    def _leave_slot(self, clock: float) -> list[Event]:
        """Ends the current slot at `clock`: the next one starts, or the session ends."""
        position = self._slot.position
        if position is not None and self._offset >= self._slot.length - EPS:
            tally = self._tallies[position]
            tally.completed = True
            tally.skipped = False
        # Whatever is left of this slot's schedule (after a skip) never fires.
        self._schedule = ()
        nxt = 0 if position is None else position + 1
        if nxt >= len(self.timeline):
            self._close_open_pause(clock)
            self._become(Phase.FINISHED)
            return [Event("finish", clock, "finish")]
        batch = [self._enter(nxt, clock)]
        batch += self._due_at_offset(clock, 0.0)
        return batch
