"""Plays cues without ever blocking or crashing the caller.

`CuePlayer.play` only puts the cue on a queue. One daemon thread (the sound thread) owns
the back-ends: it probes them in order when the player is built, plays each cue through
the first that works, and when that one breaks, reports it through `notify` and moves on
to the next. Probing runs there too, so building a player returns at once however slow
the devices are; cues asked for meanwhile wait on the queue, and any that has waited
longer than `stale_after_s` is dropped, because a late countdown tick misleads more
than a missing one.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import Final

from walkcoach.cues import CUES
from walkcoach.resources import sounds_dir
from walkcoach.sound.backends import Backend, SilentBackend, default_backends

STALE_AFTER_S: Final = 1.0
POLL_INTERVAL_S: Final = 0.25
"""How often the sound thread checks on cues still playing (to notice late failures)."""
CLOSE_TIMEOUT_S: Final = 1.0

_STOP: Final = object()


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 80 else text[:79] + "…"


class CuePlayer:
    """Plays cues by name through the best back-end that works.

    Every public method returns quickly and never raises. `notify` (if given) is called
    on the sound thread with a one-line message whenever a back-end is dropped.
    """

    def __init__(
        self,
        backends: Sequence[Backend],
        notify: Callable[[str], None] | None = None,
        *,
        stale_after_s: float = STALE_AFTER_S,
        clock: Callable[[], float] = time.monotonic,
        probe_after_s: float = 0.0,
    ) -> None:
        self.muted = False
        self._probe_after_s = probe_after_s
        self._candidates = list(backends)
        self._next_candidate = 0
        self._backend: Backend | None = None
        self._notify = notify
        self._stale_after_s = stale_after_s
        self._clock = clock
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._ready = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="walkcoach-sound", daemon=True)
        self._thread.start()

    @property
    def backend_name(self) -> str:
        """The back-end in use, or "detecting" while the first probe is still running."""
        backend = self._backend
        return "detecting" if backend is None else backend.name

    @property
    def audible(self) -> bool:
        """Whether the back-end in use makes sound (False when silent or still detecting).

        Independent of `muted`, which the app owns.
        """
        backend = self._backend
        return backend is not None and backend.audible

    def play(self, cue: str) -> None:
        """Asks for `cue` to be played now; returns at once. Unknown names are ignored."""
        if not self.muted and not self._closed:
            self._queue.put((cue, self._clock()))

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Waits until a back-end has been chosen; False if `timeout` ran out first."""
        return self._ready.wait(timeout)

    def drain(self, timeout: float | None = None) -> bool:
        """Waits until every cue asked for so far has been played out (or dropped).

        Returns False if `timeout` ran out first. Meant for the sound check, tests and
        benchmarks; the app itself never needs to wait for sound.
        """
        if self._closed:
            return True
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self) -> None:
        """Stops the sound thread. Cues already started may ring out; later ones are ignored."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join(CLOSE_TIMEOUT_S)

    def _run(self) -> None:
        if self._probe_after_s > 0:
            # Lets the app draw its first frame before audio libraries load and hold the GIL.
            time.sleep(self._probe_after_s)
        self._choose_next()
        self._ready.set()
        waiting: list[threading.Event] = []
        while True:
            busy = self._poll()
            if not busy:
                for done in waiting:
                    done.set()
                waiting.clear()
            try:
                item = self._queue.get(timeout=POLL_INTERVAL_S if busy else None)
            except queue.Empty:
                continue
            if item is _STOP:
                break
            if isinstance(item, threading.Event):
                waiting.append(item)
            elif isinstance(item, tuple):
                cue, asked_at = item
                if cue in CUES and self._clock() - asked_at <= self._stale_after_s:
                    self._play(cue)
        for done in waiting:
            done.set()
        self._close_backend()

    def _choose_next(self) -> None:
        """Takes the first remaining candidate whose probe succeeds, else silence."""
        while self._next_candidate < len(self._candidates):
            candidate = self._candidates[self._next_candidate]
            self._next_candidate += 1
            try:
                candidate.probe()
            except Exception:
                continue
            self._backend = candidate
            return
        self._backend = SilentBackend()

    def _current(self) -> Backend:
        assert self._backend is not None, "the sound thread chooses a back-end first"
        return self._backend

    def _play(self, cue: str) -> None:
        # A cue that breaks a back-end is retried on the next one: the walker may be
        # facing away from the screen, so the turn cue must still be heard.
        while True:
            backend = self._current()
            try:
                backend.play(cue)
                return
            except Exception as exc:
                self._drop(backend, exc)

    def _poll(self) -> bool:
        backend = self._current()
        try:
            return backend.poll()
        except Exception as exc:
            self._drop(backend, exc)
            return False

    def _drop(self, backend: Backend, exc: Exception) -> None:
        self._close_backend()
        self._choose_next()
        message = f"Sound: {backend.name} failed ({_describe(exc)}); now using {self.backend_name}"
        if self._notify is not None:
            with contextlib.suppress(Exception):  # a broken notice must not silence cues
                self._notify(message)

    def _close_backend(self) -> None:
        with contextlib.suppress(Exception):  # best effort: the back-end is being abandoned
            self._current().close()


def make_player(
    enabled: bool = True,
    bell: Callable[[], None] | None = None,
    notify: Callable[[str], None] | None = None,
    backends: Sequence[Backend] | None = None,
    probe_after_s: float = 0.0,
) -> CuePlayer:
    """Builds the app's cue player. Returns at once; back-ends are probed on the sound thread.

    `enabled=False` gives a silent player. `bell` adds the terminal bell as a last
    audible resort. `backends` replaces the platform's list (tests, benchmarks).
    `probe_after_s` puts the probing off (cues asked for meanwhile wait, as they do
    during probing).
    """
    if not enabled:
        return CuePlayer([SilentBackend()], notify)
    if backends is None:
        try:
            sounds = sounds_dir()
        except FileNotFoundError:
            sounds = None
        backends = default_backends(sounds, bell)
    return CuePlayer(backends, notify, probe_after_s=probe_after_s)
