"""A walk's totals are defined once (`walks.WalkTotals`): the history's columns, checks,
rows and every export follow its fields, so a new figure cannot be half added."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3
from pathlib import Path
from typing import get_type_hints

import pytest

from tests.support.builders import START, walked
from walkcoach.store.history import (
    SESSION_COLUMNS,
    History,
    SessionRow,
    result_record,
    sessions_listing,
)
from walkcoach.store.history.checks import SESSION_CHECKS
from walkcoach.store.history.schema import TOTAL_COLUMNS
from walkcoach.walks import WalkTotals

FIGURES = [f.name for f in dataclasses.fields(WalkTotals)]


def tail(columns: list[str]) -> list[str]:
    """The last columns, as many as there are figures: where the totals go."""
    return columns[-len(FIGURES) :]


@pytest.fixture
def history(tmp_path: Path) -> History:
    history = History(tmp_path / "history.sqlite3")
    session_id = history.start_session("Walk", 70.0, START)
    history.checkpoint(session_id, walked(100, skip_at=70), "finished", START)
    return history


def test_each_figure_is_a_column_a_check_and_a_field_of_the_row(history: History) -> None:
    assert list(TOTAL_COLUMNS) == FIGURES == list(WalkTotals.kinds())
    assert tail(list(SESSION_COLUMNS)) == FIGURES
    assert tail(list(SESSION_CHECKS)) == FIGURES
    assert set(FIGURES) <= {f.name for f in dataclasses.fields(SessionRow)}
    with sqlite3.connect(history.path) as conn:
        table = [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
    conn.close()
    assert table == list(SESSION_COLUMNS)


def test_each_figure_is_in_every_export_of_a_session(history: History, tmp_path: Path) -> None:
    history.export(tmp_path / "all.json")
    (session,) = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert tail([k for k in session if k != "segments"]) == FIGURES
    history.export(tmp_path / "all.csv")
    header = next(csv.reader(io.StringIO((tmp_path / "all.csv").read_text(encoding="utf-8"))))
    assert tail(header) == FIGURES
    (listed,) = json.loads(sessions_listing(history.session_records(), "json"))
    assert tail(list(listed)) == FIGURES
    record = result_record("Walk", 70.0, START, "finished", walked(100))
    assert tail(list(record)) == FIGURES


def test_what_is_stored_is_what_the_record_adds_up(history: History) -> None:
    row = history.sessions()[0]
    assert row.figures() == pytest.approx(WalkTotals.of(walked(100, skip_at=70)).figures())


def test_counts_are_whole_numbers_and_the_rest_are_measures() -> None:
    kinds = WalkTotals.kinds()
    types = get_type_hints(WalkTotals)
    assert {name: kind == "count" for name, kind in kinds.items()} == {
        name: types[name] is int for name in kinds
    }
    totals = WalkTotals.of(walked(100, skip_at=70))
    assert all(isinstance(getattr(totals, n), int) for n, k in kinds.items() if k == "count")
