"""Starts the app for real: the monotonic clock, the sound device, the terminal.

Kept apart from `app.py` so the CLI can import it lazily and tests never touch it.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import io
import os
import signal
import sys
import threading
import time
from typing import TYPE_CHECKING

from walkcoach.errors import WalkcoachError
from walkcoach.plan import Plan
from walkcoach.store.paths import DataDirs

if TYPE_CHECKING:
    from walkcoach.tui.app import WalkcoachApp

EXIT_GRACE_S = 3.0
# The first frame comes about 0.2 s after start; the audio device is opened just after
# it, so that the spoken get-ready (queued when the walk appears) starts with little
# delay: it needs about 6.5 of the lead-in's 7 s before the countdown ticks.
PROBE_AFTER_S = 0.25
# How long the main thread may keep the GIL while another thread waits for it (Python's
# default is 5 ms). walkcoach's other threads are latency-bound: Textual's terminal
# writer (the first frame reached the terminal ~5 ms after it was drawn, while the main
# thread went on laying out) and the sound thread (a cue's play call).
GIL_SWITCH_INTERVAL_S = 0.0005
# TERM values that name no screen-drawing terminal (rich treats them alike).
DUMB_TERMINALS = ("dumb", "unknown")


def require_terminal() -> None:
    """Refuses to start without a terminal to read keys from and draw on.

    Under cron, nohup or a shell that died without hanging up, Textual would otherwise
    spin a core for as long as the process lived, on a screen no one sees.
    """
    streams = (sys.stdin, sys.__stderr__)
    if not all(stream is not None and stream.isatty() for stream in streams):
        raise WalkcoachError(
            "the app needs a terminal: standard input and standard error must both be one "
            "(plans, history and sound-check work without)"
        )
    # A dumb terminal (Emacs' shell, some IDE consoles) cannot move the cursor or show
    # colour: the screen would arrive as a stream of escape sequences. Full-screen
    # programs refuse it (vim: "terminal capability cm required"); so does walkcoach,
    # saying what works instead.
    if os.environ.get("TERM", "").strip().lower() in DUMB_TERMINALS:
        raise WalkcoachError(
            f"the app needs a terminal that can draw a screen, and TERM="
            f"{os.environ['TERM'].strip()} cannot (run it in a terminal emulator; plans, "
            "history and sound-check work here)"
        )


def draw_in_utf8() -> None:
    """Makes the screen's stream (Textual draws on standard error) write UTF-8.

    Textual draws with box and block characters and knows no other encoding, while
    PYTHONIOENCODING=ascii (or a C locale without UTF-8 mode) is about what Python pipes
    out: left as it is, every border would be drawn as ``\\u2588`` text.
    """
    stream = sys.__stderr__
    if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
        stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def run_app(
    dirs: DataDirs,
    start_plan: Plan | None,
    weight_kg: float | None,
    sound: bool | None,
    voice: bool | None = None,
) -> int:
    """Runs the TUI (Home, or straight into a session of `start_plan`); returns the exit
    code."""
    require_terminal()
    draw_in_utf8()

    from walkcoach.sound import make_player
    from walkcoach.tui.app import make_app

    app: WalkcoachApp | None = None

    def bell() -> None:
        if app is not None:
            app.call_from_thread(app.bell)

    def notify(message: str) -> None:
        if app is not None:
            # RuntimeError: the app is not running (yet, or any more).
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(app.notify, message, severity="warning", markup=False)

    player = make_player(enabled=True, bell=bell, notify=notify, probe_after_s=PROBE_AFTER_S)
    app = make_app(
        dirs,
        time.monotonic,
        player,
        start_plan=start_plan,
        weight_kg=weight_kg,
        sound=sound,
        voice=voice,
    )

    if sys.platform != "win32":
        from walkcoach.tui.driver import StopSafeDriver

        app.driver_class = StopSafeDriver

    def stop(signum: int) -> None:
        # SIGTERM, SIGHUP and SIGINT save the walk whole (interrupted), then leave like
        # a quit, with 128 + the signal as the exit status. Run by the event loop between
        # tasks, never in the middle of a history write. SIGINT comes only from outside
        # (kill -INT): in the app's raw terminal, ctrl+c is a key, answered on screen.
        assert app is not None
        app.save_running_session()
        code = 128 + signum
        if signum == signal.SIGHUP:
            # The terminal is gone: there is nothing to restore, and Textual's shutdown
            # can block for ever writing to it.
            os._exit(code)
        # A shutdown that hangs all the same must not keep the process alive.
        watchdog = threading.Timer(EXIT_GRACE_S, os._exit, (code,))
        watchdog.daemon = True
        watchdog.start()
        app.exit(return_code=code)

    async def run() -> None:
        assert app is not None
        loop = asyncio.get_running_loop()
        # SIGINT's handler replaces the one asyncio.run installs, which would cancel
        # the app's task: the app would end with status 0 and the walk left running.
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            loop.add_signal_handler(signum, stop, signum)
        await app.run_async()

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    asyncio.run(run())
    return app.return_code or 0
