"""The walk an activity file describes: one lap per walked segment and the totals.

`from_rows` is the one adapter from the history's rows (`from_result` the one from a
walk only in memory), so the encoders do not depend on how the history stores a walk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from walkcoach.formats.naming import step_name

if TYPE_CHECKING:
    from walkcoach.engine import SegmentRecord, SessionResult
    from walkcoach.planrules import Direction
    from walkcoach.store.history import SegmentRow, SessionRow


class Lap(NamedTuple):
    """One segment as it was walked."""

    direction: Direction
    label: str
    seconds: float
    distance_km: float
    incline_pct: float
    kcal: float

    @property
    def name(self) -> str:
        return step_name(self.direction, self.label)

    @property
    def speed_kmh(self) -> float:
        """The lap's average speed: its distance over its time."""
        return self.distance_km / self.seconds * 3600 if self.seconds else 0.0


class Walk(NamedTuple):
    """A walk to export: when it started (aware, UTC), its laps and its pauses."""

    session_id: int
    plan_name: str
    started_at: datetime
    laps: tuple[Lap, ...]
    pause_s: float = 0.0

    @property
    def active_s(self) -> float:
        return sum(lap.seconds for lap in self.laps)

    @property
    def elapsed_s(self) -> float:
        return self.active_s + self.pause_s

    @property
    def distance_km(self) -> float:
        return sum(lap.distance_km for lap in self.laps)

    @property
    def kcal(self) -> float:
        return sum(lap.kcal for lap in self.laps)

    def lap_starts(self) -> list[datetime]:
        """When each lap began, the laps laid end to end from the start (the history
        keeps how long a walk paused, not when)."""
        starts, clock = [], self.started_at
        for lap in self.laps:
            starts.append(clock)
            clock += timedelta(seconds=lap.seconds)
        return starts


def from_rows(session: SessionRow, segments: Sequence[SegmentRow]) -> Walk:
    """The walk a history session holds: its segments walked for any time, in order (a
    walk ended early gives what was walked)."""
    ordered = sorted(segments, key=lambda s: s.idx)
    started_at = session.started_at.astimezone(UTC)
    return Walk(session.id, session.plan_name, started_at, _laps(ordered), session.pause_s)


def from_result(plan_name: str, started_at: datetime, result: SessionResult) -> Walk:
    """A walk the history does not hold (it could not be written), from the engine's
    result as the recap has it; its ID is 0."""
    from walkcoach.walks import WalkTotals

    pause_s = WalkTotals.of(result).pause_s
    return Walk(0, plan_name, started_at.astimezone(UTC), _laps(result.records), pause_s)


def _laps(segments: Iterable[SegmentRow | SegmentRecord]) -> tuple[Lap, ...]:
    """The laps of segments in walking order: those walked for any time."""
    return tuple(
        Lap(s.direction, s.label, s.actual_s, s.distance_km, s.incline_pct, s.kcal)
        for s in segments
        if s.actual_s > 0
    )
