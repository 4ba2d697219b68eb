"""The miniaudio back-end: which system audio APIs it may use, how it feeds the device,
and, through ALSA's file capture, that the device runs only while a stream plays, that
stop cuts a stream, and that a prompt's first samples come promptly."""

from __future__ import annotations

import ctypes.util
import json

import pytest

from tests.sound.test_alsa_capture import asoundrc_capturing_to, run_in_home
from walkcoach.sound.backends import MiniaudioBackend, _MiniaudioStream, miniaudio_device_backends
from walkcoach.sound.stream import frames

LATENCY_TARGET_MS = 20.0


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32", "freebsd13", "openbsd7"])
def test_the_null_device_and_jack_are_never_among_the_apis_tried(platform: str) -> None:
    apis = miniaudio_device_backends(platform)
    assert apis
    assert "NULL" not in apis and "JACK" not in apis
    miniaudio = pytest.importorskip("miniaudio")
    for api in apis:
        assert miniaudio.Backend[api] is not miniaudio.Backend.NULL


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
