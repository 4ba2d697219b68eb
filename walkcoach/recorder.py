"""Keeps a running session in the history: written when it starts, checkpointed every
few seconds, and saved whole when it ends (DESIGN.md section 9).

Plain Python with the clock injected, like the engine; the session screen calls
`checkpoint(now)` on every tick and `end()` once. A history that cannot be written is
reported once through `problem` and the walk goes on unsaved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from walkcoach.engine import Engine
from walkcoach.errors import WalkcoachError

if TYPE_CHECKING:
    from walkcoach.store.history import History, Status

CHECKPOINT_EVERY_S: Final = 5.0


class Recorder:
    def __init__(
        self,
        history: History | None,
        engine: Engine,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.history = history
        self.engine = engine
        self.wall_clock = wall_clock
        self.session_id: int | None = None
        self.problem: str | None = None
        self._last_checkpoint = 0.0
        self._ended = False

    def begin(self, now: float) -> None:
        if self.history is None:
            return
        try:
            self.session_id = self.history.start_session(
                self.engine.plan.name, self.engine.weight_kg, self.wall_clock()
            )
        except (WalkcoachError, OSError) as exc:
            self._fail(exc)
        self._last_checkpoint = now

    def checkpoint(self, now: float, force: bool = False) -> None:
        if self.session_id is None or self._ended:
            return
        if not force and now - self._last_checkpoint < CHECKPOINT_EVERY_S:
            return
        self._last_checkpoint = now
        self._write("running", None)

    def end(self) -> None:
        """Saves the session whole: finished if the plan was walked to its end."""
        if self.session_id is None or self._ended:
            return
        self._ended = True
        status: Status = "finished" if self.engine.result().finished else "unfinished"
        self._write(status, self.wall_clock())

    def _write(self, status: Status, ended_at: datetime | None) -> None:
        assert self.history is not None and self.session_id is not None
        try:
            self.history.checkpoint(
                self.session_id, self.engine.result(), status=status, ended_at=ended_at
            )
        except (WalkcoachError, OSError) as exc:
            self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        self.problem = f"History not saved: {exc}"
        self.session_id = None
