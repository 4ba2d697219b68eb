"""A real session played through simpleaudio into ALSA's file plugin: the cues arrive
in the right order, each within 100 ms of its due time.

The session runs headless in a fresh process whose HOME holds an `.asoundrc` capturing
to a file; this process watches the file grow and times each burst of samples on the
same monotonic clock (CLOCK_MONOTONIC is shared by every process on the machine).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.sound.test_alsa_capture import asoundrc_capturing_to, cue_pcm
from walkcoach.engine import Engine
from walkcoach.plan import loads

pytestmark = [
    pytest.mark.alsa,
    pytest.mark.skipif(
        importlib.util.find_spec("simpleaudio") is None, reason="simpleaudio is not installed"
    ),
]

REPO = Path(__file__).resolve().parents[2]
TOLERANCE_S = 0.100
QUIET_GAP_S = 0.12  # bursts of samples further apart than this are separate cues

PLAN = """
format = 1
name = "Capture walk"
[[steps]]
direction = "forward"
duration = 6
speed_kmh = 4.0
[[steps]]
direction = "backward"
duration = 6
speed_kmh = 2.0
[[steps]]
direction = "forward"
duration = 5
speed_kmh = 4.0
"""

RUN_SESSION = """
import asyncio, json, sys, time
from walkcoach.plan import loads
from walkcoach.resources import sounds_dir
from walkcoach.sound import make_player
from walkcoach.sound.backends import SimpleaudioBackend
from walkcoach.store.paths import DataDirs
from walkcoach.tui.app import make_app
from walkcoach.tui.screens.session import SessionScreen

player = make_player(backends=[SimpleaudioBackend(sounds_dir())])
assert player.wait_ready(10), "no back-end"
print(json.dumps({"backend": player.backend_name}), flush=True)
app = make_app(DataDirs.in_folder(sys.argv[1]), time.monotonic, player,
               start_plan=loads(sys.argv[2]), sound=True)
started = []

async def watch(pilot):
    while app.last_outcome is None:
        if not started and isinstance(app.screen, SessionScreen):
            started.append(app.screen.engine)
        await asyncio.sleep(0.02)
    player.drain(5)
    app.exit()

app.run(headless=True, auto_pilot=watch)
print(json.dumps({"started_at": started[0].started_at}), flush=True)
"""


def expected_cues(started_at: float) -> list[tuple[str, float]]:
    engine = Engine(loads(PLAN), 70)
    events = engine.start(started_at)
    t = started_at
    while not engine.finished:
        t += 0.001
        events += engine.tick(t)
    return [(e.cue, e.due) for e in events if e.cue]


def watch_file(path: Path, stop: threading.Event, log: list[tuple[float, int]]) -> None:
    size = 0
    while not stop.is_set():
        now = time.monotonic()
        current = path.stat().st_size if path.exists() else 0
        if current > size:
            log.append((now, current))
            size = current
        time.sleep(0.002)


def bursts(log: list[tuple[float, int]]) -> list[tuple[float, int, int]]:
    """(onset time, first byte, end byte) of each run of growth separated by quiet."""
    found: list[tuple[float, int, int]] = []
    previous_size, previous_time = 0, -1.0
    for t, size in log:
        if found and t - previous_time <= QUIET_GAP_S:
            onset, start, _ = found[-1]
            found[-1] = (onset, start, size)
        else:
            found.append((t, previous_size, size))
        previous_size, previous_time = size, t
    return found


def identify(chunk: bytes) -> str | None:
    for cue in ("to_backward", "to_forward", "prepare", "halfway", "finish", "next", "tick"):
        if cue_pcm(cue)[:4000] in chunk:
            return cue
    return None


def test_a_real_session_cues_in_order_and_on_time(tmp_path: Path) -> None:
    capture = tmp_path / "capture.raw"
    asoundrc_capturing_to(tmp_path, capture)
    data = tmp_path / "data"
    data.mkdir()
    (data / "profile.toml").write_text("weight_kg = 70.0\nsafety_check = false\n")
    stop, log = threading.Event(), []
    watcher = threading.Thread(target=watch_file, args=(capture, stop, log), daemon=True)
    watcher.start()
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    try:
        result = subprocess.run(
            [sys.executable, "-c", RUN_SESSION, str(data), PLAN],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
    finally:
        time.sleep(0.3)
        stop.set()
        watcher.join()
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines[0] == {"backend": "simpleaudio"}
    want = expected_cues(lines[-1]["started_at"])

    raw = capture.read_bytes()
    # The back-end's probe plays silence before the session: not a cue.
    heard = [(identify(raw[a:b]), onset) for onset, a, b in bursts(log) if raw[a:b].strip(b"\0")]
    assert [cue for cue, _ in heard] == [cue for cue, _ in want]
    late = [
        (cue, round((onset - due) * 1000))
        for (cue, due), (_, onset) in zip(want, heard, strict=True)
        if abs(onset - due) > TOLERANCE_S
    ]
    assert late == [], f"cues off by more than 100 ms (cue, ms): {late}"
