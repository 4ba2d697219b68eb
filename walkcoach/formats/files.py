"""Files in other tools' formats, told apart by their extension: the plan a file holds,
the file a plan is exported as, and the files an export of walks writes.

The command line and the screens both go through here, so a name means the same format
everywhere. The encoders and readers are imported only when a file needs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

from walkcoach.errors import WalkcoachError
from walkcoach.plan import Plan, PlanError, Problem

if TYPE_CHECKING:
    from walkcoach.formats.walk import Walk
    from walkcoach.store.history import Damaged, History

PLAN_IMPORTS: Final = (".toml", ".fit", ".txt", ".zwo")
"""What a plan is imported from: walkcoach's TOML (also any other name), a FIT
workout, intervals.icu workout text, a Zwift workout."""
PLAN_EXPORTS: Final = (".toml", ".fit", ".txt")
WALK_EXPORTS: Final = (".fit", ".tcx")
"""The activity formats a walk is exported as (CSV and JSON are the history's own)."""


class Incoming(NamedTuple):
    """A plan read from a file: the plan, the TOML it is kept as (a TOML file's own text,
    comments and all), and what of a foreign file it could not keep."""

    plan: Plan
    text: str
    notes: tuple[Problem, ...] = ()


def suffix(path: Path) -> str:
    return path.suffix.lower()


def needs_reference_speed(path: Path) -> bool:
    """Whether a plan file gives its paces as shares of the walker's speed (Zwift)."""
    return suffix(path) == ".zwo"


def read_plan_file(path: Path, reference_kmh: float | None = None) -> Incoming:
    """The plan in `path`, read by its extension; `PlanError` naming the file and the
    place in it for anything wrong. A Zwift workout needs `reference_kmh`."""
    from walkcoach import plan as plan_module

    source = str(path)
    kind = suffix(path)
    if kind == ".fit":
        from walkcoach.formats import fit_workout
        from walkcoach.formats.limits import MAX_FIT_BYTES
        from walkcoach.userfiles import read_regular

        try:
            data = read_regular(path, MAX_FIT_BYTES)
        except OSError as exc:
            raise PlanError([Problem("", f"cannot be read ({exc.strerror})")], source) from None
        plan = fit_workout.decode_plan(data, source)
        return Incoming(plan, plan_module.dumps(plan))
    text = plan_module.read_text(path)
    if kind == ".txt":
        from walkcoach.formats import workout_text

        plan = workout_text.loads(text, path.stem, source)
        return Incoming(plan, plan_module.dumps(plan))
    if kind == ".zwo":
        from walkcoach.formats import zwo

        if reference_kmh is None:
            raise ValueError("a Zwift workout is read at shares of a reference speed")
        plan, notes = zwo.loads(text, reference_kmh, path.stem, source)
        return Incoming(plan, plan_module.dumps(plan), notes)
    return Incoming(plan_module.loads(text, source), text)


def plan_content(plan: Plan, path: Path) -> str | bytes:
    """What a plan exported to `path` holds: a FIT workout (.fit), workout text (.txt,
    the steps only) or walkcoach's TOML (any other name)."""
    kind = suffix(path)
    if kind == ".fit":
        from walkcoach.formats.fit_workout import encode_plan

        return encode_plan(plan)
    if kind == ".txt":
        from walkcoach.formats.workout_text import dumps

        return dumps(plan)
    from walkcoach.plan import dumps as toml_dumps

    return toml_dumps(plan)


def numbered(path: Path, session_id: int) -> Path:
    """walks-12.fit for walk 12 of an export named walks.fit."""
    return path.with_name(f"{path.stem}-{session_id}{path.suffix}")


def walk_contents(
    walks: Sequence[Walk], path: Path, one_each: bool
) -> list[tuple[Path, str | bytes]]:
    """The files an export of `walks` to `path` writes, by its extension: TCX holds them
    all; FIT holds one, so with `one_each` each walk gets its own file, named from
    `path` with its ID (`numbered`). Walks with nothing walked are left out."""
    walked = [walk for walk in walks if walk.laps]
    if suffix(path) == ".tcx":
        from walkcoach.formats.tcx import encode_walks

        return [(path, encode_walks(walked))] if walked else []
    from walkcoach.formats.fit_activity import encode_walk

    return [
        (numbered(path, walk.session_id) if one_each else path, encode_walk(walk, _zone(walk)))
        for walk in walked
    ]


def _zone(walk: Walk) -> tzinfo:
    """The walker's local zone as it was when the walk began (its offset then)."""
    return walk.started_at.astimezone().tzinfo or UTC


def history_walks(
    history: History, session_id: int | None = None
) -> tuple[list[Walk], list[Damaged]]:
    """One walk of the history, or all of them oldest first, and the damaged rows left
    out; `WalkcoachError` when the walk asked for is missing or damaged."""
    from walkcoach.formats.walk import from_rows
    from walkcoach.store.history import Damaged, no_such_session

    if session_id is None:
        rows, damaged = history.read_sessions()
        rows.reverse()
    else:
        row = history.read_session(session_id)
        if row is None:
            raise no_such_session(history.path, session_id)
        if isinstance(row, Damaged):
            raise WalkcoachError(f"{history.path}: session {session_id} is damaged ({row.problem})")
        rows, damaged = [row], []
    walks = []
    for row in rows:
        segments, bad = history.read_segments(row.id)
        damaged += bad
        walks.append(from_rows(row, segments))
    return walks, damaged


def write_file(path: Path, content: str | bytes) -> None:
    """Replaces (or creates) `path` with `content`, all or nothing."""
    from walkcoach.store.atomic import atomic_write_bytes, atomic_write_text

    if isinstance(content, str):
        atomic_write_text(path, content)
    else:
        atomic_write_bytes(path, content)
