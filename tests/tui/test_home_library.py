"""Home's plan library keys: new, copy, edit, delete, import, export, settings, history."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tests.support.pilot import MINE, build, select, started, type_text, with_plan
from walkcoach import plan as plan_module
from walkcoach.plan import dumps
from walkcoach.store.plans import load_entry
from walkcoach.store.profile import Profile
from walkcoach.tui.dialogs.confirm import ConfirmDialog
from walkcoach.tui.dialogs.line import LineDialog
from walkcoach.tui.screens.editor import EditorScreen
from walkcoach.tui.screens.home import HomeScreen, how_to_fix, trouble
from walkcoach.tui.screens.settings import SettingsScreen

SIZE = (100, 40)


def messages(app: object) -> str:
    return "\n".join(n.message for n in app._notifications)  # type: ignore[attr-defined]


async def test_n_opens_the_editor_on_a_new_plan(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=SIZE) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.doc.plan.name == "New plan"
        assert app.screen.entry is None


async def test_c_copies_under_a_typed_name(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=SIZE) as pilot:
        await select(pilot, "Quick ten")
        await pilot.press("c")
        assert isinstance(app.screen, LineDialog)
        await pilot.press("ctrl+u")
        await type_text(pilot, "Lunch walk")
        await pilot.press("enter")
        home = app.screen
        assert isinstance(home, HomeScreen)
        entry = home.selected()
        assert entry is not None and entry.name == "Lunch walk" and entry.source == "user"
        assert plan_module.load(entry.path).steps == home.entries[4].require().steps


async def test_d_deletes_a_user_plan_after_asking(tmp_path: Path) -> None:
    app, path = with_plan(tmp_path)
    async with started(app, size=SIZE) as pilot:
        await select(pilot, "My walk")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert path.exists()
        await pilot.press("d", "y")
        assert not path.exists()
        assert "My walk" not in [e.name for e in app.screen.entries]  # type: ignore[attr-defined]


async def test_d_on_a_built_in_plan_says_it_cannot_be_deleted(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=SIZE) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, HomeScreen)
        assert "built-in plan and cannot be deleted" in messages(app)


async def test_an_unreadable_plan_is_never_edited_copied_or_deleted(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    broken = tmp_path / "plans" / "broken.toml"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text('name = "Broken"\nsteps = 3\n')
    async with started(app, size=SIZE) as pilot:
        await select(pilot, "broken")
        for key in ("e", "c", "d", "x"):
            await pilot.press(key)
            assert isinstance(app.screen, HomeScreen)
        text = messages(app)
        for verb in ("edit", "copy", "delete", "export"):
            assert f'Cannot {verb} "broken"' in text
        assert "leaves the file untouched" in text
    assert broken.read_text() == 'name = "Broken"\nsteps = 3\n'


async def test_i_imports_a_typed_path_and_a_bad_one_keeps_the_dialog_open(
    tmp_path: Path,
) -> None:
    app, _, _ = build(tmp_path / "data")
    good = tmp_path / "shared.toml"
    good.write_text(dumps(MINE))
    bad = tmp_path / "bad.toml"
    bad.write_text("name = 'Bad'\n")
    async with started(app, size=SIZE) as pilot:
        await pilot.press("i")
        await type_text(pilot, str(bad))
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, LineDialog)
        assert "steps" in str(dialog.query_one("#line-error").render())
        await pilot.press("ctrl+u")
        await type_text(pilot, str(good))
        await pilot.press("enter")
        home = app.screen
        assert isinstance(home, HomeScreen)
        entry = home.selected()
        assert entry is not None and entry.name == "My walk" and entry.source == "user"


async def test_x_exports_to_the_safe_name_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app, _ = with_plan(tmp_path / "data")
    async with started(app, size=SIZE) as pilot:
        await select(pilot, "My walk")
        await pilot.press("x")
        assert isinstance(app.screen, LineDialog)
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
        assert plan_module.load(tmp_path / "my-walk.toml") == MINE
        await pilot.press("x", "enter")  # the file is there now: asked before replacing
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == "my-walk.toml already exists. Replace it?"


async def test_s_opens_the_settings(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=SIZE) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.skipif(
    importlib.util.find_spec("walkcoach.tui.screens.history") is None,
    reason="the history screen is not written yet",
)
async def test_h_opens_the_history(tmp_path: Path) -> None:
    from walkcoach.tui.screens.history import HistoryScreen

    app, _, _ = build(tmp_path)
    async with started(app, size=SIZE) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)


async def test_importing_a_plan_you_already_have_asks_then_replaces_it(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path / "data")
    app.ctx.library.save(MINE)
    newer = tmp_path / "newer.toml"
    newer.write_text(dumps(MINE._replace(description="The newer one")))
    async with started(app, size=SIZE) as pilot:
        await pilot.press("i")
        await type_text(pilot, str(newer))
        await pilot.press("enter")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmDialog)  # the path dialog has closed itself
        await pilot.press("y")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        mine = [e for e in app.ctx.library.user_entries() if e.name == "My walk"]
        assert len(mine) == 1 and mine[0].plan is not None
        assert mine[0].plan.description == "The newer one"
        await pilot.press("j")  # the next key works: no stale dialog state
        assert isinstance(app.screen, HomeScreen)


async def test_importing_a_plan_named_like_a_built_in_is_refused_in_the_dialog(
    tmp_path: Path,
) -> None:
    app, _, _ = build(tmp_path / "data")
    source = tmp_path / "quick.toml"
    source.write_text(dumps(MINE._replace(name="QUICK TEN")))
    async with started(app, size=SIZE) as pilot:
        await pilot.press("i")
        await type_text(pilot, str(source))
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LineDialog)  # no "Replace it?": a built-in is not replaced
        assert str(dialog.query_one("#line-error").render()) == (
            '"Quick ten" is the name of a built-in plan; rename the plan in the file'
        )
    assert app.ctx.library.user_entries() == []


async def test_copying_under_the_name_of_another_plan_is_refused(tmp_path: Path) -> None:
    app, path = with_plan(tmp_path)
    async with started(app, size=SIZE) as pilot:
        await select(pilot, "My walk")
        await pilot.press("c", "ctrl+u")
        await type_text(pilot, "QUICK TEN")
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, LineDialog)
        assert str(dialog.query_one("#line-error").render()) == (
            '"Quick ten" is the name of a built-in plan; choose another name'
        )
        await pilot.press("ctrl+u")
        await type_text(pilot, "my walk")
        await pilot.press("enter")
        assert "you already have a plan named" in str(dialog.query_one("#line-error").render())
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


async def test_a_plan_with_errors_says_so_and_how_to_fix_it(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    broken = tmp_path / "plans" / "broken.toml"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text('name = "Broken"\n[[steps]]\ndirection = "sideways"\nduration = 1\n')
    async with started(app, size=(80, 24)) as pilot:
        await select(pilot, "broken")
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#plans", DataTable)
        row = [str(cell) for cell in table.get_row_at(table.cursor_row)]
        assert row[:3] == ["broken", "user", "3 errors"]
        detail = home.query_one("#plan-detail", Static)
        text = str(detail.render())
        assert text.startswith(
            "This plan file has 3 errors: fix it in a text editor; "
            f'"walkcoach plans check {broken}" lists them. The first: steps[0].direction: '
        )
        assert "cannot be read" not in text
        await pilot.press("enter")  # not walked: the same words say why
        assert isinstance(app.screen, HomeScreen)
        assert text in messages(app)


async def test_a_plan_file_that_cannot_be_read_is_called_so(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    folder = tmp_path / "plans"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "odd.toml").open("wb") as huge:  # refused by its size, unread
        huge.truncate(50 * 1024 * 1024)
    async with started(app, size=SIZE) as pilot:
        await select(pilot, "odd")
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#plans", DataTable)
        row = [str(cell) for cell in table.get_row_at(table.cursor_row)]
        assert row[2] == "cannot be read"


MANY_KEYS = 'name = "Many"\n' + "".join(f"key{n} = 1\n" for n in range(25))
DEEP = "x = " + "[" * 40 + "]" * 40 + "\n"


@pytest.mark.parametrize(
    ("content", "row", "detail"),
    [
        (
            MANY_KEYS.encode(),
            "26 errors",  # 25 unknown keys and no steps, of which 20 are kept
            "This plan file has 26 errors: fix it in a text editor; "
            '"walkcoach plans check {path}" lists them. The first: key0: ',
        ),
        (
            'name = "Mine"\n'.encode("utf-16"),
            "UTF-16, not UTF-8",
            "{path}: UTF-16 text, not UTF-8; save it as UTF-8.",
        ),
        (
            DEEP.encode(),
            "nested too deep",
            "{path}: line 1: brackets nested over 32 deep; walkcoach reads at most 32 levels.",
        ),
        (
            b"name = \xc0\xff\n",
            "not a text file",
            "{path}: not a text file (it is not UTF-8).",
        ),
        (
            b'name = "x\n',  # a TOML syntax error is an error in the text
            "1 error",
            "This plan file has 1 error: fix it in a text editor; "
            '"walkcoach plans check {path}" lists it. It: not valid TOML: ',
        ),
    ],
    ids=["26-errors", "utf-16", "nested", "not-text", "toml-syntax"],
)
def test_a_refused_plan_file_is_called_what_it_is_and_errors_are_all_counted(
    tmp_path: Path, content: bytes, row: str, detail: str
) -> None:
    path = tmp_path / "plans" / "odd.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    entry = load_entry(path, "user")
    assert entry.plan is None and entry.error is not None
    assert trouble(entry) == row
    assert how_to_fix(entry).startswith(detail.format(path=path))


async def test_home_counts_every_error_of_a_plan_past_the_twenty_listed(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    broken = tmp_path / "plans" / "many.toml"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text(MANY_KEYS)
    async with started(app, size=(80, 24)) as pilot:
        await select(pilot, "many")
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#plans", DataTable)
        row = [str(cell) for cell in table.get_row_at(table.cursor_row)]
        assert row[:3] == ["many", "user", "26 errors"]
        assert str(home.query_one("#plan-detail", Static).render()).startswith(
            "This plan file has 26 errors"
        )


@pytest.mark.parametrize(("factor", "kcal"), [(1.0, "80"), (1.15, "91"), (0.85, "71")])
async def test_home_estimates_kcal_at_the_true_speed_of_the_treadmill_factor(
    tmp_path: Path, factor: float, kcal: str
) -> None:
    app, _ = with_plan(tmp_path)
    app.ctx.profile = Profile(weight_kg=80.0, treadmill_factor=factor)
    async with started(app, size=SIZE) as pilot:
        await select(pilot, "My walk")
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#plans", DataTable)
        row = [str(cell) for cell in table.get_row_at(table.cursor_row)]
        assert row == ["My walk", "user", "17:00", "4:00", kcal]
        assert kcal == f"{plan_module.summarize(MINE, 80.0, factor).kcal:.0f}"


async def test_home_end_and_pages_move_through_the_plans(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    for n in range(20):
        app.ctx.library.save(MINE._replace(name=f"Walk {n:02d}"))
    async with started(app, size=(60, 20)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#plans", DataTable)
        await pilot.press("end")
        assert table.cursor_row == 24
        selected = home.selected()
        assert selected is not None and selected.name == "Walk 19"
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("pagedown")
        assert table.cursor_row > 3
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        assert table.cursor_row == 24
        await pilot.press("pageup", "pageup", "pageup", "pageup", "pageup")
        assert table.cursor_row == 0


async def test_after_saving_an_edit_home_is_on_the_saved_plan(tmp_path: Path) -> None:
    app, path = with_plan(tmp_path)
    async with started(app, size=SIZE) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "f2", "ctrl+u")
        await type_text(pilot, "A walk")  # sorts it to another row
        await pilot.press("enter", "ctrl+s", "escape")
        home = app.screen
        assert isinstance(home, HomeScreen)
        selected = home.selected()
        assert selected is not None and selected.path == path and selected.name == "A walk"


async def test_after_a_delete_the_cursor_stays_on_its_row(tmp_path: Path) -> None:
    app, _ = with_plan(tmp_path)
    app.ctx.library.save(MINE._replace(name="Other walk"))
    async with started(app, size=SIZE) as pilot:
        await select(pilot, "My walk")
        await pilot.press("d", "y")
        home = app.screen
        assert isinstance(home, HomeScreen)
        selected = home.selected()
        assert selected is not None and selected.name == "Other walk"


async def test_at_60_columns_a_long_name_gives_way_to_the_figures(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    long_name = "A very long name for a plan that goes on and on"
    app.ctx.library.save(MINE._replace(name=long_name))
    async with started(app, size=(60, 20)) as pilot:
        await select(pilot, long_name)
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#plans", DataTable)
        row = [str(cell) for cell in table.get_row_at(table.cursor_row)]
        assert row[0].endswith("…") and long_name.startswith(row[0][:-1])
        assert row[1:] == ["user", "17:00", "4:00", "80"]
        widths = sum(column.get_render_width(table) for column in table.columns.values())
        assert widths <= table.scrollable_content_region.width


# --- export: as every export, no folder made, a folder called one, a file replaced on yes


async def export_plan(pilot: Pilot[int], typed: str) -> None:
    """x on "My walk", `typed` as the file, enter."""
    await select(pilot, "My walk")
    await pilot.press("x")
    dialog = pilot.app.screen
    assert isinstance(dialog, LineDialog)
    dialog.query_one("#line", Input).value = typed
    await pilot.press("enter")
    await pilot.pause()


def dialog_error(pilot: Pilot[int]) -> str:
    return str(pilot.app.screen.query_one("#line-error", Static).render())


async def test_home_export_asks_before_replacing_a_file_and_replaces_it_only_on_yes(
    tmp_path: Path,
) -> None:
    app, _ = with_plan(tmp_path / "data")
    target = tmp_path / "walk.toml"
    target.write_text("precious\n", encoding="utf-8")
    async with started(app, size=SIZE) as pilot:
        await export_plan(pilot, str(target))
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert question.question == "walk.toml already exists. Replace it?"
        assert question.detail == f'{target} would be replaced by the plan "My walk".'
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert target.read_text(encoding="utf-8") == "precious\n"
        assert "Not exported; nothing was replaced." in messages(app)
        await export_plan(pilot, str(target))
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert plan_module.load(target) == MINE
    assert f'Exported "My walk" to {target}' in messages(app)


async def test_home_export_names_a_missing_folder_and_does_not_create_it(
    tmp_path: Path,
) -> None:
    app, _ = with_plan(tmp_path / "data")
    async with started(app, size=SIZE) as pilot:
        await export_plan(pilot, str(tmp_path / "no" / "such" / "walk.toml"))
        assert isinstance(app.screen, LineDialog)  # stays open to be put right
        assert dialog_error(pilot) == (
            f"the folder {tmp_path / 'no' / 'such'} does not exist; create it first"
        )
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("slash", ["", "/"])
async def test_home_export_calls_a_folder_a_folder(tmp_path: Path, slash: str) -> None:
    app, _ = with_plan(tmp_path / "data")
    (tmp_path / "plans-out").mkdir()
    async with started(app, size=SIZE) as pilot:
        await export_plan(pilot, f"{tmp_path / 'plans-out'}{slash}")
        assert isinstance(app.screen, LineDialog)
        assert dialog_error(pilot) == (
            f"{tmp_path / 'plans-out'}{slash} is a folder, not a file; give a file name, "
            f"such as {tmp_path / 'plans-out' / 'my-walk.toml'}"
        )
        await pilot.press("escape")
        await export_plan(pilot, str(tmp_path / "new-folder") + "/")
        assert isinstance(app.screen, LineDialog)
        assert dialog_error(pilot).startswith(f"{tmp_path / 'new-folder'}/ names a folder, not")
    assert list((tmp_path / "plans-out").iterdir()) == []
    assert not (tmp_path / "new-folder").exists()


# --- the footer offers what the row under the cursor allows ----------------------------


def footer_keys(screen: object) -> dict[str, str]:
    """What the screen's footer shows: each key and what it says it does."""
    from textual.widgets._footer import FooterKey

    return {key.key_display: key.description for key in screen.query(FooterKey)}  # type: ignore[attr-defined]


ROW_INDEPENDENT = {"n": "New", "i": "Import", "h": "History", "s": "Settings", "q": "Quit"}


async def test_home_footer_offers_on_each_row_only_the_keys_that_work_there(
    tmp_path: Path,
) -> None:
    app, _ = with_plan(tmp_path)
    broken = tmp_path / "plans" / "broken.toml"
    broken.write_text('name = "Broken"\nsteps = 3\n')
    async with started(app, size=SIZE) as pilot:
        await pilot.press("home")
        await select(pilot, "Quick ten")  # built-in
        await pilot.pause()
        assert footer_keys(app.screen) == {
            "⏎": "Start",
            "e": "Edit a copy",
            "c": "Copy",
            "x": "Export",
            **ROW_INDEPENDENT,
        }
        await pilot.press("home")
        await select(pilot, "My walk")  # the walker's own
        await pilot.pause()
        assert footer_keys(app.screen) == {
            "⏎": "Start",
            "e": "Edit",
            "c": "Copy",
            "d": "Delete",
            "x": "Export",
            **ROW_INDEPENDENT,
        }
        await pilot.press("home")
        await select(pilot, "broken")  # does not load
        await pilot.pause()
        assert footer_keys(app.screen) == ROW_INDEPENDENT
        await pilot.press("enter")  # not offered, and says why
        assert isinstance(app.screen, HomeScreen)
        assert "fix it in a text editor" in messages(app)


async def test_e_on_a_built_in_plan_edits_a_copy_as_its_footer_says(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=SIZE) as pilot:
        await select(pilot, "Quick ten")
        await pilot.press("e")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.entry is None and app.screen.doc.plan.name == "Quick ten (copy)"


async def test_home_with_no_plans_offers_no_row_keys(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    app.ctx.library.entries = lambda: []  # type: ignore[method-assign]
    async with started(app, size=SIZE) as pilot:
        await pilot.pause()
        assert footer_keys(app.screen) == ROW_INDEPENDENT
