"""Walks as the history keeps them, for the core too: their totals, their times as
stored, their activity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Literal, NamedTuple, get_args, get_type_hints

from walkcoach import calories
from walkcoach.calories import HOLDS, Hold

if TYPE_CHECKING:
    from walkcoach.engine import SessionResult

WallClock = Callable[[], datetime]
"""The time of day, timezone-aware: when a walk began, and the history's stamps. Passed in
like the monotonic clock, so that tests give a fixed one."""


def utc_now() -> datetime:
    """The real wall clock, in UTC: the one default of every `WallClock` parameter."""
    return datetime.now(UTC)


# What a figure of `WalkTotals` measures (its type says): the history stores and checks
# each kind alike.
Kind = Literal["seconds", "km", "kcal", "count", "flag"]
Seconds = Annotated[float, "seconds"]
Km = Annotated[float, "km"]
Kcal = Annotated[float, "kcal"]
Count = Annotated[int, "count"]
Flag = Annotated[bool, "flag"]


@dataclass(frozen=True)
class WalkTotals:
    """What one walk came to: the recap shows it, the history stores it (one column per
    field, in this order) and the exports write it. A new figure is a field here, last,
    and an upgrade step in store/history/schema.py adding its column."""

    active_s: Seconds
    pause_s: Seconds
    pauses: Count
    forward_s: Seconds
    backward_s: Seconds
    forward_km: Km
    backward_km: Km
    kcal: Kcal
    kcal_forward: Kcal
    kcal_backward: Kcal
    kcal_if_forward: Kcal  # the same walk, every segment walked forward
    segments_done: Count
    segments_skipped: Count
    # Personal calories (walkcoach.calories): `kcal` above is the gross estimate, with the
    # walker's resting rate and the handrail holds.
    kcal_net: Kcal  # above resting
    kcal_low: Kcal  # the plausible range of `kcal`
    kcal_high: Kcal
    hold_free_s: Seconds  # the seconds walked with each handrail hold
    hold_resting_s: Seconds
    hold_gripping_s: Seconds
    personal: Flag  # the walker's own resting rate was used, not the standard one

    @staticmethod
    def of(result: SessionResult) -> WalkTotals:
        """The totals of the engine's result: the one place they are added up."""
        records = result.records
        forward = [r for r in records if r.direction == "forward"]
        backward = [r for r in records if r.direction == "backward"]
        active_s = sum(r.actual_s for r in records)
        kcal = sum(r.kcal for r in records)
        rest, weight = result.rest, result.weight_kg
        shift = calories.rest_shift_kcal(rest, weight, active_s)
        low, _, high = calories.kcal_range(result.free_kcal_by_hold, shift)
        held = result.seconds_by_hold
        return WalkTotals(
            active_s=active_s,
            pause_s=sum(p.seconds for p in result.pauses),
            pauses=len(result.pauses),
            forward_s=sum(r.actual_s for r in forward),
            backward_s=sum(r.actual_s for r in backward),
            forward_km=sum(r.distance_km for r in forward),
            backward_km=sum(r.distance_km for r in backward),
            kcal=kcal,
            kcal_forward=sum(r.kcal for r in forward),
            kcal_backward=sum(r.kcal for r in backward),
            kcal_if_forward=sum(r.kcal_if_forward for r in records),
            segments_done=sum(1 for r in records if r.completed),
            segments_skipped=sum(1 for r in records if r.skipped),
            kcal_net=calories.net_kcal(kcal, calories.resting_kcal(rest, weight, active_s)),
            kcal_low=low,
            kcal_high=high,
            hold_free_s=held.get("free", 0.0),
            hold_resting_s=held.get("resting", 0.0),
            hold_gripping_s=held.get("gripping", 0.0),
            personal=rest.personal,
        )

    @staticmethod
    def kinds() -> dict[str, Kind]:
        """Each figure's name and kind, in the history's column order."""
        hints = get_type_hints(WalkTotals, include_extras=True)
        return {f.name: get_args(hints[f.name])[1] for f in fields(WalkTotals)}

    def figures(self) -> dict[str, float | int]:
        """Each figure's name and value, in the history's column order."""
        return {f.name: getattr(self, f.name) for f in fields(WalkTotals)}

    def hold_seconds(self) -> dict[Hold, float]:
        """The seconds walked with each handrail hold, free arms first."""
        return {
            "free": self.hold_free_s,
            "resting": self.hold_resting_s,
            "gripping": self.hold_gripping_s,
        }

    @property
    def holds_used(self) -> tuple[Hold, ...]:
        """The handrail holds the walk was walked with, most used first (free arms when
        nothing was walked)."""
        seconds = self.hold_seconds()
        used = sorted((h for h in HOLDS if seconds[h] > 0), key=lambda h: -seconds[h])
        return tuple(used) or ("free",)

    @property
    def distance_km(self) -> float:
        return self.forward_km + self.backward_km

    @property
    def backward_extra_kcal(self) -> float:
        """What the backward segments burnt beyond walking them forward at the same
        speeds and inclines (forward segments are the same either way)."""
        return self.kcal - self.kcal_if_forward

    @property
    def backward_extra_pct(self) -> float:
        """That extra as a share of the whole walk done forward."""
        if self.kcal_if_forward <= 0:
            return 0.0
        return 100 * self.backward_extra_kcal / self.kcal_if_forward


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
