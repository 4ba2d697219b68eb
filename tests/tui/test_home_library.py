"""Home's plan library keys: new, copy, edit, delete, import, export, settings, history."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.tui.helpers import build, started
from tests.tui.test_editor import MINE, select, type_text, with_plan
from walkcoach import plan as plans
from walkcoach.plan import dumps
from walkcoach.tui.screens.dialogs import ConfirmDialog
from walkcoach.tui.screens.editor import EditorScreen
from walkcoach.tui.screens.home import HomeScreen
from walkcoach.tui.screens.plan_dialogs import LineDialog
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
        assert plans.load(entry.path).steps == home.entries[4].require().steps


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
        assert plans.load(tmp_path / "my-walk.toml") == MINE
        await pilot.press("x", "enter")  # the file is there now: refused, dialog stays
        assert isinstance(app.screen, LineDialog)
        assert "already exists" in str(app.screen.query_one("#line-error").render())


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
