"""A history on a disk that will not take a write, and a history path that is a link.

Reading must work on a read-only or full disk and leave no file behind; a write must say
which of the two stops it. The tests on real filesystems mount a small tmpfs, so they
need root (and a system that lets it mount); the rest run anywhere.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.builders import START, walked
from tests.support.disk import remount
from walkcoach.store.history import BUSY_TIMEOUT_S, History, HistoryError, connection


def make_history(path: Path, walks: int = 2) -> None:
    with History(path) as history:
        for n in range(walks):
            session_id = history.start_session(f"Walk {n}", 80.0, START + timedelta(days=n))
            history.checkpoint(session_id, walked(90), "finished", START)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- real filesystems ------------------------------------------------------------------


def fill(folder: Path) -> None:
    """Takes every free block of the filesystem."""
    with (folder / "filler").open("wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError:
            pass


def test_a_history_on_a_read_only_disk_is_read_and_a_write_names_the_cause(
    small_disk: Path,
) -> None:
    path = small_disk / "history.sqlite3"
    make_history(path)
    remount(small_disk, "ro")
    try:
        history = History(path)
        assert [row.plan_name for row in history.sessions()] == ["Walk 1", "Walk 0"]
        assert len(history.segments(1)) == 5
        assert history.close_interrupted() == 0
        with pytest.raises(HistoryError) as caught:
            history.start_session("Walk 2", 80.0, START)
        assert str(caught.value) == f"{path}: cannot be written: the disk it is on is read-only"
        assert history.count() == 2  # still readable after the refused write
        history.close()
        assert names(small_disk) == ["history.sqlite3"]
    finally:
        remount(small_disk, "rw")


KILLED_WRITER = """
import os, sys
from datetime import UTC, datetime
from pathlib import Path
from walkcoach.store.history import History
History(Path(sys.argv[1])).start_session("Killed", 80.0, datetime.now(UTC))
os._exit(0)  # like kill -9: SQLite never moves its -wal into the file
"""


def test_a_history_with_unsaved_wal_on_a_read_only_disk_is_read_whole(
    small_disk: Path,
) -> None:
    path = small_disk / "history.sqlite3"
    make_history(path)
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)], check=True)
    assert (small_disk / "history.sqlite3-wal").stat().st_size > 0
    remount(small_disk, "ro")
    try:
        with History(path) as history:
            assert history.sessions()[0].plan_name == "Killed"
            assert history.count() == 3
    finally:
        remount(small_disk, "rw")


def test_a_history_on_a_full_disk_is_read_leaving_nothing_and_a_write_says_full(
    small_disk: Path,
) -> None:
    path = small_disk / "history.sqlite3"
    make_history(path)
    fill(small_disk)
    history = History(path)
    assert [row.plan_name for row in history.sessions()] == ["Walk 1", "Walk 0"]
    with pytest.raises(HistoryError) as caught:
        history.start_session("Walk 2", 80.0, START)
    assert str(caught.value) == f"{path}: cannot be written: the disk it is on is full"
    assert "no transaction" not in str(caught.value)
    history.close()
    assert names(small_disk) == ["filler", "history.sqlite3"]
    (small_disk / "filler").unlink()  # space again: the next walk is saved
    with History(path) as history:
        history.start_session("Walk 2", 80.0, START + timedelta(days=5))
        assert history.count() == 3


def test_a_full_disk_found_only_on_opening_falls_back_to_reading(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk looked writable, then SQLite could not make its -wal and -shm files:
    the read still works, and the cut-short files it made are gone."""
    path = small_disk / "history.sqlite3"
    make_history(path)
    fill(small_disk)
    monkeypatch.setattr(connection, "disk_problem", lambda path: None)
    with History(path) as history:
        assert history.count() == 2
    assert names(small_disk) == ["filler", "history.sqlite3"]


# --- without mounting ------------------------------------------------------------------


def test_a_read_on_an_unwritable_disk_creates_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    make_history(path)
    monkeypatch.setattr(connection, "disk_problem", lambda path: "the disk it is on is read-only")
    with History(path) as history:
        assert [row.plan_name for row in history.sessions()] == ["Walk 1", "Walk 0"]
        assert history.activity()[0].active_s == 90.0
    assert names(tmp_path) == ["history.sqlite3"]


def test_a_failed_read_reports_its_own_error_not_a_missing_transaction(
    tmp_path: Path,
) -> None:
    """The check of a new connection reads in a transaction that SQLite may end on
    failure; the message is that failure, not "cannot commit"."""
    path = tmp_path / "history.sqlite3"
    make_history(path)
    history_file = connection.HistoryFile(path, BUSY_TIMEOUT_S)
    conn = sqlite3.connect(path, isolation_level=None)

    class Failing:
        in_transaction = False

        def execute(self, sql: str, *args: Any) -> object:
            if sql == "PRAGMA user_version":
                full = sqlite3.OperationalError("database or disk is full")
                full.sqlite_errorcode = sqlite3.SQLITE_FULL
                raise full
            if sql == "COMMIT" and not self.in_transaction:
                raise sqlite3.OperationalError("cannot commit - no transaction is active")
            self.in_transaction = sql == "BEGIN"
            return conn.execute(sql, *args)

    with pytest.raises(HistoryError) as caught:
        history_file._prepare(Failing())  # type: ignore[arg-type]
    assert str(caught.value) == f"{path}: cannot be written: the disk it is on is full"
    conn.close()


# --- links -----------------------------------------------------------------------------


@pytest.mark.parametrize("target_kind", ["empty file", "missing", "folder"])
def test_a_link_to_anything_but_a_history_is_refused_and_left_alone(
    tmp_path: Path, target_kind: str
) -> None:
    target = tmp_path / "elsewhere" / "target"
    target.parent.mkdir()
    if target_kind == "empty file":
        target.touch()
    elif target_kind == "folder":
        target.mkdir()
    link = tmp_path / "data" / "history.sqlite3"
    link.parent.mkdir()
    link.symlink_to(target)
    attempts: list[Callable[[History], object]] = [
        lambda h: h.sessions(),
        lambda h: h.start_session("Retro", 70.0, START),
    ]
    for attempt in attempts:
        with History(link) as history, pytest.raises(HistoryError) as caught:
            attempt(history)
        assert str(caught.value).startswith(f"{link}: is a link to ")
        assert str(target) in str(caught.value)
    assert names(tmp_path / "elsewhere") == (["target"] if target_kind != "missing" else [])
    if target_kind == "empty file":
        assert target.stat().st_size == 0
    assert names(link.parent) == ["history.sqlite3"]


def test_a_link_to_an_sqlite_file_with_no_tables_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "other.db"
    with sqlite3.connect(target) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("DROP TABLE t")
    conn.close()
    before = target.read_bytes()
    link = tmp_path / "history.sqlite3"
    link.symlink_to(target)
    with History(link) as history, pytest.raises(HistoryError) as caught:
        history.start_session("Retro", 70.0, START)
    assert "which is not a walkcoach history" in str(caught.value)
    assert target.read_bytes() == before
    assert names(tmp_path) == ["history.sqlite3", "other.db"]


def test_a_link_to_a_walkcoach_history_is_used(tmp_path: Path) -> None:
    target = tmp_path / "synced" / "history.sqlite3"
    target.parent.mkdir()
    make_history(target)
    link = tmp_path / "history.sqlite3"
    link.symlink_to(target)
    with History(link) as history:
        history.start_session("Walk 2", 80.0, datetime.now(UTC))
        assert history.count() == 3
    assert History(target).count() == 3
