"""Sessions left running by a process that died are read, and then stored, as
unfinished; a version 1 history is upgraded in place with nothing lost."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.store.test_history import START, walked
from walkcoach.store.history import SCHEMA_VERSION, STALE_AFTER, History


@pytest.fixture
def history(tmp_path: Path) -> History:
    return History(tmp_path / "history.sqlite3")


def test_a_live_session_reads_as_running(history: History) -> None:
    session_id = history.start_session("Retro", 70.0, START)
    history.checkpoint(session_id, walked(20))
    assert history.sessions()[0].status == "running"
    assert history.session_records()[0]["status"] == "running"


def test_a_session_silent_for_longer_than_stale_after_reads_as_unfinished(
    history: History,
) -> None:
    session_id = history.start_session("Retro", 70.0, START)
    history.checkpoint(session_id, walked(20))
    later = datetime.now(UTC) + STALE_AFTER + timedelta(seconds=1)
    (row,) = history.sessions(now=later)
    assert row.status == "unfinished"
    assert row.active_s == pytest.approx(20)
    assert history.session_records(now=later)[0]["status"] == "unfinished"


def test_close_interrupted_stores_them_unfinished_with_their_last_time(
    history: History,
) -> None:
    dead = history.start_session("Dead", 70.0, START)
    history.checkpoint(dead, walked(20))
    done = history.start_session("Done", 70.0, START)
    history.checkpoint(done, walked(20), status="finished", ended_at=START)
    last_write = history.sessions()[1].updated_at
    later = datetime.now(UTC) + STALE_AFTER + timedelta(seconds=1)
    assert history.close_interrupted(later) == 1
    rows = {r.plan_name: r for r in history.sessions()}
    assert rows["Dead"].status == "unfinished"
    assert rows["Dead"].ended_at == last_write
    assert rows["Done"].status == "finished" and rows["Done"].ended_at == START


def test_close_interrupted_leaves_live_sessions_and_writes_nothing_without_dead_ones(
    history: History,
) -> None:
    assert history.close_interrupted() == 0
    assert not history.path.exists()
    history.start_session("Live", 70.0, START)
    history.close()
    before = history.path.stat().st_mtime_ns
    assert History(history.path).close_interrupted() == 0
    assert history.sessions()[0].status == "running"
    assert history.path.stat().st_mtime_ns == before


def test_a_version_1_history_is_upgraded_and_keeps_its_sessions(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    history = History(path)
    session_id = history.start_session("Old", 70.0, START)
    history.checkpoint(session_id, walked(30), status="finished", ended_at=START)
    history.close()
    with sqlite3.connect(path) as conn:  # back to what version 1 wrote
        conn.execute("ALTER TABLE sessions DROP COLUMN updated_at")
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    (row,) = History(path).sessions()
    assert (row.plan_name, row.status, row.active_s) == ("Old", "finished", 30)
    assert row.updated_at == START
    assert len(History(path).segments(row.id)) == 5
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()
