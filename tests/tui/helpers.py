"""Builds the app with fixed data, a fake clock and a recording player."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.fakes import FakeClock, RecordingPlayer
from walkcoach.plan import Plan, Repeat, Segment
from walkcoach.store.paths import DataDirs
from walkcoach.store.profile import Profile, save_profile
from walkcoach.tui.app import WalkcoachApp, make_app

WALKER = Profile(weight_kg=80.0, safety_check=False, lead_in_s=5)  # a short lead-in: quicker tests

SHORT = Plan(
    "Short test walk",
    (
        Segment("forward", 20, 4.8, 0, "Warm-up"),
        Repeat(2, (Segment("backward", 15, 3.0, 0, "Back"), Segment("forward", 10, 5.6, 2))),
    ),
    "For tests",
)


def build(
    folder: Path,
    *,
    plan: Plan | None = None,
    profile: Profile | None = WALKER,
    weight_kg: float | None = None,
    sound: bool | None = None,
) -> tuple[WalkcoachApp, FakeClock, RecordingPlayer]:
    dirs = DataDirs.in_folder(folder)
    if profile is not None:
        save_profile(dirs.profile_path, profile)
    clock = FakeClock()
    player = RecordingPlayer(clock)
    app = make_app(dirs, clock, player, start_plan=plan, weight_kg=weight_kg, sound=sound)
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
