"""The history's rows: sessions and segments as read back, and a walk's result as written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from walkcoach.store.history.schema import Status
from walkcoach.walks import WalkTotals

if TYPE_CHECKING:
    from walkcoach.engine import SessionResult
    from walkcoach.planrules import Direction


@dataclass(frozen=True)
class SessionRow(WalkTotals):
    """A session as the history has it: what the walk came to (its `WalkTotals`, every
    figure a column) and what the history knows of it."""

    id: int
    plan_name: str
    started_at: datetime
    ended_at: datetime | None
    updated_at: datetime | None
    status: Status
    weight_kg: float


@dataclass(frozen=True)
class SegmentRow:
    session_id: int
    idx: int
    direction: Direction
    label: str
    planned_s: int
    actual_s: float
    planned_speed_kmh: float
    actual_speed_kmh: float
    incline_pct: float
    kcal: float
    kcal_if_forward: float
    distance_km: float
    skipped: bool
    completed: bool


class Damaged(NamedTuple):
    """A history row left out because it holds what walkcoach never writes."""

    what: str  # "session 7", "segment 3 of session 7"
    problem: str  # "started_at 'garbage' is not a time"
    session_id: int | None = None  # the session it is or belongs to

    def __str__(self) -> str:
        return f"{self.what}: {self.problem}"


RowT = TypeVar("RowT")


class Read(NamedTuple, Generic[RowT]):
    """The rows a read found good, and the ones it left out as damaged."""

    rows: list[RowT]
    damaged: list[Damaged]


def result_segments(session_id: int | None, result: SessionResult) -> list[dict[str, Any]]:
    """A session's segments as the history stores them, keyed by column."""
    return [
        {
            "session_id": session_id,
            "idx": r.position,
            "direction": r.direction,
            "label": r.label,
            "planned_s": r.planned_s,
            "actual_s": r.actual_s,
            "planned_speed_kmh": r.planned_speed_kmh,
            "actual_speed_kmh": r.actual_speed_kmh,
            "incline_pct": r.incline_pct,
            "kcal": r.kcal,
            "kcal_if_forward": r.kcal_if_forward,
            "distance_km": r.distance_km,
            "skipped": int(r.skipped),
            "completed": int(r.completed),
        }
        for r in result.records
    ]
