"""SIGTERM, SIGHUP and SIGKILL sent to a real `walkcoach run` in a real terminal (tmux):
what the history holds afterwards."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.tmux import Terminal, walker_data
from walkcoach.store.history import History, SessionRow

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

LEAD_IN_S = 1
WALK_S = 3.0  # before the signal: a whole walk's worth of state, kept short
CHECKPOINTED_WALK_S = 7.0  # past the recorder's checkpoint at 5 s
PLAN = """
format = 1
name = "Long forward"

[[steps]]
direction = "forward"
duration = "10:00"
speed_kmh = 4.0

[[steps]]
direction = "backward"
duration = 60
speed_kmh = 2.0
"""


class Walk:
    """`walkcoach run` in a tmux pane (tests.support.tmux), with its history at hand."""

    def __init__(self, tmp_path: Path, terminal: Callable[..., Terminal]) -> None:
        self.data = walker_data(tmp_path / "data", lead_in_s=LEAD_IN_S)
        plan = tmp_path / "long.toml"
        plan.write_text(PLAN)
        self.term = terminal("--data-dir", str(self.data), "run", str(plan), "--no-sound")
        self.pid = self.term.pid

    def wait_for_walking(self) -> None:
        self.term.wait_for(lambda s: "segment 1 of 2" in s, 20, "the walk to start")

    def row(self) -> SessionRow:
        [row] = History(self.data / "history.sqlite3").sessions()
        return row

    def first_row(self) -> SessionRow:
        """The session, once written: its first write follows the lead-in, from the
        recorder's own thread."""
        deadline = time.monotonic() + 10
        while not History(self.data / "history.sqlite3").sessions():
            assert time.monotonic() < deadline, "the walk was never written"
            time.sleep(0.05)
        return self.row()

    def walked_at(self, moment: datetime) -> float:
        """Seconds walked by `moment`: since the session was written, less the lead-in."""
        return (moment - self.row().started_at).total_seconds() - LEAD_IN_S

    def signal(self, signum: int) -> datetime:
        sent = datetime.now(UTC)
        os.kill(self.pid, signum)
        return sent

    def wait_gone(self) -> None:
        self.term.wait_gone()


@pytest.fixture
def walk(tmp_path: Path, terminal: Callable[..., Terminal]) -> Walk:
    return Walk(tmp_path, terminal)


def walk_for(walk: Walk, seconds: float) -> None:
    walk.wait_for_walking()
    row = walk.first_row()
    assert row.status == "running"
    # Sleep to `seconds` of walking, timed from the session's own start in the history.
    while walk.walked_at(datetime.now(UTC)) < seconds:
        time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_save_the_walk_whole_as_interrupted(walk: Walk, signum: int) -> None:
    walk_for(walk, WALK_S)
    sent = walk.signal(signum)
    walk.wait_gone()
    row = walk.row()
    assert row.status == "interrupted"  # cut short, not ended by the walker
    assert row.ended_at is not None
    assert row.active_s == pytest.approx(walk.walked_at(sent), abs=1.0)
    assert row.active_s == pytest.approx(WALK_S, abs=1.0)
    segments = History(walk.data / "history.sqlite3").segments(row.id)
    assert [s.actual_s > 0 for s in segments] == [True, False]
    assert segments[0].actual_s == pytest.approx(row.active_s)


def test_an_outside_sigint_saves_the_walk_whole_as_interrupted_and_exits_130(walk: Walk) -> None:
    """kill -INT from another shell (ctrl+c at the keyboard is a key the walk answers):
    the walk is kept as SIGTERM keeps it, and the exit status says what ended it."""
    walk_for(walk, WALK_S)
    sent = walk.signal(signal.SIGINT)
    walk.wait_gone()
    assert walk.term.exit_status() == 128 + signal.SIGINT
    row = walk.row()
    assert row.status == "interrupted"
    assert row.ended_at is not None
    assert row.active_s == pytest.approx(walk.walked_at(sent), abs=1.0)
    assert row.active_s == pytest.approx(WALK_S, abs=1.0)
    segments = History(walk.data / "history.sqlite3").segments(row.id)
    assert [s.actual_s > 0 for s in segments] == [True, False]
    assert segments[0].actual_s == pytest.approx(row.active_s)


def test_sigkill_loses_at_most_ten_seconds_and_the_walk_reads_as_interrupted(
    walk: Walk,
) -> None:
    walk_for(walk, CHECKPOINTED_WALK_S)
    sent = walk.signal(signal.SIGKILL)
    walk.wait_gone()
    row = walk.row()
    walked = walk.walked_at(sent)
    assert row.status == "running"  # its last checkpoint is seconds old: maybe alive
    assert walked - 10 <= row.active_s <= walked + 0.5
    assert row.active_s > 0  # a checkpoint at 5 s, not just the start

    # Once its checkpoints are long overdue, the walk reads as interrupted everywhere.
    path = walk.data / "history.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE sessions SET updated_at = '2026-01-01T00:00:00.000+00:00'")
    conn.close()
    out = subprocess.run(
        [sys.executable, "-m", "walkcoach", "--data-dir", str(walk.data), "history", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    [record] = json.loads(out.stdout)
    assert record["status"] == "interrupted"
    assert record["active_s"] == pytest.approx(row.active_s)
