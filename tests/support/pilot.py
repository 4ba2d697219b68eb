"""Drives the app as a walker would: built with fixed data, a fake clock and a recording
player (and, where the time of day shows, a fixed wall clock), then keys pressed and the
clock moved on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from tests.support.fakes import FakeClock, RecordingPlayer
from walkcoach.plan import Plan, Repeat, Segment
from walkcoach.store.paths import DataDirs
from walkcoach.store.profile import Profile, save_profile
from walkcoach.tui.app import WalkcoachApp, make_app
from walkcoach.tui.screens.home import HomeScreen
from walkcoach.tui.screens.session import SessionScreen
from walkcoach.tui.widgets.bigclock import BigClock
from walkcoach.walks import WallClock, utc_now

WALKER = Profile(weight_kg=80.0, safety_check=False, lead_in_s=5)  # a short lead-in: quicker tests

SHORT = Plan(
    "Short test walk",
    (
        Segment("forward", 20, 4.8, 0, "Warm-up"),
        Repeat(2, (Segment("backward", 15, 3.0, 0, "Back"), Segment("forward", 10, 5.6, 2))),
    ),
    "For tests",
)

MINE = Plan(
    "My walk",
    (
        Segment("forward", 300, 4.0, 0, "Warm-up"),
        Repeat(4, (Segment("backward", 60, 3.0), Segment("forward", 120, 5.0))),
    ),
    "Mine",
)


def build(
    folder: Path,
    *,
    plan: Plan | None = None,
    profile: Profile | None = WALKER,
    weight_kg: float | None = None,
    sound: bool | None = None,
    wall_clock: WallClock = utc_now,
) -> tuple[WalkcoachApp, FakeClock, RecordingPlayer]:
    """The app over `folder`, with the fake clock and player it was given; the real wall
    clock unless `wall_clock` is given."""
    dirs = DataDirs.in_folder(folder)
    if profile is not None:
        save_profile(dirs.profile_path, profile)
    clock = FakeClock()
    player = RecordingPlayer(clock)
    app = make_app(
        dirs,
        clock,
        player,
        wall_clock=wall_clock,
        start_plan=plan,
        weight_kg=weight_kg,
        sound=sound,
    )
    return app, clock, player


@asynccontextmanager
async def started(app: WalkcoachApp, **options: Any) -> AsyncIterator[Pilot[int]]:
    """`app.run_test(**options)`, from the moment the app's first screen is up.

    The app pushes its first screen (Home, the weight prompt or a walk) just after its
    own start-up, so the first frame is drawn once; this waits for that screen.
    """
    async with app.run_test(**options) as pilot:
        await pilot.pause()
        yield pilot


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


INFO_LINES = ("target", "next", "times", "energy")  # the lines of the #info widget


def text_of(screen: SessionScreen, name: str) -> str:
    """What a widget shows, or one line of the info widget (see INFO_LINES)."""
    if name in INFO_LINES:
        return text_of(screen, "info").split("\n")[INFO_LINES.index(name)]
    widget = screen.query_one(f"#{name}")
    if isinstance(widget, BigClock):
        return widget.value
    assert isinstance(widget, Static)
    return str(widget.render())


async def walk(pilot, clock, seconds: float, step: float = 0.25) -> None:  # type: ignore[no-untyped-def]
    """Moves `clock` on, letting the screen on top now tick as it would (`walk_on` moves
    the app's own clock, and stops where the walk ends)."""
    screen = pilot.app.screen
    end = clock.now + seconds
    while clock.now < end - 1e-9:
        clock.advance(min(step, end - clock.now))
        screen.advance()
    await pilot.pause()


async def walk_on(pilot: Pilot[int], seconds: float, step: float = 0.25) -> None:
    """Moves the app's own fake clock on while a walk is on screen, letting it tick as it
    would: a walk that ends on the way leaves what follows it (the recap) in sight."""
    clock = pilot.app.ctx.clock  # type: ignore[attr-defined]
    end = clock.now + seconds
    while clock.now < end - 1e-9 and isinstance(pilot.app.screen, SessionScreen):
        clock.advance(min(step, end - clock.now))
        pilot.app.screen.advance()
    await pilot.pause()


async def until(pilot: Pilot[int], condition) -> None:  # type: ignore[no-untyped-def]
    """Lets the app run until `condition()` holds (the history writer is a thread)."""
    for _ in range(3000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("never happened")
