"""Real playback through ALSA, captured to a file instead of a sound card.

Each test runs the player in a fresh Python process whose HOME holds an `.asoundrc`,
so ALSA reads that configuration rather than the machine's. The `file` plugin with a
`null` slave writes every sample the application plays to `capture.raw` (appending,
through `cat >>`, because the plugin reopens its file on every play) and then discards
it at once, so no sound card is needed. Needs libasound; simpleaudio and aplay are
tested when installed.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import shutil
from pathlib import Path

import pytest

from tests.support.sound import (
    TURN_PROMPT,
    asoundrc_capturing_to,
    cue_pcm,
    expected_stream,
    run_in_home,
    tone_voice_folder,
)
from walkcoach.cues import CUES

pytestmark = [
    pytest.mark.alsa,
    pytest.mark.skipif(ctypes.util.find_library("asound") is None, reason="no libasound"),
]


PLAY_CUES_AND_PROMPT = """
import sys
from pathlib import Path
from walkcoach.cues import CUES
from walkcoach.sound import make_player
from walkcoach.sound.backends import {backend}
from walkcoach.voice import Prompt

player = make_player(notify=print, backends=[{backend}({args})], voice=Path(sys.argv[1]))
assert player.wait_ready(10)
print(player.backend_name)
for cue in CUES:
    player.play(cue)
    assert player.drain(10)
player.say({prompt!r})
assert player.drain(10)
player.close()
"""


def play_into_capture(tmp_path: Path, backend: str, args: str = "") -> tuple[str, bytes]:
    """Plays every cue, then the prompt, through `backend`; (its name, the capture)."""
    capture = tmp_path / "capture.raw"
    asoundrc_capturing_to(tmp_path, capture)
    code = PLAY_CUES_AND_PROMPT.format(backend=backend, args=args, prompt=TURN_PROMPT)
    result = run_in_home(tmp_path, code, str(tone_voice_folder(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.strip(), capture.read_bytes()


def assert_in_order(captured: bytes, streams: list[bytes]) -> None:
    position = 0
    for index, stream in enumerate(streams):
        found = captured.find(stream, position)
        assert found >= 0, f"stream {index} is missing from the capture (or out of order)"
        position = found + len(stream)


def test_miniaudio_plays_every_cue_and_a_prompt_sample_for_sample(tmp_path: Path) -> None:
    name, captured = play_into_capture(tmp_path, "MiniaudioBackend")

    assert name == "miniaudio (ALSA)"
    assert_in_order(captured, [cue_pcm(cue) for cue in CUES] + [expected_stream()])


@pytest.mark.skipif(
    importlib.util.find_spec("simpleaudio") is None, reason="simpleaudio is not installed"
)
def test_simpleaudio_plays_every_cue_and_a_prompt_sample_for_sample(tmp_path: Path) -> None:
    name, captured = play_into_capture(tmp_path, "SimpleaudioBackend")

    assert name == "simpleaudio"
    assert_in_order(captured, [cue_pcm(cue) for cue in CUES] + [expected_stream()])


@pytest.mark.skipif(shutil.which("aplay") is None, reason="aplay is not installed")
def test_aplay_plays_every_cue_and_a_prompt_into_the_capture(tmp_path: Path) -> None:
    name, captured = play_into_capture(tmp_path, "SystemPlayerBackend", "'aplay', ('aplay', '-q')")

    assert name == "aplay"
    assert_in_order(captured, [cue_pcm(cue) for cue in CUES] + [expected_stream()])


def test_with_no_device_miniaudio_fails_its_probe_instead_of_going_silent(
    tmp_path: Path,
) -> None:
    result = run_in_home(
        tmp_path,
        "from walkcoach.sound.backends import BackendError, MiniaudioBackend\n"
        "backend = MiniaudioBackend()\n"
        "try:\n"
        "    backend.probe()\n"
        "except BackendError as exc:\n"
        "    raise SystemExit(3)\n"
        "raise SystemExit(backend.name)\n",
    )

    assert result.returncode == 3, result.stderr
    assert (result.stdout, result.stderr) == ("", "")


def test_with_no_sound_card_the_player_prints_nothing(tmp_path: Path) -> None:
    result = run_in_home(
        tmp_path,
        "from walkcoach.sound import make_player\n"
        "from walkcoach.voice import VoiceSettings, sample\n"
        "player = make_player()\n"
        "assert player.wait_ready(10)\n"
        "for cue in ('tick', 'to_backward', 'finish'):\n"
        "    player.play(cue)\n"
        "    assert player.drain(10)\n"
        "player.say(sample(VoiceSettings(), 0.0))\n"
        "assert player.drain(30)\n"
        "assert not player.backend_name.startswith('miniaudio'), player.backend_name\n"
        "player.close()\n",
    )

    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")


def test_without_the_handler_libasound_would_write_to_the_terminal(tmp_path: Path) -> None:
    """The control for the two tests above: this machine really does make ALSA complain."""
    result = run_in_home(
        tmp_path,
        "import miniaudio\n"
        "try:\n"
        "    miniaudio.PlaybackDevice(nchannels=1, backends=[miniaudio.Backend.ALSA])\n"
        "except miniaudio.MiniaudioError:\n"
        "    pass\n",
    )
    if result.stderr == "":
        pytest.skip("this machine's default ALSA device works, so there is nothing to silence")
    assert "ALSA lib" in result.stderr
