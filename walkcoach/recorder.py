"""Keeps a walk in the history: written once walking begins, checkpointed every few
seconds, and saved whole when it ends (the README's "During a session" tells the walker).

The session screen calls `begin(now)` when the walk appears, `checkpoint(now)` on every
tick and `end()` once; none of them waits for the disk. The walk's newest state is kept
in memory and handed to a writer thread with its own store (an sqlite3 connection
belongs to the thread that opened it). While the history cannot be written (busy,
locked, full, read-only), `problem` says why and the writer tries again every few
seconds with the newest state, so the walk lands whole as soon as the disk lets it. A
walk left before its first segment (quit during the lead-in) is not recorded.

Plain Python with the clock injected, like the engine; the writer's own waits are the
only real time here.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol

from walkcoach.engine import Engine, Phase, SessionResult
from walkcoach.errors import WalkcoachError
from walkcoach.text import visible
from walkcoach.walks import WalkTotals, WallClock, utc_now

if TYPE_CHECKING:
    from walkcoach.store.history import Status

CHECKPOINT_EVERY_S: Final = 5.0
RETRY_EVERY_S: Final = 2.0
# How long a walk that is leaving (the app quitting, a signal) may wait for its last
# save: under the 3 s after which a SIGTERM exits regardless (tui/launch.py).
FINAL_SAVE_WAIT_S: Final = 2.0


class Store(Protocol):
    """What the recorder needs of the history (walkcoach.store.history.History)."""

    def start_session(self, plan_name: str, weight_kg: float, started_at: datetime) -> int: ...

    def checkpoint(
        self,
        session_id: int,
        result: SessionResult,
        status: Status = "running",
        ended_at: datetime | None = None,
    ) -> None: ...

    def close(self) -> None: ...


class Save(NamedTuple):
    """One state of the walk to write (all immutable: safe to hand to another thread)."""

    result: SessionResult
    status: Status
    ended_at: datetime | None


def walked(result: SessionResult) -> bool:
    """Whether the walk got past its lead-in (time walked, or a segment skipped)."""
    return any(r.actual_s > 0 or r.skipped or r.completed for r in result.records)


def final_status(result: SessionResult, interrupted: bool = False) -> Status:
    """How an ended walk is stored: finished when walked to its end with at least one
    segment not skipped; interrupted when something other than the walker cut it short;
    otherwise unfinished (ended early)."""
    if interrupted:
        return "interrupted"
    if result.finished and WalkTotals.of(result).segments_done > 0:
        return "finished"
    return "unfinished"


class Recorder:
    def __init__(
        self,
        open_store: Callable[[], Store] | None,
        engine: Engine,
        wall_clock: WallClock = utc_now,
        *,
        retry_s: float = RETRY_EVERY_S,
        heartbeat_s: float = CHECKPOINT_EVERY_S,
    ) -> None:
        """`open_store` makes the writer's own store (None: nothing is recorded). The
        writer retries a failed write after `retry_s` and, while the walk is paused
        (no checkpoints come), rewrites its last state every `heartbeat_s`, so that it
        never looks like a walk whose process died (history.STALE_AFTER)."""
        self.open_store = open_store
        self.engine = engine
        self.wall_clock = wall_clock
        self.retry_s = retry_s
        self.heartbeat_s = heartbeat_s
        self.started_at: datetime | None = None
        self.status: Status | None = None  # set by `end()`
        # Called from the writer thread whenever `problem`, `saved` or `session_id`
        # change; it must only hand the news to the UI's own thread.
        self.on_change: Callable[[], object] | None = None
        self._last_checkpoint = 0.0
        self._cond = threading.Condition()
        # Shared with the writer, under `_cond`:
        self._latest: Save | None = None
        self._handed = 0  # states handed over so far
        self._written = 0  # of those, the newest written
        self._session_id: int | None = None
        self._problem: str | None = None
        self._failed_at = 0.0
        self._wrote_at = 0.0
        self._retry_now = False
        self._closed = False
        self._thread: threading.Thread | None = None

    # --- the walk (UI thread) --------------------------------------------------------

    def begin(self, now: float) -> None:
        """The walk has appeared: its start time is the engine's (the one its result
        carries), or the wall clock's now; its first write waits for its first segment."""
        if self.open_store is not None:
            self.started_at = self.engine.wall_started_at or self.wall_clock()
            self._last_checkpoint = now

    def checkpoint(self, now: float, force: bool = False) -> None:
        """Hands the walk over to be written: at once when its first segment starts,
        then every `CHECKPOINT_EVERY_S` (or now, with `force`)."""
        if self.started_at is None or self.status is not None:
            return
        if self._handed and not force and now - self._last_checkpoint < CHECKPOINT_EVERY_S:
            return
        if not self._handed and self.engine.phase is Phase.LEAD_IN:
            return
        result = self.engine.result()
        if walked(result):
            self._last_checkpoint = now
            self._hand_over(Save(result, "running", None))

    def end(self, interrupted: bool = False) -> None:
        """The walk is over: its final state is handed over to be saved whole (as
        interrupted when the walker did not end it). A walk that never got past its
        lead-in leaves nothing in the history."""
        if self.status is not None:
            return
        result = self.engine.result()
        self.status = final_status(result, interrupted)
        if self.started_at is not None and walked(result):
            self._hand_over(Save(result, self.status, self.wall_clock()))

    # --- how the saving goes (any thread) --------------------------------------------

    @property
    def recorded(self) -> bool:
        """Whether there is a walk to keep (it got past its lead-in, with a history)."""
        with self._cond:
            return self._handed > 0

    @property
    def saved(self) -> bool:
        """Whether everything handed over is in the history (true when nothing was)."""
        with self._cond:
            return self._written == self._handed

    @property
    def problem(self) -> str | None:
        """Why the walk could not be written the last time it was tried, while it is
        not saved; None otherwise. Safe to show (`visible`)."""
        with self._cond:
            return self._problem

    @property
    def session_id(self) -> int | None:
        with self._cond:
            return self._session_id

    @property
    def latest(self) -> Save | None:
        """The newest state handed over, saved or not."""
        with self._cond:
            return self._latest

    def retry(self) -> None:
        """Tries to write again now rather than at the next retry."""
        with self._cond:
            self._retry_now = True
            self._cond.notify_all()

    def wait(self, timeout: float) -> bool:
        """Waits up to `timeout` seconds for everything handed over to be saved; true
        when it is."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._written == self._handed or self._closed, timeout
            ) and (self._written == self._handed)

    def close(self, timeout: float = 0.0) -> bool:
        """Gives the writer up to `timeout` to save what it holds, then stops it (a
        walk still unsaved stays as last written). True when nothing was left unsaved."""
        saved = self.wait(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        atexit.unregister(self._wait_at_exit)
        return saved

    # --- the writer (its own thread) -------------------------------------------------

    def _hand_over(self, save: Save) -> None:
        with self._cond:
            self._latest = save
            self._handed += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="walkcoach-history", daemon=True
                )
                self._thread.start()
                # A daemon thread dies with the interpreter; the app exiting right after
                # `end()` still gives the last save its bounded time.
                atexit.register(self._wait_at_exit)
            self._cond.notify_all()

    def _wait_at_exit(self) -> None:
        self.wait(FINAL_SAVE_WAIT_S)

    def _run(self) -> None:
        assert self.open_store is not None
        store: Store | None = None
        try:
            while (job := self._next_job()) is not None:
                save, version = job
                try:
                    if store is None:
                        store = self.open_store()
                    self._write(store, save)
                except Exception as exc:  # whatever it was, the walk is kept, said and tried again
                    if store is not None:
                        with contextlib.suppress(Exception):
                            store.close()
                        store = None
                    self._failed(exc, version)
                else:
                    self._succeeded(save, version)
        finally:
            if store is not None:
                with contextlib.suppress(Exception):
                    store.close()
            atexit.unregister(self._wait_at_exit)

    def _next_job(self) -> tuple[Save, int] | None:
        """The state to write next and its number, once it is time; None when there is
        nothing more to do (the final state is saved, or the recorder was closed)."""
        with self._cond:
            while not self._closed:
                latest = self._latest
                assert latest is not None
                now = time.monotonic()
                if self._written < self._handed:
                    due = 0.0 if self._problem is None else self._failed_at + self.retry_s
                elif latest.status != "running":
                    return None
                else:
                    due = self._wrote_at + self.heartbeat_s
                if self._retry_now or now >= due:
                    self._retry_now = False
                    return latest, self._handed
                self._cond.wait(due - now)
            return None

    def _write(self, store: Store, save: Save) -> None:
        session_id = self.session_id
        if session_id is None:
            assert self.started_at is not None
            plan = self.engine.plan
            session_id = store.start_session(plan.name, self.engine.weight_kg, self.started_at)
            with self._cond:
                self._session_id = session_id
        store.checkpoint(session_id, save.result, status=save.status, ended_at=save.ended_at)

    def _succeeded(self, save: Save, version: int) -> None:
        with self._cond:
            # News for the screens: the problem is over, or the walk is saved whole.
            news = self._problem is not None or save.status != "running"
            self._written = max(self._written, version)
            self._problem = None
            self._wrote_at = time.monotonic()
            self._cond.notify_all()
        if news:
            self._tell()

    def _failed(self, exc: Exception, version: int) -> None:
        if isinstance(exc, WalkcoachError | OSError):
            problem = str(exc)
        else:
            problem = f"unexpected {type(exc).__name__}: {exc}"
        problem = visible(problem)  # it names the history, whose path may hold anything
        with self._cond:
            if version <= self._written:
                # A rewrite of what is saved already failed: nothing is lost, the next
                # rewrite or checkpoint tries again.
                self._wrote_at = time.monotonic()
                return
            news = problem != self._problem
            self._problem = problem
            self._failed_at = time.monotonic()
            self._cond.notify_all()
        if news:
            self._tell()

    def _tell(self) -> None:
        listener = self.on_change
        if listener is not None:
            with contextlib.suppress(RuntimeError):  # the UI's loop is gone
                listener()
