"""A history file as another program, an older walkcoach or a bad disk leaves it, and the
wall clock a history is given."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from walkcoach.store.history import History, HistoryError
from walkcoach.store.paths import DataDirs


class WallClock:
    """A wall clock for `History(wall_clock=...)` that moves only when a test says so."""

    def __init__(self, start: datetime = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> datetime:
        self.now += by
        return self.now


def back_to_version_2(path: Path) -> None:
    """Gives the history version 2's sessions table, which refuses "interrupted"."""
    with sqlite3.connect(path) as conn:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'sessions'").fetchone()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = ? WHERE name = 'sessions'",
            (sql.replace(", 'interrupted'", ""),),
        )
        conn.execute("PRAGMA user_version = 2")
    conn.close()


def locked(path: Path) -> sqlite3.Connection:
    """Another program holding the history's write lock (until it is closed)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    return conn


def spoil_history(folder: Path, sql: str) -> None:
    """Changes the history of the data folder `folder` as another program (or a bad disk)
    might."""
    with sqlite3.connect(DataDirs.in_folder(folder).history_path) as conn:
        conn.execute(sql)
    conn.close()


class Faults:
    """The history's writes fail while `full` is set, as on a full disk."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full = False
        for name in ("start_session", "checkpoint"):
            original = getattr(History, name)
            monkeypatch.setattr(History, name, self._failing(original))

    def _failing(self, original):  # type: ignore[no-untyped-def]
        def write(history, *args, **kwargs):  # type: ignore[no-untyped-def]
            if self.full:
                raise HistoryError(f"{history.path}: the disk it is on is full", history.path)
            return original(history, *args, **kwargs)

        return write
