"""The ways walkcoach can make a cue heard, from best to last resort.

A back-end is probed once before use and then asked to start cues. Probing and playing
run on the player's sound thread (see player.py), never on the UI thread, so a slow or
broken device can delay only other cues, not the screen. A back-end signals a problem by
raising: from `probe` when it cannot be used at all, from `play` or `poll` when it breaks
later; the player then moves on to the next one.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from walkcoach.cues import CUES
from walkcoach.sound.alsa import silence_alsa_errors

PROBE_TIMEOUT_S = 1.0
"""How long a system player may take to play the silent probe before it counts as broken."""

OVERRUN_S = 5.0
"""A player process still running this long after starting a sub-second cue is hung."""

PROBE_SILENCE_S = 0.05

SYSTEM_PLAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("paplay", ("paplay",)),
    ("pw-play", ("pw-play",)),
    ("aplay", ("aplay", "-q")),
    ("afplay", ("afplay",)),
)
"""Command-line players in the order they are tried: sound servers before raw ALSA."""


class BackendError(RuntimeError):
    """A back-end cannot be used, or stopped working."""


class Backend(Protocol):
    """What the player needs from a way of making sound."""

    @property
    def name(self) -> str: ...

    @property
    def audible(self) -> bool: ...

    def probe(self) -> None:
        """Checks the back-end works, raising if it does not. Called once, before `play`."""

    def play(self, cue: str) -> None:
        """Starts playing `cue` and returns without waiting for it to end."""

    def poll(self) -> bool:
        """Reaps finished plays (raising if one failed); True while any is still running."""

    def close(self) -> None:
        """Releases what the back-end holds. Cues already started may finish."""


def write_silence(path: Path, seconds: float = PROBE_SILENCE_S) -> None:
    """Writes a silent WAV in the cues' format, so probing a device makes no noise."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(b"\0\0" * round(seconds * 44100))


class SimpleaudioBackend:
    """Plays through the `simpleaudio` package (the `sound` extra), from WAVs held in memory."""

    name = "simpleaudio"
    audible = True

    def __init__(self, sounds: Path) -> None:
        self._sounds = sounds
        self._module: Any = None
        self._waves: dict[str, Any] = {}
        self._playing: list[Any] = []

    def probe(self) -> None:
        silence_alsa_errors()
        module: Any = importlib.import_module("simpleaudio")
        self._waves = {
            cue: module.WaveObject.from_wave_file(str(self._sounds / f"{cue}.wav")) for cue in CUES
        }
        module.play_buffer(b"\0\0" * round(PROBE_SILENCE_S * 44100), 1, 2, 44100).wait_done()
        self._module = module

    def play(self, cue: str) -> None:
        try:
            self._playing.append(self._waves[cue].play())
        except Exception:
            # Without a mixer (a bare hw: device) a cue still playing holds the device;
            # that is our own doing, so cut it short and try once more before giving up.
            if not self.poll():
                raise
            self._module.stop_all()
            self._playing.clear()
            self._playing.append(self._waves[cue].play())

    def poll(self) -> bool:
        self._playing = [play for play in self._playing if play.is_playing()]
        return bool(self._playing)

    def close(self) -> None:
        self._playing.clear()


class SystemPlayerBackend:
    """Runs a command-line player per cue, detached from the terminal.

    All three standard streams go to DEVNULL so nothing the player prints can reach the
    screen. A process that exits non-zero fails the back-end, unless it overlapped
    another cue: a device without a mixer refuses the second one, which says nothing
    about the device being broken.
    """

    audible = True

    def __init__(self, name: str, command: Sequence[str], sounds: Path) -> None:
        self.name = name
        self._command = tuple(command)
        self._sounds = sounds
        self._running: list[tuple[subprocess.Popen[bytes], float, list[bool]]] = []

    def _argv(self, path: Path) -> list[str]:
        return [*self._command, str(path)]

    def probe(self) -> None:
        if shutil.which(self._command[0]) is None:
            raise BackendError(f"{self._command[0]} is not installed")
        with tempfile.TemporaryDirectory(prefix="walkcoach-probe-") as folder:
            silent = Path(folder) / "probe.wav"
            write_silence(silent)
            try:
                result = subprocess.run(
                    self._argv(silent),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    timeout=PROBE_TIMEOUT_S,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise BackendError(f"no answer within {PROBE_TIMEOUT_S:g} s") from exc
        if result.returncode != 0:
            raise BackendError(f"exit status {result.returncode}")

    def play(self, cue: str) -> None:
        overlapped = bool(self.poll())
        process = subprocess.Popen(
            self._argv(self._sounds / f"{cue}.wav"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        flag = [overlapped]
        if overlapped:
            for _, _, other in self._running:
                other[0] = True
        self._running.append((process, time.monotonic(), flag))

    def poll(self) -> bool:
        still_running = []
        failure: str | None = None
        for process, started, overlapped in self._running:
            status = process.poll()
            if status is None and time.monotonic() - started > OVERRUN_S:
                process.kill()
                process.wait()
                failure = f"still playing after {OVERRUN_S:g} s"
            elif status is None:
                still_running.append((process, started, overlapped))
            elif status != 0 and not overlapped[0]:
                failure = f"exit status {status}"
        self._running = still_running
        if failure is not None:
            raise BackendError(failure)
        return bool(self._running)

    def close(self) -> None:
        self._running.clear()


class WinsoundBackend:
    """Plays through the standard library's `winsound` (Windows only)."""

    name = "winsound"
    audible = True

    def __init__(self, sounds: Path) -> None:
        self._sounds = sounds
        self._module: Any = None

    def probe(self) -> None:
        module: Any = importlib.import_module("winsound")
        with tempfile.TemporaryDirectory(prefix="walkcoach-probe-") as folder:
            silent = Path(folder) / "probe.wav"
            write_silence(silent)
            module.PlaySound(str(silent), module.SND_FILENAME | module.SND_NODEFAULT)
        self._module = module

    def play(self, cue: str) -> None:
        flags = self._module.SND_FILENAME | self._module.SND_ASYNC | self._module.SND_NODEFAULT
        self._module.PlaySound(str(self._sounds / f"{cue}.wav"), flags)

    def poll(self) -> bool:
        return False

    def close(self) -> None:
        return None


class BellBackend:
    """Rings the terminal bell for every cue: one sound for all, but better than none.

    `bell` is called on the sound thread; from Textual pass something like
    `lambda: app.call_from_thread(app.bell)`.
    """

    name = "terminal bell"
    audible = True

    def __init__(self, bell: Callable[[], None]) -> None:
        self._bell = bell

    def probe(self) -> None:
        return None

    def play(self, cue: str) -> None:
        self._bell()

    def poll(self) -> bool:
        return False

    def close(self) -> None:
        return None


class SilentBackend:
    """Plays nothing: sound is off, or nothing else works. The screen's flash remains."""

    name = "silent"
    audible = False

    def probe(self) -> None:
        return None

    def play(self, cue: str) -> None:
        return None

    def poll(self) -> bool:
        return False

    def close(self) -> None:
        return None


def default_backends(sounds: Path | None, bell: Callable[[], None] | None = None) -> list[Backend]:
    """Every back-end worth trying on this platform, best first, ending with silence.

    `sounds` is the folder of cue WAVs; without it only the bell and silence remain.
    Building the list is cheap: nothing is imported or run until the player probes.
    """
    backends: list[Backend] = []
    if sounds is not None:
        backends.append(SimpleaudioBackend(sounds))
        if sys.platform == "win32":
            backends.append(WinsoundBackend(sounds))
        else:
            backends.extend(
                SystemPlayerBackend(name, command, sounds) for name, command in SYSTEM_PLAYERS
            )
    if bell is not None:
        backends.append(BellBackend(bell))
    backends.append(SilentBackend())
    return backends
