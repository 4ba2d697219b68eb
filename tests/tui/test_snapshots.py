"""What the screens look like, at the sizes the walker will use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.support.pilot import SHORT, build

SIZES = [(80, 24), (120, 40)]


def walked(seconds: float) -> Callable[[Pilot[int]], object]:
    """A run_before hook: walks the fake clock on by `seconds` in quarter-second ticks."""

    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()  # the first screen comes just after start-up
        clock = pilot.app.ctx.clock  # type: ignore[attr-defined]
        screen = pilot.app.screen
        end = clock.now + seconds
        while clock.now < end - 1e-9:
            clock.advance(0.25)
            screen.advance()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_session_forward(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = build(tmp_path, plan=SHORT)
    assert snap_compare(app, terminal_size=size, run_before=walked(5 + 7.5))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_session_backward(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = build(tmp_path, plan=SHORT)
    assert snap_compare(app, terminal_size=size, run_before=walked(5 + 20 + 4))


@pytest.mark.parametrize("size", [*SIZES, (60, 20)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_session_turn_call(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Eight seconds before the first turn: the banner in the coming direction's colour
    says BACKWARD NEXT and to slow the belt to 3.0 km/h first, and below the forward
    countdown the 3.0 to set is drawn in large orange block digits."""
    app, _, _ = build(tmp_path, plan=SHORT)
    assert snap_compare(app, terminal_size=size, run_before=walked(5 + 12))


def test_session_paused_small(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = build(tmp_path, plan=SHORT)

    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()  # the first screen comes just after start-up
        await walked(8)(pilot)  # type: ignore[misc]
        await pilot.press("space")

    assert snap_compare(app, terminal_size=(60, 20), run_before=run_before)


def test_home(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = build(tmp_path)
    assert snap_compare(app, terminal_size=(80, 24))


def test_export_formats(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The export dialog over Home: the name, and the four formats with FIT and TCX
    picked (as the profile remembers them), the list focused."""
    from walkcoach.tui.dialogs.export import ExportDialog

    app, _, _ = build(tmp_path)

    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()  # the first screen comes just after start-up
        dialog = ExportDialog("this walk", "walkcoach-2026-03-01-0730-retro", ("fit", "tcx"))
        pilot.app.push_screen(dialog)
        await pilot.pause()
        await pilot.press("tab")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
