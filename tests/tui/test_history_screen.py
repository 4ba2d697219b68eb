"""The history screen: walks newest first, one walk's segments, and exports."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Static

from tests.support.builders import WALK_NAMES, fill_history, walked
from tests.support.history import spoil_history
from tests.support.pilot import build, started
from walkcoach.store.history import History, SessionRow, Status
from walkcoach.store.paths import DataDirs
from walkcoach.tui.dialogs.confirm import ConfirmDialog
from walkcoach.tui.dialogs.export import ExportDialog
from walkcoach.tui.screens.history import HistoryScreen, SessionDetailScreen
from walkcoach.tui.widgets.rowtable import RowTable
from walkcoach.units import format_clock


def cells(table: DataTable, row: int) -> list[str]:  # type: ignore[type-arg]
    return [str(c) for c in table.get_row_at(row)]


async def test_walks_are_listed_newest_first_with_their_figures(tmp_path: Path) -> None:
    history = fill_history(tmp_path)
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
        assert cells(table, 1)[1:3] == ["Morning", "ended early"]
        assert cells(table, 2)[1] == WALK_NAMES[0]  # shown literally
        await pilot.press("escape")
        assert not isinstance(app.screen, HistoryScreen)


async def test_enter_shows_the_segments_planned_against_done(tmp_path: Path) -> None:
    fill_history(tmp_path)
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
        assert "Morning" in title and "ended early" in title
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)


async def test_e_in_the_detail_exports_that_walk(tmp_path: Path) -> None:
    fill_history(tmp_path / "data")
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
    fill_history(tmp_path / "data")
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
    assert [s["plan_name"] for s in data] == ["Evening", "Morning", WALK_NAMES[0]]
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
    from walkcoach.tui.dialogs.export import export_paths

    assert [p.name for p in export_paths(typed)] == names


async def test_a_damaged_walk_is_listed_as_damaged_and_the_rest_as_usual(
    tmp_path: Path,
) -> None:
    fill_history(tmp_path)
    spoil_history(tmp_path, "UPDATE sessions SET active_s = 'abc' WHERE plan_name = 'Morning'")
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        assert [cells(table, n)[1] for n in range(2)] == ["Evening", WALK_NAMES[0]]
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
    fill_history(tmp_path)
    spoil_history(tmp_path, "UPDATE sessions SET started_at = 'garbage' WHERE id = 3")
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        assert app.ctx.history is not None and app.ctx.history_error is None
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one("#sessions", DataTable).row_count == 3


async def test_damaged_segments_are_left_out_of_the_detail(tmp_path: Path) -> None:
    fill_history(tmp_path)
    spoil_history(tmp_path, "UPDATE segments SET kcal = 9e999 WHERE session_id = 3 AND idx = 0")
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
    fill_history(tmp_path)
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
        assert [cells(table, n)[1] for n in range(table.row_count)] == ["Evening", WALK_NAMES[0]]
        assert table.cursor_row == 1
    history = History(DataDirs.in_folder(tmp_path).history_path)
    assert [row.plan_name for row in history.sessions()] == ["Evening", WALK_NAMES[0]]
    assert history.segments(2) == []


async def test_a_damaged_walk_can_be_deleted(tmp_path: Path) -> None:
    fill_history(tmp_path)
    spoil_history(tmp_path, "UPDATE sessions SET started_at = 'garbage' WHERE id = 1")
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
        assert [cells(table, n)[2] for n in range(table.row_count)] == ["finished", "ended early"]


# --- statuses in words, list keys, exports as every export ---------------------------


def every_status(folder: Path) -> None:
    """Ended early, finished, interrupted (stored so), and one left running by a process
    that is gone, which reads as interrupted."""
    history = History(DataDirs.in_folder(folder).history_path)
    start = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    statuses: list[Status] = ["unfinished", "finished", "interrupted"]
    for n, status in enumerate(statuses):
        session_id = history.start_session(f"Walk {n}", 80.0, start + timedelta(days=n))
        history.checkpoint(session_id, walked(100), status, start)
    history.start_session("Left running", 80.0, start + timedelta(days=3))
    history.close()
    spoil_history(
        folder, "UPDATE sessions SET updated_at = '2026-03-04T07:30:00.000+00:00' WHERE id = 4"
    )


async def test_statuses_read_in_words_each_in_its_own_style(tmp_path: Path) -> None:
    every_status(tmp_path)
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        shown = [table.get_row_at(n)[2] for n in range(table.row_count)]
        assert [(str(s), str(s.style)) for s in shown] == [
            ("interrupted", "magenta"),
            ("interrupted", "magenta"),
            ("finished", ""),
            ("ended early", "yellow"),
        ]
        await pilot.press("down", "enter")
        screen = app.screen
        assert isinstance(screen, SessionDetailScreen)
        title = screen.query_one("#detail-title", Static).content
        assert isinstance(title, Text)
        assert str(title).endswith("   interrupted")
        assert [str(s.style) for s in title.spans if s.end == len(title)] == ["magenta"]
        await pilot.press("escape", "end", "enter")
        title = app.screen.query_one("#detail-title", Static).content
        assert str(title).endswith("   ended early")


async def test_home_end_and_pages_move_through_the_walks_and_the_segments(
    tmp_path: Path,
) -> None:
    history = History(DataDirs.in_folder(tmp_path).history_path)
    start = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    for n in range(30):
        session_id = history.start_session(f"Walk {n:02d}", 80.0, start + timedelta(days=n))
        history.checkpoint(session_id, walked(100), "finished", start)
    history.close()
    app, _, _ = build(tmp_path)
    async with started(app, size=(100, 16)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one("#sessions", RowTable)
        await pilot.press("end")
        assert table.cursor_row == 29
        selected = screen.selected()
        assert isinstance(selected, SessionRow) and selected.plan_name == "Walk 00"
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("pagedown")
        assert table.cursor_row > 3
        await pilot.press(*["pagedown"] * 8)
        assert table.cursor_row == 29
        await pilot.press(*["pageup"] * 9)
        assert table.cursor_row == 0
        await pilot.press("enter")
        segments = app.screen.query_one("#segments", RowTable)
        await pilot.press("end")
        assert segments.cursor_row == segments.row_count - 1 == 4
        await pilot.press("home")
        assert segments.cursor_row == 0


async def export_all(pilot: Pilot[int], typed: str) -> None:
    """x on the History screen, `typed` as NAME, enter."""
    app = pilot.app
    app.push_screen(HistoryScreen(app.ctx))  # type: ignore[attr-defined]
    await pilot.pause()
    await pilot.press("x")
    assert isinstance(app.screen, ExportDialog)
    app.screen.query_one(Input).value = typed
    await pilot.press("enter")
    await pilot.pause()


def notes(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


@pytest.mark.parametrize("answer", ["n", "y"])
async def test_an_export_asks_before_replacing_and_replaces_only_on_yes(
    tmp_path: Path, answer: str
) -> None:
    fill_history(tmp_path / "data")
    (tmp_path / "walks.json").write_text("precious\n", encoding="utf-8")
    app, _, _ = build(tmp_path / "data")
    async with started(app, size=(120, 30)) as pilot:
        await export_all(pilot, str(tmp_path / "walks"))
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert question.question == "walks.json already exists. Replace it?"
        assert question.detail == (
            f"{tmp_path / 'walks.json'} would be replaced by the export of all walks."
        )
        await pilot.press(answer)
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
    if answer == "n":
        assert (tmp_path / "walks.json").read_text(encoding="utf-8") == "precious\n"
        assert not (tmp_path / "walks.csv").exists()  # nothing half done either
        assert notes(app) == ["Not exported; nothing was replaced."]
    else:
        data = json.loads((tmp_path / "walks.json").read_text(encoding="utf-8"))
        assert [s["plan_name"] for s in data] == ["Evening", "Morning", WALK_NAMES[0]]
        assert (tmp_path / "walks.csv").read_text(encoding="utf-8").count("\n") == 4
        assert notes(app) == [f"Exported {tmp_path / 'walks.csv'} and walks.json"]


async def test_both_files_there_are_asked_about_together(tmp_path: Path) -> None:
    fill_history(tmp_path / "data")
    for name in ("walks.csv", "walks.json"):
        (tmp_path / name).write_text("precious\n", encoding="utf-8")
    app, _, _ = build(tmp_path / "data")
    async with started(app, size=(120, 30)) as pilot:
        await export_all(pilot, str(tmp_path / "walks.csv"))
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == "walks.csv and walks.json already exist. Replace them?"


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("no/such/walks", "the folder {tmp}/no/such does not exist; create it first"),
        (
            "out",
            "{tmp}/out is a folder, not a file; give a file name, such as "
            "{tmp}/out/walkcoach-history",
        ),
        (
            "new/",
            "{tmp}/new/ names a folder, not a file; give a file name, such as "
            "{tmp}/new/walkcoach-history",
        ),
    ],
    ids=["missing folder", "folder", "slash"],
)
async def test_an_export_to_a_missing_folder_or_a_folder_says_so_and_writes_nothing(
    tmp_path: Path, typed: str, error: str
) -> None:
    fill_history(tmp_path / "data")
    (tmp_path / "out").mkdir()
    app, _, _ = build(tmp_path / "data")
    async with started(app, size=(120, 30)) as pilot:
        await export_all(pilot, f"{tmp_path}/{typed}")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)  # stays open to be put right
        shown = str(dialog.query_one("#export-error", Label).render())
        assert shown == error.format(tmp=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out"]
    assert list((tmp_path / "out").iterdir()) == []


# --- a history another program holds locked at start ---------------------------------


def stale_walk(folder: Path) -> Path:
    """A history holding a walk left running by a walkcoach that died long ago."""
    path = DataDirs.in_folder(folder).history_path
    history = History(path)
    history.checkpoint(history.start_session("Dead", 80.0, START), walked(40))
    history.close()
    spoil_history(folder, "UPDATE sessions SET updated_at = '2026-03-01T07:31:00.000+00:00'")
    return path


START = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)


def stored_statuses(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        statuses = [status for (status,) in conn.execute("SELECT status FROM sessions")]
    conn.close()
    return statuses


@pytest.mark.parametrize("version", [3, 2])
async def test_a_history_locked_at_start_is_tidied_later_and_walks_are_still_saved(
    tmp_path: Path, version: int
) -> None:
    from tests.support.history import back_to_version_2, locked

    path = stale_walk(tmp_path)
    if version == 2:
        back_to_version_2(path)  # needs an upgrade, which needs the lock too
    other = locked(path)
    app, _, _ = build(tmp_path)
    try:
        async with started(app, size=(120, 30)) as pilot:
            await pilot.pause()
            assert app.ctx.history_error is None
            assert app.ctx.history is not None
            assert notes(app) == []  # no "Sessions will not be saved"
            assert app.ctx.history.busy_timeout_s == 5.0  # walks wait as long as ever
            assert stored_statuses(path) == ["running"]  # the tidy-up was skipped
    finally:
        other.close()
    history = app.ctx.history
    assert history is not None
    assert [row.status for row in history.sessions()] == ["interrupted"]  # as it reads
    history.start_session("Next", 80.0, START + timedelta(days=1))  # the lock is gone
    assert [row.plan_name for row in history.sessions()] == ["Next", "Dead"]
    history.close()


async def test_the_start_up_tidy_up_stores_dead_walks_as_interrupted(tmp_path: Path) -> None:
    path = stale_walk(tmp_path)
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.ctx.history is not None and app.ctx.history_error is None
    assert stored_statuses(path) == ["interrupted"]


# --- the recap's export, which shares the dialog and its rules ------------------------


async def test_the_recaps_export_asks_before_replacing_and_makes_no_folder(
    tmp_path: Path,
) -> None:
    from tests.support.pilot import SHORT, walk_on
    from walkcoach.tui.screens.recap import RecapScreen

    (tmp_path / "walk.csv").write_text("precious\n", encoding="utf-8")
    app, _, _ = build(tmp_path / "data", plan=SHORT)
    async with started(app, size=(120, 30)) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        assert isinstance(app.screen, RecapScreen)
        await pilot.press("e")
        app.screen.query_one(Input).value = str(tmp_path / "new" / "walk")
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert str(dialog.query_one("#export-error", Label).render()) == (
            f"the folder {tmp_path / 'new'} does not exist; create it first"
        )
        dialog.query_one(Input).value = str(tmp_path / "walk")
        await pilot.press("enter")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert question.question == "walk.csv already exists. Replace it?"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, RecapScreen)
        assert (tmp_path / "walk.csv").read_text(encoding="utf-8") == "precious\n"
        assert not (tmp_path / "walk.json").exists() and not (tmp_path / "new").exists()
        await pilot.press("e")
        app.screen.query_one(Input).value = str(tmp_path / "walk")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, RecapScreen)
    assert (tmp_path / "walk.csv").read_text(encoding="utf-8").startswith("plan_name,")
    data = json.loads((tmp_path / "walk.json").read_text(encoding="utf-8"))
    assert data["plan_name"] == "Short test walk"
