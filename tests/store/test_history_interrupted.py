"""Sessions left running by a process that died are read, and then stored, as
interrupted; a version 1, 2 or 3 history is upgraded in place with nothing lost."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.builders import START, walked
from tests.support.disk import remount
from tests.support.history import WallClock, back_to_version_2, locked
from walkcoach.store.history import (
    BUSY_TIMEOUT_S,
    SCHEMA_VERSION,
    STALE_AFTER,
    STATUS_LABELS,
    STATUSES,
    History,
    HistoryError,
)

# The columns version 4 added (personal calories).
V4_COLUMNS = (
    "kcal_net",
    "kcal_low",
    "kcal_high",
    "hold_free_s",
    "hold_resting_s",
    "hold_gripping_s",
    "personal",
)


@pytest.fixture
def clock() -> WallClock:
    return WallClock()


@pytest.fixture
def history(tmp_path: Path, clock: WallClock) -> History:
    return History(tmp_path / "history.sqlite3", wall_clock=clock)


def test_a_live_session_reads_as_running(history: History) -> None:
    session_id = history.start_session("Retro", 70.0, START)
    history.checkpoint(session_id, walked(20))
    assert history.sessions()[0].status == "running"
    assert history.session_records()[0]["status"] == "running"


def test_a_session_silent_for_longer_than_stale_after_reads_as_interrupted(
    history: History, clock: WallClock
) -> None:
    session_id = history.start_session("Retro", 70.0, START)
    history.checkpoint(session_id, walked(20))
    clock.advance(STALE_AFTER)
    assert history.sessions()[0].status == "running"  # silent for exactly STALE_AFTER
    clock.advance(timedelta(seconds=1))
    (row,) = history.sessions()
    assert row.status == "interrupted"
    assert row.active_s == pytest.approx(20)
    assert history.session_records()[0]["status"] == "interrupted"


def test_close_interrupted_stores_them_interrupted_with_their_last_time(
    history: History, clock: WallClock
) -> None:
    dead = history.start_session("Dead", 70.0, START)
    history.checkpoint(dead, walked(20))
    done = history.start_session("Done", 70.0, START)
    history.checkpoint(done, walked(20), status="finished", ended_at=START)
    last_write = history.sessions()[1].updated_at
    assert last_write == clock.now
    clock.advance(STALE_AFTER + timedelta(seconds=1))
    assert history.close_interrupted() == 1
    rows = {r.plan_name: r for r in history.sessions()}
    assert rows["Dead"].status == "interrupted"
    assert rows["Dead"].ended_at == last_write
    assert rows["Done"].status == "finished" and rows["Done"].ended_at == START


def test_close_interrupted_leaves_live_sessions_and_writes_nothing_without_dead_ones(
    history: History, clock: WallClock
) -> None:
    assert history.close_interrupted() == 0
    assert not history.path.exists()
    history.start_session("Live", 70.0, START)
    history.close()
    before = history.path.stat().st_mtime_ns
    assert History(history.path, wall_clock=clock).close_interrupted() == 0
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


def test_a_version_2_history_is_upgraded_keeping_its_sessions_and_segments(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    clock = WallClock()
    history = History(path, wall_clock=clock)
    ended = history.start_session("Quit", 70.0, START)
    history.checkpoint(ended, walked(30), status="unfinished", ended_at=START)
    running = history.start_session("Live", 70.0, START)
    history.checkpoint(running, walked(40))
    history.close()
    back_to_version_2(path)
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError):  # version 2 refuses the new status
        conn.execute("UPDATE sessions SET status = 'interrupted'")
    conn.close()

    clock.advance(STALE_AFTER + timedelta(seconds=1))
    history = History(path, wall_clock=clock)
    assert history.close_interrupted() == 1
    rows = {r.plan_name: r for r in history.sessions()}
    assert (rows["Quit"].status, rows["Quit"].active_s) == ("unfinished", 30)
    assert (rows["Live"].status, rows["Live"].active_s) == ("interrupted", 40)
    assert len(history.segments(ended)) == len(history.segments(running)) == 5
    history.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_every_status_has_its_own_wording() -> None:
    assert set(STATUS_LABELS) == set(STATUSES)
    assert len(set(STATUS_LABELS.values())) == len(STATUSES)
    assert STATUS_LABELS["unfinished"] == "ended early"


def test_a_version_3_history_is_upgraded_with_standard_free_arm_calories(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    history = History(path)
    session_id = history.start_session("Old", 72.0, START)
    history.checkpoint(session_id, walked(90), status="finished", ended_at=START)
    (before,) = history.sessions()
    history.close()
    with sqlite3.connect(path) as conn:  # back to what version 3 wrote
        for column in V4_COLUMNS:
            conn.execute(f"ALTER TABLE sessions DROP COLUMN {column}")
        conn.execute("PRAGMA user_version = 3")
    conn.close()

    (row,) = History(path).sessions()
    assert (row.plan_name, row.active_s, row.kcal) == ("Old", 90, before.kcal)
    assert len(History(path).segments(row.id)) == 5
    # Counted then for the standard walker with free arms: net is gross less 1 MET x
    # 72 kg x 90 s (1.8 kcal), the range 80 to 120 % of gross, all 90 s free.
    assert row.kcal_net == pytest.approx(before.kcal - 72 * 90 / 3600)
    assert (row.kcal_low, row.kcal_high) == pytest.approx((0.8 * row.kcal, 1.2 * row.kcal))
    assert (row.hold_free_s, row.hold_resting_s, row.hold_gripping_s) == (90, 0, 0)
    assert row.personal is False
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()


def test_a_version_2_history_on_a_read_only_disk_is_read_through_an_upgraded_copy(
    small_disk: Path,
) -> None:
    # Version 4 added columns that every read asks for: on a disk that cannot be written,
    # an older file is read through a copy upgraded in memory, and left as it was.
    path = small_disk / "history.sqlite3"
    history = History(path)
    session_id = history.start_session("Old", 70.0, START)
    history.checkpoint(session_id, walked(30), status="unfinished", ended_at=START)
    history.close()
    back_to_version_2(path)
    before = path.read_bytes()
    remount(small_disk, "ro")
    try:
        history = History(path)
        (row,) = history.sessions()
        assert (row.plan_name, row.status, row.active_s) == ("Old", "unfinished", 30)
        assert (row.hold_free_s, row.personal) == (30, False)
        assert len(history.segments(row.id)) == 5
        with pytest.raises(HistoryError, match="read-only"):
            history.delete(row.id)
        history.close()
    finally:
        remount(small_disk, "rw")
    assert path.read_bytes() == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["history.sqlite3"]


def test_a_busy_history_says_so_after_the_busy_timeout_it_was_given(tmp_path: Path) -> None:
    clock = WallClock()
    history = History(tmp_path / "history.sqlite3", wall_clock=clock)
    history.checkpoint(history.start_session("Dead", 70.0, START), walked(20))
    history.close()
    other = locked(history.path)
    try:
        clock.advance(STALE_AFTER + timedelta(seconds=1))
        hurried = History(history.path, busy_timeout_s=0.05, wall_clock=clock)
        with pytest.raises(HistoryError) as caught:
            hurried.close_interrupted()
        assert caught.value.busy and not caught.value.disk
        assert str(caught.value) == (
            f"{history.path}: is busy: another program kept it locked for more than "
            "0.05 s; try again"
        )
        assert hurried.sessions()[0].status == "interrupted"  # reads go on
    finally:
        other.close()
    assert History(history.path).busy_timeout_s == BUSY_TIMEOUT_S == 5.0
