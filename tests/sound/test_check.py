"""`sound_check`: plays every cue and a spoken sample, names them and the back-end, and
says whether it worked."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.sound import make_sound_folders
from walkcoach.cues import CUES
from walkcoach.sound import BackendError, CuePlayer, default_backends, make_player
from walkcoach.sound.backends import SilentBackend
from walkcoach.sound.check import PlayerFactory, sound_check
from walkcoach.sound.stream import Library, assemble
from walkcoach.voice import VoiceSettings, sample

SAMPLE_CLIPS = sample(VoiceSettings(), 0.0).clips


class Device:
    audible = True

    def __init__(self, name: str, fail_on: bytes | None = None) -> None:
        self.name = name
        self.fail_on = fail_on
        self.streams: list[bytes] = []

    def probe(self) -> None:
        return None

    def start(self, pcm: bytes) -> None:
        if pcm == self.fail_on:
            raise BackendError("device unplugged")
        self.streams.append(pcm)

    def stop(self) -> None:
        return None

    def poll(self) -> bool:
        return False

    def close(self) -> None:
        return None


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path, Library]:
    return make_sound_folders(tmp_path, dict.fromkeys(SAMPLE_CLIPS, 0.01))


def factory_for(folders: tuple[Path, Path, Library], *backends: object) -> Callable[..., CuePlayer]:
    sounds, voice, _ = folders

    def factory(
        *, bell: Callable[[], None] | None = None, notify: Callable[[str], None] | None = None
    ) -> CuePlayer:
        return make_player(
            notify=notify,
            backends=backends,  # type: ignore[arg-type]
            sounds=sounds,
            voice=voice,
        )

    return factory


def test_plays_every_cue_in_order_then_speaks_the_sample(
    folders: tuple[Path, Path, Library],
) -> None:
    device = Device("miniaudio (ALSA)")
    out = io.StringIO()

    status = sound_check(out, factory_for(folders, device), pause_s=0)

    assert status == 0
    library = folders[2]
    spoken = sample(VoiceSettings(), 0.0)
    assert device.streams == [library.earcons[cue] for cue in CUES] + [assemble(spoken, library)]
    lines = out.getvalue().splitlines()
    assert lines[0] == "Sound back-end: miniaudio (ALSA)"
    for cue, line in zip(CUES, lines[1:], strict=False):
        assert line.split()[0] == cue
        assert line.endswith("(miniaudio (ALSA))")
    assert lines[len(CUES) + 1] == f'  voice        "{spoken.text}"'
    assert lines[-1] == "Sound works through miniaudio (ALSA)."
    assert "missing" not in out.getvalue()


def test_says_when_the_voice_clips_are_missing(tmp_path: Path) -> None:
    sounds, _, _ = make_sound_folders(tmp_path, {})
    device = Device("miniaudio (ALSA)")

    def factory(**kwargs: object) -> CuePlayer:
        return make_player(backends=[device], sounds=sounds, voice=tmp_path / "no-voice")

    out = io.StringIO()
    status = sound_check(out, factory, pause_s=0)

    assert status == 0
    assert "The voice is missing from this installation (sample, backward_next" in out.getvalue()
    assert len(device.streams) == len(CUES) + 1  # the sample's tone still plays


def test_reports_a_back_end_change_during_the_check(folders: tuple[Path, Path, Library]) -> None:
    out = io.StringIO()
    halfway = folders[2].earcons["halfway"]

    status = sound_check(
        out, factory_for(folders, Device("miniaudio", halfway), Device("aplay")), 0
    )

    text = out.getvalue()
    assert status == 0
    assert "Sound: miniaudio failed (device unplugged); now using aplay" in text
    assert "(aplay)" in text.split("halfway")[1]


def test_fails_when_only_silence_is_left(folders: tuple[Path, Path, Library]) -> None:
    out = io.StringIO()

    status = sound_check(out, factory_for(folders, SilentBackend()), pause_s=0)

    assert status == 1
    assert "No audible back-end works" in out.getvalue()


def bell_only(folders: tuple[Path, Path, Library]) -> PlayerFactory:
    """A player factory whose only back-end is the terminal bell the check hands it."""
    sounds, voice, _ = folders

    def only_the_bell(
        *, bell: Callable[[], None] | None = None, notify: Callable[[str], None] | None = None
    ) -> CuePlayer:
        assert bell is not None
        return make_player(
            notify=notify, backends=[default_backends(bell)[-2]], sounds=sounds, voice=voice
        )

    return only_the_bell


class Terminal(io.StringIO):
    """Output that says it is a terminal, as the sound check's is when run by hand."""

    def isatty(self) -> bool:
        return True


def test_the_bell_rings_only_on_a_terminal(folders: tuple[Path, Path, Library]) -> None:
    only_the_bell = bell_only(folders)

    into_a_file = io.StringIO()  # `walkcoach sound-check > file`: no BEL bytes in it
    assert sound_check(into_a_file, only_the_bell, pause_s=0) == 1
    assert "\a" not in into_a_file.getvalue()
    assert "Sound back-end: terminal bell" in into_a_file.getvalue()


def test_the_bell_is_rung_but_the_check_fails_when_nothing_better_works(
    folders: tuple[Path, Path, Library],
) -> None:
    only_the_bell = bell_only(folders)

    out = Terminal()
    status = sound_check(out, only_the_bell, pause_s=0)

    # A bell cannot tell a turn from a tick, so a walk by ear is not possible.
    assert status == 1
    assert out.getvalue().count("\a") == len(CUES) + 1  # every tone, and the sample
    assert "Sound back-end: terminal bell" in out.getvalue()
    assert "same for every cue" in out.getvalue()
