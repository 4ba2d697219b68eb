"""The plan editor, driven by keys only."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Static

from tests.tui.helpers import build, started
from walkcoach import editing
from walkcoach import plan as plans
from walkcoach.plan import Plan, Repeat, Segment
from walkcoach.store.plans import safe_stem
from walkcoach.tui.app import WalkcoachApp
from walkcoach.tui.screens.editor import EditorScreen
from walkcoach.tui.screens.home import HomeScreen
from walkcoach.tui.screens.plan_dialogs import LeaveDialog, SegmentDialog

MARKUP_NAME = "[b]x[/b] [link=http://e]y"

MINE = Plan(
    "My walk",
    (
        Segment("forward", 300, 4.0, 0, "Warm-up"),
        Repeat(4, (Segment("backward", 60, 3.0), Segment("forward", 120, 5.0))),
    ),
    "Mine",
)


def with_plan(tmp_path: Path, plan: Plan = MINE) -> tuple[WalkcoachApp, Path]:
    app, _, _ = build(tmp_path)
    path = app.ctx.library.save(plan)
    return app, path


async def select(pilot: Pilot[int], name: str) -> None:
    """Moves Home's cursor down to the plan called `name`."""
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    for _ in range(len(home.entries)):
        entry = home.selected()
        if entry is not None and entry.name == name:
            return
        await pilot.press("down")
    raise AssertionError(f"no plan named {name}")


async def type_text(pilot: Pilot[int], text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])


def editor(app: WalkcoachApp) -> EditorScreen:
    assert isinstance(app.screen, EditorScreen)
    return app.screen


def panel(app: WalkcoachApp) -> str:
    return str(editor(app).query_one("#editor-panel", Static).render())


async def test_build_a_plan_with_a_repeat_block_from_nothing_and_save_it(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await pilot.press("n")
        screen = editor(app)
        assert screen.doc.plan.steps == ()
        await pilot.press("a", "enter")  # a warm-up: 5:00 at 4.5 km/h, labelled
        assert isinstance(app.screen, SegmentDialog)
        await type_text(pilot, "5:00")
        await pilot.press("tab")
        await type_text(pilot, "4.5")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Warm-up")
        await pilot.press("enter")
        await pilot.press("r", "enter")  # a block, repeated 3 times
        await type_text(pilot, "3")
        await pilot.press("enter")
        await pilot.press("down", "t", "enter")  # its segment: backward 1:00 at 2.5
        await type_text(pilot, "1:00")
        await pilot.press("tab")
        await type_text(pilot, "2.5")
        await pilot.press("enter")
        await pilot.press("a", "right_square_bracket")  # then forward 2:15 at 4.0
        await pilot.press("f2")
        await type_text(pilot, MARKUP_NAME)
        await pilot.press("tab")
        await type_text(pilot, "Built by keys")
        await pilot.press("enter")
        title = editor(app).query_one("#editor-title", Static).render()
        assert MARKUP_NAME in str(title)
        await pilot.press("ctrl+s")
        assert not editor(app).history.dirty
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)

    saved = tmp_path / "plans" / f"{safe_stem(MARKUP_NAME)}.toml"
    assert saved.name == "b-x-b-link-http-e-y.toml"
    assert plans.load(saved) == Plan(
        MARKUP_NAME,
        (
            Segment("forward", 300, 4.5, 0, "Warm-up"),
            Repeat(3, (Segment("backward", 60, 2.5), Segment("forward", 135, 4.0))),
        ),
        "Built by keys",
    )


async def test_rows_show_blocks_with_their_count_and_indented_children(tmp_path: Path) -> None:
    app, _ = with_plan(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e")
        table = editor(app).query_one("#steps", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[1][:2] == ["2", "Repeat x4"]
        assert rows[2][:3] == ["2.1", "│ ", "backward"]
        assert rows[3][3:5] == ["2:00", "5.0 km/h"]
        assert "Total 17:00" in panel(app)
        assert "Backward 24%" in panel(app)


async def test_undo_goes_back_several_edits_and_redo_forward(tmp_path: Path) -> None:
    app, _ = with_plan(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "a", "t", "right_square_bracket", "down", "d")
        screen = editor(app)
        changed = screen.doc.plan
        assert changed != MINE
        await pilot.press("u", "ctrl+z", "u", "u")
        assert screen.doc.plan == MINE
        assert not screen.history.dirty
        await pilot.press("ctrl+y", "ctrl+y", "ctrl+y", "ctrl+y")
        assert screen.doc.plan == changed


async def test_an_invalid_field_keeps_the_form_open_with_its_message(tmp_path: Path) -> None:
    app, _ = with_plan(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "enter")
        form = app.screen
        assert isinstance(form, SegmentDialog)
        await type_text(pilot, "3s")
        assert str(form.query_one("#duration-error", Label).render()) == "at least 5 s"
        await pilot.press("tab")
        await type_text(pilot, "12")
        message = str(form.query_one("#speed-error", Label).render())
        assert message == "walking forward accepts 0.5 to 9 km/h"
        await pilot.press("enter")
        assert app.screen is form
        await pilot.press("escape")
        assert editor(app).doc.plan == MINE


async def test_speed_is_typed_in_the_profiles_unit(tmp_path: Path) -> None:
    app, _ = with_plan(tmp_path)
    app.ctx.profile = app.ctx.profile.__class__(weight_kg=80.0, speed_unit="mph")
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "enter", "tab")
        await type_text(pilot, "3")
        await pilot.press("enter")
        first = editor(app).doc.plan.steps[0]
        assert isinstance(first, Segment)
        assert first.speed_kmh == 3 * 1.609344
        table = editor(app).query_one("#steps", DataTable)
        assert str(table.get_row_at(0)[4]) == "3.0 mph"
        assert " mi " in panel(app)


async def test_save_with_errors_is_refused_and_the_work_kept(tmp_path: Path) -> None:
    app, path = with_plan(tmp_path)
    before = path.read_text()
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "down", "down", "d", "d")  # the block is left empty
        screen = editor(app)
        assert "Error step 2 steps: has no steps" in panel(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_text() == before
        assert screen.history.dirty
        assert any("Not saved" in n.message for n in app._notifications)
        await pilot.press("a")  # fix it: a segment in the block
        await pilot.press("ctrl+s")
        assert plans.load(path).steps[1] == Repeat(4, (Segment("forward", 120, 4.0),))


async def test_warnings_and_a_session_over_four_hours_show_in_the_panel(tmp_path: Path) -> None:
    long = Plan("Long", (Segment("forward", 4 * 3600 - 10, 5.0),))
    app, path = with_plan(tmp_path, long)
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "Long")
        await pilot.press("e")
        assert "Error" not in panel(app)
        assert "Warning step 1: no warm-up" in panel(app)
        await pilot.press("right_square_bracket")
        assert "Error plan: the session lasts 4:00:05" in panel(app)
        await pilot.press("ctrl+s")
        assert plans.load(path) == long


async def test_more_problems_than_the_panel_holds_are_counted_on_its_last_line(
    tmp_path: Path,
) -> None:
    fast_back = tuple(Segment("backward", 60, 5.8) for _ in range(7))
    risky = Plan("Risky", (Segment("forward", 60, 5.0), *fast_back))
    app, _ = with_plan(tmp_path, risky)
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "Risky")
        await pilot.press("e")
        lines = panel(app).split("\n")
        # The totals, four problems, then the count of the others: all of it on screen.
        assert len(lines) == 6
        assert all(line.startswith("Warning ") for line in lines[1:5])
        more = len(editing.check(risky).warnings) - 4
        assert lines[5].startswith(f"... and {more} more warnings; the steps with problems")
        shown = editor(app).query_one("#editor-panel", Static)
        assert shown.content_region.height == len(lines)


async def test_leaving_with_unsaved_changes_asks_save_discard_or_cancel(tmp_path: Path) -> None:
    app, path = with_plan(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "t", "escape")
        assert isinstance(app.screen, LeaveDialog)
        await pilot.press("escape")  # cancel: keep editing
        screen = editor(app)
        assert screen.history.dirty
        await pilot.press("escape", "d")  # discard
        assert isinstance(app.screen, HomeScreen)
        assert plans.load(path) == MINE
        await pilot.press("e", "t", "escape", "s")  # save and leave
        assert isinstance(app.screen, HomeScreen)
        first = plans.load(path).steps[0]
        assert isinstance(first, Segment) and first.direction == "backward"


async def test_leaving_without_changes_asks_nothing(tmp_path: Path) -> None:
    app, _ = with_plan(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_renaming_keeps_the_file_and_puts_the_real_name_inside(tmp_path: Path) -> None:
    app, path = with_plan(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "ctrl+r")
        await type_text(pilot, "Walk ../../etc/passwd")
        await pilot.press("enter", "ctrl+s", "escape")
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == [path.name]
    assert plans.load(path).name == "Walk ../../etc/passwd"


async def test_a_built_in_plan_is_copied_not_edited(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        builtin = app.screen.entries[0]  # type: ignore[attr-defined]
        before = builtin.path.read_text()
        await pilot.press("e")
        await pilot.press("y")
        screen = editor(app)
        assert screen.doc.plan.name == f"{builtin.name} (copy)"
        await pilot.press("t", "ctrl+s", "escape")
        assert builtin.path.read_text() == before
        copies = list((tmp_path / "plans").glob("*.toml"))
        assert len(copies) == 1
        assert plans.load(copies[0]).name == f"{builtin.name} (copy)"


RISKY = Plan(
    MARKUP_NAME,
    (
        Segment("forward", 60, 5.0, 0, "Brisk [i]start[/i]"),
        Repeat(6, (Segment("backward", 240, 5.8, 2, "Back"), Segment("forward", 120, 5.0))),
        Segment("forward", 300, 4.0, 0, "Cool-down"),
    ),
    "Literal [b]markup[/b] stays as typed",
)


def test_editor_snapshot(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app, _ = with_plan(tmp_path, RISKY)

    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()  # the first screen comes just after start-up
        await select(pilot, MARKUP_NAME)
        await pilot.press("e", "down", "down", "right_square_bracket")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_segment_form_snapshot(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app, _ = with_plan(tmp_path, RISKY)

    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()  # the first screen comes just after start-up
        await select(pilot, MARKUP_NAME)
        await pilot.press("e", "down", "down", "enter")
        await type_text(pilot, "3")
        await pilot.press("tab")
        await type_text(pilot, "7")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
