"""Where a session is in its life, and which moves between those places are allowed."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final


class Phase(StrEnum):
    """The one stored state of a session (see `walkcoach.engine.machine.Engine`)."""

    READY = "ready"
    LEAD_IN = "lead_in"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"

    def can_become(self, other: Phase) -> bool:
        """Whether a session in this phase may move to `other`."""
        return other in _NEXT[self]


_NEXT: Final[Mapping[Phase, frozenset[Phase]]] = {
    # Started, with or without a lead-in.
    Phase.READY: frozenset({Phase.LEAD_IN, Phase.RUNNING}),
    # The lead-in ends (or is skipped), is paused (by hand or by a stall), or is quit.
    Phase.LEAD_IN: frozenset({Phase.RUNNING, Phase.PAUSED, Phase.FINISHED}),
    # Paused, or over: the last segment ended or the walker quit.
    Phase.RUNNING: frozenset({Phase.PAUSED, Phase.FINISHED}),
    # Resumed into the lead-in or a segment (a skip may have left the lead-in meanwhile),
    # or over: quit, or the last segment skipped.
    Phase.PAUSED: frozenset({Phase.LEAD_IN, Phase.RUNNING, Phase.FINISHED}),
    Phase.FINISHED: frozenset(),
}
