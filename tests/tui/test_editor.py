"""The plan editor, driven by keys only."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Static

from tests.support.pilot import MINE, build, select, started, type_text, with_plan
from walkcoach import editing
from walkcoach import plan as plan_module
from walkcoach.plan import Plan, Repeat, Segment
from walkcoach.store.plans import safe_stem
from walkcoach.store.profile import Profile
from walkcoach.tui.app import WalkcoachApp
from walkcoach.tui.dialogs.leave import LeaveDialog
from walkcoach.tui.dialogs.plan_info import PlanInfoDialog
from walkcoach.tui.dialogs.segment import SegmentDialog
from walkcoach.tui.screens.editor import EditorScreen, line_count
from walkcoach.tui.screens.home import HomeScreen
from walkcoach.tui.widgets.keyfooter import KeyFooter

MARKUP_NAME = "[b]x[/b] [link=http://e]y"


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
        await pilot.press("ctrl+s")  # the first save asks for the name, as typed so far
        assert isinstance(app.screen, PlanInfoDialog)
        await pilot.press("enter")
        assert not editor(app).edits.dirty
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)

    saved = tmp_path / "plans" / f"{safe_stem(MARKUP_NAME)}.toml"
    assert saved.name == "b-x-b-link-http-e-y.toml"
    assert plan_module.load(saved) == Plan(
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
        assert not screen.edits.dirty
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
        assert message == "walking forward: 0.5 to 9.0 km/h"
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
        assert "Error step 2: has no steps" in panel(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_text() == before
        assert screen.edits.dirty
        assert any("Not saved" in n.message for n in app._notifications)
        await pilot.press("a")  # fix it: a segment in the block
        await pilot.press("ctrl+s")
        assert plan_module.load(path).steps[1] == Repeat(4, (Segment("forward", 120, 4.0),))


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
        assert plan_module.load(path) == long


def assert_panel_whole_on_screen(app: WalkcoachApp) -> None:
    """The panel shows every line it has, wrapped (nothing cut with an ellipsis), and
    leaves the table its header and first rows."""
    screen = editor(app)
    shown = screen.query_one("#editor-panel", Static)
    width = shown.content_region.width
    assert shown.content_region.height == line_count(Text(panel(app)), width)
    assert "…" not in panel(app)
    assert shown.region.bottom <= screen.query_one(KeyFooter).region.y
    table = screen.query_one("#steps", DataTable)
    assert table.region.height >= 1 + min(table.row_count, 4)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_more_problems_than_the_panel_holds_are_counted_on_its_last_line(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    fast_back = tuple(Segment("backward", 60, 5.8) for _ in range(7))
    risky = Plan("Risky", (Segment("forward", 60, 5.0), *fast_back))
    app, _ = with_plan(tmp_path, risky)
    async with started(app, size=size) as pilot:
        await select(pilot, "Risky")
        await pilot.press("e")
        await pilot.pause()
        paragraphs = panel(app).split("\n")
        warnings = editing.check(risky).warnings
        listed = [line for line in paragraphs if line.startswith("Warning ")]
        assert 1 <= len(listed) < len(warnings)
        for line in listed:  # each one whole
            assert any(line.endswith(w.message) for w in warnings)
        more = len(warnings) - len(listed)
        assert paragraphs[-1] == (
            f"... and {more} more warnings: on a step marked ! its own come first"
        )
        assert_panel_whole_on_screen(app)
        await pilot.press("down", "down", "down")  # step 4: its own warning comes first
        assert paragraphs != panel(app).split("\n")
        first = next(line for line in panel(app).split("\n") if line.startswith("Warning"))
        assert first.startswith("Warning step 4 speed: 5.8 km/h backward")
        assert_panel_whole_on_screen(app)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_walker_in_lb_and_mph_reads_the_panel_in_full_in_their_units(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app, _ = with_plan(tmp_path, RISKY)
    app.ctx.profile = Profile(weight_kg=80.0, weight_unit="lb", speed_unit="mph")
    async with started(app, size=size) as pilot:
        await select(pilot, MARKUP_NAME)
        await pilot.press("e", "down", "down")
        await pilot.pause()
        text = panel(app)
        kcal = plan_module.summarize(RISKY, 80.0).kcal
        assert f"Est. {kcal:.0f} kcal (176.4 lb)" in text
        assert "kg" not in text and "km/h" not in text and "speed_kmh" not in text
        assert "Warning step 2.1 speed: 3.6 mph backward is close to a run (people switch" in (text)
        assert "near 3.7 mph); 3.4 mph or less is safer" in text
        assert "a first bout of 3:00 or less lets the walker settle in" in text
        assert_panel_whole_on_screen(app)
        await pilot.press("home")  # on step 1, its own warning is listed
        assert "(up to 2.7 mph forward or 1.8 mph backward)" in panel(app)
        assert_panel_whole_on_screen(app)


async def test_the_form_tells_mph_limits_at_one_decimal(tmp_path: Path) -> None:
    app, _ = with_plan(tmp_path)
    app.ctx.profile = Profile(weight_kg=80.0, speed_unit="mph")
    async with started(app, size=(60, 20)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "down", "down", "enter", "tab", "ctrl+u")
        await type_text(pilot, "3.8")
        form = app.screen
        assert isinstance(form, SegmentDialog)
        message = str(form.query_one("#speed-error", Label).render())
        assert message == "walking backward: 0.4 to 3.7 mph"
        assert form.query_one("#speed", Input).value == "3.8"
        error = form.query_one("#speed-error", Label)
        assert error.region.height >= 2  # wrapped beside the field, not cut


async def test_leaving_with_unsaved_changes_asks_save_discard_or_cancel(tmp_path: Path) -> None:
    app, path = with_plan(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "t", "escape")
        assert isinstance(app.screen, LeaveDialog)
        await pilot.press("escape")  # cancel: keep editing
        screen = editor(app)
        assert screen.edits.dirty
        await pilot.press("escape", "d")  # discard
        assert isinstance(app.screen, HomeScreen)
        assert plan_module.load(path) == MINE
        await pilot.press("e", "t", "escape", "s")  # save and leave
        assert isinstance(app.screen, HomeScreen)
        first = plan_module.load(path).steps[0]
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
    assert plan_module.load(path).name == "Walk ../../etc/passwd"


async def test_a_built_in_plan_is_copied_not_edited(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        builtin = app.screen.entries[0]  # type: ignore[attr-defined]
        before = builtin.path.read_text()
        await pilot.press("e")
        await pilot.press("y")
        screen = editor(app)
        assert screen.doc.plan.name == f"{builtin.name} (copy)"
        await pilot.press("t", "ctrl+s", "enter", "escape")
        assert builtin.path.read_text() == before
        copies = list((tmp_path / "plans").glob("*.toml"))
        assert len(copies) == 1
        assert plan_module.load(copies[0]).name == f"{builtin.name} (copy)"


def plan_files(tmp_path: Path) -> list[str]:
    folder = tmp_path / "plans"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


async def test_discarding_an_edit_of_a_built_in_plan_leaves_no_copy(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await pilot.press("e", "y")
        assert "(new: not saved yet)" in str(editor(app).query_one("#editor-title").render())
        await pilot.press("t", "escape")
        assert isinstance(app.screen, LeaveDialog)
        await pilot.press("d")
        assert isinstance(app.screen, HomeScreen)
        assert plan_files(tmp_path) == []
        assert [e.source for e in app.screen.entries] == ["built-in"] * 5
        await pilot.press("e", "y", "escape")  # untouched: no question, no copy
        assert isinstance(app.screen, HomeScreen)
        assert plan_files(tmp_path) == []


async def test_an_untouched_new_plan_leaves_without_a_question(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await pilot.press("n", "escape")
        assert isinstance(app.screen, HomeScreen)
        assert plan_files(tmp_path) == []
        await pilot.press("n", "a", "u", "escape")  # changed and changed back: the same
        assert isinstance(app.screen, HomeScreen)


async def test_the_first_save_of_a_new_plan_asks_for_its_name(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await pilot.press("n", "a", "ctrl+s")
        form = app.screen
        assert isinstance(form, PlanInfoDialog)
        assert form.query_one("#name", Input).value == "New plan"
        await pilot.press("escape")  # no name, no save: the work is kept
        assert editor(app).edits.dirty and plan_files(tmp_path) == []
        await pilot.press("ctrl+s", "ctrl+u")
        await type_text(pilot, "Lunch walk")
        await pilot.press("enter")
        screen = editor(app)
        assert not screen.edits.dirty and not screen.edits.new
        assert plan_files(tmp_path) == ["lunch-walk.toml"]
        assert plan_module.load(tmp_path / "plans" / "lunch-walk.toml").name == "Lunch walk"
        await pilot.press("t", "ctrl+s")  # the file has its name now: saved at once
        assert isinstance(app.screen, EditorScreen) and not screen.edits.dirty
        await pilot.press("escape")
        home = app.screen
        assert isinstance(home, HomeScreen)
        selected = home.selected()
        assert selected is not None and selected.name == "Lunch walk"


async def test_saving_on_leaving_a_new_plan_asks_its_name_then_leaves(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await pilot.press("n", "a", "escape", "s")
        assert isinstance(app.screen, PlanInfoDialog)
        await pilot.press("ctrl+u")
        await type_text(pilot, "Evening")
        await pilot.press("enter")
        home = app.screen
        assert isinstance(home, HomeScreen)
        selected = home.selected()
        assert selected is not None and selected.name == "Evening"
        assert plan_files(tmp_path) == ["Evening.toml"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("quick TEN", '"Quick ten" is the name of a built-in plan; choose another name'),
        (
            "other walk",
            'you already have a plan named "Other walk"; choose another name '
            "(or delete that plan first)",
        ),
    ],
)
async def test_a_rename_to_another_plans_name_is_refused(
    tmp_path: Path, typed: str, message: str
) -> None:
    app, path = with_plan(tmp_path)
    app.ctx.library.save(MINE._replace(name="Other walk"))
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "f2", "ctrl+u")
        await type_text(pilot, typed)
        form = app.screen
        assert isinstance(form, PlanInfoDialog)
        assert str(form.query_one("#name-error", Label).render()) == message
        await pilot.press("enter")
        assert app.screen is form
        await pilot.press("ctrl+u")
        await type_text(pilot, "My WALK")  # its own name, in other letters: fine
        await pilot.press("enter", "ctrl+s")
        assert editor(app).doc.plan.name == "My WALK"
    assert plan_module.load(path).name == "My WALK"


async def test_a_new_plan_cannot_be_saved_under_a_built_in_name(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=(100, 40)) as pilot:
        await pilot.press("n", "a", "ctrl+s", "ctrl+u")
        await type_text(pilot, "Quick ten")
        await pilot.press("enter")
        assert isinstance(app.screen, PlanInfoDialog)
        await pilot.press("escape")
        assert editor(app).edits.dirty and plan_files(tmp_path) == []


async def test_home_end_and_pages_move_through_the_steps(tmp_path: Path) -> None:
    long = Plan("Long", tuple(Segment("forward", 60 + i, 4.0) for i in range(30)))
    app, _ = with_plan(tmp_path, long)
    async with started(app, size=(80, 24)) as pilot:
        await select(pilot, "Long")
        await pilot.press("e", "end")
        screen = editor(app)
        assert screen.doc.cursor == (29,)
        await pilot.press("home")
        assert screen.doc.cursor == (0,)
        await pilot.press("pagedown")
        assert screen.doc.cursor is not None and screen.doc.cursor[0] > 3
        await pilot.press("pageup")
        assert screen.doc.cursor == (0,)


async def test_after_a_save_the_cursor_stays_on_the_step(tmp_path: Path) -> None:
    app, _ = with_plan(tmp_path)
    async with started(app, size=(80, 24)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "down", "down", "t", "ctrl+s")
        table = editor(app).query_one("#steps", DataTable)
        assert table.cursor_row == 2 and editor(app).doc.cursor == (1, 0)


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


def test_editor_small_in_mph_and_lb_snapshot(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """At 60x20 a walker with mph and lb sees speeds, the weight and the warnings in
    those units; the warning about the step under the cursor (2.1) is whole, wrapped,
    and the others are counted."""
    app, _ = with_plan(tmp_path, RISKY)
    app.ctx.profile = Profile(weight_kg=80.0, weight_unit="lb", speed_unit="mph")

    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()  # the first screen comes just after start-up
        await select(pilot, MARKUP_NAME)
        await pilot.press("e", "down", "down")

    assert snap_compare(app, terminal_size=(60, 20), run_before=run_before)


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


async def test_at_60_columns_a_long_label_gives_way_to_the_figures(tmp_path: Path) -> None:
    label = "A label long enough to push the speed off a small screen"
    app, _ = with_plan(tmp_path, Plan("Labelled", (Segment("forward", 300, 4.0, 2, label),)))
    async with started(app, size=(60, 20)) as pilot:
        await select(pilot, "Labelled")
        await pilot.press("e")
        await pilot.pause()
        table = editor(app).query_one("#steps", DataTable)
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[1].endswith("…") and label.startswith(row[1][:-1])
        assert row[2:] == ["forward", "5:00", "4.0 km/h", "2 %"]
        widths = sum(column.get_render_width(table) for column in table.columns.values())
        assert widths <= table.scrollable_content_region.width
        await pilot.press("enter")  # the form shows it whole
        assert app.screen.query_one("#label", Input).value == label


async def test_a_refused_name_quotes_the_other_plans_name_escaped(tmp_path: Path) -> None:
    app, _ = with_plan(tmp_path)
    app.ctx.library.save(MINE._replace(name="Walk\u202eback"))
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e", "f2")
        form = app.screen
        assert isinstance(form, PlanInfoDialog)
        form.query_one("#name", Input).value = "walk\u202eback"  # as pasted
        await pilot.pause()
        message = str(form.query_one("#name-error", Label).render())
        assert message.startswith('you already have a plan named "Walk\\u202eback"')
        assert "\u202e" not in message


@pytest.mark.parametrize(("factor", "kcal", "km"), [(1.0, 80, "1.20"), (1.15, 91, "1.38")])
async def test_the_summary_counts_the_true_speed_of_the_treadmill_factor(
    tmp_path: Path, factor: float, kcal: int, km: str
) -> None:
    app, _ = with_plan(tmp_path)
    app.ctx.profile = Profile(weight_kg=80.0, treadmill_factor=factor)
    async with started(app, size=(100, 40)) as pilot:
        await select(pilot, "My walk")
        await pilot.press("e")
        await pilot.pause()
        text = panel(app)
        assert f"Distance {km} km" in text
        assert f"Est. {kcal} kcal (80 kg)" in text
