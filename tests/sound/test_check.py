"""`sound_check`: plays every cue, names them and the back-end, and says whether it worked."""

from __future__ import annotations

import io
from collections.abc import Callable

from walkcoach.cues import CUES
from walkcoach.sound import BackendError, CuePlayer, default_backends, make_player
from walkcoach.sound.backends import SilentBackend
from walkcoach.sound.check import sound_check


class Device:
    audible = True

    def __init__(self, name: str, fail_on: str | None = None) -> None:
        self.name = name
        self.fail_on = fail_on
        self.played: list[str] = []

    def probe(self) -> None:
        return None

    def play(self, cue: str) -> None:
        if cue == self.fail_on:
            raise BackendError("device unplugged")
        self.played.append(cue)

    def poll(self) -> bool:
        return False

    def close(self) -> None:
        return None


def factory_for(*backends: object) -> Callable[..., CuePlayer]:
    def factory(
        *, bell: Callable[[], None] | None = None, notify: Callable[[str], None] | None = None
    ) -> CuePlayer:
        return make_player(notify=notify, backends=backends)  # type: ignore[arg-type]

    return factory


def test_plays_every_cue_in_order_naming_each_and_the_back_end() -> None:
    device = Device("simpleaudio")
    out = io.StringIO()

    status = sound_check(out, factory_for(device), pause_s=0)

    assert status == 0
    assert device.played == list(CUES)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Sound back-end: simpleaudio"
    for cue, line in zip(CUES, lines[1:], strict=False):
        assert line.split()[0] == cue
        assert line.endswith("(simpleaudio)")
    assert lines[-1] == "Sound works through simpleaudio."


def test_reports_a_back_end_change_during_the_check() -> None:
    out = io.StringIO()

    status = sound_check(out, factory_for(Device("simpleaudio", "halfway"), Device("aplay")), 0)

    text = out.getvalue()
    assert status == 0
    assert "Sound: simpleaudio failed (device unplugged); now using aplay" in text
    assert "(aplay)" in text.split("halfway")[1]


def test_fails_when_only_silence_is_left() -> None:
    out = io.StringIO()

    status = sound_check(out, factory_for(SilentBackend()), pause_s=0)

    assert status == 1
    assert "No audible back-end works" in out.getvalue()


def make_player_with_only_the_bell(
    *, bell: Callable[[], None] | None = None, notify: Callable[[str], None] | None = None
) -> CuePlayer:
    return make_player(notify=notify, backends=default_backends(None, bell))


def test_the_bell_is_rung_but_the_check_fails_when_nothing_better_works() -> None:
    out = io.StringIO()

    status = sound_check(out, make_player_with_only_the_bell, pause_s=0)

    # A bell cannot tell a turn from a tick, so a walk by ear is not possible.
    assert status == 1
    assert out.getvalue().count("\a") == len(CUES)
    assert "Sound back-end: terminal bell" in out.getvalue()
    assert "same for every cue" in out.getvalue()
