"""Real sessions played through ALSA into a file, and what the file heard when.

`captured_session(backend)` runs PLAN for real, once per back-end and test process, in a
child process whose HOME captures what it plays (see tests/support/sound.py); a watcher
thread logs when the capture grew, so each burst of sound has its time.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
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

from tests.support import REPO
from tests.support.sound import asoundrc_capturing_to
from walkcoach.resources import sounds_dir, voice_dir, wav_file
from walkcoach.sound.stream import Library, load_library
from walkcoach.voice import VOCABULARY, Prompt

WEIGHT_KG = 70.0
LEAD_IN_S = 10
QUIET_GAP_S = 0.12  # bursts of samples further apart than this are separate streams

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
    while not app.outcomes:
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


class MissingVoiceTools(Exception):
    """The shipped clips are incomplete and flite or sox is missing to render them."""


def voice_clips(prefix: str = "walkcoach-voice-") -> Path:
    """The shipped clips when they are all there, else clips rendered now into a
    temporary folder (removed at exit). Shared by the tests and bench/cue_latency.py."""
    shipped = voice_dir()
    if all(wav_file(shipped, name).is_file() for name in VOCABULARY):
        return shipped
    if shutil.which("flite") is None or shutil.which("sox") is None:
        raise MissingVoiceTools(
            "assets/voice is incomplete and flite or sox is missing to render it"
        )
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, True)
    render = [sys.executable, str(REPO / "tools" / "make_voice.py"), "--out", str(folder)]
    subprocess.run(render, check=True, capture_output=True, timeout=300)
    return folder


@functools.cache
def voice_folder() -> Path:
    """`voice_clips()` for a test run: rendered once, or the test skipped."""
    try:
        return voice_clips()
    except MissingVoiceTools as exc:
        pytest.skip(str(exc))


def watch_file(
    path: Path, stop: threading.Event, log: list[tuple[float, int]], every_s: float = 0.002
) -> None:
    """Logs (time, size) each time `path` grows, until `stop` is set."""
    size = 0
    while not stop.is_set():
        now = time.monotonic()
        try:
            current = path.stat().st_size
        except FileNotFoundError:
            current = 0
        if current > size:
            log.append((now, current))
            size = current
        time.sleep(every_s)


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


def grew_past(log: list[tuple[float, int]], offset: int) -> float:
    """When the capture first held the byte at `offset`."""
    return next(t for t, size in log if size > offset)
