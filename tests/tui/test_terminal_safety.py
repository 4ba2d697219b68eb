"""Screens show plan and history text with visible escapes, never raw control characters;
the recap's CSV export hands a spreadsheet no formula."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import DataTable, Static

from tests.store.test_history import walked
from tests.tui.helpers import SHORT, build, started
from tests.tui.test_editor import select
from tests.tui.test_recap import walk
from walkcoach.plan import dumps
from walkcoach.store.history import History
from walkcoach.store.paths import DataDirs
from walkcoach.tui.screens.editor import EditorScreen
from walkcoach.tui.screens.history import ExportDialog, HistoryScreen, SessionDetailScreen
from walkcoach.tui.screens.home import HomeScreen
from walkcoach.tui.screens.recap import RecapScreen
from walkcoach.tui.screens.session import SessionScreen

ESC, BEL = "\x1b", "\x07"
HOSTILE = f"Evil {ESC}]52;c;aGVsbG8={BEL}{ESC}[2J{ESC}]2;pwned{BEL}"
SHOWN = r"Evil \x1b]52;c;aGVsbG8=\x07\x1b[2J\x1b]2;pwned\x07"
BIDI = "Desk \u202ekcab\u200b"  # passes the plan check; shown escaped all the same
BIDI_SHOWN = r"Desk \u202ekcab\u200b"
FORMULA = '=HYPERLINK("http://evil.example/","click")'


def cells(table: DataTable, row: int) -> list[str]:  # type: ignore[type-arg]
    return [str(c) for c in table.get_row_at(row)]


def raw_free(text: str) -> bool:
    return not any(c in text for c in (ESC, BEL, "\u202e", "\u200b"))


async def test_home_shows_names_and_descriptions_escaped(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    plans_dir = DataDirs.in_folder(tmp_path).plans_dir
    plans_dir.mkdir(parents=True, exist_ok=True)
    plan = SHORT._replace(name=BIDI, description="About \u2066this\u2069")
    (plans_dir / "bidi.toml").write_text(dumps(plan), encoding="utf-8")
    # A file that no longer loads is listed by its file name, which may hold anything.
    (plans_dir / f"{HOSTILE}.toml").write_text("not = [valid", encoding="utf-8")
    async with started(app, size=(120, 40)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#plans", DataTable)
        names = [cells(table, row)[0] for row in range(table.row_count)]
        assert BIDI_SHOWN in names and SHOWN in names
        assert all(raw_free(name) for name in names)
        await select(pilot, BIDI)
        detail = str(home.query_one("#plan-detail", Static).content)
        assert r"About \u2066this\u2069" in detail and raw_free(detail)
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        title = "".join(str(s.content) for s in editor.query(Static))
        assert BIDI_SHOWN in title and raw_free(title)


async def test_history_shows_names_statuses_and_labels_escaped(tmp_path: Path) -> None:
    history = History(DataDirs.in_folder(tmp_path).history_path)
    start = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    session_id = history.start_session(HOSTILE, 80.0, start)
    history.checkpoint(session_id, walked(100, skip_at=70), "finished", start)
    history.close()
    # What an older or tampered database may hold: a label and a status of any text.
    with sqlite3.connect(history.path) as conn:
        conn.execute("UPDATE segments SET label = ?", (f"Lab{ESC}[31m",))
    conn.close()
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        row = cells(table, 0)
        assert row[1] == SHOWN and all(raw_free(c) for c in row)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, SessionDetailScreen)
        title = str(screen.query_one("#detail-title", Static).content)
        assert SHOWN in title and raw_free(title)
        segments = screen.query_one("#segments", DataTable)
        labels = [cells(segments, r)[2] for r in range(segments.row_count)]
        assert r"Lab\x1b[31m" in labels and all(raw_free(label) for label in labels)


async def test_the_recaps_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    plan = SHORT._replace(name=FORMULA)
    app, _, _ = build(tmp_path / "data", plan=plan)
    async with started(app) as pilot:
        await walk(pilot, 5 + 70 + 1)
        assert isinstance(app.screen, RecapScreen)
        title = "".join(str(s.content) for s in app.screen.query(Static))
        assert FORMULA in title  # shown as it is on the screen: only CSV cells change
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("Input").value = str(tmp_path / "out" / "walk")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
    text = (tmp_path / "out" / "walk.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(r["plan_name"] == "'" + FORMULA for r in rows)


async def test_the_walk_screen_shows_an_old_plans_name_and_labels_escaped(tmp_path: Path) -> None:
    # A plan built in memory, as one read from an older file or the history could be.
    plan = SHORT._replace(name=HOSTILE)
    app, _, _ = build(tmp_path, plan=plan)
    async with started(app) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        title = str(screen.query_one("#title", Static).render())
        assert title.startswith(SHOWN) and raw_free(title)
