"""The multi-row footer of Home and the editor: as many columns as the window holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.pilot import build, started
from walkcoach.tui.widgets.keyfooter import KeyFooter, columns_that_fit


def needed(widths: list[int], columns: int) -> int:
    return sum(max(widths[start::columns]) for start in range(columns))


def test_columns_that_fit_by_hand() -> None:
    widths = [10, 12, 8, 9, 11, 7]
    assert columns_that_fit(widths, 3, 100) == 3
    assert columns_that_fit(widths, 3, 30) == 3  # 10 + 12 + 8: columns of two rows
    assert columns_that_fit(widths, 3, 29) == 2  # 11 + 12: columns of three rows
    assert columns_that_fit(widths, 3, 22) == 1  # one column, and never none


@given(
    st.lists(st.integers(min_value=3, max_value=20), min_size=1, max_size=16),
    st.integers(min_value=1, max_value=8),
    st.integers(min_value=0, max_value=160),
)
def test_the_most_columns_that_fit_are_chosen(widths: list[int], most: int, room: int) -> None:
    columns = columns_that_fit(widths, most, room)
    assert 1 <= columns <= max(1, min(most, len(widths)))
    assert columns == 1 or needed(widths, columns) <= room
    for more in range(columns + 1, min(most, len(widths)) + 1):
        assert needed(widths, more) > room


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_every_editor_key_is_on_screen_at_any_width(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=size) as pilot:
        await pilot.press("n")
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        keys = list(footer.children)
        assert len(keys) == 14
        for key in keys:
            assert footer.region.contains_region(key.region), key
        assert footer.region.right <= size[0] and footer.region.bottom <= size[1]


# --- footers that say what the keys do on the row under the cursor ----------------------


def footer_keys(screen: object, greyed: bool = False) -> dict[str, str]:
    """The keys the footer offers (or, with `greyed`, those it shows greyed out)."""
    from textual.widgets._footer import FooterKey

    keys = screen.query(FooterKey)  # type: ignore[attr-defined]
    return {
        key.key_display: key.description
        for key in keys
        if key.has_class("-disabled") == greyed  # Footer's mark of a greyed-out key
    }


async def test_history_footer_offers_segments_only_on_a_walk_that_has_them(
    tmp_path: Path,
) -> None:
    from tests.support.builders import fill_history
    from tests.support.history import spoil_history
    from walkcoach.tui.screens.history import HistoryScreen

    fill_history(tmp_path)
    spoil_history(tmp_path, "UPDATE sessions SET active_s = 'abc' WHERE plan_name = 'Morning'")
    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        walk = {"⏎": "Segments", "d": "Delete", "x": "Export all", "esc": "Back"}
        assert footer_keys(app.screen) == walk
        await pilot.press("down", "down")  # the damaged row
        await pilot.pause()
        assert footer_keys(app.screen) == {k: v for k, v in walk.items() if k != "⏎"}
        await pilot.press("enter")  # not offered: says what is wrong, opens nothing
        assert isinstance(app.screen, HistoryScreen)
        assert any("Damaged" in n.message for n in app._notifications)
        await pilot.press("up")
        await pilot.pause()
        assert footer_keys(app.screen) == walk


async def test_an_empty_history_offers_only_back(tmp_path: Path) -> None:
    from walkcoach.tui.screens.history import HistoryScreen

    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 30)) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        assert footer_keys(app.screen) == {"esc": "Back"}
        await pilot.press("x")  # not offered: says why
        assert any("nothing to export" in n.message for n in app._notifications)


STEP_FREE = {
    "a": "Segment",
    "r": "Repeat",
    "u": "Undo",
    "^y": "Redo",
    "^s": "Save",
    "F2": "Name",
    "esc": "Back",
}
ON_A_STEP = {"⏎": "Edit", "d": "Delete", "⇧↑": "Up", "⇧↓": "Down"}
ON_A_SEGMENT = {"t": "Direction", "]": "+15s", "[": "-15s"}


async def test_editor_footer_offers_on_each_step_only_the_keys_that_work_there(
    tmp_path: Path,
) -> None:
    from walkcoach.tui.screens.editor import EditorScreen

    app, _, _ = build(tmp_path)
    async with started(app, size=(120, 40)) as pilot:
        await pilot.press("n")  # a new plan has no steps
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert footer_keys(editor) == STEP_FREE
        assert footer_keys(editor, greyed=True) == {**ON_A_STEP, **ON_A_SEGMENT}
        await pilot.press("t")  # not offered: says why
        assert any("no steps yet" in n.message for n in app._notifications)
        await pilot.press("a")
        await pilot.pause()
        assert footer_keys(editor) == {**STEP_FREE, **ON_A_STEP, **ON_A_SEGMENT}
        await pilot.press("r")  # a repeat block, under the cursor
        await pilot.pause()
        assert footer_keys(editor) == {**STEP_FREE, **ON_A_STEP}
        assert footer_keys(editor, greyed=True) == ON_A_SEGMENT
        before = editor.doc.plan
        await pilot.press("t", "right_square_bracket")  # not offered: says why
        assert editor.doc.plan == before
        assert any("A repeat block has no direction" in n.message for n in app._notifications)
        await pilot.press("up")  # back on the segment
        await pilot.pause()
        assert footer_keys(editor) == {**STEP_FREE, **ON_A_STEP, **ON_A_SEGMENT}
        await pilot.press("u", "u")  # undone to no steps
        await pilot.pause()
        assert footer_keys(editor) == STEP_FREE
