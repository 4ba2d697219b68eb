"""The history screen: walks newest first, one walk's segments, and exports."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from tests.store.test_history import walked
from tests.tui.helpers import build, started
from walkcoach.store.history import History, Status
from walkcoach.store.paths import DataDirs
from walkcoach.tui.screens.dialogs import ConfirmDialog
from walkcoach.tui.screens.history import ExportDialog, HistoryScreen, SessionDetailScreen
from walkcoach.units import format_clock

NAMES = ["[b]x[/b] [link=http://e]y", "Morning", "Evening"]


def fill(folder: Path) -> History:
    history = History(DataDirs.in_folder(folder).history_path)
    start = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    for n, name in enumerate(NAMES):
        session_id = history.start_session(name, 80.0, start + timedelta(days=n))
        status: Status = "unfinished" if n == 1 else "finished"
        history.checkpoint(session_id, walked(100 + 40 * n, skip_at=70), status, start)
    history.close()
    return history


def cells(table: DataTable, row: int) -> list[str]:  # type: ignore[type-arg]
    return [str(c) for c in table.get_row_at(row)]


async def test_walks_are_listed_newest_first_with_their_figures(tmp_path: Path) -> None:
    history = fill(tmp_path)
    rows = history.sessions()
    app, _, _ = build(tmp_path)
    async with started(app, size=(100, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 3
        first = cells(table, 0)
        assert first[1:3] == ["Evening", "finished"]
        assert first[0].endswith(f"{rows[0].started_at.astimezone():%Y-%m-%d %H:%M}")
        assert first[3] == "2:40"  # 180 s planned, 20 s of it skipped
        assert first[4] == format_clock(rows[0].backward_s) == "0:40"  # as Home and the CLI
        assert first[5] == f"{rows[0].kcal:.0f}"
        assert cells(table, 1)[1:3] == ["Morning", "unfinished"]
        assert cells(table, 2)[1] == NAMES[0]  # shown literally
        await pilot.press("escape")
        assert not isinstance(app.screen, HistoryScreen)


async def test_enter_shows_the_segments_planned_against_done(tmp_path: Path) -> None:
    fill(tmp_path)
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        await pilot.press("down", "enter")
        screen = app.screen
        assert isinstance(screen, SessionDetailScreen)
        assert screen.row.plan_name == "Morning"
        table = screen.query_one("#segments", DataTable)
        assert table.row_count == 5
        warm_up = cells(table, 0)
        assert warm_up[1:5] == ["forward", "Warm-up", "1:00", "1:00"]
        assert warm_up[5] == "4.5 km/h" and warm_up[8] == "done"
        skipped = cells(table, 1)
        assert skipped[1] == "backward" and skipped[3:5] == ["0:30", "0:10"]
        assert skipped[6] == "2 %" and skipped[8] == "skipped"
        title = str(screen.query_one("#detail-title", Static).content)
        assert "Morning" in title and "unfinished" in title
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)


async def test_e_in_the_detail_exports_that_walk(tmp_path: Path) -> None:
    fill(tmp_path / "data")
    app, _, _ = build(tmp_path / "data")
    async with started(app) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        await pilot.press("enter", "e")
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one(Input).value = str(tmp_path / "evening")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionDetailScreen)
    data = json.loads((tmp_path / "evening.json").read_text(encoding="utf-8"))
    assert data["plan_name"] == "Evening" and len(data["segments"]) == 5
    assert (tmp_path / "evening.csv").read_text(encoding="utf-8").count("\n") == 6


async def test_x_exports_every_walk(tmp_path: Path) -> None:
    fill(tmp_path / "data")
    app, _, _ = build(tmp_path / "data")
    async with started(app) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        await pilot.press("x")
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one(Input).value = str(tmp_path / "all.csv")
        await pilot.press("enter")
        await pilot.pause()
    data = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert [s["plan_name"] for s in data] == ["Evening", "Morning", NAMES[0]]
    assert (tmp_path / "all.csv").read_text(encoding="utf-8").count("\n") == 4


async def test_an_empty_history_says_so(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        assert "No walks yet." in str(app.screen.query_one("#history-note", Static).content)
        await pilot.press("x")
        assert isinstance(app.screen, HistoryScreen)


async def test_a_corrupt_history_is_named_and_left_untouched(tmp_path: Path) -> None:
    path = DataDirs.in_folder(tmp_path).history_path
    path.write_bytes(b"not a database " * 300)
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        note = str(app.screen.query_one("#history-note", Static).content)
        assert str(path) in note and "Sessions will not be saved" in note
    assert path.read_bytes() == b"not a database " * 300


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("walk", ["walk.csv", "walk.json"]),
        ("walk.json", ["walk.csv", "walk.json"]),
        ("walk.CSV", ["walk.csv", "walk.json"]),
        ("walk.2026", ["walk.2026.csv", "walk.2026.json"]),
    ],
)
def test_an_export_name_gives_a_csv_and_a_json(typed: str, names: list[str]) -> None:
    from walkcoach.tui.screens.history import export_paths

    assert [p.name for p in export_paths(typed)] == names


def spoil(folder: Path, sql: str) -> None:
    """Changes the history as another program (or a bad disk) might."""
    with sqlite3.connect(DataDirs.in_folder(folder).history_path) as conn:
        conn.execute(sql)
    conn.close()


async def test_a_damaged_walk_is_listed_as_damaged_and_the_rest_as_usual(
    tmp_path: Path,
) -> None:
    fill(tmp_path)
    spoil(tmp_path, "UPDATE sessions SET active_s = 'abc' WHERE plan_name = 'Morning'")
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        assert [cells(table, n)[1] for n in range(2)] == ["Evening", NAMES[0]]
        assert cells(table, 2) == [
            "session 2",
            "active_s 'abc' is not a number",
            "damaged",
            "",
            "",
            "",
        ]
        note = str(app.screen.query_one("#history-note", Static).content)
        assert note.startswith("2 walks  1 damaged row left out of everything")
        await pilot.press("down", "down", "enter")  # says what is wrong, opens nothing
        assert isinstance(app.screen, HistoryScreen)


async def test_the_app_starts_with_a_garbage_start_time_in_the_history(
    tmp_path: Path,
) -> None:
    fill(tmp_path)
    spoil(tmp_path, "UPDATE sessions SET started_at = 'garbage' WHERE id = 3")
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        assert app.ctx.history is not None and app.ctx.history_error is None
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one("#sessions", DataTable).row_count == 3


async def test_damaged_segments_are_left_out_of_the_detail(tmp_path: Path) -> None:
    fill(tmp_path)
    spoil(tmp_path, "UPDATE segments SET kcal = 9e999 WHERE session_id = 3 AND idx = 0")
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, SessionDetailScreen)
        assert screen.query_one("#segments", DataTable).row_count == 4
        (note,) = app._notifications
        assert note.message.startswith("Left out as damaged: segment 1 of session 3: kcal inf")


async def test_d_deletes_the_walk_after_asking(tmp_path: Path) -> None:
    fill(tmp_path)
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        await pilot.press("down", "d")
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert question.question == "Delete this walk?"
        assert question.detail.startswith("Morning, ")
        await pilot.press("n")  # no: nothing happens
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 3
        await pilot.press("d", "y")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert [cells(table, n)[1] for n in range(table.row_count)] == ["Evening", NAMES[0]]
        assert table.cursor_row == 1
    history = History(DataDirs.in_folder(tmp_path).history_path)
    assert [row.plan_name for row in history.sessions()] == ["Evening", NAMES[0]]
    assert history.segments(2) == []


async def test_a_damaged_walk_can_be_deleted(tmp_path: Path) -> None:
    fill(tmp_path)
    spoil(tmp_path, "UPDATE sessions SET started_at = 'garbage' WHERE id = 1")
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        await pilot.press("down", "down", "delete")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.detail.startswith("session 1, which is damaged")
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        assert [cells(table, n)[2] for n in range(table.row_count)] == ["finished", "unfinished"]
