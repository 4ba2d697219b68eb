"""Real playback through ALSA, captured to a file instead of a sound card.

Each test runs the player in a fresh Python process whose HOME holds an `.asoundrc`,
so ALSA reads that configuration rather than the machine's. The `file` plugin with a
`null` slave writes every sample the application plays to `capture.raw` (appending,
through `cat >>`, because the plugin reopens its file on every play) and then discards
it at once, so no sound card is needed. Needs libasound and the `sound` extra.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from walkcoach.cues import CUES
from walkcoach.resources import sounds_dir

pytestmark = [
    pytest.mark.alsa,
    pytest.mark.skipif(
        importlib.util.find_spec("simpleaudio") is None, reason="simpleaudio is not installed"
    ),
]

REPO = Path(__file__).resolve().parents[2]

PLAY_EVERY_CUE = """
import sys
from walkcoach.cues import CUES
from walkcoach.resources import sounds_dir
from walkcoach.sound import make_player
from walkcoach.sound.backends import {backend}

player = make_player(notify=print, backends=[{backend}({args})])
assert player.wait_ready(10)
print(player.backend_name)
for cue in CUES:
    player.play(cue)
    assert player.drain(10)
player.close()
"""


def asoundrc_capturing_to(home: Path, capture: Path) -> None:
    home.joinpath(".asoundrc").write_text(
        "pcm.!default {\n"
        "    type file\n"
        '    slave.pcm "null"\n'
        f'    file "|cat >> {capture}"\n'
        '    format "raw"\n'
        "}\n"
    )


def run_in_home(home: Path, code: str) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def cue_pcm(cue: str) -> bytes:
    with wave.open(str(sounds_dir() / f"{cue}.wav"), "rb") as wav:
        return wav.readframes(wav.getnframes())


def test_simpleaudio_plays_every_cue_sample_for_sample(tmp_path: Path) -> None:
    capture = tmp_path / "capture.raw"
    asoundrc_capturing_to(tmp_path, capture)

    result = run_in_home(
        tmp_path, PLAY_EVERY_CUE.format(backend="SimpleaudioBackend", args="sounds_dir()")
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["simpleaudio"]
    assert result.stderr == ""
    captured = capture.read_bytes()
    position = 0
    for cue in CUES:
        found = captured.find(cue_pcm(cue), position)
        assert found >= 0, f"{cue} is missing from the capture (or out of order)"
        position = found + len(cue_pcm(cue))


@pytest.mark.skipif(shutil.which("aplay") is None, reason="aplay is not installed")
def test_aplay_plays_every_cue_into_the_capture(tmp_path: Path) -> None:
    capture = tmp_path / "capture.raw"
    asoundrc_capturing_to(tmp_path, capture)

    result = run_in_home(
        tmp_path,
        PLAY_EVERY_CUE.format(
            backend="SystemPlayerBackend", args="'aplay', ('aplay', '-q'), sounds_dir()"
        ),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["aplay"]
    captured = capture.read_bytes()
    for cue in CUES:
        assert cue_pcm(cue) in captured, f"{cue} is missing from the capture"


def test_with_no_sound_card_the_player_prints_nothing(tmp_path: Path) -> None:
    result = run_in_home(
        tmp_path,
        "from walkcoach.sound import make_player\n"
        "player = make_player()\n"
        "assert player.wait_ready(10)\n"
        "for cue in ('tick', 'to_backward', 'finish'):\n"
        "    player.play(cue)\n"
        "    assert player.drain(10)\n"
        "player.close()\n",
    )

    assert result.returncode == 0
    assert (result.stdout, result.stderr) == ("", "")


def test_without_the_handler_libasound_would_write_to_the_terminal(tmp_path: Path) -> None:
    """The control for the test above: this machine really does make ALSA complain."""
    result = run_in_home(
        tmp_path,
        "import simpleaudio\n"
        "try:\n"
        "    simpleaudio.play_buffer(b'\\0\\0' * 441, 1, 2, 44100).wait_done()\n"
        "except Exception:\n"
        "    pass\n",
    )
    if result.stderr == "":
        pytest.skip("this machine's default ALSA device works, so there is nothing to silence")
    assert "ALSA lib" in result.stderr
