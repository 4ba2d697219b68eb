"""No byte a plan file or the history holds can drive the terminal through the CLI, and
no CSV the CLI writes hands a spreadsheet a formula."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.test_cli import VALID_PLAN, record_sessions, run, write_plan
from walkcoach.engine import Engine
from walkcoach.plan import Plan, Segment
from walkcoach.store.history import History
from walkcoach.store.paths import ENV_VAR

ESC, BEL = "\x1b", "\x07"
OSC_52 = f"{ESC}]52;c;aGVsbG8={BEL}"  # writes "hello" into the clipboard (tmux, xterm)
CSI_2J = f"{ESC}[2J"  # clears the screen
OSC_2 = f"{ESC}]2;pwned{BEL}"  # renames the window
HOSTILE = f"Evil {OSC_52}{CSI_2J}{OSC_2}\x9b1m\u202e"
TOML_HOSTILE = r"Evil \u001b]52;c;aGVsbG8=\u0007\u001b[2J\u001b]2;pwned\u0007\u009b1m\u202e"
FORMULA = '=HYPERLINK("http://evil.example/","click")'


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(ENV_VAR, raising=False)
    return tmp_path / "data"


def assert_inert(*outputs: str) -> None:
    for output in outputs:
        for bad in (ESC, BEL, "\x9b", "\u202e"):
            assert bad not in output, repr(output)


def hostile_plan(folder: Path, file_name: str = "evil.toml") -> Path:
    text = VALID_PLAN.replace('"Desk walk"', f'"{TOML_HOSTILE}"')
    text = text.replace('"Warm-up"', f'"{TOML_HOSTILE}"')
    text = text.replace("name = ", f'description = "{TOML_HOSTILE}"\nname = ', 1)
    return write_plan(folder, file_name, text)


def test_plans_check_rejects_and_does_not_echo_control_characters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: Path
) -> None:
    path = hostile_plan(tmp_path)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "check", str(path))
    assert code == 1
    assert "name: contains a control character (U+001B); remove it" in out
    assert "description: contains a control character (U+001B); remove it" in out
    assert "steps[0].label: contains a control character (U+001B); remove it" in out
    assert_inert(out, err)


def test_plans_check_escapes_the_file_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: Path
) -> None:
    path = write_plan(tmp_path, f"{HOSTILE}.toml", VALID_PLAN)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "check", str(path))
    assert code == 0 and r"Evil \x1b]52;c;aGVsbG8=\x07" in out
    assert_inert(out, err)


def test_plans_import_of_a_hostile_file_prints_nothing_raw(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: Path
) -> None:
    path = hostile_plan(tmp_path)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "import", str(path))
    assert code == 1 and "contains a control character (U+001B)" in err
    assert_inert(out, err)
    path = write_plan(tmp_path, f"{HOSTILE}.toml", VALID_PLAN.replace("Desk walk", "Ok\u202e"))
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "import", str(path))
    assert code == 0 and r'imported "Ok\u202e"' in out
    assert_inert(out, err)


def test_plans_list_and_show_escape_names_labels_and_descriptions(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    # An older file (written before the check) or a name that passes it (bidi).
    hostile_plan(data / "plans", f"{HOSTILE}.toml")
    bidi = VALID_PLAN.replace("Desk walk", "Desk \u202ekcab\u200b").replace(
        '"Warm-up"', '"Up\u2066x"'
    )
    write_plan(
        data / "plans", "bidi.toml", bidi.replace("name = ", 'description = "D\u202e"\nname = ', 1)
    )
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "list")
    assert code == 0 and r"Desk \u202ekcab\u200b" in out and r"\x1b" in out
    assert_inert(out, err)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "list", "--json")
    assert code == 0 and "\\u202e" in out
    assert_inert(out, err)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "show", "Desk \u202ekcab\u200b")
    assert code == 0
    assert r"Desk \u202ekcab\u200b" in out and r"Up\u2066x" in out and r"D\u202e" in out
    assert_inert(out, err)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "show", HOSTILE)
    assert code == 1
    assert_inert(out, err)


def hostile_history(data: Path) -> None:
    record_sessions(data / "history.sqlite3", 1)
    with History(data / "history.sqlite3") as history:
        session_id = history.start_session(HOSTILE, 70.0, datetime(2026, 3, 9, 7, tzinfo=UTC))
        history.start_session(FORMULA, 70.0, datetime(2026, 3, 10, 7, tzinfo=UTC))
    assert session_id


def test_history_table_json_and_csv_escape_what_the_database_holds(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    hostile_history(data)
    code, out, err = run(capsys, "--data-dir", str(data), "history")
    assert code == 0 and r"\x1b" in out  # folded over lines in the table
    assert_inert(out, err)
    code, out, err = run(capsys, "--data-dir", str(data), "history", "--json")
    assert code == 0
    assert_inert(out, err)
    assert [r["plan_name"] for r in json.loads(out)][:2] == [FORMULA, HOSTILE]  # same data
    code, out, err = run(capsys, "--data-dir", str(data), "history", "--csv")
    assert code == 0
    assert_inert(out, err)
    names = [row["plan_name"] for row in csv.DictReader(io.StringIO(out))]
    assert names == [
        "'" + FORMULA,
        r"Evil \x1b]52;c;aGVsbG8=\x07\x1b[2J\x1b]2;pwned\x07\x9b1m\u202e",
        "Walk 0",
    ]


def walk_with_labels(history_path: Path, name: str, label: str) -> None:
    plan = Plan(name, (Segment("forward", 60, 4.0, 0, label), Segment("backward", 60, 3.0)))
    engine = Engine(plan, 70.0, lead_in_s=0)
    engine.start(0.0)
    for t in range(1, 90):
        engine.tick(float(t))
    with History(history_path) as history:
        start = datetime(2026, 3, 10, 7, tzinfo=UTC)
        session_id = history.start_session(name, 70.0, start)
        history.checkpoint(session_id, engine.result(), "unfinished", start)


@pytest.mark.parametrize("session", [None, "2"])
def test_history_export_csv_neutralises_formulas(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, session: str | None
) -> None:
    record_sessions(data / "history.sqlite3", 1)
    walk_with_labels(data / "history.sqlite3", FORMULA, "@SUM(A1:A9)")
    with History(data / "history.sqlite3") as history:
        history.start_session("-1+2", 70.0, datetime(2026, 3, 11, 7, tzinfo=UTC))
    target = tmp_path / "out.csv"
    more = ["--session", session] if session else []
    code, _, err = run(capsys, "--data-dir", str(data), "history", "export", str(target), *more)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    if session is None:
        assert [r["plan_name"] for r in rows] == ["'-1+2", "'" + FORMULA, "Walk 0"]
    else:
        assert [r["plan_name"] for r in rows] == ["'" + FORMULA] * 2
        assert [r["label"] for r in rows] == ["'@SUM(A1:A9)", ""]
