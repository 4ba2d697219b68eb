"""The commands that walk: the home screen, a session of one plan, and the sound check
that plays every cue. The terminal interface and the sound layer load only here."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from walkcoach.cli.userdata import find_plan
from walkcoach.errors import WalkcoachError
from walkcoach.store.paths import DataDirs

if TYPE_CHECKING:
    from walkcoach.plan import Plan


def open_home(args: argparse.Namespace, dirs: DataDirs) -> int:
    return _launch(dirs, None, None, None)


def run_session(args: argparse.Namespace, dirs: DataDirs) -> int:
    # Resolve the plan here so a wrong name is a clear line, not a screen that closes.
    plan = find_plan(dirs, args.plan).require()
    return _launch(
        dirs,
        plan,
        args.weight,
        False if args.no_sound else None,
        False if args.no_voice else None,
    )


def check_sound(args: argparse.Namespace, dirs: DataDirs) -> int:
    try:
        from walkcoach.sound.check import sound_check
    except ImportError as exc:
        raise WalkcoachError(
            f"the sound check is not available in this installation ({exc})"
        ) from None
    status: int = sound_check(sys.stdout)
    return status


def _launch(
    dirs: DataDirs,
    plan: Plan | None,
    weight_kg: float | None,
    sound: bool | None,
    voice: bool | None = None,
) -> int:
    try:
        from walkcoach.tui.launch import run_app
    except ImportError as exc:
        if exc.name not in ("walkcoach.tui.launch", "walkcoach.tui", "textual"):
            raise
        raise WalkcoachError(
            f"the terminal interface is not available in this installation ({exc})"
        ) from None
    status: int = run_app(dirs, plan, weight_kg, sound, voice)
    return status
