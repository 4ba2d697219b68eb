"""Exporting one session or the whole history as CSV or JSON, atomically."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.support.builders import START, walked
from walkcoach.errors import WalkcoachError
from walkcoach.store.history import (
    SEGMENT_COLUMNS,
    SESSION_COLUMNS,
    SESSION_CSV_COLUMNS,
    History,
    export_format,
    result_record,
    result_segments,
    session_export,
)


@pytest.fixture
def history(tmp_path: Path) -> History:
    history = History(tmp_path / "history.sqlite3")
    for n, seconds in enumerate((100, 180)):
        session_id = history.start_session(f"Walk {n}", 70.0, START.replace(day=n + 1))
        history.checkpoint(session_id, walked(seconds, skip_at=70), "finished", START)
    return history


def test_the_format_comes_from_the_extension(tmp_path: Path) -> None:
    assert export_format(tmp_path / "a.CSV") == "csv"
    assert export_format(tmp_path / "a.json") == "json"
    with pytest.raises(WalkcoachError, match=r"\.csv or \.json"):
        export_format(tmp_path / "a.txt")


def test_one_session_as_json_holds_its_record_and_segments(
    history: History, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "one.json"
    assert history.export(target, session_id=1) == (1, [])
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [k for k in data if k != "segments"] == list(SESSION_COLUMNS)
    assert data["plan_name"] == "Walk 0" and data["active_s"] == pytest.approx(100)
    assert len(data["segments"]) == 5
    assert list(data["segments"][1]) == list(SEGMENT_COLUMNS[1:])
    assert data["segments"][1]["skipped"] == 1


def test_one_session_as_csv_is_a_row_per_segment(history: History, tmp_path: Path) -> None:
    target = tmp_path / "one.csv"
    history.export(target, session_id=2)
    table = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert list(table[0]) == list(SESSION_CSV_COLUMNS)
    assert [row["idx"] for row in table] == ["0", "1", "2", "3", "4"]
    assert {row["plan_name"] for row in table} == {"Walk 1"}
    assert sum(float(r["actual_s"]) for r in table) == pytest.approx(160)  # 20 s skipped


def test_all_sessions_as_json_nest_segments_and_as_csv_match_history_csv(
    history: History, tmp_path: Path
) -> None:
    assert history.export(tmp_path / "all.json") == (2, [])
    data = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert [s["plan_name"] for s in data] == ["Walk 1", "Walk 0"]
    assert [len(s["segments"]) for s in data] == [5, 5]
    history.export(tmp_path / "all.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "all.csv").read_text(encoding="utf-8"))))
    assert list(rows[0]) == list(SESSION_COLUMNS)
    assert [r["plan_name"] for r in rows] == ["Walk 1", "Walk 0"]


def test_an_unknown_session_or_format_writes_nothing(history: History, tmp_path: Path) -> None:
    with pytest.raises(WalkcoachError, match="no session 9"):
        history.export(tmp_path / "x.json", session_id=9)
    with pytest.raises(WalkcoachError):
        history.export(tmp_path / "x.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "history.sqlite3",
        "history.sqlite3-shm",
        "history.sqlite3-wal",
    ]


def test_an_export_replaces_the_file_whole(history: History, tmp_path: Path) -> None:
    target = tmp_path / "all.csv"
    target.write_text("old\n" * 1000, encoding="utf-8")
    history.export(target)
    assert not target.read_text(encoding="utf-8").startswith("old")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_session_not_in_the_history_exports_the_same_shape() -> None:
    result = walked(100, skip_at=70)
    record = result_record("Walk", 70.0, START, "unfinished", result)
    assert list(record) == list(SESSION_COLUMNS)
    data = json.loads(session_export(record, result_segments(None, result), "json"))
    assert data["active_s"] == pytest.approx(100) and data["id"] is None
    assert len(data["segments"]) == 5


# --- walkcoach history export FILE --------------------------------------------------


def test_the_command_exports_everything_or_one_session(
    history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from walkcoach.cli import main

    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "history", "export", str(tmp_path / "all.json")]) == 0
    assert capsys.readouterr().out == f"exported 2 sessions to {tmp_path / 'all.json'}\n"
    assert len(json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))) == 2
    assert main([*data, "history", "export", str(tmp_path / "one.csv"), "--session", "1"]) == 0
    assert "exported 1 session to" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO((tmp_path / "one.csv").read_text(encoding="utf-8"))))
    assert {r["plan_name"] for r in rows} == {"Walk 0"} and len(rows) == 5


def test_the_command_fails_in_one_line_on_a_bad_name_or_session(
    history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from walkcoach.cli import main

    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "history", "export", str(tmp_path / "x.txt")]) == 1
    assert main([*data, "history", "export", str(tmp_path / "x.json"), "--session", "7"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"walkcoach: {tmp_path / 'x.txt'}: name the file .csv, .json, .fit or .tcx "
        "to choose the format",
        f"walkcoach: {history.path}: there is no session 7",
    ]
    assert not (tmp_path / "x.json").exists()
