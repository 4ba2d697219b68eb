"""Speaks prompts and plays cues without ever blocking or crashing the caller.

`CuePlayer.say(prompt)` and `play(cue)` only put a request on a queue. One daemon thread
(the sound thread) owns the back-ends and the sounds: once `probe_after_s` has passed it
loads the earcons into memory and lists the voice clips (each is read the first time a
prompt needs it, on this thread too), probes the back-ends in order and keeps the first
that works; when that one breaks, it reports it through `notify` and moves on to the
next. Building a player therefore returns at once however slow the devices are; prompts
asked for meanwhile wait on the queue.

Each prompt is spliced into one stream (stream.py) and streams never overlap: which one
plays, waits, is cut short or is dropped is decided by schedule.py. All times are on the
player's clock, the one the prompts' `due` and `deadline` were computed on.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, NamedTuple

from walkcoach.cues import CUES
from walkcoach.resources import sounds_dir, voice_dir
from walkcoach.sound.backends import Backend, SilentBackend, default_backends
from walkcoach.sound.schedule import Entry, choose, enqueue, entry_for, interrupts, tone
from walkcoach.sound.stream import Library, assemble, fit, load_library, prefix_seconds, seconds_of
from walkcoach.voice import Prompt

STALE_AFTER_S: Final = 1.0
"""A bare tone from `play` that cannot start within this long is dropped."""
POLL_INTERVAL_S: Final = 0.25
"""How often the sound thread checks on a stream still playing (to notice failures)."""
END_POLL_S: Final = 0.005
"""Past a stream's length, how often to ask the back-end whether its device let go."""
STUCK_AFTER_S: Final = 3.0
"""A back-end still playing this long after its stream's length is broken."""
CLOSE_TIMEOUT_S: Final = 1.0

OnStart = Callable[[Prompt, float, int], None]
"""Called on the sound thread as a stream starts: (prompt, started_at, parts_kept)."""

_STOP: Final = object()
_MUTE: Final = object()
_DEFAULT: Final = Path()  # compared by identity: "the folders walkcoach ships"


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 80 else text[:79] + "…"


def _shipped(folder: Callable[[], Path]) -> Path | None:
    try:
        return folder()
    except FileNotFoundError:
        return None


class _Playing(NamedTuple):
    entry: Entry
    started_at: float
    ends_at: float


class CuePlayer:
    """Speaks prompts (and plays bare cue tones) through the best back-end that works.

    Every public method returns quickly and never raises. `notify` (if given) is called
    on the sound thread with a one-line message whenever a back-end is dropped; `on_start`
    (if given) whenever a stream starts. `sounds` and `voice` are the folders of earcon
    and clip WAVs (default: the ones walkcoach ships).
    """

    def __init__(
        self,
        backends: Sequence[Backend],
        notify: Callable[[str], None] | None = None,
        *,
        stale_after_s: float = STALE_AFTER_S,
        clock: Callable[[], float] = time.monotonic,
        probe_after_s: float = 0.0,
        sounds: Path | None = _DEFAULT,
        voice: Path | None = _DEFAULT,
        on_start: OnStart | None = None,
    ) -> None:
        self._muted = False
        self._probe_after_s = probe_after_s
        self._candidates = list(backends)
        self._next_candidate = 0
        self._backend: Backend | None = None
        self._notify = notify
        self._on_start = on_start
        self._stale_after_s = stale_after_s
        self._clock = clock
        self._sounds = sounds
        self._voice = voice
        self._library = Library()
        self._playing: _Playing | None = None
        self._waiting: tuple[Entry, ...] = ()
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

    @property
    def muted(self) -> bool:
        return self._muted

    @muted.setter
    def muted(self, value: bool) -> None:
        """Muting silences at once: what plays is cut, what waits is dropped."""
        self._muted = bool(value)
        if self._muted and not self._closed:
            self._queue.put(_MUTE)

    def say(self, prompt: Prompt) -> None:
        """Asks for `prompt` to be spoken; returns at once. A malformed prompt is ignored.

        It starts as soon as nothing more urgent plays (see schedule.py), cut to what
        ends by its deadline; its `due` tells how late it is, not when to start.
        """
        if self._muted or self._closed:
            return
        try:
            entry = entry_for(prompt)
            _ = (prompt.priority, prompt.topic, prompt.clips)  # fails here, not on the thread
        except Exception:
            return
        self._queue.put(entry)

    def play(self, cue: str) -> None:
        """Asks for `cue`'s tone alone, due now; returns at once. Unknown names are ignored."""
        if self._muted or self._closed or cue not in CUES:
            return
        now = self._clock()
        self._queue.put(entry_for(tone(cue, now), now + self._stale_after_s))

    def unknown_clips(self, prompt: Prompt) -> tuple[str, ...]:
        """The clips of `prompt` that were not loaded (missing or unusable files).

        Meaningful once `wait_ready` returned True.
        """
        clips = self._library.clips
        return tuple(dict.fromkeys(name for name in prompt.clips if name not in clips))

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Waits until a back-end has been chosen; False if `timeout` ran out first."""
        return self._ready.wait(timeout)

    def drain(self, timeout: float | None = None) -> bool:
        """Waits until everything asked for so far has been played out (or dropped).

        Returns False if `timeout` ran out first. Meant for the sound check, tests and
        benchmarks; the app itself never needs to wait for sound.
        """
        if self._closed:
            return True
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self) -> None:
        """Stops the sound thread, cutting what plays. Later requests are ignored."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join(CLOSE_TIMEOUT_S)

    # --- the sound thread ------------------------------------------------------------

    def _run(self) -> None:
        if self._probe_after_s > 0:
            # Lets the app draw its first frame before audio libraries load and hold the GIL.
            time.sleep(self._probe_after_s)
        with contextlib.suppress(Exception):  # no sounds: prompts are dropped, nothing breaks
            self._library = load_library(
                _shipped(sounds_dir) if self._sounds is _DEFAULT else self._sounds,
                _shipped(voice_dir) if self._voice is _DEFAULT else self._voice,
            )
        self._choose_next()
        self._ready.set()
        drains: list[threading.Event] = []
        while True:
            timeout = self._step()
            if self._playing is None and not self._waiting:
                for done in drains:
                    done.set()
                drains.clear()
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                continue
            if item is _STOP:
                break
            if isinstance(item, threading.Event):
                drains.append(item)
            elif item is _MUTE:
                self._cut()
                self._waiting = ()
            elif isinstance(item, Entry) and not self._muted:
                self._arrive(item)
        self._cut()
        for done in drains:
            done.set()
        self._close_backend()

    def _step(self) -> float | None:
        """Ends the stream that has played out, starts the next; returns how long to sleep."""
        if self._playing is not None:
            now = self._clock()
            busy = self._poll()
            if self._playing is None:  # the back-end broke: the prompt was re-queued
                pass
            elif now >= self._playing.ends_at and not busy:
                self._playing = None
            elif busy and now > self._playing.ends_at + STUCK_AFTER_S:
                self._playing = None
                backend = self._current()
                with contextlib.suppress(Exception):
                    backend.stop()
                self._drop(
                    backend, TimeoutError(f"still playing {STUCK_AFTER_S:g} s after its end")
                )
        if self._playing is None and self._waiting:
            self._start_next()
        if self._playing is None:
            return None
        left = self._playing.ends_at - self._clock()
        return min(left, POLL_INTERVAL_S) if left > END_POLL_S else END_POLL_S

    def _arrive(self, entry: Entry) -> None:
        playing = self._playing.entry.prompt if self._playing is not None else None
        if interrupts(entry.prompt, playing):
            self._cut()
        self._waiting = enqueue(self._waiting, entry)

    def _fit(self, prompt: Prompt, now: float) -> int | None:
        return fit(prompt, prefix_seconds(prompt, self._library), now)

    def _start_next(self) -> None:
        while self._playing is None and self._waiting:
            try:
                start, waiting, _dropped = choose(self._waiting, self._clock(), self._fit)
                pcm = (
                    assemble(start.entry.prompt, self._library, start.parts_kept) if start else b""
                )
            except Exception:  # a prompt the rules choke on is dropped, the thread lives on
                self._waiting = self._waiting[1:]
                continue
            self._waiting = waiting
            if start is None:
                return
            backend = self._current()
            started_at = self._clock()
            try:
                backend.start(pcm)
            except Exception as exc:
                # Retried on the next back-end (cut anew to its deadline): the walker may
                # be facing away from the screen, so the turn call must still be heard.
                self._waiting = (start.entry, *self._waiting)
                self._drop(backend, exc)
                continue
            length = seconds_of(pcm) if backend.audible else 0.0
            self._playing = _Playing(start.entry, started_at, started_at + length)
            if self._on_start is not None:
                with contextlib.suppress(Exception):
                    self._on_start(start.entry.prompt, started_at, start.parts_kept)

    def _cut(self) -> None:
        """Stops the stream playing, if any."""
        if self._playing is None:
            return
        self._playing = None
        backend = self._current()
        try:
            backend.stop()
        except Exception as exc:
            self._drop(backend, exc)

    def _choose_next(self) -> None:
        """Takes the first remaining candidate whose probe succeeds, else silence."""
        while self._next_candidate < len(self._candidates):
            candidate = self._candidates[self._next_candidate]
            self._next_candidate += 1
            try:
                candidate.probe()
            except Exception:
                with contextlib.suppress(Exception):
                    candidate.close()
                continue
            self._backend = candidate
            return
        self._backend = SilentBackend()

    def _current(self) -> Backend:
        assert self._backend is not None, "the sound thread chooses a back-end first"
        return self._backend

    def _poll(self) -> bool:
        backend = self._current()
        try:
            return backend.poll()
        except Exception as exc:
            # The stream broke off: play it again on the next back-end, by the usual rules.
            if self._playing is not None:
                self._waiting = (self._playing.entry, *self._waiting)
                self._playing = None
            self._drop(backend, exc)
            return False

    def _drop(self, backend: Backend, exc: Exception) -> None:
        self._close_backend()
        self._choose_next()
        message = f"Sound: {backend.name} failed ({_describe(exc)}); now using {self.backend_name}"
        if self._notify is not None:
            with contextlib.suppress(Exception):  # a broken notice must not silence prompts
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
    *,
    on_start: OnStart | None = None,
    sounds: Path | None = _DEFAULT,
    voice: Path | None = _DEFAULT,
    clock: Callable[[], float] = time.monotonic,
) -> CuePlayer:
    """Builds the app's player. Returns at once; back-ends are probed on the sound thread.

    `enabled=False` gives a silent player. `bell` adds the terminal bell as a last
    audible resort. `backends` replaces the platform's list (tests, benchmarks).
    `probe_after_s` puts the loading and probing off (prompts asked for meanwhile wait,
    as they do during probing). `on_start`, `sounds`, `voice` and `clock`: see CuePlayer.
    """
    if not enabled:
        backends, sounds, voice = [SilentBackend()], None, None  # nothing to load for silence
    elif backends is None:
        backends = default_backends(bell)
    return CuePlayer(
        backends,
        notify,
        probe_after_s=probe_after_s,
        on_start=on_start,
        sounds=sounds,
        voice=voice,
        clock=clock,
    )
