"""A real session spoken into ALSA's file plugin: every prompt the coach should say is
played, whole or cut as its deadline allows, in order, each within 100 ms of its due
time, one stream at a time.

The session runs headless in a fresh process whose HOME holds an `.asoundrc` capturing
to a file; this process watches the file grow and times each burst of samples on the
same monotonic clock (CLOCK_MONOTONIC is shared by every process on the machine). ALSA's
`null` slave takes samples as fast as they come, so a whole stream lands in the capture
within milliseconds of its start: a burst's onset is when the stream started, and its
bytes are the stream. What the coach should say is worked out here, independently of
the app, by replaying the plan through the engine and `walkcoach.voice.Coach` from the
session's start time.

The runs are shared with test_voice_transcript.py (one per back-end per test process),
which listens to the same capture with a speech recognizer.
"""

from __future__ import annotations

import atexit
import ctypes.util
import functools
import importlib.util
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.sound.test_alsa_capture import asoundrc_capturing_to
from walkcoach.engine import Engine, Phase
from walkcoach.plan import loads
from walkcoach.resources import sounds_dir
from walkcoach.sound.stream import Library, assemble, fit, load_library, prefix_seconds, seconds_of
from walkcoach.voice import VOCABULARY, Coach, Prompt, VoiceSettings

pytestmark = [
    pytest.mark.alsa,
    pytest.mark.skipif(ctypes.util.find_library("asound") is None, reason="no libasound"),
]

REPO = Path(__file__).resolve().parents[2]
TOLERANCE_S = 0.100
QUIET_GAP_S = 0.12  # bursts of samples further apart than this are separate streams
OVERLAP_SLACK_S = 0.005  # the watcher's polling jitter
WEIGHT_KG = 70.0
LEAD_IN_S = 10

PLAN = """
format = 1
name = "Capture walk"
[[steps]]
direction = "forward"
duration = 20
speed_kmh = 4.5
[[steps]]
direction = "backward"
duration = 20
speed_kmh = 2.5
[[steps]]
direction = "forward"
duration = 14
speed_kmh = 4.0
"""
"""54 s after a 10 s lead-in, laid out so that no prompt has to wait for another: each
turn call (10 s before a turn) and each turn fits before the next thing due, and the
halfway call (27 s in, 7 s into the backward segment) falls between the turn into it
and the next turn call. `test_the_plan_leaves_every_prompt_room` checks it still does."""

RUN_SESSION = """
import asyncio, json, sys, time
from pathlib import Path
from walkcoach.plan import loads
from walkcoach.sound import make_player
from walkcoach.sound.backends import SimpleaudioBackend
from walkcoach.store.paths import DataDirs
from walkcoach.tui.app import make_app
from walkcoach.tui.launch import GIL_SWITCH_INTERVAL_S
from walkcoach.tui.screens.session import SessionScreen

data, plan, backend, voice = sys.argv[1:5]
started = []

def on_start(prompt, at, kept):
    started.append({"prompt": prompt._asdict(), "at": at, "kept": kept})

sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)  # as `walkcoach run` does
backends = [SimpleaudioBackend()] if backend == "simpleaudio" else None
player = make_player(backends=backends, voice=Path(voice), on_start=on_start)
assert player.wait_ready(10), "no back-end"
app = make_app(DataDirs.in_folder(data), time.monotonic, player,
               start_plan=loads(plan), sound=True, voice=True)
engines = []

async def watch(pilot):
    while app.last_outcome is None:
        if not engines and isinstance(app.screen, SessionScreen):
            engines.append(app.screen.engine)
        await asyncio.sleep(0.02)
    await asyncio.to_thread(player.drain, 15)  # the app runs on meanwhile
    app.exit()

app.run(headless=True, auto_pilot=watch)
player.close()
print(json.dumps({"backend": player.backend_name, "started_at": engines[0].started_at,
                  "started": started}), flush=True)
"""


class Started(NamedTuple):
    """A stream the player started (from its `on_start`): the prompt, when, parts kept."""

    prompt: Prompt
    at: float
    parts_kept: int


@dataclass(frozen=True)
class CapturedSession:
    backend: str
    started_at: float
    started: list[Started]
    raw: bytes
    log: list[tuple[float, int]]  # (monotonic time, capture size) each time it grew
    voice: Path
    wall_s: float

    def library(self) -> Library:
        return load_library(sounds_dir(), self.voice)


class Burst(NamedTuple):
    onset: float
    start: int  # first byte in the capture
    end: int


class Heard(NamedTuple):
    prompt: Prompt
    stream: bytes
    onset: float  # when its first samples reached the capture
    offset: int  # where the stream starts in the capture

    @property
    def late_s(self) -> float:
        return self.onset - self.prompt.due


@functools.cache
def voice_folder() -> Path:
    """The shipped clips when they are all there, else clips rendered for this run."""
    shipped = REPO / "assets" / "voice"
    if all((shipped / f"{name}.wav").is_file() for name in VOCABULARY):
        return shipped
    if shutil.which("flite") is None or shutil.which("sox") is None:
        pytest.skip("assets/voice is incomplete and flite or sox is missing to render it")
    folder = Path(tempfile.mkdtemp(prefix="walkcoach-voice-"))
    atexit.register(shutil.rmtree, folder, True)
    render = [sys.executable, str(REPO / "tools" / "make_voice.py"), "--out", str(folder)]
    subprocess.run(render, check=True, capture_output=True, timeout=300)
    return folder


def watch_file(path: Path, stop: threading.Event, log: list[tuple[float, int]]) -> None:
    size = 0
    while not stop.is_set():
        now = time.monotonic()
        current = path.stat().st_size if path.exists() else 0
        if current > size:
            log.append((now, current))
            size = current
        time.sleep(0.002)


def run_captured_session(home: Path, backend: str, plan: str = PLAN) -> CapturedSession:
    """Runs `plan` for real in a child process, through `backend` ("default": the
    player's own choice; "simpleaudio"), capturing what it plays."""
    voice = voice_folder()
    capture = home / "capture.raw"
    asoundrc_capturing_to(home, capture)
    data = home / "data"
    data.mkdir()
    (data / "profile.toml").write_text(
        f"weight_kg = {WEIGHT_KG}\nsafety_check = false\nlead_in_s = {LEAD_IN_S}\n"
    )
    stop, log = threading.Event(), []
    watcher = threading.Thread(target=watch_file, args=(capture, stop, log), daemon=True)
    watcher.start()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    began = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-c", RUN_SESSION, str(data), plan, backend, str(voice)],
            env=env,
            capture_output=True,
            text=True,
            timeout=150,
        )
    finally:
        time.sleep(0.2)
        stop.set()
        watcher.join()
    wall_s = time.monotonic() - began
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    out = json.loads(result.stdout.splitlines()[-1])
    started = [
        Started(
            Prompt(**{**s["prompt"], "parts": tuple(tuple(p) for p in s["prompt"]["parts"])}),
            s["at"],
            s["kept"],
        )
        for s in out["started"]
    ]
    raw = capture.read_bytes() if capture.exists() else b""
    return CapturedSession(out["backend"], out["started_at"], started, raw, log, voice, wall_s)


BACKENDS = ("default",) + (("simpleaudio",) if importlib.util.find_spec("simpleaudio") else ())


@functools.cache
def _captured_sessions() -> dict[str, CapturedSession | BaseException]:
    """One real session per back-end, run side by side (each in its own process, HOME
    and capture), once per test process: both test files listen to them."""
    voice_folder()  # rendered (or skipped) once, before the runs

    def run(backend: str) -> CapturedSession | BaseException:
        home = Path(tempfile.mkdtemp(prefix=f"walkcoach-capture-{backend}-"))
        atexit.register(shutil.rmtree, home, True)
        try:
            return run_captured_session(home, backend)
        except BaseException as exc:  # raised again in the test that asks for this run
            return exc

    with ThreadPoolExecutor(len(BACKENDS)) as pool:
        return dict(zip(BACKENDS, pool.map(run, BACKENDS), strict=True))


def captured_session(backend: str) -> CapturedSession:
    """The real session played through `backend` ("default" or "simpleaudio")."""
    result = _captured_sessions()[backend]
    if isinstance(result, BaseException):
        raise result
    return result


# --- what should have been said --------------------------------------------------------


def expected_prompts(started_at: float, plan: str = PLAN) -> list[Prompt]:
    """What the session screen asks the player for, replayed on a 1 ms clock."""
    engine = Engine(loads(plan), WEIGHT_KG, lead_in_s=LEAD_IN_S)
    coach = Coach(engine.timeline, VoiceSettings())
    belt = engine.snapshot().speed_kmh
    t = started_at
    events = engine.start(t)
    prompts = [coach.start(t, engine.seconds_free())] if engine.phase is Phase.LEAD_IN else []
    while True:
        if events:
            prompts += coach.events(events, belt, t, engine.seconds_free())
            belt = engine.snapshot().speed_kmh
        if engine.finished:
            break
        t += 0.001
        events = engine.tick(t)
    result = engine.result()
    prompts.append(coach.end(result.finished, result.active_s, result.kcal, t))
    return prompts


def parts_kept(prompt: Prompt, library: Library) -> int:
    """How much of `prompt` fits before its deadline when it starts on time."""
    kept = fit(prompt, prefix_seconds(prompt, library), prompt.due)
    assert kept is not None, f"{prompt.kind} due {prompt.due} cannot start on time"
    return kept


def expected_streams(started_at: float, library: Library) -> list[tuple[Prompt, bytes]]:
    return [
        (prompt, assemble(prompt, library, parts_kept(prompt, library)))
        for prompt in expected_prompts(started_at)
    ]


# --- what was heard ---------------------------------------------------------------------


def bursts(log: list[tuple[float, int]]) -> list[Burst]:
    """Each run of growth separated by quiet: (onset time, first byte, end byte)."""
    found: list[Burst] = []
    previous_size, previous_time = 0, -1.0
    for t, size in log:
        if found and t - previous_time <= QUIET_GAP_S:
            found[-1] = found[-1]._replace(end=size)
        else:
            found.append(Burst(t, previous_size, size))
        previous_size, previous_time = size, t
    return found


def audible_bursts(session: CapturedSession) -> list[Burst]:
    """The bursts holding any sound (the back-end's probe plays silence)."""
    return [b for b in bursts(session.log) if session.raw[b.start : b.end].strip(b"\0")]


def find_stream(raw: bytes, stream: bytes, start: int) -> int:
    """Where `stream` starts in `raw` from `start` on, at a sample boundary; -1: nowhere."""
    at = raw.find(stream, start)
    while at >= 0 and (at - start) % 2:
        at = raw.find(stream, at + 1)
    return at


def grew_past(log: list[tuple[float, int]], offset: int) -> float:
    """When the capture first held the byte at `offset`."""
    return next(t for t, size in log if size > offset)


def heard_streams(session: CapturedSession, want: list[tuple[Prompt, bytes]]) -> list[Heard]:
    """Finds each expected stream in the capture, in order, with only silence between
    (the probe's, the back-end's padding) and nothing after; each burst of sound holds
    exactly one of them."""
    raw, heard, position = session.raw, [], 0
    for index, (prompt, stream) in enumerate(want):
        at = find_stream(raw, stream, position)
        what = f"stream {index} ({prompt.kind}: {prompt.text or prompt.earcon!r})"
        assert at >= 0, f"{what} is missing from the capture, or out of order"
        assert not raw[position:at].strip(b"\0"), f"something else is heard before {what}"
        heard.append(Heard(prompt, stream, grew_past(session.log, at), at))
        position = at + len(stream)
    assert not raw[position:].strip(b"\0"), "something is heard after the last prompt"
    per_burst = [
        [h.prompt.kind for h in heard if burst.start <= h.offset < burst.end]
        for burst in audible_bursts(session)
    ]
    assert all(len(kinds) == 1 for kinds in per_burst), f"streams per burst: {per_burst}"
    return heard


def overlaps(heard: list[Heard]) -> list[tuple[str, str, int]]:
    """Streams that started before the one before them had played out: (kinds, ms)."""
    return [
        (a.prompt.kind, b.prompt.kind, round((a.onset + seconds_of(a.stream) - b.onset) * 1000))
        for a, b in itertools.pairwise(heard)
        if b.onset < a.onset + seconds_of(a.stream) - OVERLAP_SLACK_S
    ]


def said(prompt: Prompt, kept: int) -> tuple[str, str | None, tuple[str, ...]]:
    """What a stream says: its kind, its tone and its words as played."""
    return prompt.kind, prompt.earcon, tuple(c for part in prompt.parts[:kept] for c in part)


def check_session(session: CapturedSession, backend_name: str) -> list[Heard]:
    assert session.backend == backend_name
    library = session.library()
    want = expected_streams(session.started_at, library)
    # The player started exactly the prompts the engine and coach call for, each cut
    # only as its deadline requires.
    assert [said(s.prompt, s.parts_kept) for s in session.started] == [
        said(prompt, parts_kept(prompt, library)) for prompt, _ in want
    ]
    # ... each known at its due time (the finish is due when the app sees the walk end).
    for s, (prompt, _) in zip(session.started, want, strict=True):
        slack = TOLERANCE_S if prompt.kind == "finish" else 0.005
        assert s.prompt.due == pytest.approx(prompt.due, abs=slack)
        if prompt.deadline is not None:
            assert s.prompt.deadline == pytest.approx(prompt.deadline, abs=0.030)
    heard = heard_streams(session, want)
    late = [(h.prompt.kind, round(h.late_s * 1000)) for h in heard if abs(h.late_s) > TOLERANCE_S]
    assert late == [], f"prompts off by more than 100 ms (kind, ms): {late}"
    assert overlaps(heard) == []
    return heard


def test_the_plan_leaves_every_prompt_room() -> None:
    """The plan's prompts, played on time, never meet: each ends before the next is due,
    and none is cut short, so the on-time check needs no model of the player's queue and
    the transcript test hears every word."""
    library = load_library(sounds_dir(), voice_folder())
    want = expected_streams(1000.0, library)
    kinds = [prompt.kind for prompt, _ in want]
    assert kinds.count("prepare") == 2 and kinds.count("halfway") == 1
    assert kinds[0] == "lead_in" and kinds[-1] == "finish"
    for (a, stream), (b, _) in itertools.pairwise(want):
        assert a.due + seconds_of(stream) <= b.due, f"{a.kind} runs into {b.kind}"
    assert all(parts_kept(p, library) == len(p.parts) for p, _ in want)


def test_a_real_session_speaks_in_order_on_time_one_stream_at_a_time() -> None:
    """The default back-end (miniaudio, in process)."""
    check_session(captured_session("default"), "miniaudio (ALSA)")


@pytest.mark.skipif("simpleaudio" not in BACKENDS, reason="simpleaudio is not installed")
def test_a_real_session_through_simpleaudio_too() -> None:
    """The `sound` extra's back-end, chosen explicitly."""
    check_session(captured_session("simpleaudio"), "simpleaudio")
