"""The miniaudio back-end: which system audio APIs it may use, how it feeds the device,
and, through ALSA's file capture, that the device runs only while a stream plays, that
stop cuts a stream, and that a prompt's first samples come promptly."""

from __future__ import annotations

import ctypes.util
import json
from pathlib import Path

import pytest

from tests.support.sound import (
    TURN_PROMPT,
    asoundrc_capturing_to,
    expected_stream,
    run_in_home,
    tone_voice_folder,
)
from walkcoach.sound.backends import (
    MINIAUDIO_LEAD_FRAMES,
    MINIAUDIO_REPLAY_FRAMES,
    MINIAUDIO_STOPS_BEFORE_FAILING,
    BackendError,
    MiniaudioBackend,
    _MiniaudioStream,
    miniaudio_device_backends,
)
from walkcoach.sound.stream import frames

LATENCY_TARGET_MS = 20.0


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32", "freebsd13", "openbsd7"])
def test_the_null_device_and_jack_are_never_among_the_apis_tried(platform: str) -> None:
    apis = miniaudio_device_backends(platform)
    assert apis
    assert "NULL" not in apis and "JACK" not in apis
    lib = pytest.importorskip("_miniaudio").lib
    for api in apis:
        assert getattr(lib, f"ma_backend_{api.lower()}") not in (
            lib.ma_backend_null,
            lib.ma_backend_jack,
        )


@pytest.mark.parametrize("apis", [("NULL",), ("ALSA", "JACK"), ("NO_SUCH_API",)])
def test_the_null_device_jack_or_an_unknown_api_fail_the_probe_before_any_device_opens(
    apis: tuple[str, ...],
) -> None:
    pytest.importorskip("_miniaudio")
    backend = MiniaudioBackend(apis)
    with pytest.raises(BackendError, match="not a system audio API"):
        backend.probe()
    backend.close()
    assert backend.name == "miniaudio"


def test_linux_tries_the_sound_server_before_raw_alsa() -> None:
    assert miniaudio_device_backends("linux") == ("PULSEAUDIO", "ALSA")


def test_the_feeder_gives_the_samples_then_a_tail_of_silence_then_says_done() -> None:
    pcm = bytes(range(256)) * 10  # 1280 frames
    stream = _MiniaudioStream(pcm, tail_frames=1000)
    calls: list[str] = []
    feeder = stream.feed(lambda: calls.append("done"))
    assert next(feeder) == b""

    given = b"".join(bytes(feeder.send(500)) for _ in range(3))
    assert given == pcm
    assert not stream.done.is_set()
    assert bytes(feeder.send(500)) == b"" and bytes(feeder.send(500)) == b""
    assert not stream.done.is_set()  # 1000 frames of tail asked for so far, not yet played out
    assert bytes(feeder.send(500)) == b""
    assert stream.done.is_set() and calls == ["done"]
    for _ in range(5):  # and it never ends nor raises: miniaudio would print the exception
        assert bytes(feeder.send(441)) == b""
    assert calls == ["done"]


def test_an_empty_stream_is_done_after_its_tail() -> None:
    stream = _MiniaudioStream(b"", tail_frames=frames(0.01))
    feeder = stream.feed(lambda: None)
    next(feeder)
    feeder.send(441)
    feeder.send(441)
    assert stream.done.is_set()


def test_a_backend_that_was_never_probed_is_named_plainly() -> None:
    assert MiniaudioBackend().name == "miniaudio"


class _Feeder:
    """Stands in for the stream's feeder in the device callback."""

    def __init__(self, give: bytes | BaseException) -> None:
        self.give = give

    def send(self, frames: int) -> bytes:
        if isinstance(self.give, Exception):
            raise self.give
        return self.give


def test_the_device_callback_copies_the_samples_and_never_more_than_asked_for() -> None:
    ffi = pytest.importorskip("_miniaudio").ffi
    backend = MiniaudioBackend()
    backend._ffi = ffi
    output = ffi.new("char[]", 8)
    backend._feeder = _Feeder(bytes(range(1, 13)))  # type: ignore[assignment]
    backend._data_callback(None, output, ffi.NULL, 3)  # 3 frames: 6 bytes
    assert ffi.buffer(output)[:] == bytes(range(1, 7)) + b"\0\0"


@pytest.mark.parametrize("error", [RuntimeError("boom"), StopIteration(), KeyboardInterrupt()])
def test_the_device_callback_never_raises_and_falls_silent_on_an_error(
    error: BaseException,
) -> None:
    ffi = pytest.importorskip("_miniaudio").ffi
    backend = MiniaudioBackend()
    backend._ffi = ffi
    output = ffi.new("char[]", 4)
    backend._feeder = _Feeder(error)  # type: ignore[assignment]
    backend._data_callback(None, output, ffi.NULL, 2)
    assert backend._feeder is None
    backend._data_callback(None, output, ffi.NULL, 2)  # and then plays silence
    assert ffi.buffer(output)[:] == b"\0" * 4
    backend._stop_callback(None)


# --- through ALSA's file capture ------------------------------------------------------

MEASURE = """
import json, os, sys, time
from walkcoach.sound import make_player
from walkcoach.sound.backends import MiniaudioBackend
from walkcoach.voice import Prompt

capture = sys.argv[1]
def size():
    try:
        return os.stat(capture).st_size
    except FileNotFoundError:
        return 0

def first_growth(before, since):
    while size() == before:
        if time.monotonic() - since > 2:
            return None
        time.sleep(0.0002)
    return (time.monotonic() - since) * 1000

sys.setswitchinterval(0.0005)  # as `walkcoach run` does
backend = MiniaudioBackend()
player = make_player(backends=[backend])
assert player.wait_ready(10)
latencies = []
for _ in range(int(sys.argv[2])):
    before, due = size(), time.monotonic()
    player.say(Prompt("switch", (), "next", due, None))
    latencies.append(first_growth(before, due))
    assert player.drain(5)
    time.sleep(0.01)
idle_before = size()
time.sleep(0.3)
idle_growth = size() - idle_before

# A long stream, cut after 0.1 s: the device stops and takes nothing more.
backend.start(b"\\x01\\x00" * 44100 * 3)
time.sleep(0.1)
backend.stop()
still_playing = backend.poll()
before = size()
time.sleep(0.2)
after_stop_growth = size() - before
player.close()
print(json.dumps({"latencies_ms": latencies, "idle_growth": idle_growth,
                  "still_playing": still_playing, "after_stop_growth": after_stop_growth}))
"""


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    home = tmp_path_factory.mktemp("home")
    capture = home / "capture.raw"
    asoundrc_capturing_to(home, capture)
    result = run_in_home(home, MEASURE, str(capture), "20")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data: dict[str, object] = json.loads(result.stdout)
    return data


@pytest.mark.alsa
@pytest.mark.skipif(ctypes.util.find_library("asound") is None, reason="no libasound")
def test_a_prompts_first_samples_reach_the_device_promptly(measured: dict[str, object]) -> None:
    latencies = measured["latencies_ms"]
    assert isinstance(latencies, list) and None not in latencies
    within = [ms for ms in latencies if ms <= LATENCY_TARGET_MS]
    # The target is 20 ms at the 99th percentile; a loaded test machine gets some slack.
    assert len(within) >= 0.9 * len(latencies), sorted(latencies)


@pytest.mark.alsa
@pytest.mark.skipif(ctypes.util.find_library("asound") is None, reason="no libasound")
def test_the_device_is_stopped_once_a_stream_has_played(measured: dict[str, object]) -> None:
    # ALSA's null device takes samples as fast as they come: a device left running would
    # write megabytes of silence a second here (and wake every period on a real card).
    assert measured["idle_growth"] == 0


@pytest.mark.alsa
@pytest.mark.skipif(ctypes.util.find_library("asound") is None, reason="no libasound")
def test_stop_cuts_a_stream_and_the_device_takes_nothing_more(
    measured: dict[str, object],
) -> None:
    assert measured["still_playing"] is False
    assert measured["after_stop_growth"] == 0


PLAY_A_PROMPT_AND_LIST_MODULES = f"""
import json, sys
from pathlib import Path
from walkcoach.sound import make_player
from walkcoach.sound.backends import MiniaudioBackend
from walkcoach.voice import Prompt

player = make_player(backends=[MiniaudioBackend()], voice=Path(sys.argv[1]))
assert player.wait_ready(10)
player.say({TURN_PROMPT!r})
assert player.drain(10)
name = player.backend_name
player.close()
heavy = ("miniaudio", "urllib.request", "http.client")
print(json.dumps({{"backend": name, "core": "_miniaudio" in sys.modules,
                  "heavy": [m for m in heavy if m in sys.modules]}}))
"""


@pytest.mark.alsa
@pytest.mark.skipif(ctypes.util.find_library("asound") is None, reason="no libasound")
def test_playing_a_prompt_never_loads_the_miniaudio_wrapper_nor_its_web_client(
    tmp_path: Path,
) -> None:
    capture = tmp_path / "capture.raw"
    asoundrc_capturing_to(tmp_path, capture)

    result = run_in_home(tmp_path, PLAY_A_PROMPT_AND_LIST_MODULES, str(tone_voice_folder(tmp_path)))

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout) == {"backend": "miniaudio (ALSA)", "core": True, "heavy": []}
    assert expected_stream() in capture.read_bytes()


ALONGSIDE_THE_WRAPPER = """
import json, sys, time
order = sys.argv[1]
if order == "wrapper first":
    import miniaudio
from walkcoach.sound.backends import MiniaudioBackend

def play(backend, pcm):
    backend.start(pcm)
    deadline = time.monotonic() + 5
    while backend.poll():
        assert time.monotonic() < deadline
        time.sleep(0.005)

ours = MiniaudioBackend()
ours.probe()
if order == "wrapper last":
    import miniaudio
play(ours, b"\\x11\\x22" * 4410)

asked = []
def generator():
    frames = yield b""
    while True:
        asked.append(frames)
        frames = yield b"\\x33\\x44" * frames

theirs = miniaudio.PlaybackDevice(nchannels=1, sample_rate=44100, buffersize_msec=10,
                                  backends=[miniaudio.Backend.ALSA])
feeder = generator()
next(feeder)
theirs.start(feeder)
time.sleep(0.2)
theirs.close()

play(ours, b"\\x55\\x66" * 4410)
ours.close()
print(json.dumps({"their_callbacks": len(asked)}))
"""


@pytest.mark.parametrize("order", ["wrapper first", "wrapper last"])
@pytest.mark.alsa
@pytest.mark.skipif(ctypes.util.find_library("asound") is None, reason="no libasound")
def test_the_back_end_and_the_miniaudio_wrapper_work_side_by_side_in_either_order(
    tmp_path: Path, order: str
) -> None:
    """Both define the C side's callbacks (`ffi.def_extern`), and the last one wins: each
    hands the call to the device's own object, so both kinds of device keep working."""
    capture = tmp_path / "capture.raw"
    asoundrc_capturing_to(tmp_path, capture)

    result = run_in_home(tmp_path, ALONGSIDE_THE_WRAPPER, order)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout)["their_callbacks"] > 5
    captured = capture.read_bytes()
    ours_first = captured.find(b"\x11\x22" * 4410)
    theirs = captured.find(b"\x33\x44" * 441, ours_first)
    ours_again = captured.find(b"\x55\x66" * 4410, theirs)
    assert 0 <= ours_first < theirs < ours_again


class _StoppedDevice:
    """Stands in for miniaudio's C library: a device that stops by itself `stops` times
    after each start (always, by default)."""

    MA_SUCCESS = 0

    def __init__(self, stops: int | None = None) -> None:
        self.started = 0
        self.stops = stops

    def ma_device_is_started(self, device: object) -> int:
        if self.stops is None:
            return 0
        if self.stops > 0:
            self.stops -= 1
            return 0
        return 1

    def ma_device_start(self, device: object) -> int:
        self.started += 1
        return 0

    def ma_device_stop(self, device: object) -> int:
        return 0


def _taken(backend: MiniaudioBackend, periods: int) -> bytes:
    """What the device's callback takes in `periods` periods of 10 ms."""
    assert backend._feeder is not None
    return b"".join(bytes(backend._feeder.send(441)) for _ in range(periods))


def test_each_stream_reaches_the_device_after_two_periods_of_silence() -> None:
    backend = MiniaudioBackend()
    backend._lib, backend._device = _StoppedDevice(stops=0), object()
    pcm = bytes(range(256)) * 10  # 1280 frames
    backend.start(pcm)
    assert MINIAUDIO_LEAD_FRAMES == 2 * 441
    assert _taken(backend, 6) == bytes(2 * 882) + pcm  # then the tail, given as nothing


def test_a_device_that_stops_by_itself_in_the_lead_plays_the_whole_stream_once_more() -> None:
    """miniaudio's ALSA code can stop a device just after it starts, when its callback
    has taken the first period or two (seen on ALSA's file capture: the first period
    never arrives, the second does): the stream starts again from the lead, so no
    sample of the prompt is lost or heard twice."""
    backend = MiniaudioBackend()
    fake = _StoppedDevice(stops=1)
    backend._lib, backend._device = fake, object()
    pcm = bytes(range(256)) * 40  # 5120 frames
    backend.start(pcm)
    assert _taken(backend, 2) == bytes(2 * 882)
    assert backend.poll() is True  # started again, not lost
    assert backend.poll() is True  # and running
    assert fake.started == 2
    assert _taken(backend, 14)[: 2 * 882 + len(pcm)] == bytes(2 * 882) + pcm
    assert backend._stopped_by_itself == 0


def test_a_device_that_stops_by_itself_mid_stream_goes_on_from_one_buffer_before() -> None:
    backend = MiniaudioBackend()
    backend._lib, backend._device = _StoppedDevice(stops=1), object()
    pcm = bytes(range(256)) * 100  # 12800 frames
    backend.start(pcm)
    _taken(backend, 12)  # the lead and 10 periods of the prompt
    assert backend.poll() is True
    # The device's 3 periods and the one miniaudio holds are given again: 40 ms.
    assert MINIAUDIO_REPLAY_FRAMES == 4 * 441
    assert _taken(backend, 2) == pcm[6 * 882 : 8 * 882]


def test_a_stream_is_lost_only_when_its_device_stops_twice_and_only_repeats_fail() -> None:
    backend = MiniaudioBackend()
    fake = _StoppedDevice()
    backend._lib, backend._device = fake, object()
    for _ in range(MINIAUDIO_STOPS_BEFORE_FAILING - 1):
        backend.start(b"\x01\x00" * 4410)
        assert backend.poll() is True  # stopped by itself: started once more
        assert backend.poll() is False  # stopped again: that stream ended early
    backend.start(b"\x01\x00" * 4410)
    assert backend.poll() is True
    assert fake.started == 2 * MINIAUDIO_STOPS_BEFORE_FAILING
    with pytest.raises(BackendError, match="stopped by itself 3 times running"):
        backend.poll()
