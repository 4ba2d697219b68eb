"""Screens show plan and history text with visible escapes, never raw control characters;
the recap's CSV export hands a spreadsheet no formula."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tests.support.builders import walked
from tests.support.pilot import SHORT, build, select, started, walk_on
from walkcoach.plan import dumps
from walkcoach.store.history import History
from walkcoach.store.paths import DataDirs
from walkcoach.tui.dialogs.confirm import ConfirmDialog
from walkcoach.tui.dialogs.export import ExportDialog
from walkcoach.tui.dialogs.line import LineDialog
from walkcoach.tui.screens.editor import EditorScreen
from walkcoach.tui.screens.history import HistoryScreen, SessionDetailScreen
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
    (tmp_path / "out").mkdir()  # an export never makes a folder
    app, _, _ = build(tmp_path / "data", plan=plan)
    async with started(app) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
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


# --- every character a terminal acts on, on every screen that came since -------------

# Below 0x20 but newline and tab, DEL, and C1: what must never reach the terminal raw.
TERMINAL_CONTROLS = frozenset([*range(0x20), 0x7F, *range(0x80, 0xA0)]) - {ord("\n"), ord("\t")}
EVERY_CONTROL = "".join(chr(c) for c in sorted(TERMINAL_CONTROLS))
HOSTILE_DIR = f"data {ESC}]2;pwned{BEL}\x9b\x7f"  # every message naming the history names it


def drawn(app: App[int]) -> str:
    """Every character the screens in the stack draw now, and every notification."""
    lines = []
    for screen in app.screen_stack:
        for strip in screen._compositor.render_strips():
            lines.append("".join(segment.text for segment in strip))
    lines.extend(note.message for note in app._notifications)
    return "\n".join(lines)


def assert_no_terminal_controls(app: App[int]) -> str:
    text = drawn(app)
    found = sorted({f"U+{ord(c):04X}" for c in text if ord(c) in TERMINAL_CONTROLS})
    assert found == [], text
    return text


def hostile_history(folder: Path) -> Path:
    """A finished walk with a hostile name and label, one left live (running, just
    written), and one damaged by a start time of every control character."""
    history = History(DataDirs.in_folder(folder).history_path)
    start = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    done = history.start_session(HOSTILE + EVERY_CONTROL, 80.0, start)
    history.checkpoint(done, walked(100, skip_at=70), "finished", start)
    history.start_session(f"Live {HOSTILE}", 80.0, start + timedelta(days=1))
    damaged = history.start_session("Damaged", 80.0, start + timedelta(days=2))
    history.checkpoint(damaged, walked(10), "finished", start)
    history.close()
    with sqlite3.connect(history.path) as conn:
        conn.execute("UPDATE segments SET label = ?", (HOSTILE + EVERY_CONTROL,))
        conn.execute("UPDATE sessions SET started_at = ? WHERE id = ?", (EVERY_CONTROL, damaged))
    conn.close()
    return history.path


async def test_the_history_screens_draw_no_control_character(tmp_path: Path) -> None:
    hostile_history(tmp_path / HOSTILE_DIR)
    app, _, _ = build(tmp_path / HOSTILE_DIR)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        assert cells(table, 2)[:3] == [
            "session 3",
            "started_at '\\x00\\x01\\x02\\x03\\x04\\x… is not a time",
            "damaged",
        ]
        assert SHOWN in assert_no_terminal_controls(app)
        await pilot.press("end", "enter")  # the damaged row: said, not opened
        assert isinstance(app.screen, HistoryScreen)
        assert "Damaged: session 3: started_at" in assert_no_terminal_controls(app)
        await pilot.press("home", "down", "enter")
        assert isinstance(app.screen, SessionDetailScreen)
        assert SHOWN in assert_no_terminal_controls(app)


async def test_the_delete_question_and_its_answers_draw_no_control_character(
    tmp_path: Path,
) -> None:
    hostile_history(tmp_path / HOSTILE_DIR)
    app, _, _ = build(tmp_path / HOSTILE_DIR)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        answers: list[str] = []
        for row in (0, 1, 1):  # live (refused), finished, then damaged
            await pilot.press("home", *["down"] * row, "d")
            await pilot.pause()
            question = app.screen
            assert isinstance(question, ConfirmDialog)
            assert_no_terminal_controls(app)
            app.clear_notifications()
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)
            assert_no_terminal_controls(app)
            answers.extend(note.message for note in app._notifications)
        assert answers[0].startswith("Not deleted: ") and r"\x1b]2;pwned\x07" in answers[0]
        assert answers[1:] == ["Walk deleted.", "Walk deleted."]


async def test_the_recaps_not_saved_yet_note_draws_no_control_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.history import Faults
    from tests.support.pilot import until

    faults = Faults(monkeypatch)
    faults.full = True  # the message names the history, in a folder of a hostile name
    app, _, _ = build(tmp_path / HOSTILE_DIR, plan=SHORT._replace(name=HOSTILE))
    async with started(app, size=(120, 30)) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        recap = app.screen
        assert isinstance(recap, RecapScreen)
        await until(pilot, lambda: recap.query_one("#recap-saving").display)
        await pilot.pause()
        text = assert_no_terminal_controls(app)
        assert "Not saved yet: " in text and r"\x1b]2;pwned\x07" in text
        recap.recorder.close()


HOSTILE_FILE = f"walks {ESC}]2;pwned{BEL}\x9b\x7f\u202e"


async def export_as(pilot: Pilot[int], typed: str) -> None:
    """x, `typed` as the file name, enter; a dialog left open (it says what is wrong)
    is checked and closed. The name is set on the field directly, as no key or paste
    can put it there (see the paste test below), so the messages are what is checked."""
    app = pilot.app
    await pilot.press("x")
    app.screen.query_one(Input).value = typed
    await pilot.press("enter")
    await pilot.pause()
    if isinstance(app.screen, LineDialog | ExportDialog):
        error = app.screen.query_one(".field-error", Static)
        said = str(error.render())
        assert r"walks \x1b]2;pwned\x07\x9b\x7f\u202e" in said
        assert not any(ord(c) in TERMINAL_CONTROLS for c in said)
        await pilot.press("escape")
        await pilot.pause()


async def test_export_dialogs_and_messages_draw_no_control_character_of_a_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.builders import walked as walked_for

    monkeypatch.chdir(tmp_path)
    history = History(DataDirs.in_folder(tmp_path / "data").history_path)
    start = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    history.checkpoint(history.start_session("Walk", 80.0, start), walked_for(60), "finished")
    history.close()
    (tmp_path / f"{HOSTILE_FILE}.d").mkdir()
    (tmp_path / f"{HOSTILE_FILE}.json").write_text("precious", encoding="utf-8")
    app, _, _ = build(tmp_path / "data")
    async with started(app, size=(120, 30)) as pilot:
        await select(pilot, "Quick ten")
        for typed in (f"{HOSTILE_FILE}/x.toml", f"{HOSTILE_FILE}.d", f"{HOSTILE_FILE}.toml"):
            await export_as(pilot, typed)  # missing folder, a folder: said in the dialog
            assert isinstance(app.screen, HomeScreen)
            assert_no_terminal_controls(app)
        await export_as(pilot, f"{HOSTILE_FILE}.toml")  # there now: the question
        assert isinstance(app.screen, ConfirmDialog)
        assert_no_terminal_controls(app)
        await pilot.press("y")
        await pilot.pause()
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        for typed in (f"{HOSTILE_FILE}/x", f"{HOSTILE_FILE}.d"):
            await export_as(pilot, typed)
            assert isinstance(app.screen, HistoryScreen)
            assert_no_terminal_controls(app)
        await export_as(pilot, HOSTILE_FILE)
        assert isinstance(app.screen, ConfirmDialog)  # the .json is there
        assert_no_terminal_controls(app)
        await pilot.press("y")
        await pilot.pause()
        text = assert_no_terminal_controls(app)
    assert r"walks \x1b]2;pwned\x07\x9b\x7f\u202e" in text
    assert (tmp_path / f"{HOSTILE_FILE}.csv").exists()
    assert (tmp_path / f"{HOSTILE_FILE}.json").read_text(encoding="utf-8") != "precious"


@pytest.mark.parametrize("kind", ["many", "huge"])
async def test_a_profile_of_unknown_settings_is_warned_about_in_one_short_line(
    tmp_path: Path, kind: str
) -> None:
    hostile_key = '"evil\\u001b]2;pwned\\u0007\\u009b"'
    if kind == "many":
        keys = [hostile_key, *(f"k{n}" for n in range(30_000))]
    else:
        keys = ["x" * 400_000, hostile_key]
    profile = DataDirs.in_folder(tmp_path).profile_path
    profile.parent.mkdir(parents=True, exist_ok=True)
    profile.write_text(
        "weight_kg = 81.0\n" + "".join(f"{key} = 1\n" for key in keys), encoding="utf-8"
    )
    app, _, _ = build(tmp_path, profile=None)
    assert app.ctx.profile.weight_kg == 81.0  # every known setting kept
    named = (
        r"evil\x1b]2;pwned\x07\x9b, k0, k1, k2, k3"
        " and 29996 more"
        if kind == "many"
        else "x" * 39 + r"…, evil\x1b]2;pwned\x07\x9b"
    )
    assert app.ctx.profile_warning == (
        f"{profile}: settings this walkcoach does not know ({named}) are kept as they are; "
        "a newer walkcoach probably wrote them."
    )
    async with started(app, size=(120, 30)) as pilot:
        await pilot.pause()
        assert_no_terminal_controls(app)
        (note,) = app._notifications
        assert note.message == app.ctx.profile_warning and len(note.message) < 400


async def test_a_paste_into_a_text_field_keeps_no_character_a_terminal_acts_on(
    tmp_path: Path,
) -> None:
    from textual import events

    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        await select(pilot, "Quick ten")
        await pilot.press("x")
        field = app.screen.query_one(Input)
        field.value = ""
        field.post_message(events.Paste(f"walks {HOSTILE_FILE}.toml\nsecond line"))
        await pilot.pause()
        assert field.value == "walks walks ]2;pwned.toml"  # the first line, controls dropped
        assert_no_terminal_controls(app)


async def test_a_text_field_shows_a_starting_value_from_a_file_escaped() -> None:
    from walkcoach.tui.widgets.fields import TextInput

    class One(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield TextInput(HOSTILE, id="f")

    app = One()
    async with app.run_test(size=(100, 5)) as pilot:
        await pilot.pause()
        assert app.query_one(TextInput).value == SHOWN
        assert_no_terminal_controls(app)  # type: ignore[arg-type]
