"""The session's one-line key footer: what fits, and what is kept however narrow."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.support.pilot import SHORT, build, started
from walkcoach.tui.screens.session import SessionScreen
from walkcoach.tui.widgets.keyline import KeyLine, key_items, key_line

ITEMS = key_items(SessionScreen.BINDINGS)
PINNED = ("quit_session", "help")
FULL = " space Pause  n Skip  b Back  + +Speed  - -Speed  m Mute  h Hands  q Quit  ? Help "


def test_every_key_is_shown_when_there_is_room() -> None:
    assert key_line(ITEMS, 100, PINNED).plain == FULL


def test_a_narrow_line_drops_keys_from_the_end_but_keeps_quit_and_help() -> None:
    assert key_line(ITEMS, 60, PINNED).plain == (
        " space Pause  n Skip  b Back  + +Speed  q Quit  ? Help "
    )
    assert key_line(ITEMS, 37, PINNED).plain == " space Pause  n Skip  q Quit  ? Help "
    assert key_line(ITEMS, 36, PINNED).plain == " space Pause  q Quit  ? Help "


@given(st.integers(min_value=len(" q Quit  ? Help "), max_value=200))
def test_the_line_fits_keeps_its_order_and_its_pinned_keys(width: int) -> None:
    line = key_line(ITEMS, width, PINNED).plain
    assert len(line) <= width
    assert line.endswith(" q Quit  ? Help ")
    shown = line.removesuffix(" q Quit  ? Help ")
    assert FULL.startswith(shown)  # the others in their order, none cut in half
    assert shown == "" or shown.endswith(" ")


async def test_the_session_footer_at_60_columns_says_how_to_quit_and_get_help(
    tmp_path: Path,
) -> None:
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app, size=(60, 20)) as pilot:
        keys = pilot.app.screen.query_one("#keys", KeyLine)
        assert str(keys.render()).endswith(" q Quit  ? Help ")
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert str(keys.render()) == FULL
