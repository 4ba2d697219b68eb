"""What a session reports: a snapshot to draw, and what was walked, segment by segment."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from walkcoach.calories import Hold, Rest
from walkcoach.engine.correction import SpeedCorrection
from walkcoach.engine.phase import Phase
from walkcoach.plan import Segment, TimelineEntry
from walkcoach.planrules import Direction


class Pause(NamedTuple):
    started: float
    ended: float | None
    auto: bool

    @property
    def seconds(self) -> float:
        return 0.0 if self.ended is None else self.ended - self.started


class SegmentRecord(NamedTuple):
    """What was planned for one segment and what the walker actually did."""

    position: int
    direction: Direction
    label: str
    planned_s: int
    planned_speed_kmh: float
    incline_pct: float
    actual_s: float
    kcal: float  # gross, with the walker's rest and the handrail holds of its time
    kcal_if_forward: float  # the same time, speeds, incline and holds walked forward
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
    kcal: float  # gross so far, as `SegmentRecord.kcal`
    kcal_forward: float
    kcal_backward: float
    segment_count: int
    correction: SpeedCorrection = SpeedCorrection()
    hold: Hold = "free"  # how the walker holds the handrails now

    @property
    def progress(self) -> float:
        return min(1.0, self.position_s / self.total_s) if self.total_s else 1.0

    @property
    def segment(self) -> Segment | None:
        return self.entry.segment if self.entry else None


class SessionResult(NamedTuple):
    """What was walked: the segments, the pauses, and what the kcal were counted with
    (`walks.WalkTotals.of` adds it all up)."""

    records: tuple[SegmentRecord, ...]
    pauses: tuple[Pause, ...]
    finished: bool
    rest: Rest  # the walker's resting rate (`calories.resting_rate`)
    weight_kg: float
    # Per handrail hold: the seconds walked with it, and the Compendium's MET x kg x hours
    # of that time as with free arms (the range of the estimate is built from them).
    seconds_by_hold: dict[Hold, float]
    free_kcal_by_hold: dict[Hold, float]
    # When the walk began, by the wall clock (the engine itself keeps only the monotonic
    # one: the session screen gives it to `Engine.start`); None when not given.
    started_at: datetime | None = None
