"""The session history in SQLite: writing, reading, sharing, and refusing bad files."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.support.builders import START, walked
from walkcoach.store.history import SCHEMA_VERSION, History, HistoryError
from walkcoach.walks import WalkTotals


@pytest.fixture
def history(tmp_path: Path) -> History:
    return History(tmp_path / "data" / "history.sqlite3")


def test_reading_a_missing_history_gives_nothing_and_creates_nothing(
    history: History,
) -> None:
    assert history.sessions() == []
    assert history.segments(1) == []
    assert history.session(1) is None
    assert history.count() == 0
    assert not history.path.parent.exists()


def test_a_started_session_is_running_with_no_totals(history: History) -> None:
    session_id = history.start_session("Retro", 80.0, START)
    (row,) = history.sessions()
    assert (row.id, row.plan_name, row.status, row.weight_kg) == (
        session_id,
        "Retro",
        "running",
        80,
    )
    assert row.started_at == START
    assert row.ended_at is None
    assert (row.active_s, row.kcal, row.segments_done) == (0, 0, 0)


def test_a_checkpoint_stores_the_results_totals(history: History) -> None:
    result = walked(95, skip_at=70)
    session_id = history.start_session("Retro", 80.0, START)
    end = START + timedelta(minutes=3)
    history.checkpoint(session_id, result, status="unfinished", ended_at=end)
    row = history.session(session_id)
    assert row is not None
    assert row.status == "unfinished"
    assert row.ended_at == end
    totals = WalkTotals.of(result)
    assert row.figures() == pytest.approx(totals.figures())
    assert (row.segments_done, row.segments_skipped) == (1, 1)


def test_segments_are_stored_in_walking_order_with_what_was_done(history: History) -> None:
    result = walked(100, skip_at=70)
    session_id = history.start_session("Retro", 80.0, START)
    history.checkpoint(session_id, result)
    rows = history.segments(session_id)
    assert [r.idx for r in rows] == [0, 1, 2, 3, 4]
    assert [r.direction for r in rows] == ["forward", "backward", "forward", "backward", "forward"]
    first, second = rows[0], rows[1]
    assert (first.label, first.planned_s, first.actual_s, first.completed) == (
        "Warm-up",
        60,
        60.0,
        True,
    )
    assert (second.skipped, second.completed, second.actual_s) == (True, False, 10.0)
    assert second.incline_pct == 2.0
    assert second.actual_speed_kmh == pytest.approx(3.0)
    assert second.kcal == pytest.approx(result.records[1].kcal)
    assert second.kcal_if_forward == pytest.approx(result.records[1].kcal_if_forward)


def test_each_checkpoint_rewrites_the_session_instead_of_adding_rows(history: History) -> None:
    session_id = history.start_session("Retro", 80.0, START)
    for seconds in (10, 50, 120):
        history.checkpoint(session_id, walked(seconds))
    final = walked(180)
    history.checkpoint(session_id, final, status="finished", ended_at=START)
    assert len(history.segments(session_id)) == 5
    row = history.sessions()[0]
    assert row.status == "finished"
    assert row.active_s == pytest.approx(180)
    assert row.segments_done == 5


def test_sessions_come_newest_first_and_limit_keeps_the_newest(history: History) -> None:
    for hours in (2, 0, 5, 1):
        history.start_session(f"+{hours}h", 70.0, START + timedelta(hours=hours))
    assert [r.plan_name for r in history.sessions()] == ["+5h", "+2h", "+1h", "+0h"]
    assert [r.plan_name for r in history.sessions(limit=2)] == ["+5h", "+2h"]
    assert history.count() == 4


def test_times_are_stored_as_iso_8601_utc(history: History) -> None:
    local = datetime(2026, 3, 1, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    history.start_session("Retro", 70.0, local)
    (record,) = history.session_records()
    assert record["started_at"] == "2026-03-01T09:30:00.000+00:00"


def test_a_naive_time_is_refused(history: History) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        history.start_session("Retro", 70.0, datetime(2026, 3, 1, 7, 30))


def test_an_unknown_status_or_session_is_refused(history: History) -> None:
    session_id = history.start_session("Retro", 70.0, START)
    with pytest.raises(ValueError, match="status"):
        history.checkpoint(session_id, walked(5), status="done")  # type: ignore[arg-type]
    with pytest.raises(HistoryError, match="no session 999"):
        history.checkpoint(999, walked(5))
    assert history.segments(999) == []


def test_the_file_uses_wal_and_records_its_schema_version(history: History) -> None:
    history.start_session("Retro", 70.0, START)
    history.close()
    with sqlite3.connect(history.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def _write_sessions(path: str, writer: int, count: int) -> None:
    history = History(Path(path))
    for n in range(count):
        session_id = history.start_session(f"writer {writer}", 70.0, START + timedelta(seconds=n))
        history.checkpoint(session_id, walked(20), status="finished", ended_at=START)
    history.close()


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_sessions, args=(str(path), w, 50)) for w in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    rows = History(path).sessions()
    assert len(rows) == 100
    assert sorted({r.plan_name for r in rows}) == ["writer 1", "writer 2"]
    assert all(len(History(path).segments(r.id)) == 5 for r in rows[:10])


def test_two_threads_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    threads = [threading.Thread(target=_write_sessions, args=(str(path), w, 25)) for w in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert History(path).count() == 50


def _assert_refused_and_untouched(path: Path, fragment: str) -> None:
    before = path.read_bytes()
    siblings = sorted(p.name for p in path.parent.iterdir())
    for attempt in (
        lambda h: h.sessions(),
        lambda h: h.start_session("Retro", 70.0, START),
        lambda h: h.segments(1),
    ):
        history = History(path)
        with pytest.raises(HistoryError) as caught:
            attempt(history)
        assert str(path) in str(caught.value)
        assert fragment in str(caught.value)
        history.close()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == siblings


def test_a_file_that_is_not_a_database_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"these are my notes, not a database\n" * 100)
    _assert_refused_and_untouched(path, "left untouched")


def test_a_corrupt_database_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    history = History(path)
    for n in range(30):
        session_id = history.start_session("Retro", 70.0, START + timedelta(minutes=n))
        history.checkpoint(session_id, walked(180))
    history.close()
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size:] = b"\xa5" * (len(data) - page_size)  # every page after the first
    path.write_bytes(bytes(data))
    _assert_refused_and_untouched(path, "cannot be used as the session history")


def test_a_history_from_a_newer_walkcoach_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, future TEXT)")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    _assert_refused_and_untouched(path, "newer walkcoach")


def test_another_programs_database_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    _assert_refused_and_untouched(path, "not a walkcoach history")


def test_an_empty_file_becomes_a_new_history(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.touch()
    history = History(path)
    assert history.sessions() == []
    history.start_session("Retro", 70.0, START)
    assert history.count() == 1
