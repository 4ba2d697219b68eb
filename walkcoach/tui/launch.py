"""Starts the app for real: the monotonic clock, the sound device, the terminal.

Kept apart from `app.py` so the CLI can import it lazily and tests never touch it.
"""

from __future__ import annotations

import contextlib
import signal
import time
from types import FrameType

from walkcoach.store.paths import DataDirs
from walkcoach.store.plans import PlanLibrary


def run_app(dirs: DataDirs, plan: str | None, weight_kg: float | None, sound: bool | None) -> int:
    """Runs the TUI (Home, or straight into a session of `plan`); returns the exit code."""
    start_plan = PlanLibrary(dirs).find(plan).require() if plan else None

    from walkcoach.sound import make_player
    from walkcoach.tui.app import WalkcoachApp, make_app

    app: WalkcoachApp | None = None

    def bell() -> None:
        if app is not None:
            app.call_from_thread(app.bell)

    def notify(message: str) -> None:
        if app is not None:
            # RuntimeError: the app is not running (yet, or any more).
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(app.notify, message, severity="warning", markup=False)

    player = make_player(enabled=True, bell=bell, notify=notify)
    app = make_app(
        dirs, time.monotonic, player, start_plan=start_plan, weight_kg=weight_kg, sound=sound
    )

    def stop(signum: int, _frame: FrameType | None) -> None:
        # SIGTERM and SIGHUP save the walk whole, then leave like a quit.
        assert app is not None
        app.save_running_session()
        app.call_later(app.exit)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    app.run()
    return app.return_code or 0
