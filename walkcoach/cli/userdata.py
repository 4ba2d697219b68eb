"""The walker's profile and plans as the commands read them: a profile that cannot be
read gives the defaults, and a plan that cannot be found says why."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from walkcoach.cli.policy import warn
from walkcoach.errors import WalkcoachError
from walkcoach.store.paths import DataDirs

if TYPE_CHECKING:
    from walkcoach.store.plans import PlanEntry, PlanLibrary
    from walkcoach.store.profile import Profile


def read_profile(dirs: DataDirs) -> Profile:
    """The user's profile; the defaults (with a warning) when it cannot be read."""
    from walkcoach.store.profile import Profile, ProfileError, load_profile

    try:
        return load_profile(dirs.profile_path)
    except ProfileError as exc:
        warn(f"{exc}; using the default settings")
        return Profile()


def plan_library(dirs: DataDirs) -> PlanLibrary:
    from walkcoach.store.plans import PlanLibrary

    return PlanLibrary(dirs)


def find_plan(dirs: DataDirs, wanted: str) -> PlanEntry:
    """The plan named `wanted` or in the file `wanted`; a folder is called a folder."""
    from walkcoach.store.plans import PlanNotFound

    try:
        return plan_library(dirs).find(wanted)
    except PlanNotFound:
        if wanted.strip() and Path(wanted).expanduser().is_dir():
            raise WalkcoachError(
                f"{wanted} is a folder, not a plan; give a plan name or a plan file"
            ) from None
        raise
