"""CuePlayer: back-end fallback, failure handling, muting and never blocking the caller.

The only fakes are back-ends (the audio-device edge) and, for the system player, tiny
Python programs standing in for `aplay` and friends.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from walkcoach.cues import CUES
from walkcoach.resources import sounds_dir
from walkcoach.sound import BackendError, CuePlayer, default_backends, make_player
from walkcoach.sound.backends import SystemPlayerBackend

WAIT_S = 5.0


class FakeBackend:
    """A back-end that records cues and fails or blocks on request."""

    audible = True

    def __init__(
        self,
        name: str,
        *,
        probe_error: Exception | None = None,
        play_error: Exception | None = None,
        poll_error: Exception | None = None,
    ) -> None:
        self.name = name
        self.probe_error = probe_error
        self.play_error = play_error
        self.poll_error = poll_error
        self.probed = False
        self.closed = False
        self.played: list[str] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def probe(self) -> None:
        self.probed = True
        if self.probe_error is not None:
            raise self.probe_error

    def play(self, cue: str) -> None:
        self.entered.set()
        self.release.wait(WAIT_S)
        if self.play_error is not None:
            raise self.play_error
        self.played.append(cue)

    def poll(self) -> bool:
        if self.poll_error is not None and self.played:
            raise self.poll_error
        return False

    def close(self) -> None:
        self.closed = True


class BlockingProbe(FakeBackend):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.probe_may_finish = threading.Event()

    def probe(self) -> None:
        super().probe()
        self.probe_may_finish.wait(WAIT_S)


@pytest.fixture
def notices() -> list[str]:
    return []


@pytest.fixture
def players() -> Iterator[list[CuePlayer]]:
    made: list[CuePlayer] = []
    yield made
    for player in made:
        player.close()


def build(
    players: list[CuePlayer], notices: list[str], *backends: FakeBackend, **kwargs: object
) -> CuePlayer:
    player = make_player(notify=notices.append, backends=backends, **kwargs)  # type: ignore[arg-type]
    players.append(player)
    assert player.wait_ready(WAIT_S)
    return player


def test_the_first_back_end_that_probes_well_is_used(
    players: list[CuePlayer], notices: list[str]
) -> None:
    broken = FakeBackend("simpleaudio", probe_error=BackendError("no device"))
    aplay, bell = FakeBackend("aplay"), FakeBackend("terminal bell")
    player = build(players, notices, broken, aplay, bell)

    player.play("tick")
    assert player.drain(WAIT_S)

    assert player.backend_name == "aplay"
    assert aplay.played == ["tick"]
    assert bell.played == []
    assert not bell.probed
    assert notices == []


def test_a_back_end_failing_while_playing_is_dropped_for_the_next_one(
    players: list[CuePlayer], notices: list[str]
) -> None:
    failing = FakeBackend("simpleaudio", play_error=BackendError("device unplugged"))
    aplay = FakeBackend("aplay")
    player = build(players, notices, failing, aplay)

    player.play("to_backward")
    player.play("tick")
    assert player.drain(WAIT_S)

    assert player.backend_name == "aplay"
    assert aplay.played == ["to_backward", "tick"]
    assert failing.closed
    assert notices == ["Sound: simpleaudio failed (device unplugged); now using aplay"]


def test_a_failure_noticed_after_playing_also_drops_the_back_end(
    players: list[CuePlayer], notices: list[str]
) -> None:
    late = FakeBackend("paplay", poll_error=BackendError("exit status 1"))
    bell = FakeBackend("terminal bell")
    player = build(players, notices, late, bell)

    player.play("next")
    assert player.drain(WAIT_S)
    player.play("finish")
    assert player.drain(WAIT_S)

    assert late.played == ["next"]
    assert bell.played == ["finish"]
    assert notices == ["Sound: paplay failed (exit status 1); now using terminal bell"]


def test_when_every_back_end_fails_the_player_goes_silent(
    players: list[CuePlayer], notices: list[str]
) -> None:
    only = FakeBackend("aplay", play_error=OSError("Input/output error"))
    player = build(players, notices, only)

    player.play("halfway")
    assert player.drain(WAIT_S)

    assert player.backend_name == "silent"
    assert not player.audible
    assert notices == ["Sound: aplay failed (Input/output error); now using silent"]


def test_a_disabled_player_is_silent_and_probes_nothing(
    players: list[CuePlayer], notices: list[str]
) -> None:
    device = FakeBackend("simpleaudio")
    player = build(players, notices, device, enabled=False)

    player.play("tick")
    assert player.drain(WAIT_S)

    assert player.backend_name == "silent"
    assert not player.audible
    assert not device.probed
    assert device.played == []


def test_a_muted_player_plays_nothing_until_unmuted(
    players: list[CuePlayer], notices: list[str]
) -> None:
    device = FakeBackend("simpleaudio")
    player = build(players, notices, device)

    player.muted = True
    player.play("prepare")
    player.muted = False
    player.play("next")
    assert player.drain(WAIT_S)

    assert device.played == ["next"]


def test_play_returns_while_the_back_end_is_still_busy(
    players: list[CuePlayer], notices: list[str]
) -> None:
    slow = FakeBackend("simpleaudio")
    slow.release.clear()
    player = build(players, notices, slow)

    player.play("to_forward")
    assert slow.entered.wait(WAIT_S)
    player.play("tick")  # the back-end is stuck in the first play; this must not wait for it

    assert not slow.release.is_set()
    assert slow.played == []
    slow.release.set()
    assert player.drain(WAIT_S)
    assert slow.played == ["to_forward", "tick"]


def test_building_a_player_does_not_wait_for_probing(
    players: list[CuePlayer], notices: list[str]
) -> None:
    slow = BlockingProbe("simpleaudio")
    player = make_player(backends=[slow])
    players.append(player)

    assert player.backend_name == "detecting"
    assert not player.audible
    player.play("tick")  # queued until probing ends
    slow.probe_may_finish.set()
    assert player.drain(WAIT_S)
    assert slow.played == ["tick"]
    assert player.backend_name == "simpleaudio"


def test_a_cue_that_waited_too_long_is_dropped_rather_than_played_late(
    players: list[CuePlayer],
) -> None:
    now = [0.0]
    slow = BlockingProbe("simpleaudio")
    player = CuePlayer([slow], clock=lambda: now[0], stale_after_s=1.0)
    players.append(player)

    player.play("tick")
    now[0] = 3.0
    slow.probe_may_finish.set()
    player.play("next")
    assert player.drain(WAIT_S)

    assert slow.played == ["next"]


def test_nothing_escapes_from_play_notify_or_close(players: list[CuePlayer]) -> None:
    def broken_notify(message: str) -> None:
        raise RuntimeError("the app is gone")

    failing = FakeBackend("simpleaudio", play_error=RuntimeError("segfault averted"))
    player = make_player(notify=broken_notify, backends=[failing, FakeBackend("aplay")])
    players.append(player)

    player.play("tick")
    player.play("no such cue")
    player.play(None)  # type: ignore[arg-type]
    assert player.drain(WAIT_S)
    player.close()
    player.close()
    player.play("tick")

    assert player.backend_name == "aplay"


def test_close_stops_the_sound_thread_and_releases_the_back_end() -> None:
    device = FakeBackend("simpleaudio")
    player = make_player(backends=[device])
    assert player.wait_ready(WAIT_S)

    player.close()

    assert device.closed
    assert not any(t.name == "walkcoach-sound" and t.is_alive() for t in threading.enumerate())


def test_the_default_order_is_simpleaudio_system_players_bell_then_silence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    names = [b.name for b in default_backends(sounds_dir(), bell=lambda: None)]
    assert names == [
        "simpleaudio",
        "paplay",
        "pw-play",
        "aplay",
        "afplay",
        "terminal bell",
        "silent",
    ]


def test_without_a_bell_or_sound_files_only_silence_remains() -> None:
    assert [b.name for b in default_backends(None)] == ["silent"]


# --- the system-player back-end, driven by small stand-in programs -------------------


def fake_player(tmp_path: Path, body: str) -> list[str]:
    """A command that behaves like a player: gets the WAV path as its last argument."""
    script = tmp_path / "player.py"
    script.write_text(textwrap.dedent(body))
    return [sys.executable, str(script)]


def test_a_system_player_that_exits_0_is_probed_and_plays_each_cue(tmp_path: Path) -> None:
    log = tmp_path / "played.txt"
    command = fake_player(
        tmp_path,
        f"""
        import sys
        with open({str(log)!r}, "a") as f:
            f.write(sys.argv[-1] + "\\n")
        """,
    )
    backend = SystemPlayerBackend("fakeplay", command, sounds_dir())
    backend.probe()
    backend.play("tick")
    while backend.poll():
        pass

    lines = log.read_text().splitlines()
    assert lines[0].endswith("probe.wav")
    assert lines[1] == str(sounds_dir() / "tick.wav")


def test_a_system_player_that_fails_its_probe_is_not_used(tmp_path: Path) -> None:
    backend = SystemPlayerBackend("fakeplay", fake_player(tmp_path, "raise SystemExit(1)"), Path())
    with pytest.raises(BackendError, match="exit status 1"):
        backend.probe()


def test_a_missing_system_player_is_not_used() -> None:
    backend = SystemPlayerBackend("nope", ["walkcoach-no-such-player"], Path())
    with pytest.raises(BackendError, match="not installed"):
        backend.probe()


def test_a_system_player_failing_later_is_replaced_with_a_notice(
    tmp_path: Path, players: list[CuePlayer], notices: list[str]
) -> None:
    command = fake_player(
        tmp_path,
        """
        import sys
        raise SystemExit(0 if sys.argv[-1].endswith("probe.wav") else 2)
        """,
    )
    bell = FakeBackend("terminal bell")
    player = make_player(
        notify=notices.append,
        backends=[SystemPlayerBackend("fakeplay", command, sounds_dir()), bell],
    )
    players.append(player)

    player.play("to_backward")
    assert player.drain(WAIT_S)
    player.play("tick")
    assert player.drain(WAIT_S)

    assert notices == ["Sound: fakeplay failed (exit status 2); now using terminal bell"]
    assert bell.played == ["tick"]


def test_a_system_player_cannot_write_to_the_terminal(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    command = fake_player(
        tmp_path,
        """
        import os, sys
        os.write(1, b"player stdout\\n")
        os.write(2, b"ALSA lib pcm.c: Unknown PCM default\\n")
        """,
    )
    backend = SystemPlayerBackend("fakeplay", command, sounds_dir())
    backend.probe()
    backend.play("finish")
    while backend.poll():
        pass

    assert capfd.readouterr() == ("", "")


def test_a_system_player_gets_no_stdin(tmp_path: Path) -> None:
    seen = tmp_path / "stdin.txt"
    command = fake_player(
        tmp_path,
        f"""
        import sys
        open({str(seen)!r}, "w").write(repr(sys.stdin.read()))
        """,
    )
    SystemPlayerBackend("fakeplay", command, sounds_dir()).probe()
    assert seen.read_text() == "''"


def test_importing_the_sound_package_loads_no_audio_library_and_no_textual() -> None:
    code = (
        "import sys, walkcoach.sound, walkcoach.sound.check; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('simpleaudio', '_simpleaudio', 'textual', 'ctypes', 'winsound')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "[]"


def test_every_cue_name_is_accepted() -> None:
    device = FakeBackend("simpleaudio")
    player = make_player(backends=[device])
    for cue in CUES:
        player.play(cue)
    assert player.drain(WAIT_S)
    player.close()
    assert device.played == list(CUES)
