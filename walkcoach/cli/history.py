"""``walkcoach history``: list past sessions as a table, JSON or CSV, export them to a
file, delete one; and how each one prints."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from walkcoach.cli.output import print_json, rich_console
from walkcoach.cli.policy import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, error, warn
from walkcoach.cli.userdata import read_profile
from walkcoach.errors import WalkcoachError
from walkcoach.outpaths import export_target
from walkcoach.store.paths import DataDirs
from walkcoach.text import visible
from walkcoach.units import counted

if TYPE_CHECKING:
    from walkcoach.store.history import Damaged

HISTORY_TABLE_ROWS: Final = 50  # a table of thousands helps nobody; JSON and CSV give all


def list_sessions(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.store.history import STATUS_LABELS, History, sessions_listing

    if args.json or args.csv:
        with History(dirs.history_path) as history:
            records, damaged = history.read_session_records(args.limit)
        _warn_damaged(damaged)
        # The session records of `history export`, without their segments.
        if args.json:
            print_json(sessions_listing(records, "json").removesuffix("\n"))
        else:
            # Its text made safe to show.
            sys.stdout.write(visible(sessions_listing(records, "csv"), allow="\n"))
        return EXIT_OK

    limit = args.limit or HISTORY_TABLE_ROWS
    with History(dirs.history_path) as history:
        sessions, damaged = history.read_sessions(limit)
        read = len(sessions) + len(damaged)
        total = history.count() if read == limit else read
    _warn_damaged(damaged)

    from rich.table import Table
    from rich.text import Text

    from walkcoach.units import format_clock, format_distance

    console = rich_console()
    if not sessions:
        console.print("No sessions yet.", markup=False)
        return EXIT_OK
    profile = read_profile(dirs)
    table = Table(box=None, pad_edge=False)
    table.add_column("ID", justify="right")
    table.add_column("Started")
    table.add_column("Plan", overflow="fold")
    table.add_column("Status")
    table.add_column("Active", justify="right")
    table.add_column("Backward", justify="right")
    table.add_column("Distance", justify="right")
    table.add_column("kcal", justify="right")
    for row in sessions:
        table.add_row(
            str(row.id),
            row.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            Text(visible(row.plan_name)),
            visible(STATUS_LABELS.get(row.status, row.status)),
            format_clock(row.active_s),
            format_clock(row.backward_s),
            format_distance(row.distance_km, profile.speed_unit),
            f"{row.kcal:.0f}",
        )
    console.print(table)
    if total > read:
        console.print(
            f"The newest {read} of {total} sessions; "
            "--limit N shows more, --json and --csv give them all.",
            markup=False,
            style="dim",
        )
    return EXIT_OK


def export_sessions(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.formats.files import WALK_EXPORTS, suffix
    from walkcoach.store.history import EXPORT_FORMATS, History

    if suffix(Path(args.file)) in WALK_EXPORTS:
        return _export_walks(args, dirs)
    dest = export_target(args.file, force=args.force, example="walkcoach-history.csv")
    if suffix(dest).lstrip(".") not in EXPORT_FORMATS:  # before the history is read
        kinds = ", ".join(f".{fmt}" for fmt in EXPORT_FORMATS)
        raise WalkcoachError(
            f"{dest}: name the file {kinds}, {' or '.join(WALK_EXPORTS)} to choose the format"
        )
    with History(dirs.history_path) as history:
        count, damaged = history.export(dest, args.session)
    _warn_damaged(damaged)
    print(visible(f"exported {counted(count, 'session')} to {args.file}"))
    return EXIT_OK


def _export_walks(args: argparse.Namespace, dirs: DataDirs) -> int:
    """The walks as FIT or TCX: every walk in one TCX file; one FIT file per walk (a FIT
    activity holds one), named from FILE with the walk's ID unless --session is given.
    Nothing is written when any of the files exists, unless --force."""
    from walkcoach.formats.files import history_walks, walk_contents, write_file
    from walkcoach.store.history import History

    typed = Path(args.file)
    # Its folder checked now; each file written is checked below.
    dest = export_target(typed, force=True, example=f"walkcoach-history{typed.suffix}")
    with History(dirs.history_path) as history:
        walks, damaged = history_walks(history, args.session)
    _warn_damaged(damaged)
    files = walk_contents(walks, dest, one_each=args.session is None)
    if not files:
        why = "the history holds no walks" if not walks else "no time was walked"
        raise WalkcoachError(f"nothing was exported to {args.file}: {why}")
    for path, _ in files:
        export_target(args.file if path == dest else path, force=args.force)  # as typed
    for path, content in files:
        write_file(path, content)
    empty = len(walks) - sum(1 for walk in walks if walk.laps)
    if len(files) == 1:
        print(visible(f"exported {counted(len(walks) - empty, 'session')} to {files[0][0]}"))
    else:
        print(visible(f"exported {len(files)} sessions, one file each:"))
        for path, _ in files:
            print(visible(f"  {path}"))
    if empty:
        print(visible(f"left out {counted(empty, 'session')} with no time walked"))
    return EXIT_OK


def delete_session(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.store.history import Damaged, History, no_such_session
    from walkcoach.units import format_clock

    with History(dirs.history_path) as history:
        row = history.read_session(args.session)
        if row is None:
            raise no_such_session(dirs.history_path, args.session)
        if isinstance(row, Damaged):
            walk = f"session {args.session} (damaged: {row.problem})"
        else:
            walk = (
                f"session {row.id}, {row.plan_name} of {row.started_at.astimezone():%Y-%m-%d %H:%M}"
                f" ({format_clock(row.active_s)} active)"
            )
        if not args.yes:
            if not sys.stdin.isatty():
                error(f"not deleting {walk}: there is no terminal to ask on; add --yes")
                return EXIT_USAGE
            print(visible(f"Delete {walk}? [y/N] "), end="", file=sys.stderr, flush=True)
            answer = sys.stdin.readline()
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing deleted.", file=sys.stderr)
                return EXIT_FAILURE
        history.delete(args.session)
    print(visible(f"deleted {walk}"))
    return EXIT_OK


def _warn_damaged(damaged: Sequence[Damaged]) -> None:
    """One warning a damaged history row left out, the first few of them."""
    shown = 5
    for problem in damaged[:shown]:
        warn(f"left out, damaged: {problem}")
    if len(damaged) > shown:
        warn(f"left out {len(damaged) - shown} more damaged rows")
