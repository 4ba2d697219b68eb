"""The ``walkcoach`` command: the way into the app, and the plan and history commands.

Every failure a user can cause ends as one line on stderr (``walkcoach: ...``) and a
non-zero exit; anything unexpected also gets its traceback written to a log file that
the line names. Rich, sqlite3, json and the TUI are imported only by the commands that
use them, so ``walkcoach --version`` and friends start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from walkcoach import __version__
from walkcoach.errors import WalkcoachError
from walkcoach.plan import PlanError
from walkcoach.store.paths import ERROR_LOG_FILE, DataDirs, resolve_dirs
from walkcoach.text import json_visible, visible
from walkcoach.units import counted

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text
    from rich.tree import Tree

    from walkcoach.plan import Plan, Segment, Step
    from walkcoach.store.plans import PlanEntry, PlanLibrary
    from walkcoach.store.profile import Profile

PROG: Final = "walkcoach"
EXIT_OK: Final = 0
EXIT_FAILURE: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERRUPTED: Final = 130
HISTORY_TABLE_ROWS: Final = 50  # a table of thousands helps nobody; JSON and CSV give all
DIRECTION_STYLES: Final = {"forward": "bold cyan", "backward": "bold magenta"}

Handler = Callable[[argparse.Namespace, DataDirs], int]


# --- the parser ---------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    # --data-dir is accepted before and after the sub-command: every parser knows it, and
    # the sub-parsers leave it alone (SUPPRESS) unless it is given there.
    data_dir_help = "keep profile, plans and history in DIR (also: $WALKCOACH_DATA_DIR)"
    # --data-dir is accepted before and after the sub-command. The sub-parsers leave it
    # alone (SUPPRESS) unless it is given there; they must not share the top-level
    # parser's argument object, whose default is None.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=data_dir_help)
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A terminal interval coach for forward and backward treadmill walking. "
        "Without a command it opens the home screen.",
    )
    parser.add_argument("--data-dir", metavar="DIR", default=None, help=data_dir_help)
    parser.set_defaults(handler=_cmd_home)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(metavar="COMMAND", title="commands")

    run = commands.add_parser(
        "run", parents=[common], help="start a session of PLAN", description="Start a session."
    )
    run.add_argument("plan", metavar="PLAN", help="a plan name or a plan file")
    run.add_argument(
        "--weight", metavar="KG", type=_weight_arg, help="body weight for this session, in kg"
    )
    run.add_argument("--no-sound", action="store_true", help="run this session without sound")
    run.add_argument(
        "--no-voice",
        action="store_true",
        help="no spoken prompts in this session (the cue tones still play)",
    )
    run.set_defaults(handler=_cmd_run)

    plans = commands.add_parser(
        "plans", parents=[common], help="list, show, check, import or export plans"
    )
    actions = plans.add_subparsers(metavar="ACTION", title="actions", required=True)
    listing = actions.add_parser("list", parents=[common], help="list the plans")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(handler=_cmd_plans_list)
    show = actions.add_parser("show", parents=[common], help="show a plan's steps and totals")
    show.add_argument("name", metavar="NAME", help="a plan name or a plan file")
    show.set_defaults(handler=_cmd_plans_show)
    check = actions.add_parser("check", parents=[common], help="check a plan file")
    check.add_argument("file", metavar="FILE", type=Path)
    check.set_defaults(handler=_cmd_plans_check)
    importing = actions.add_parser(
        "import", parents=[common], help="copy a plan file into your plans"
    )
    importing.add_argument("file", metavar="FILE", type=Path)
    importing.add_argument(
        "--replace", action="store_true", help="replace your plan of the same name"
    )
    importing.set_defaults(handler=_cmd_plans_import)
    export = actions.add_parser(
        "export", parents=[common], help="write a plan as TOML (to stdout without FILE)"
    )
    export.add_argument("name", metavar="NAME")
    export.add_argument("file", metavar="FILE", type=Path, nargs="?")
    export.set_defaults(handler=_cmd_plans_export)

    history = commands.add_parser(
        "history", parents=[common], help="list past sessions, newest first"
    )
    form = history.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON instead of a table")
    form.add_argument("--csv", action="store_true", help="print CSV with a header row")
    history.add_argument("--limit", metavar="N", type=_count_arg, help="only the newest N")
    history.set_defaults(handler=_cmd_history)
    history_actions = history.add_subparsers(metavar="ACTION", title="actions")
    history_export = history_actions.add_parser(
        "export",
        parents=[common],
        help="write the history (or one session) to FILE, CSV or JSON by its extension",
        description="JSON holds every session with its segments; CSV one row per session "
        "(with --session: one row per segment).",
    )
    history_export.add_argument("file", metavar="FILE", type=Path, help="NAME.csv or NAME.json")
    history_export.add_argument(
        "--session", metavar="ID", type=_count_arg, help="only the session with this id"
    )
    history_export.set_defaults(handler=_cmd_history_export)

    sound = commands.add_parser(
        "sound-check", parents=[common], help="play every cue and say which player is used"
    )
    sound.set_defaults(handler=_cmd_sound_check)
    return parser


def _weight_arg(text: str) -> float:
    from walkcoach.store.profile import Profile, validate_field

    value, error = validate_field("weight_kg", text, Profile())
    if error or not isinstance(value, float):
        raise argparse.ArgumentTypeError(error or "expected a weight in kg")
    return value


MAX_COUNT = 1_000_000_000
"""Far above any history, and below SQLite's 64-bit limit (a larger --limit overflowed)."""


def _short(text: str, limit: int = 20) -> str:
    """An argument echoed back in an error, cut so a huge one cannot flood the terminal."""
    return text if len(text) <= limit else text[:limit] + "…"


def _count_arg(text: str) -> int:
    # ASCII digits only: str.isdigit() also takes "٣" (Arabic-Indic three) and "²".
    digits = text.isascii() and text.isdigit() and len(text) <= len(str(MAX_COUNT))
    if not digits or not 1 <= int(text) <= MAX_COUNT:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1 to {MAX_COUNT:,}, not {visible(repr(_short(text)))}"
        )
    return int(text)


# --- entry point --------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Runs one command and returns its exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2), --help and --version (0)
        return _exit_status(exc.code)
    dirs: DataDirs | None = None
    try:
        dirs = resolve_dirs(args.data_dir)
        handler: Handler = args.handler
        return handler(args, dirs)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except PlanError as exc:
        _error(str(exc))  # a head line, then every problem on its own line
        return EXIT_FAILURE
    except WalkcoachError as exc:
        _error(str(exc))
        return EXIT_FAILURE
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_FAILURE
    except OSError as exc:
        _error(_describe_os_error(exc))
        return EXIT_FAILURE
    except Exception as exc:
        return _report_unexpected(exc, dirs)


def _exit_status(code: object) -> int:
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    return EXIT_FAILURE


def _error(message: str) -> None:
    print(f"{PROG}: {visible(message, allow=chr(10))}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {visible(message, allow=chr(10))}", file=sys.stderr)


def _describe_os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is not None:
        return f"{exc.filename}: {reason}"
    return reason


def _silence_stdout() -> None:
    """After the reader of a pipe went away (``walkcoach history | head``): no more
    output, and no second error when Python flushes stdout on exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _report_unexpected(exc: Exception, dirs: DataDirs | None) -> int:
    import traceback
    from datetime import datetime

    details = "".join(traceback.format_exception(exc))
    entry = (
        f"--- {datetime.now().astimezone().isoformat(timespec='seconds')} "
        f"{PROG} {__version__} argv={sys.argv[1:]!r}\n{details}\n"
    )
    candidates = [dirs.error_log_path] if dirs is not None else []
    import tempfile

    candidates.append(Path(tempfile.gettempdir()) / ERROR_LOG_FILE)
    summary = f"{type(exc).__name__}: {exc}".splitlines()[0]
    for log in candidates:
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as handle:
                handle.write(entry)
        except OSError:
            continue
        _error(f"unexpected error ({summary}); the details are in {log}")
        return EXIT_FAILURE
    _error(f"unexpected error ({summary}); the details could not be written to a log")
    return EXIT_FAILURE


# --- shared helpers -----------------------------------------------------------------


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _profile(dirs: DataDirs) -> Profile:
    """The user's profile; the defaults (with a warning) when it cannot be read."""
    from walkcoach.store.profile import Profile, ProfileError, load_profile

    try:
        return load_profile(dirs.profile_path)
    except ProfileError as exc:
        _warn(f"{exc}; using the default settings")
        return Profile()


def _weight_note(profile: Profile) -> str:
    from walkcoach.units import kg_to_lb

    kg = profile.effective_weight_kg
    if profile.weight_unit == "lb":
        return f"{kg_to_lb(kg):.0f} lb"
    return f"{kg:g} kg"


def _library(dirs: DataDirs) -> PlanLibrary:
    from walkcoach.store.plans import PlanLibrary

    return PlanLibrary(dirs)


# --- the app ------------------------------------------------------------------------


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


def _cmd_home(args: argparse.Namespace, dirs: DataDirs) -> int:
    return _launch(dirs, None, None, None)


def _cmd_run(args: argparse.Namespace, dirs: DataDirs) -> int:
    # Resolve the plan here so a wrong name is a clear line, not a screen that closes.
    plan = _library(dirs).find(args.plan).require()
    return _launch(
        dirs,
        plan,
        args.weight,
        False if args.no_sound else None,
        False if args.no_voice else None,
    )


def _cmd_sound_check(args: argparse.Namespace, dirs: DataDirs) -> int:
    try:
        from walkcoach.sound.check import sound_check
    except ImportError as exc:
        raise WalkcoachError(
            f"the sound check is not available in this installation ({exc})"
        ) from None
    status: int = sound_check(sys.stdout)
    return status


# --- plans --------------------------------------------------------------------------


def _cmd_plans_list(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.plan import summarize
    from walkcoach.units import format_clock

    profile = _profile(dirs)
    weight = profile.effective_weight_kg
    entries = _library(dirs).entries()
    rows: list[dict[str, Any]] = []
    for entry in entries:
        summary = summarize(entry.plan, weight) if entry.plan is not None else None
        rows.append(
            {
                "name": entry.name,
                "source": entry.source,
                "path": str(entry.path),
                "total_s": summary.total_s if summary else None,
                "backward_s": summary.backward_s if summary else None,
                "kcal": summary.kcal if summary else None,
                "error": str(entry.error) if entry.error is not None else None,
            }
        )
    if args.json:
        import json

        print(json_visible(json.dumps(rows, indent=2, ensure_ascii=False)))
        return EXIT_OK

    from rich.table import Table
    from rich.text import Text

    console = _console()
    if not rows:
        console.print("No plans found.", markup=False)
        return EXIT_OK
    table = Table(title=None, box=None, pad_edge=False)
    table.add_column("Plan", overflow="fold")
    table.add_column("Source")
    table.add_column("Time", justify="right")
    table.add_column("Backward", justify="right")
    table.add_column(f"kcal ({_weight_note(profile)})", justify="right")
    for row in rows:
        if row["error"] is not None:
            table.add_row(
                Text(visible(row["name"])), row["source"], Text("cannot be loaded", "red")
            )
            continue
        table.add_row(
            Text(visible(row["name"])),
            row["source"],
            format_clock(row["total_s"]),
            format_clock(row["backward_s"]),
            f"{row['kcal']:.0f}",
        )
    console.print(table)
    broken = [e for e in entries if e.error is not None]
    for entry in broken:
        line = visible(f"{entry.path}: {_first_problem(entry)}")
        console.print(Text(line, "red"), soft_wrap=True)
    return EXIT_OK


def _first_problem(entry: PlanEntry) -> str:
    if entry.error is None or not entry.error.problems:
        return "cannot be loaded"
    count = len(entry.error.problems)
    more = f" (and {count - 1} more; run: walkcoach plans check FILE)" if count > 1 else ""
    return f"{entry.error.problems[0]}{more}"


def _cmd_plans_show(args: argparse.Namespace, dirs: DataDirs) -> int:
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    from walkcoach.plan import plan_warnings, summarize
    from walkcoach.units import format_clock, format_distance

    entry = _library(dirs).find(args.name)
    plan = entry.require()
    profile = _profile(dirs)
    summary = summarize(plan, profile.effective_weight_kg)
    console = _console()

    console.print(Text(visible(plan.name), "bold"))
    console.print(Text(visible(f"{entry.source} plan, {entry.path}"), "dim"), soft_wrap=True)
    if plan.description:
        console.print(Text(visible(plan.description, allow="\n")))
    console.print()
    tree = Tree(Text("Steps", "bold"))
    _add_steps(tree, plan.steps, profile)
    console.print(tree)
    console.print()

    totals = Table.grid(padding=(0, 2))
    totals.add_column()
    totals.add_column(justify="right")
    totals.add_column(justify="right")
    totals.add_row(
        "Total",
        format_clock(summary.total_s),
        format_distance(summary.forward_km + summary.backward_km, profile.speed_unit),
    )
    totals.add_row(
        Text("Forward", DIRECTION_STYLES["forward"]),
        format_clock(summary.forward_s),
        format_distance(summary.forward_km, profile.speed_unit),
    )
    totals.add_row(
        Text("Backward", DIRECTION_STYLES["backward"]),
        format_clock(summary.backward_s),
        format_distance(summary.backward_km, profile.speed_unit),
    )
    totals.add_row("Segments", str(summary.segments), "")
    totals.add_row(f"Estimated kcal ({_weight_note(profile)})", f"{summary.kcal:.0f}", "")
    console.print(totals)

    warnings = plan_warnings(plan)
    if warnings:
        console.print()
        for warning in warnings:
            console.print(Text(visible(f"warning: {warning}"), "yellow"), soft_wrap=True)
    return EXIT_OK


def _add_steps(tree: Tree, steps: Sequence[Step], profile: Profile) -> None:
    from rich.text import Text

    from walkcoach.plan import Repeat

    for step in steps:
        if isinstance(step, Repeat):
            label = Text(f"repeat {step.times} times", "bold")
            if step.label:
                label.append("  ")
                label.append(visible(step.label))
            _add_steps(tree.add(label), step.steps, profile)
        else:
            tree.add(_segment_text(step, profile))


def _segment_text(segment: Segment, profile: Profile) -> Text:
    from rich.text import Text

    from walkcoach.units import format_clock, format_speed

    text = Text()
    text.append(f"{format_clock(segment.seconds):>7}  ")
    text.append(f"{segment.direction:<8}", DIRECTION_STYLES[segment.direction])
    text.append(f"  {format_speed(segment.speed_kmh, profile.speed_unit)}")
    if segment.incline_pct:
        text.append(f"  {segment.incline_pct:g} % incline")
    if segment.label:
        text.append("  ")
        text.append(visible(segment.label), "italic")
    return text


def _cmd_plans_check(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.plan import load, plan_warnings

    path: Path = args.file
    try:
        plan: Plan = load(path)
    except PlanError as exc:
        print(visible(f"{path}: {counted(len(exc.problems), 'problem')}"))
        for problem in exc.problems:
            print(visible(f"  error: {problem}"))
        return EXIT_FAILURE
    warnings = plan_warnings(plan)
    print(visible(f"{path}: ok ({plan.name})"))
    for warning in warnings:
        print(visible(f"  warning: {warning}"))
    return EXIT_OK


def _cmd_plans_import(args: argparse.Namespace, dirs: DataDirs) -> int:
    entry = _library(dirs).import_file(args.file, replace=args.replace)
    print(visible(f'imported "{entry.name}" as {entry.path}'))
    return EXIT_OK


def _cmd_plans_export(args: argparse.Namespace, dirs: DataDirs) -> int:
    text = _library(dirs).export(args.name, args.file)
    if args.file is None:
        sys.stdout.write(text)
    else:
        print(visible(f"exported to {args.file}"))
    return EXIT_OK


# --- history ------------------------------------------------------------------------


def _cmd_history(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.store.history import History, sessions_export

    if args.json or args.csv:
        with History(dirs.history_path) as history:
            records = history.session_records(args.limit)
        if args.json:
            import json

            # One session per line: readable, and the C encoder keeps 10 000 rows fast.
            lines = ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in records)
            print(json_visible(f"[\n  {lines}\n]" if records else "[]"))
        else:
            # The same CSV as `history export FILE.csv`, its text made safe to show.
            sys.stdout.write(visible(sessions_export(records, [], "csv"), allow="\n"))
        return EXIT_OK

    limit = args.limit or HISTORY_TABLE_ROWS
    with History(dirs.history_path) as history:
        sessions = history.sessions(limit)
        total = history.count() if len(sessions) == limit else len(sessions)

    from rich.table import Table
    from rich.text import Text

    from walkcoach.units import format_clock, format_distance

    console = _console()
    if not sessions:
        console.print("No sessions yet.", markup=False)
        return EXIT_OK
    profile = _profile(dirs)
    table = Table(box=None, pad_edge=False)
    table.add_column("Started")
    table.add_column("Plan", overflow="fold")
    table.add_column("Status")
    table.add_column("Active", justify="right")
    table.add_column("Backward", justify="right")
    table.add_column("Distance", justify="right")
    table.add_column("kcal", justify="right")
    for row in sessions:
        table.add_row(
            row.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            Text(visible(row.plan_name)),
            visible(row.status),
            format_clock(row.active_s),
            format_clock(row.backward_s),
            format_distance(row.distance_km, profile.speed_unit),
            f"{row.kcal:.0f}",
        )
    console.print(table)
    if total > len(sessions):
        console.print(
            f"The newest {len(sessions)} of {total} sessions; "
            "--limit N shows more, --json and --csv give them all.",
            markup=False,
            style="dim",
        )
    return EXIT_OK


def _cmd_history_export(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.store.history import History, export_format

    export_format(args.file)  # a wrong extension fails before the history is read
    with History(dirs.history_path) as history:
        count = history.export(args.file, args.session)
    print(visible(f"exported {counted(count, 'session')} to {args.file}"))
    return EXIT_OK
