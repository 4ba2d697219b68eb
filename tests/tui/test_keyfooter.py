"""The multi-row footer of Home and the editor: as many columns as the window holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.tui.helpers import build, started
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
