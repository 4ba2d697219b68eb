"""The ways walkcoach can make a stream of samples heard, from best to last resort.

A back-end is probed once before use and then asked to start streams: 16-bit mono PCM at
44100 Hz, one at a time (the player never overlaps two). Probing and playing run on the
player's sound thread (see player.py), never on the UI thread, so a slow or broken
device can delay only other prompts, not the screen. A back-end signals a problem by
raising: from `probe` when it cannot be used at all, from `start`, `stop` or `poll` when
it breaks later; the player then moves on to the next one.
"""

from __future__ import annotations

import contextlib
import importlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any, Final, Protocol

from walkcoach.sound.alsa import silence_alsa_errors
from walkcoach.sound.stream import CHANNELS, RATE, SAMPLE_WIDTH, frames, seconds_of, silence

PROBE_TIMEOUT_S: Final = 1.0
"""How long a device may take to play the silent probe before it counts as broken."""

OVERRUN_S: Final = 5.0
"""A player process still running this long after its stream should have ended is hung."""

PROBE_SILENCE_S: Final = 0.05

STOP_WAIT_S: Final = 0.2
"""How long `stop` waits for a cut stream to let go of the device."""

SYSTEM_PLAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("paplay", ("paplay",)),
    ("pw-play", ("pw-play",)),
    ("aplay", ("aplay", "-q")),
    ("afplay", ("afplay",)),
)
"""Command-line players in the order they are tried: sound servers before raw ALSA."""

MINIAUDIO_PERIOD_MS: Final = 10
MINIAUDIO_PERIODS: Final = 3
"""The device buffer: 3 periods of 10 ms. Short, so a cut stream stops at once; the
device runs only while a stream plays, so the wake-ups cost nothing when idle."""

MINIAUDIO_TAIL_S: Final = 0.1
"""After a stream's last sample the device is fed this much silence before it is
stopped: miniaudio's stop drops what the device still buffers (ALSA's snd_pcm_drop),
and a sound server's buffer may be longer than the one asked for."""

MINIAUDIO_LEAD_FRAMES: Final = frames(2 * MINIAUDIO_PERIOD_MS / 1000)
"""Each stream starts with two periods of silence. miniaudio's ALSA code now and then
stops a device by itself just after starting it (a few starts in a thousand on ALSA's
file capture, always within the first two periods: the first period taken never
arrives, the second does). The device is then started again from before the lead (see
MINIAUDIO_REPLAY_FRAMES), so what is lost or heard twice is silence, and the prompt
plays whole, 20 ms later than due."""

MINIAUDIO_REPLAY_FRAMES: Final = frames((MINIAUDIO_PERIODS + 1) * MINIAUDIO_PERIOD_MS / 1000)
"""A stream whose device stopped by itself goes on from this much before where it was:
what the device had taken but may not have played (its buffer of three periods, and
the one miniaudio holds on its way there). Stopped in the lead, the stream starts
again from its first sample; stopped later, at worst 40 ms that did play are heard
twice, rather than lost."""

MINIAUDIO_STALL_S: Final = 2.0
MINIAUDIO_STOPS_BEFORE_FAILING: Final = 3
"""A device that stops by itself (or stalls) mid-stream this many streams in a row is
broken. Once is a hiccup (ALSA's file capture was seen doing it a few times in a thousand
starts): the device is started once more for that stream, and if it stops again the
stream ends early and the next one starts the device again."""
"""A device that has not taken a stream's samples this long after it should have
ended has stopped working (unplugged, suspended)."""


def miniaudio_device_backends(platform: str = sys.platform) -> tuple[str, ...]:
    """The system audio APIs miniaudio may use here, best first (`ma_backend_<name>` in C).

    Its NULL back-end (which "plays" into nothing) is never among them, so a machine
    without a device fails the probe instead of going silent unnoticed. JACK is left
    out: its client library prints to the terminal when no server runs.
    """
    if platform == "win32":
        return ("WASAPI", "DSOUND", "WINMM")
    if platform == "darwin":
        return ("COREAUDIO",)
    if platform.startswith("linux"):
        return ("PULSEAUDIO", "ALSA")
    return ("SNDIO", "AUDIO4", "OSS")


class BackendError(RuntimeError):
    """A back-end cannot be used, or stopped working."""


class Backend(Protocol):
    """What the player needs from a way of making sound."""

    @property
    def name(self) -> str: ...

    @property
    def audible(self) -> bool: ...

    def probe(self) -> None:
        """Checks the back-end works, raising if it does not. Called once, before `start`."""

    def start(self, pcm: bytes) -> None:
        """Starts playing `pcm` (16-bit mono, 44100 Hz) and returns without waiting.

        Called only when the previous stream has ended or was stopped.
        """

    def stop(self) -> None:
        """Cuts the stream playing short (nothing when none is)."""

    def poll(self) -> bool:
        """True while the stream is still playing; raises when it broke."""

    def close(self) -> None:
        """Stops what plays and releases what the back-end holds."""


def write_wav(path: Path, pcm: bytes) -> None:
    """Writes a stream as a WAV file, for players that read files."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(CHANNELS)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(RATE)
        out.writeframes(pcm)


def write_silence(path: Path, seconds: float = PROBE_SILENCE_S) -> None:
    """Writes a silent WAV in the stream format, so probing a device makes no noise."""
    write_wav(path, silence(seconds))


class _MiniaudioStream:
    """One stream on its way to the device; the feeding side runs on miniaudio's thread."""

    def __init__(self, pcm: bytes, tail_frames: int, lead_frames: int = 0) -> None:
        self.pcm = memoryview(bytes(lead_frames * SAMPLE_WIDTH) + pcm if lead_frames else pcm)
        self.seconds = seconds_of(pcm) + lead_frames / RATE
        self.tail_frames = tail_frames
        self.started_at = time.monotonic()
        self.done = threading.Event()
        self.position = 0  # bytes of `pcm` handed to the device so far
        self.restarted = False  # the device stopped by itself once and was started again

    def feed(self, done: Callable[[], None]) -> Generator[bytes | memoryview, int, None]:
        """miniaudio's callback generator: the samples (lead included) from `position`
        on, the tail of silence, then nothing.

        It never raises nor returns: an exception in miniaudio's callback would be
        printed to the terminal, and a finished generator is one more case to handle.
        """
        wanted = yield b""
        while self.position < len(self.pcm):
            chunk = self.pcm[self.position : self.position + wanted * SAMPLE_WIDTH]
            self.position += len(chunk)
            wanted = yield chunk
        tail = self.tail_frames
        while tail > 0:
            tail -= wanted
            wanted = yield b""  # the device's buffer starts out silent
        self.done.set()
        done()
        while True:
            yield b""

    def step_back(self, frame_count: int) -> None:
        """Moves `position` back by up to `frame_count` frames (only while no device
        is taking samples from this stream)."""
        self.position = max(0, self.position - frame_count * SAMPLE_WIDTH)


class MiniaudioBackend:
    """Plays through miniaudio's compiled core, `_miniaudio` (shipped in the `miniaudio`
    wheel: Linux, macOS and Windows, so a plain `pip install` makes sound with no compiler
    or system package).

    The package's Python wrapper, `miniaudio.py`, is never imported: it loads urllib, http,
    email and inspect for its internet-radio client (some 12 MB against the core's 2).
    This class drives the device itself through cffi, as the wrapper's PlaybackDevice does.

    The device is opened once (at probe) and started per stream: a running device calls
    back every period even when silent, and on ALSA's null device it spins a core. A
    small thread stops it as soon as the stream (and the tail that flushes the device's
    buffer) has been taken; it sleeps on an event in between.
    """

    audible = True

    def __init__(self, device_backends: Sequence[str] | None = None) -> None:
        self._device_backends = tuple(device_backends or miniaudio_device_backends())
        self._api = ""
        self._ffi: Any = None
        self._lib: Any = None
        self._context: Any = None
        self._device: Any = None
        self._handle: Any = None
        self._app_name = b"walkcoach"
        self._feeder: Generator[bytes | memoryview, int, None] | None = None
        self._lock = threading.Lock()
        self._stream: _MiniaudioStream | None = None
        self._running = False
        self._stopped_by_itself = 0  # streams in a row the device cut short on its own
        self._wake = threading.Event()
        self._closing = False
        self._stopper: threading.Thread | None = None

    @property
    def name(self) -> str:
        return f"miniaudio ({self._api})" if self._api else "miniaudio"

    def probe(self) -> None:
        silence_alsa_errors()  # before miniaudio loads libasound
        ffi, lib = _load_miniaudio()
        self._ffi, self._lib = ffi, lib
        self._open(ffi, lib)
        self._stopper = threading.Thread(
            target=self._stop_when_done, name="walkcoach-miniaudio", daemon=True
        )
        self._stopper.start()
        self.start(silence(PROBE_SILENCE_S))
        deadline = time.monotonic() + PROBE_TIMEOUT_S
        while self.poll():
            if time.monotonic() > deadline:
                self.close()
                raise BackendError(f"the device took no samples within {PROBE_TIMEOUT_S:g} s")
            time.sleep(0.005)

    def _open(self, ffi: Any, lib: Any) -> None:
        """Opens a context on the allowed system APIs, then the default playback device."""
        context_config = lib.ma_context_config_init()
        context_config.threadPriority = lib.ma_thread_priority_highest
        # The name the sound server shows. The C side may keep the pointer: the bytes live as
        # long as this object.
        context_config.pulse.pApplicationName = ffi.from_buffer(self._app_name)
        context_config.jack.pClientName = ffi.from_buffer(self._app_name)
        apis = [getattr(lib, f"ma_backend_{name.lower()}", None) for name in self._device_backends]
        if None in apis or lib.ma_backend_null in apis or lib.ma_backend_jack in apis:
            raise BackendError(f"not a system audio API to use: {self._device_backends}")
        wanted = ffi.new("ma_backend[]", len(apis))
        for index, api in enumerate(apis):
            wanted[index] = api
        context = ffi.new("ma_context *")
        result = lib.ma_context_init(wanted, len(apis), ffi.addressof(context_config), context)
        if result != lib.MA_SUCCESS:
            raise BackendError(f"no audio device (cannot init context, error {result})")
        handle = ffi.new_handle(self)
        config = lib.ma_device_config_init(lib.ma_device_type_playback)
        config.sampleRate = RATE
        config.playback.channels = CHANNELS
        config.playback.format = lib.ma_format_s16
        config.playback.pDeviceID = ffi.NULL
        config.periodSizeInMilliseconds = MINIAUDIO_PERIOD_MS
        config.periods = MINIAUDIO_PERIODS
        config.pUserData = handle
        config.dataCallback = lib._internal_data_callback
        config.stopCallback = lib._internal_stop_callback
        device = ffi.new("ma_device *")
        result = lib.ma_device_init(context, ffi.addressof(config), device)
        if result != lib.MA_SUCCESS:
            lib.ma_context_uninit(context)
            raise BackendError(f"no audio device (failed to init device, error {result})")
        if device.pContext.backend == lib.ma_backend_null:  # never trust silence
            lib.ma_device_uninit(device)
            lib.ma_context_uninit(context)
            raise BackendError("only miniaudio's null device is available")
        self._api = ffi.string(lib.ma_get_backend_name(device.pContext.backend)).decode()
        self._context, self._device, self._handle = context, device, handle

    def start(self, pcm: bytes) -> None:
        stream = _MiniaudioStream(pcm, frames(MINIAUDIO_TAIL_S), MINIAUDIO_LEAD_FRAMES)
        feeder = stream.feed(self._wake.set)
        next(feeder)
        with self._lock:
            if self._device is None:
                raise BackendError("the device is closed")
            self._halt()
            self._stream = stream
            self._feeder = feeder  # the device is stopped: its callback is not running
            result = self._lib.ma_device_start(self._device)
            if result != self._lib.MA_SUCCESS:
                self._stream = None
                self._feeder = None
                raise BackendError(f"the device did not start (error {result})")
            self._running = True

    def stop(self) -> None:
        with self._lock:
            self._halt()
            self._stream = None

    def poll(self) -> bool:
        with self._lock:
            stream = self._stream
            if stream is None:
                return False
            if stream.done.is_set():
                self._halt()
                self._stream = None
                self._stopped_by_itself = 0
                return False
            if not self._lib.ma_device_is_started(self._device):
                self._running = False
                if not stream.restarted:
                    # Stopped by itself (see MINIAUDIO_REPLAY_FRAMES): started once
                    # more, the stream goes on from a little before where it was, so a
                    # prompt is late by a poll rather than lost or clipped.
                    stream.restarted = True
                    stream.step_back(MINIAUDIO_REPLAY_FRAMES)
                    self._feeder = stream.feed(self._wake.set)  # the device is stopped
                    next(self._feeder)
                    if self._lib.ma_device_start(self._device) == self._lib.MA_SUCCESS:
                        self._running = True
                        return True
                self._stream = None
                self._stopped_by_itself += 1
                if self._stopped_by_itself >= MINIAUDIO_STOPS_BEFORE_FAILING:
                    raise BackendError(
                        f"the device stopped by itself {self._stopped_by_itself} times running"
                    )
                return False
            overdue = time.monotonic() - stream.started_at - stream.seconds
            if overdue > MINIAUDIO_STALL_S + MINIAUDIO_TAIL_S:
                self._halt()
                self._stream = None
                self._stopped_by_itself += 1
                if self._stopped_by_itself >= MINIAUDIO_STOPS_BEFORE_FAILING:
                    raise BackendError(
                        f"the device took no samples for {MINIAUDIO_STALL_S:g} s, "
                        f"{self._stopped_by_itself} streams running"
                    )
                return False
            return True

    def close(self) -> None:
        self._closing = True
        self._wake.set()
        if self._stopper is not None:
            self._stopper.join(1.0)
            self._stopper = None
        with self._lock:
            device, self._device = self._device, None
            context, self._context = self._context, None
            if device is None:
                return
            with contextlib.suppress(Exception):
                self._halt(device)
            self._stream = None
            self._feeder = None
            with contextlib.suppress(Exception):
                self._lib.ma_device_uninit(device)  # waits for the device's thread to end
            with contextlib.suppress(Exception):
                self._lib.ma_context_uninit(context)  # and the sound server's connection
            self._handle = None  # only now: the callback could still have looked it up

    # --- called by miniaudio's thread, through the `extern "Python"` functions below ----

    def _data_callback(self, device: Any, output: Any, input: Any, framecount: int) -> None:
        """Copies the next samples into `output` (pre-silenced by miniaudio). Never raises:
        an exception here would be printed to the terminal, over the screen."""
        try:
            feeder = self._feeder
            if feeder is None or framecount <= 0:
                return
            samples = feeder.send(framecount)
            size = min(len(samples), framecount * SAMPLE_WIDTH * CHANNELS)
            if size > 0:
                self._ffi.memmove(output, samples, size)
        except BaseException:  # the rest of the stream is silence; poll() notices the stall
            self._feeder = None

    def _stop_callback(self, device: Any) -> None:
        """miniaudio says the device stopped; poll() asks it directly, so nothing to do.

        Must not take the lock: it may be called from inside ma_device_stop, under it.
        """
        return None

    def _halt(self, device: Any = None) -> None:
        """Stops the device if it runs; the caller holds the lock."""
        device = device if device is not None else self._device
        if self._running and device is not None:
            self._running = False
            self._lib.ma_device_stop(device)

    def _stop_when_done(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closing:
                return
            with self._lock:
                if self._stream is not None and self._stream.done.is_set():
                    self._halt()


_miniaudio_lock = threading.Lock()
_miniaudio: tuple[Any, Any] | None = None


def _load_miniaudio() -> tuple[Any, Any]:
    """miniaudio's cffi core (ffi, lib), its callbacks attached; imported on first use.

    The C side calls two `extern "Python"` functions, which miniaudio.py also defines
    (with `ffi.def_extern`) when something imports it. A definition replaces the one
    before, whichever comes first, so ours do exactly what the wrapper's do: hand the
    call to the object whose cffi handle is the device's pUserData. Each kind of device
    then gets its own method, whichever definition is in place; ours never lets an
    exception out, the wrapper's let theirs out as before.
    """
    global _miniaudio
    with _miniaudio_lock:
        if _miniaudio is None:
            core: Any = importlib.import_module("_miniaudio")
            ffi, lib = core.ffi, core.lib

            def data_callback(device: Any, output: Any, input: Any, framecount: int) -> None:
                if framecount <= 0 or not device.pUserData:
                    return
                target = ffi.from_handle(device.pUserData)
                target._data_callback(device, output, input, framecount)

            def stop_callback(device: Any) -> None:
                if not device.pUserData:
                    return
                ffi.from_handle(device.pUserData)._stop_callback(device)

            ffi.def_extern(name="_internal_data_callback")(data_callback)
            ffi.def_extern(name="_internal_stop_callback")(stop_callback)
            _miniaudio = (ffi, lib)
        return _miniaudio


class SimpleaudioBackend:
    """Plays through the `simpleaudio` package (the `sound` extra)."""

    name = "simpleaudio"
    audible = True

    def __init__(self) -> None:
        self._module: Any = None
        self._playing: Any = None

    def probe(self) -> None:
        silence_alsa_errors()
        module: Any = importlib.import_module("simpleaudio")
        module.play_buffer(silence(PROBE_SILENCE_S), CHANNELS, SAMPLE_WIDTH, RATE).wait_done()
        self._module = module

    def start(self, pcm: bytes) -> None:
        self.stop()
        self._playing = self._module.play_buffer(pcm, CHANNELS, SAMPLE_WIDTH, RATE)

    def stop(self) -> None:
        playing, self._playing = self._playing, None
        if playing is None:
            return
        playing.stop()
        # Without a mixer (a bare hw: device) the cut stream holds the device until its
        # thread lets go: wait for that, so the next stream can open it.
        deadline = time.monotonic() + STOP_WAIT_S
        while playing.is_playing() and time.monotonic() < deadline:
            time.sleep(0.002)

    def poll(self) -> bool:
        if self._playing is not None and not self._playing.is_playing():
            self._playing = None
        return self._playing is not None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        if self._module is not None:
            # No playback thread of simpleaudio's may outlive the player: the archived
            # library is known to crash when one runs while Python shuts down
            # (py-simple-audio issue 74).
            with contextlib.suppress(Exception):
                self._module.stop_all()


class _StreamFiles:
    """Temporary WAV files for the back-ends that play from a file, one per stream, in a
    private folder made at probe time and removed on close."""

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._count = 0

    def open(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="walkcoach-sound-"))

    def write(self, pcm: bytes) -> Path:
        assert self._folder is not None, "probe() comes first"
        self._count += 1
        path = self._folder / f"stream-{self._count}.wav"
        write_wav(path, pcm)
        return path

    def remove(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


class SystemPlayerBackend:
    """Runs a command-line player per stream, on a temporary WAV, detached from the terminal.

    All three standard streams go to DEVNULL so nothing the player prints can reach the
    screen. A process that exits non-zero (unless we cut it short) fails the back-end.
    """

    audible = True

    def __init__(self, name: str, command: Sequence[str]) -> None:
        self.name = name
        self._command = tuple(command)
        self._files = _StreamFiles()
        self._running: tuple[subprocess.Popen[bytes], Path, float] | None = None

    def _argv(self, path: Path) -> list[str]:
        return [*self._command, str(path)]

    def _run(self, path: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self._argv(path),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

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
        self._files.open()

    def start(self, pcm: bytes) -> None:
        self.stop()
        path = self._files.write(pcm)
        try:
            process = self._run(path)
        except OSError:
            path.unlink(missing_ok=True)
            raise
        self._running = (process, path, time.monotonic() + seconds_of(pcm))

    def stop(self) -> None:
        running, self._running = self._running, None
        if running is None:
            return
        process, path, _ = running
        if process.poll() is None:
            process.kill()
        process.wait()
        path.unlink(missing_ok=True)

    def poll(self) -> bool:
        if self._running is None:
            return False
        process, path, ends_at = self._running
        status = process.poll()
        if status is None:
            if time.monotonic() - ends_at <= OVERRUN_S:
                return True
            self.stop()
            raise BackendError(f"still playing {OVERRUN_S:g} s after its end")
        self._running = None
        path.unlink(missing_ok=True)
        if status != 0:
            raise BackendError(f"exit status {status}")
        return False

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        self._files.remove()


class WinsoundBackend:
    """Plays through the standard library's `winsound` (Windows only), from temporary WAVs.

    winsound cannot play from memory asynchronously, hence the files; a file still being
    played cannot be deleted on Windows, so each is removed once its stream has ended.
    """

    name = "winsound"
    audible = True

    def __init__(self) -> None:
        self._module: Any = None
        self._files = _StreamFiles()
        self._ends_at = 0.0
        self._used: list[Path] = []

    def probe(self) -> None:
        module: Any = importlib.import_module("winsound")
        with tempfile.TemporaryDirectory(prefix="walkcoach-probe-") as folder:
            silent = Path(folder) / "probe.wav"
            write_silence(silent)
            module.PlaySound(str(silent), module.SND_FILENAME | module.SND_NODEFAULT)
        self._module = module
        self._files.open()

    def start(self, pcm: bytes) -> None:
        self.stop()
        path = self._files.write(pcm)
        self._used.append(path)
        flags = self._module.SND_FILENAME | self._module.SND_ASYNC | self._module.SND_NODEFAULT
        self._module.PlaySound(str(path), flags)
        self._ends_at = time.monotonic() + seconds_of(pcm)

    def stop(self) -> None:
        if self._module is not None and self.poll():
            self._module.PlaySound(None, 0)  # None stops whatever winsound plays
        self._ends_at = 0.0
        self._clean()

    def poll(self) -> bool:
        # winsound cannot tell whether it still plays: the stream's length says it.
        playing = time.monotonic() < self._ends_at
        if not playing:
            self._clean()
        return playing

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        self._files.remove()

    def _clean(self) -> None:
        for path in self._used:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        self._used = [path for path in self._used if path.exists()]


class BellBackend:
    """Rings the terminal bell once per stream: one sound for all, but better than none.

    `bell` is called on the sound thread; from Textual pass something like
    `lambda: app.call_from_thread(app.bell)`.
    """

    name = "terminal bell"
    audible = True

    def __init__(self, bell: Callable[[], None]) -> None:
        self._bell = bell

    def probe(self) -> None:
        return None

    def start(self, pcm: bytes) -> None:
        self._bell()

    def stop(self) -> None:
        return None

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

    def start(self, pcm: bytes) -> None:
        return None

    def stop(self) -> None:
        return None

    def poll(self) -> bool:
        return False

    def close(self) -> None:
        return None


def default_backends(
    bell: Callable[[], None] | None = None, platform: str = sys.platform
) -> list[Backend]:
    """Every back-end worth trying on this platform, best first, ending with silence.

    Building the list is cheap: nothing is imported or run until the player probes.
    """
    backends: list[Backend] = [MiniaudioBackend(miniaudio_device_backends(platform))]
    backends.append(SimpleaudioBackend())
    if platform == "win32":
        backends.append(WinsoundBackend())
    else:
        backends.extend(SystemPlayerBackend(name, command) for name, command in SYSTEM_PLAYERS)
    if bell is not None:
        backends.append(BellBackend(bell))
    backends.append(SilentBackend())
    return backends
