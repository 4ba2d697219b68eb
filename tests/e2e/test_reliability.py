"""Robustness of a real running walk: stopped and resumed, resized, run twice at once."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import time
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.tmux import Terminal, walker_data
from walkcoach.cues import CUES
from walkcoach.engine import AUTO_PAUSE_GAP_S
from walkcoach.resources import sounds_dir, voice_dir, wav_file
from walkcoach.store.history import History

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

PLAN = """
format = 1
name = "Steady"
[[steps]]
direction = "forward"
duration = 5
speed_kmh = 4.0
[[steps]]
direction = "backward"
duration = "0:05"
speed_kmh = 2.0
[[steps]]
repeat = 20
  [[steps.steps]]
  direction = "forward"
  duration = 5
  speed_kmh = 4.5
  [[steps.steps]]
  direction = "backward"
  duration = 5
  speed_kmh = 2.5
"""
# Short segments, so that a 10 s stop crosses several switches and ticks.


def start_walk(
    tmp_path: Path,
    terminal: Callable[..., Terminal],
    *extra: str,
    data: Path | None = None,
    **options: object,
) -> tuple[Terminal, Path]:
    data = data or walker_data(tmp_path / "data", lead_in_s=0)
    plan = tmp_path / "steady.toml"
    plan.write_text(PLAN)
    term = terminal("--data-dir", str(data), "run", str(plan), *extra, **options)
    term.wait_for(lambda s: "segment 1 of" in s, 20, "the walk to start")
    return term, data


def quit_walk(term: Terminal) -> None:
    term.keys("q")
    term.wait_for(lambda s: "End this walk now?" in s, 5, "the quit question")
    term.keys("y")
    term.wait_for(lambda s: "Ended early" in s, 5, "the recap")
    time.sleep(0.3)  # the recap's keys are live a moment after it is drawn
    term.keys("q")
    term.wait_gone()


def pcm_of(path: Path) -> bytes:
    with wave.open(str(path), "rb") as clip:
        return clip.readframes(clip.getnframes())


def test_a_stopped_process_auto_pauses_earns_nothing_for_the_gap_and_plays_no_burst(
    tmp_path: Path, terminal: Callable[..., Terminal]
) -> None:
    env: dict[str, str] = {}
    capture = tmp_path / "capture.raw"
    has_sound = importlib.util.find_spec("miniaudio") is not None  # the default back-end
    if has_sound:
        # Cues go to a file through ALSA's file plugin, so a burst would show as bytes.
        (tmp_path / ".asoundrc").write_text(
            'pcm.!default {\n    type file\n    slave.pcm "null"\n'
            f'    file "|cat >> {capture}"\n    format "raw"\n}}\n'
        )
        env["HOME"] = str(tmp_path)
    term, data = start_walk(tmp_path, terminal, env=env, under_shell=True)
    time.sleep(2)
    os.kill(term.pid, signal.SIGSTOP)
    time.sleep(AUTO_PAUSE_GAP_S + 1.5)
    before = capture.stat().st_size if capture.exists() else 0
    os.kill(term.pid, signal.SIGCONT)
    paused = term.wait_for(lambda s: "PAUSED" in s, 5, "the auto-pause")
    assert "app was stopped" in paused
    time.sleep(1.5)
    if has_sound:
        # No burst of the cues that fell due in the gap: only the voice saying "Walk paused".
        played = capture.read_bytes()[before:]
        assert pcm_of(wav_file(voice_dir(), "paused"))[:4000] in played
        for cue in CUES:
            assert pcm_of(wav_file(sounds_dir(), cue))[:4000] not in played, cue
    frozen = term.screen()
    time.sleep(1.2)
    assert term.screen() == frozen  # the countdown stands still while paused
    quit_walk(term)
    [row] = History(data / "history.sqlite3").sessions()
    assert row.status == "unfinished"
    assert 1.0 < row.active_s < 4.0  # about 2 s walked; the 6.5 s stop not counted
    assert row.kcal < 0.5
    assert row.pauses == 1


def test_resizing_the_terminal_again_and_again_breaks_nothing(
    tmp_path: Path, terminal: Callable[..., Terminal]
) -> None:
    term, _ = start_walk(tmp_path, terminal, "--no-sound")
    sizes = [(30, 10), (60, 20), (80, 24), (120, 40), (39, 11), (200, 60), (45, 13)]
    for _ in range(5):
        for width, height in sizes:
            term.resize(width, height)
            time.sleep(0.05)
    term.resize(100, 30)
    screen = term.wait_for(lambda s: "segment" in s and "Left" in s, 5, "the walk to redraw")
    assert term.alive() and "Traceback" not in screen
    term.resize(38, 11)
    term.wait_for(lambda s: "too small" in s, 5, "the too-small message")
    term.resize(100, 30)
    term.wait_for(lambda s: "segment" in s, 5, "the walk again")
    quit_walk(term)
    assert term.exit_status() == 0


def test_two_walks_at_once_both_reach_the_history(
    tmp_path: Path, terminal: Callable[..., Terminal]
) -> None:
    data = walker_data(tmp_path / "data", lead_in_s=0)
    first, _ = start_walk(tmp_path, terminal, "--no-sound", data=data)
    second, _ = start_walk(tmp_path, terminal, "--no-sound", data=data)
    time.sleep(6)  # long enough for both to checkpoint
    quit_walk(first)
    quit_walk(second)
    rows = History(data / "history.sqlite3").sessions()
    assert len(rows) == 2
    assert all(r.status == "unfinished" and r.active_s > 5 for r in rows)
