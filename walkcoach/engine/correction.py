"""The walker's live speed correction, kept per walking direction."""

from __future__ import annotations

from typing import NamedTuple

from walkcoach.planrules import Direction


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
