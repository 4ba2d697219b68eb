"""Rows holding what walkcoach never writes, and deleting a walk.

Every row read is checked: a damaged one is left out and named (`Damaged`), never fatal,
and the others read as before.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.builders import START, walked
from tests.support.history import WallClock
from walkcoach.store.history import (
    SEGMENT_COLUMNS,
    SESSION_COLUMNS,
    Damaged,
    History,
    HistoryError,
)


def three_walks(path: Path, clock: WallClock | None = None) -> History:
    history = History(path, wall_clock=clock or WallClock())
    for n in range(3):
        session_id = history.start_session(f"Walk {n}", 80.0, START + timedelta(days=n))
        history.checkpoint(session_id, walked(90, skip_at=70), "finished", START)
    return history


def spoil(path: Path, table: str, column: str, value: Any, where: str = "1") -> None:
    """Writes `value` into the history as another program (or a bad disk) might."""
    key = "id" if table == "sessions" else "session_id"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = 2 AND {where}", (value,))
    conn.close()


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("started_at", "garbage", "started_at 'garbage' is not a time"),
        ("started_at", "2026-03-01T07:30", "started_at '2026-03-01T07:30' is not a time"),
        ("ended_at", 12, "ended_at '12' is not a time"),  # TEXT makes it "12"
        ("active_s", "abc", "active_s 'abc' is not a number"),
        ("active_s", float("inf"), "active_s inf is not from 0 to 172800"),
        ("kcal", 123456789012345678, "kcal 1.2345678901234568e+17 is not from 0 to 100000"),
        ("backward_s", -5.0, "backward_s -5.0 is not from 0 to 172800"),
        ("pauses", 2.5, "pauses 2.5 is not a whole number"),
        ("status", "lost", "status 'lost' is not one of"),
        ("plan_name", b"\xff\x00", "plan_name b'\\xff\\x00' is not a text"),
    ],
)
def test_a_damaged_session_is_left_out_and_named(
    tmp_path: Path, column: str, value: Any, problem: str
) -> None:
    path = tmp_path / "history.sqlite3"
    three_walks(path).close()
    spoil(path, "sessions", column, value)
    history = History(path)
    rows, damaged = history.read_sessions()
    assert [row.plan_name for row in rows] == ["Walk 2", "Walk 0"]
    ((what, said, session_id),) = damaged
    assert (what, session_id) == ("session 2", 2)
    assert said.startswith(problem)
    assert [row.plan_name for row in history.sessions()] == ["Walk 2", "Walk 0"]
    assert [a.session_id for a in history.activity()] == [1, 3]
    records, bad_records = history.read_session_records()
    assert [r["id"] for r in records] == [3, 1] and bad_records == damaged
    assert isinstance(history.read_session(2), Damaged)
    with pytest.raises(HistoryError, match="session 2 is damaged"):
        history.session(2)


def test_a_damaged_segment_is_left_out_and_named(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    three_walks(path).close()
    spoil(path, "segments", "actual_s", "abc", where="idx = 1")
    history = History(path)
    segments, damaged = history.read_segments(2)
    assert [s.idx for s in segments] == [0, 2, 3, 4]
    assert damaged == [Damaged("segment 2 of session 2", "actual_s 'abc' is not a number", 2)]
    assert len(history.segments(1)) == 5


def test_an_export_leaves_damaged_rows_out_and_stays_valid_json(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    three_walks(path).close()
    spoil(path, "sessions", "kcal", float("inf"))
    spoil(path, "segments", "kcal", float("inf"), where="idx = 0")
    with History(path) as history:
        exported = history.export(tmp_path / "all.json")
    assert exported.sessions == 2
    assert [d.what for d in exported.damaged] == ["session 2", "segment 1 of session 2"]
    data = json.loads((tmp_path / "all.json").read_text(), parse_constant=pytest.fail)
    assert [s["id"] for s in data] == [3, 1]


def test_the_app_start_check_survives_a_garbage_start_time(tmp_path: Path) -> None:
    """What the app runs first (`AppContext`): the newest session, then closing
    interrupted ones; a garbage date sorts first, so it used to crash here."""
    path = tmp_path / "history.sqlite3"
    three_walks(path).close()
    spoil(path, "sessions", "started_at", "garbage")
    with History(path) as history:
        assert history.sessions(limit=1) == []
        assert history.close_interrupted() == 0
        assert history.read_sessions(limit=1).damaged[0].what == "session 2"


COLUMN_VALUES = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.binary(max_size=10),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
)


@settings(max_examples=150, deadline=None)
@given(
    column=st.sampled_from([c for c in SESSION_COLUMNS if c not in ("id",)]),
    value=COLUMN_VALUES,
    segment_column=st.sampled_from([c for c in SEGMENT_COLUMNS if c != "session_id"]),
    segment_value=COLUMN_VALUES,
)
def test_any_value_in_any_column_never_breaks_a_read(
    tmp_path_factory: pytest.TempPathFactory,
    column: str,
    value: Any,
    segment_column: str,
    segment_value: Any,
) -> None:
    path = tmp_path_factory.mktemp("h") / "history.sqlite3"
    three_walks(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        # NOT NULL constraints: SQLite itself keeps some values out.
        with contextlib.suppress(sqlite3.IntegrityError):
            conn.execute(f"UPDATE sessions SET {column} = ? WHERE id = 2", (value,))
        with contextlib.suppress(sqlite3.IntegrityError):
            conn.execute(
                f"UPDATE segments SET {segment_column} = ? WHERE session_id = 2 AND idx = 1",
                (segment_value,),
            )
    conn.close()
    with History(path) as history:
        rows, damaged = history.read_sessions()
        assert {row.id for row in rows} | {d.session_id for d in damaged} == {1, 2, 3}
        assert {1, 3} <= {row.id for row in rows}
        for row in rows:  # what the screens and the CLI do with each figure
            assert row.started_at.astimezone().year >= 1
            assert 0 <= row.active_s < 10**6 and 0 <= row.kcal < 10**6
        segments, _ = history.read_segments(2)
        assert all(0 <= s.actual_s < 10**6 for s in segments)
        history.activity()
        json.dumps(history.session_records(), allow_nan=False)
        json.dumps(history.segment_records(), allow_nan=False)


# --- deleting ------------------------------------------------------------------------


def test_deleting_a_walk_removes_it_and_its_segments_only(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    history = three_walks(path)
    history.delete(2)
    assert [row.id for row in history.sessions()] == [3, 1]
    assert history.segments(2) == []
    assert len(history.segments(1)) == 5
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM segments WHERE session_id = 2").fetchone() == (0,)
    conn.close()


def test_a_damaged_walk_can_be_deleted(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    three_walks(path).close()
    spoil(path, "sessions", "started_at", "garbage")
    with History(path) as history:
        history.delete(2)
        assert history.read_sessions() == ([*history.sessions()], [])
        assert history.count() == 2


def test_deleting_a_missing_or_live_walk_is_refused(tmp_path: Path) -> None:
    clock = WallClock()
    history = three_walks(tmp_path / "history.sqlite3", clock)
    with pytest.raises(HistoryError, match="there is no session 9"):
        history.delete(9)
    live = history.start_session("Now", 80.0, clock())
    with pytest.raises(HistoryError, match="is being walked right now"):
        history.delete(live)
    assert history.count() == 4
    # Left running by a process that died long ago: an unfinished walk, deletable.
    clock.advance(timedelta(hours=1))
    history.delete(live)
    assert history.count() == 3
