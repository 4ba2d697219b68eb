"""CuePlayer: speaking prompts one stream at a time, back-end fallback, failure handling,
muting and never blocking the caller.

The only fakes are back-ends (the audio-device edge), the clock where lateness is the
point, and, for the system player, tiny Python programs standing in for `aplay` and
friends. The sounds are small WAVs written to a temporary folder, each a distinct
constant value, so a recorded stream shows exactly which clips it holds.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import walkcoach.sound.player as player_module
import walkcoach.sound.stream as stream_module
from tests.support.sound import make_sound_folders, tone_pcm
from walkcoach.cues import CUES
from walkcoach.sound import BackendError, CuePlayer, default_backends, make_player
from walkcoach.sound.backends import BellBackend, SystemPlayerBackend
from walkcoach.sound.schedule import TICK_LATE_S, tone
from walkcoach.sound.stream import Library, assemble, seconds_of
from walkcoach.voice import Prompt

WAIT_S = 5.0

CLIPS = {
    "turn_now": 0.05,
    "walk_backward": 0.05,
    "n3": 0.02,
    "paused": 0.04,
    "resuming": 0.04,
    "halfway": 0.03,
    "five_minutes_left": 0.03,
    "long": 1.5,
}


class Folders(NamedTuple):
    sounds: Path
    voice: Path
    library: Library


@pytest.fixture
def folders(tmp_path: Path) -> Folders:
    return Folders(*make_sound_folders(tmp_path / "assets", CLIPS, earcon_s=0.02))


class FakeBackend:
    """A back-end that records what it was asked to do, when, and fails or blocks on request."""

    audible = True

    def __init__(
        self,
        name: str,
        *,
        probe_error: Exception | None = None,
        start_error: Exception | None = None,
        poll_error: Exception | None = None,
        busy_forever: bool = False,
    ) -> None:
        self.name = name
        self.probe_error = probe_error
        self.start_error = start_error
        self.poll_error = poll_error
        self.busy_forever = busy_forever
        self.probed = False
        self.closed = False
        self.streams: list[bytes] = []
        self.log: list[tuple[str, float]] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def probe(self) -> None:
        self.probed = True
        if self.probe_error is not None:
            raise self.probe_error

    def start(self, pcm: bytes) -> None:
        self.entered.set()
        self.release.wait(WAIT_S)
        if self.start_error is not None:
            raise self.start_error
        self.streams.append(pcm)
        self.log.append(("start", time.monotonic()))

    def stop(self) -> None:
        self.log.append(("stop", time.monotonic()))

    def poll(self) -> bool:
        if self.poll_error is not None and self.streams:
            raise self.poll_error
        return self.busy_forever and bool(self.streams)

    def close(self) -> None:
        self.closed = True


class BlockingProbe(FakeBackend):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.probe_may_finish = threading.Event()

    def probe(self) -> None:
        super().probe()
        self.probe_may_finish.wait(WAIT_S)


class Started(NamedTuple):
    prompt: Prompt
    at: float
    parts_kept: int


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
    players: list[CuePlayer],
    folders: Folders,
    *backends: Any,
    notices: list[str] | None = None,
    started: list[Started] | None = None,
    **kwargs: Any,
) -> CuePlayer:
    player = make_player(
        notify=notices.append if notices is not None else None,
        backends=backends,
        sounds=folders.sounds,
        voice=folders.voice,
        on_start=(lambda *args: started.append(Started(*args))) if started is not None else None,
        **kwargs,
    )
    players.append(player)
    assert player.wait_ready(WAIT_S)
    return player


def spoken(kind: Any, *parts: tuple[str, ...], earcon: Any = None, **times: Any) -> Prompt:
    return Prompt(
        kind, tuple(parts), earcon, times.get("due", time.monotonic()), times.get("deadline")
    )


# --- choosing and dropping back-ends -------------------------------------------------


def test_the_first_back_end_that_probes_well_is_used(
    players: list[CuePlayer], notices: list[str], folders: Folders
) -> None:
    broken = FakeBackend("miniaudio", probe_error=BackendError("no device"))
    aplay, bell = FakeBackend("aplay"), FakeBackend("terminal bell")
    player = build(players, folders, broken, aplay, bell, notices=notices)

    player.play("tick")
    assert player.drain(WAIT_S)

    assert player.backend_name == "aplay"
    assert aplay.streams == [folders.library.earcons["tick"]]
    assert bell.streams == []
    assert not bell.probed
    assert notices == []


def test_a_back_end_failing_to_start_is_dropped_and_the_prompt_plays_on_the_next(
    players: list[CuePlayer], notices: list[str], folders: Folders
) -> None:
    failing = FakeBackend("miniaudio", start_error=BackendError("device unplugged"))
    aplay = FakeBackend("aplay")
    player = build(players, folders, failing, aplay, notices=notices)

    turn = spoken("switch", ("turn_now",), ("walk_backward",), earcon="to_backward")
    player.say(turn)
    assert player.drain(WAIT_S)

    assert player.backend_name == "aplay"
    assert aplay.streams == [assemble(turn, folders.library)]
    assert failing.closed
    assert notices == ["Sound: miniaudio failed (device unplugged); now using aplay"]


def test_a_back_end_that_breaks_mid_stream_is_dropped_and_the_prompt_plays_again(
    players: list[CuePlayer], notices: list[str], folders: Folders
) -> None:
    late = FakeBackend("paplay", poll_error=BackendError("exit status 1"))
    bell = FakeBackend("terminal bell")
    player = build(players, folders, late, bell, notices=notices)

    turn = spoken("switch", ("turn_now",), earcon="to_forward")
    player.say(turn)
    assert player.drain(WAIT_S)
    player.play("finish")
    assert player.drain(WAIT_S)

    assert late.streams == [assemble(turn, folders.library)]
    assert bell.streams == [assemble(turn, folders.library), folders.library.earcons["finish"]]
    assert notices == ["Sound: paplay failed (exit status 1); now using terminal bell"]


def test_a_back_end_that_never_finishes_a_stream_is_dropped(
    players: list[CuePlayer],
    notices: list[str],
    folders: Folders,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(player_module, "STUCK_AFTER_S", 0.2)
    hung, aplay = FakeBackend("simpleaudio", busy_forever=True), FakeBackend("aplay")
    player = build(players, folders, hung, aplay, notices=notices)

    player.play("next")
    assert player.drain(WAIT_S)
    player.play("tick")
    assert player.drain(WAIT_S)

    assert ("stop", pytest.approx(hung.log[0][1], abs=1.0)) in hung.log
    assert aplay.streams == [folders.library.earcons["tick"]]
    assert notices == [
        "Sound: simpleaudio failed (still playing 0.2 s after its end); now using aplay"
    ]


def test_when_every_back_end_fails_the_player_goes_silent(
    players: list[CuePlayer], notices: list[str], folders: Folders
) -> None:
    only = FakeBackend("aplay", start_error=OSError("Input/output error"))
    player = build(players, folders, only, notices=notices)

    player.play("halfway")
    assert player.drain(WAIT_S)

    assert player.backend_name == "silent"
    assert not player.audible
    assert notices == ["Sound: aplay failed (Input/output error); now using silent"]


def test_a_disabled_player_is_silent_and_probes_nothing(
    players: list[CuePlayer], folders: Folders
) -> None:
    device = FakeBackend("miniaudio")
    player = build(players, folders, device, enabled=False)

    player.play("tick")
    assert player.drain(WAIT_S)

    assert player.backend_name == "silent"
    assert not player.audible
    assert not device.probed
    assert device.streams == []


def test_the_bell_rings_once_per_prompt(players: list[CuePlayer], folders: Folders) -> None:
    rings: list[float] = []
    player = build(players, folders, BellBackend(lambda: rings.append(time.monotonic())))

    player.say(spoken("switch", ("turn_now",), ("walk_backward",), earcon="to_backward"))
    assert player.drain(WAIT_S)
    player.play("tick")
    assert player.drain(WAIT_S)

    assert len(rings) == 2


# --- one stream at a time: interrupting, waiting, replacing -------------------------


def test_a_lower_priority_prompt_waits_for_the_stream_playing_to_end(
    players: list[CuePlayer], folders: Folders
) -> None:
    device = FakeBackend("miniaudio")
    started: list[Started] = []
    player = build(players, folders, device, started=started)

    finish = spoken("finish", ("turn_now",), ("walk_backward",), earcon="finish")
    switch = spoken("switch", ("turn_now",), earcon="next")
    tick = spoken("tick", ("n3",), due=time.monotonic() + 1.0)  # else too late to start
    halfway = spoken("halfway", ("halfway",), earcon="halfway")
    for prompt in (finish, switch, tick, halfway):
        player.say(prompt)
    assert player.drain(WAIT_S)

    assert [s.prompt for s in started] == [finish, switch, tick, halfway]
    assert [event for event, _ in device.log] == ["start"] * 4  # nothing was cut
    for (before, pcm), after in zip(
        zip(device.log, device.streams, strict=False), device.log[1:], strict=False
    ):
        assert after[1] >= before[1] + seconds_of(pcm), "two streams overlapped"


def test_a_higher_priority_prompt_cuts_the_one_playing(
    players: list[CuePlayer], folders: Folders
) -> None:
    device = FakeBackend("miniaudio")
    started: list[Started] = []
    player = build(players, folders, device, started=started)

    player.say(spoken("halfway", ("long",), earcon="halfway"))
    assert device.entered.wait(WAIT_S)
    time.sleep(0.1)
    turn = spoken("switch", ("turn_now",), earcon="to_backward")
    player.say(turn)
    assert player.drain(WAIT_S)

    assert [event for event, _ in device.log] == ["start", "stop", "start"]
    assert device.log[1][1] - device.log[0][1] < 1.0, "the long stream was not cut"
    assert device.streams[1] == assemble(turn, folders.library)
    assert [s.prompt.kind for s in started] == ["halfway", "switch"]


def test_a_prompt_about_the_same_topic_replaces_the_one_playing(
    players: list[CuePlayer], folders: Folders
) -> None:
    device = FakeBackend("miniaudio")
    player = build(players, folders, device)

    player.say(spoken("pause", ("paused",), ("long",)))
    assert device.entered.wait(WAIT_S)
    time.sleep(0.1)
    resume = spoken("resume", ("resuming",))
    player.say(resume)
    assert player.drain(WAIT_S)

    assert [event for event, _ in device.log] == ["start", "stop", "start"]
    assert device.streams[-1] == assemble(resume, folders.library)


def test_an_equal_priority_prompt_waits_and_replaces_an_older_one_waiting(
    players: list[CuePlayer], folders: Folders
) -> None:
    device = FakeBackend("miniaudio")
    started: list[Started] = []
    player = build(players, folders, device, started=started)

    first = spoken("time_left", ("long",))
    stale = spoken("halfway", ("halfway",), earcon="halfway")
    newest = spoken("time_left", ("five_minutes_left",))
    player.say(first)
    assert device.entered.wait(WAIT_S)
    player.say(stale)
    player.say(newest)
    assert player.drain(WAIT_S)

    assert [s.prompt for s in started] == [first, newest]
    assert [event for event, _ in device.log] == ["start", "start"]
    assert started[1].at >= started[0].at + seconds_of(device.streams[0])


# --- deadlines and lateness -----------------------------------------------------------


def test_a_prompt_is_cut_to_the_parts_that_end_by_its_deadline(
    players: list[CuePlayer], folders: Folders
) -> None:
    device = FakeBackend("miniaudio")
    started: list[Started] = []
    player = build(players, folders, device, started=started)

    now = time.monotonic()
    turn = spoken(
        "switch",
        ("turn_now",),
        ("walk_backward",),
        ("long",),
        earcon="to_backward",
        due=now,
        deadline=now + 1.0,  # "long" (1.5 s) cannot end by then
    )
    player.say(turn)
    assert player.drain(WAIT_S)

    assert started[0].parts_kept == 2
    assert device.streams == [assemble(turn, folders.library, 2)]
    assert started[0].at + seconds_of(device.streams[0]) <= turn.deadline  # type: ignore[operator]


def test_when_no_part_fits_only_the_earcon_plays_and_without_one_nothing(
    players: list[CuePlayer], folders: Folders
) -> None:
    device = FakeBackend("miniaudio")
    player = build(players, folders, device)

    now = time.monotonic()
    player.say(spoken("prepare", ("long",), earcon="prepare", due=now, deadline=now + 0.5))
    player.say(spoken("halfway", ("long",), due=now, deadline=now + 0.5))
    assert player.drain(WAIT_S)

    assert device.streams == [folders.library.earcons["prepare"]]


def test_a_prompt_waiting_past_its_deadline_is_dropped(
    players: list[CuePlayer], folders: Folders
) -> None:
    device = FakeBackend("miniaudio")
    player = build(players, folders, device)

    now = time.monotonic()
    player.say(spoken("switch", ("long",)))
    assert device.entered.wait(WAIT_S)
    player.say(spoken("halfway", ("halfway",), earcon="halfway", due=now, deadline=now + 1.0))
    assert player.drain(WAIT_S)

    assert len(device.streams) == 1


class JumpingClock:
    """The real monotonic clock, plus whatever jumps a test makes it take."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset


def test_a_late_countdown_tick_is_dropped_and_a_timely_one_plays(
    players: list[CuePlayer], folders: Folders
) -> None:
    device = FakeBackend("miniaudio")
    started: list[Started] = []
    player = build(players, folders, device, started=started)

    now = time.monotonic()
    late = Prompt("tick", (("n3",),), None, now - TICK_LATE_S - 0.05, now + 1)
    timely = Prompt("tick", (("n3",),), None, now - TICK_LATE_S + 0.2, now + 1)
    player.say(late)
    assert player.drain(WAIT_S)
    player.say(timely)
    assert player.drain(WAIT_S)

    assert [s.prompt for s in started] == [timely]


def test_a_tone_that_waited_too_long_is_dropped_rather_than_played_late(
    players: list[CuePlayer], folders: Folders
) -> None:
    clock = JumpingClock()
    slow = BlockingProbe("miniaudio")
    player = CuePlayer(
        [slow], clock=clock, stale_after_s=1.0, sounds=folders.sounds, voice=folders.voice
    )
    players.append(player)

    player.play("tick")
    player.play("halfway")
    clock.offset += 3.0
    slow.probe_may_finish.set()
    player.play("next")
    assert player.drain(WAIT_S)

    assert slow.streams == [folders.library.earcons["next"]]


def test_unknown_clips_are_skipped_and_a_prompt_of_only_unknown_clips_plays_nothing(
    players: list[CuePlayer], folders: Folders
) -> None:
    device = FakeBackend("miniaudio")
    player = build(players, folders, device)

    player.say(spoken("switch", ("no_such_clip", "turn_now"), ("nor_this",)))
    assert player.drain(WAIT_S)
    player.say(spoken("speed", ("speed", "n9", "point", "n5")))
    assert player.drain(WAIT_S)

    assert device.streams == [folders.library.clips["turn_now"]]
    assert player.unknown_clips(spoken("speed", ("turn_now", "n9", "n9"))) == ("n9",)


def test_voice_clips_are_read_on_the_sound_thread_only_when_a_prompt_first_needs_them(
    players: list[CuePlayer], folders: Folders, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[tuple[str, str, str]] = []
    read_pcm = stream_module.read_pcm

    def recording_read_pcm(path: Path) -> bytes | None:
        reads.append((path.parent.name, path.stem, threading.current_thread().name))
        return read_pcm(path)

    monkeypatch.setattr(stream_module, "read_pcm", recording_read_pcm)
    device = FakeBackend("miniaudio")
    player = build(players, folders, device)

    assert {(folder, thread) for folder, _, thread in reads} == {("sounds", "walkcoach-sound")}
    assert player.unknown_clips(spoken("speed", ("turn_now", "n9"))) == ("n9",)
    assert [stem for folder, stem, _ in reads if folder == "voice"] == []

    turn = spoken("switch", ("turn_now",), ("walk_backward", "n3"), earcon="to_backward")
    player.say(turn)
    assert player.drain(WAIT_S)
    player.say(turn)
    assert player.drain(WAIT_S)

    voice_reads = [(stem, thread) for folder, stem, thread in reads if folder == "voice"]
    assert sorted(voice_reads) == [
        ("n3", "walkcoach-sound"),
        ("turn_now", "walkcoach-sound"),
        ("walk_backward", "walkcoach-sound"),
    ]
    assert device.streams == [assemble(turn, folders.library)] * 2


# --- muting, never blocking, never raising --------------------------------------------


def test_a_muted_player_plays_nothing_until_unmuted(
    players: list[CuePlayer], folders: Folders
) -> None:
    device = FakeBackend("miniaudio")
    player = build(players, folders, device)

    player.muted = True
    player.play("prepare")
    player.say(spoken("switch", ("turn_now",)))
    player.muted = False
    player.play("next")
    assert player.drain(WAIT_S)

    assert device.streams == [folders.library.earcons["next"]]


def test_muting_cuts_the_stream_playing_and_drops_what_waits(
    players: list[CuePlayer], folders: Folders
) -> None:
    device = FakeBackend("miniaudio")
    started: list[Started] = []
    player = build(players, folders, device, started=started)

    player.say(spoken("switch", ("long",)))
    player.say(spoken("halfway", ("halfway",)))
    assert device.entered.wait(WAIT_S)
    player.muted = True
    assert player.drain(1.0), "a muted player still waits for the long stream"
    player.muted = False

    assert [event for event, _ in device.log] == ["start", "stop"]
    assert [s.prompt.kind for s in started] == ["switch"]


def test_say_and_play_return_while_the_back_end_is_stuck(
    players: list[CuePlayer], folders: Folders
) -> None:
    slow = FakeBackend("miniaudio")
    slow.release.clear()
    player = build(players, folders, slow)

    player.play("to_forward")
    assert slow.entered.wait(WAIT_S)
    began = time.monotonic()
    player.play("tick")  # the back-end is stuck in the first start; this must not wait
    player.say(spoken("switch", ("turn_now",)))
    player.muted = True
    player.muted = False
    assert time.monotonic() - began < 0.05

    assert slow.streams == []
    slow.release.set()
    assert player.drain(WAIT_S)
    assert slow.streams[0] == folders.library.earcons["to_forward"]


def test_building_a_player_does_not_wait_for_probing(
    players: list[CuePlayer], folders: Folders
) -> None:
    slow = BlockingProbe("miniaudio")
    player = make_player(backends=[slow], sounds=folders.sounds, voice=folders.voice)
    players.append(player)

    assert player.backend_name == "detecting"
    assert not player.audible
    player.play("tick")  # queued until probing ends
    slow.probe_may_finish.set()
    assert player.drain(WAIT_S)
    assert slow.streams == [folders.library.earcons["tick"]]
    assert player.backend_name == "miniaudio"


def test_nothing_escapes_from_say_play_notify_or_close(
    players: list[CuePlayer], folders: Folders
) -> None:
    def broken_notify(message: str) -> None:
        raise RuntimeError("the app is gone")

    def broken_on_start(*args: object) -> None:
        raise RuntimeError("the benchmark is gone")

    failing = FakeBackend("miniaudio", start_error=RuntimeError("segfault averted"))
    aplay = FakeBackend("aplay")
    player = make_player(
        notify=broken_notify,
        backends=[failing, aplay],
        sounds=folders.sounds,
        voice=folders.voice,
        on_start=broken_on_start,
    )
    players.append(player)

    player.play("tick")
    player.play("no such cue")
    player.play(None)  # type: ignore[arg-type]
    player.say(None)  # type: ignore[arg-type]
    player.say(Prompt("no such kind", (("turn_now",),)))  # type: ignore[arg-type]
    player.say(Prompt("switch", "turn_now"))  # type: ignore[arg-type]
    player.say(Prompt("switch", ((None,),), "not a cue", due=None))  # type: ignore[arg-type]
    assert player.drain(WAIT_S)
    player.say(spoken("switch", ("turn_now",)))
    assert player.drain(WAIT_S)
    player.close()
    player.close()
    player.play("tick")
    player.say(spoken("switch", ("turn_now",)))

    assert player.backend_name == "aplay"
    assert aplay.streams[0] == folders.library.earcons["tick"]
    assert aplay.streams[-1] == folders.library.clips["turn_now"]


def test_close_stops_the_sound_thread_cuts_the_stream_and_releases_the_back_end(
    folders: Folders,
) -> None:
    device = FakeBackend("miniaudio")
    player = make_player(backends=[device], sounds=folders.sounds, voice=folders.voice)
    assert player.wait_ready(WAIT_S)
    player.say(spoken("switch", ("long",)))
    assert device.entered.wait(WAIT_S)
    time.sleep(0.05)

    player.close()

    assert [event for event, _ in device.log] == ["start", "stop"]
    assert device.closed
    assert not any(t.name == "walkcoach-sound" and t.is_alive() for t in threading.enumerate())


def test_every_cue_plays_its_tone(players: list[CuePlayer], folders: Folders) -> None:
    device = FakeBackend("miniaudio")
    player = build(players, folders, device)
    for cue in CUES:
        player.play(cue)
        assert player.drain(WAIT_S)
    assert device.streams == [folders.library.earcons[cue] for cue in CUES]
    assert tone("tick", 0).earcon == "tick"


def test_the_shipped_sounds_are_loaded_by_default(players: list[CuePlayer]) -> None:
    device = FakeBackend("miniaudio")
    player = make_player(backends=[device])
    players.append(player)
    player.play("tick")
    assert player.drain(WAIT_S)
    assert len(device.streams) == 1 and len(device.streams[0]) > 1000


# --- the platform's list ---------------------------------------------------------------


def test_the_default_order_is_miniaudio_simpleaudio_system_players_bell_then_silence() -> None:
    names = [b.name for b in default_backends(bell=lambda: None, platform="linux")]
    assert names == [
        "miniaudio",
        "simpleaudio",
        "paplay",
        "pw-play",
        "aplay",
        "afplay",
        "terminal bell",
        "silent",
    ]


def test_on_windows_winsound_follows_simpleaudio_and_without_a_bell_silence_ends() -> None:
    names = [b.name for b in default_backends(platform="win32")]
    assert names == ["miniaudio", "simpleaudio", "winsound", "silent"]


# --- the system-player back-end, driven by small stand-in programs -------------------


def fake_player(tmp_path: Path, body: str) -> list[str]:
    """A command that behaves like a player: gets the WAV path as its last argument."""
    script = tmp_path / "player.py"
    script.write_text(textwrap.dedent(body))
    return [sys.executable, str(script)]


def wait_until_idle(backend: SystemPlayerBackend) -> None:
    deadline = time.monotonic() + WAIT_S
    while backend.poll():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_system_player_plays_each_stream_from_a_temporary_wav(tmp_path: Path) -> None:
    log, copy = tmp_path / "played.txt", tmp_path / "copy.wav"
    command = fake_player(
        tmp_path,
        f"""
        import shutil, sys
        with open({str(log)!r}, "a") as f:
            f.write(sys.argv[-1] + "\\n")
        shutil.copy(sys.argv[-1], {str(copy)!r})
        """,
    )
    backend = SystemPlayerBackend("fakeplay", command)
    backend.probe()
    pcm = tone_pcm(1234, 0.05)
    backend.start(pcm)
    wait_until_idle(backend)

    lines = log.read_text().splitlines()
    assert lines[0].endswith("probe.wav")
    with wave.open(str(copy), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 44100)
        assert wav.readframes(wav.getnframes()) == pcm
    assert not Path(lines[1]).exists(), "the temporary WAV was left behind"
    folder = Path(lines[1]).parent
    backend.close()
    assert not folder.exists()


def test_stopping_a_system_player_kills_it_and_removes_its_file(tmp_path: Path) -> None:
    log = tmp_path / "played.txt"
    command = fake_player(
        tmp_path,
        f"""
        import sys, time
        open({str(log)!r}, "a").write(sys.argv[-1] + "\\n")
        if not sys.argv[-1].endswith("probe.wav"):
            time.sleep(30)
        """,
    )
    backend = SystemPlayerBackend("fakeplay", command)
    backend.probe()
    backend.start(tone_pcm(7, 0.05))
    deadline = time.monotonic() + WAIT_S
    while len(log.read_text().splitlines()) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert backend.poll()

    began = time.monotonic()
    backend.stop()

    assert time.monotonic() - began < 1.0
    assert not backend.poll()
    assert not Path(log.read_text().splitlines()[1]).exists()
    backend.close()


def test_a_system_player_that_fails_its_probe_is_not_used(tmp_path: Path) -> None:
    backend = SystemPlayerBackend("fakeplay", fake_player(tmp_path, "raise SystemExit(1)"))
    with pytest.raises(BackendError, match="exit status 1"):
        backend.probe()


def test_a_missing_system_player_is_not_used() -> None:
    backend = SystemPlayerBackend("nope", ["walkcoach-no-such-player"])
    with pytest.raises(BackendError, match="not installed"):
        backend.probe()


def test_a_system_player_failing_later_is_replaced_with_a_notice(
    tmp_path: Path, players: list[CuePlayer], notices: list[str], folders: Folders
) -> None:
    command = fake_player(
        tmp_path,
        """
        import sys
        raise SystemExit(0 if sys.argv[-1].endswith("probe.wav") else 2)
        """,
    )
    bell = FakeBackend("terminal bell")
    player = build(
        players, folders, SystemPlayerBackend("fakeplay", command), bell, notices=notices
    )

    player.play("to_backward")
    assert player.drain(WAIT_S)
    player.play("tick")
    assert player.drain(WAIT_S)

    assert notices == ["Sound: fakeplay failed (exit status 2); now using terminal bell"]
    assert bell.streams == [folders.library.earcons["to_backward"], folders.library.earcons["tick"]]


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
    backend = SystemPlayerBackend("fakeplay", command)
    backend.probe()
    backend.start(tone_pcm(5, 0.01))
    wait_until_idle(backend)
    backend.close()

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
    backend = SystemPlayerBackend("fakeplay", command)
    backend.probe()
    backend.close()
    assert seen.read_text() == "''"


def test_importing_the_sound_package_loads_no_audio_library_and_no_textual() -> None:
    code = (
        "import sys, walkcoach.sound, walkcoach.sound.check; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('miniaudio', '_miniaudio', 'simpleaudio', '_simpleaudio', 'textual', 'ctypes', "
        "'winsound')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "[]"
