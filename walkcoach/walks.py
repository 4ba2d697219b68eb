"""Walks as the history keeps them, for the core too: their times as stored, their activity."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple


class Activity(NamedTuple):
    """The little of a session that week totals, streaks and bests need."""

    session_id: int | None
    started_at: datetime
    active_s: float
    backward_s: float


def to_iso(moment: datetime) -> str:
    """A timezone-aware moment as ISO-8601 UTC, the form the history stores."""
    if moment.tzinfo is None:
        raise ValueError("history times must be timezone-aware (use datetime.now(UTC))")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")
