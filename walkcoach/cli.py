"""The ``walkcoach`` command: the way into the app, and the plan and history commands.

Every failure a user can cause ends as one line on stderr (``walkcoach: ...``) and a
non-zero exit; anything unexpected also gets its traceback written to a log file that
the line names. Rich, sqlite3, json and the TUI are imported only by the commands that
use them, so ``walkcoach --version`` and friends start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn

from walkcoach import __version__
from walkcoach.errors import WalkcoachError
from walkcoach.outpaths import STDOUT, export_target
from walkcoach.plan import PlanError
from walkcoach.store.paths import ENV_VAR, DataDirs, resolve_dirs
from walkcoach.text import json_visible, visible
from walkcoach.units import counted

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text
    from rich.tree import Tree

    from walkcoach.plan import Plan, Segment, Step
    from walkcoach.store.history import Damaged
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


class _Parser(argparse.ArgumentParser):
    """argparse with its errors made safe to show and bounded: they echo arguments, and
    an argument may hold escape sequences or megabytes. Sub-parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {_bounded(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    # --data-dir is accepted before and after the sub-command: every parser knows it, and
    # the sub-parsers leave it alone (SUPPRESS) unless it is given there.
    data_dir_help = "keep profile, plans and history in DIR (also: $WALKCOACH_DATA_DIR)"
    # --data-dir is accepted before and after the sub-command. The sub-parsers leave it
    # alone (SUPPRESS) unless it is given there; they must not share the top-level
    # parser's argument object, whose default is None.
    common = _Parser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=data_dir_help)
    parser = _Parser(
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
    check.add_argument("file", metavar="FILE", type=_file_arg)
    check.set_defaults(handler=_cmd_plans_check)
    importing = actions.add_parser(
        "import", parents=[common], help="copy a plan file into your plans"
    )
    importing.add_argument("file", metavar="FILE", type=_file_arg)
    importing.add_argument(
        "--replace", action="store_true", help="replace your plan of the same name"
    )
    importing.set_defaults(handler=_cmd_plans_import)
    export = actions.add_parser(
        "export",
        parents=[common],
        help="write a plan as TOML to FILE (to stdout without FILE, or with -)",
        description="Write a plan as TOML. An existing FILE is replaced only with --force, "
        "and its folder must exist.",
    )
    export.add_argument("name", metavar="NAME")
    export.add_argument("file", metavar="FILE", nargs="?")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
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
    history_export.add_argument("file", metavar="FILE", help="NAME.csv or NAME.json")
    history_export.add_argument(
        "--session",
        metavar="ID",
        type=_count_arg,
        help="only the session with this ID (the first column of `walkcoach history`)",
    )
    history_export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    history_export.set_defaults(handler=_cmd_history_export)
    history_delete = history_actions.add_parser(
        "delete",
        parents=[common],
        help="delete one session (its ID is in the first column of `walkcoach history`)",
        description="Asks first; without a terminal to ask on, deletes only with --yes.",
    )
    history_delete.add_argument("session", metavar="ID", type=_count_arg, help="the session")
    history_delete.add_argument("--yes", action="store_true", help="delete without asking")
    history_delete.set_defaults(handler=_cmd_history_delete)

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


def _file_arg(text: str) -> str:
    """A file name as typed: not a `Path`, which reads "" as "." and drops a trailing
    slash, so that "x.toml/" is still judged as a folder's name."""
    if not text:
        raise argparse.ArgumentTypeError("the file name is empty; give the name of a file")
    return text


# --- entry point --------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Runs one command and returns its exit status."""
    _fit_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2), --help and --version (0)
        return _exit_status(exc.code)
    dirs: DataDirs | None = None
    try:
        _usable_time_zone()
        dirs = resolve_dirs(args.data_dir)
        _require_folder(dirs)
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


def _require_folder(dirs: DataDirs) -> None:
    """A data folder that exists as a file or a pipe is said so once, instead of every
    command finding "no sessions yet" or failing on its profile and plans inside it."""
    if dirs.root.exists() and not dirs.root.is_dir():
        given = {"flag": " (given by --data-dir)", "env": f" (given by ${ENV_VAR})"}
        raise WalkcoachError(
            f"the data folder {dirs.root}{given.get(dirs.origin, '')} is not a folder"
        )


def _exit_status(code: object) -> int:
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    return EXIT_FAILURE


def _error(message: str) -> None:
    print(f"{PROG}: {_bounded(message)}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {_bounded(message)}", file=sys.stderr)


MAX_MESSAGE_LINE = 1000
MAX_MESSAGE_LINES = 100


def _bounded(message: str) -> str:
    """`message` made safe to show and of bounded size: an argument of megabytes or a
    plan with thousands of problems must not flood the terminal. Long lines lose their
    middle, so both what failed and the advice after it stay."""
    lines = visible(message, allow="\n").split("\n")
    if len(lines) > MAX_MESSAGE_LINES:
        more = len(lines) - MAX_MESSAGE_LINES + 1
        lines = [*lines[: MAX_MESSAGE_LINES - 1], f"(and {more:,} more lines)"]
    head, tail = MAX_MESSAGE_LINE * 2 // 3, MAX_MESSAGE_LINE // 3
    return "\n".join(
        line if len(line) <= MAX_MESSAGE_LINE else f"{line[:head]} … {line[-tail:]}"
        for line in lines
    )


def _describe_os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is not None:
        return f"{exc.filename}: {reason}"
    return reason


STRICT_ERRORS: Final = ("strict", "surrogateescape")


def _fit_streams() -> None:
    """Text the output's encoding cannot carry (PYTHONIOENCODING=ascii, a Latin-1
    locale, a file name that is not UTF-8) comes out as backslash escapes instead of
    failing the command with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in STRICT_ERRORS:
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="backslashreplace")


def _usable_time_zone() -> None:
    """Falls back to UTC, with a warning, when the local time zone is one Python cannot
    use: ``TZ=UTC+24`` is a day from UTC, and every local time would fail."""
    import time
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    try:
        for month in (1, 7):  # the zone's winter and summer offsets
            now.replace(month=month, day=1).astimezone()
    except (ValueError, OverflowError, OSError):
        pass
    else:
        return
    zone = os.environ.get("TZ")
    named = f"the time zone TZ={_short(zone, 40)!r}" if zone else "the system's time zone"
    if not hasattr(time, "tzset"):
        raise WalkcoachError(f"{named} cannot be used: its offset from UTC is a day or more")
    os.environ["TZ"] = "UTC"
    time.tzset()
    _warn(f"{named} cannot be used (its offset from UTC is a day or more); times are in UTC")


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
    from datetime import UTC, datetime

    from walkcoach.errorlog import append_entry, log_candidates

    details = "".join(traceback.format_exception(exc))
    # UTC: the local time zone may be the very thing that failed (TZ=UTC+24).
    entry = (
        f"--- {datetime.now(UTC).isoformat(timespec='seconds')} "
        f"{PROG} {__version__} argv={_short(repr(sys.argv[1:]), 2000)}\n{details}\n"
    )
    summary = (f"{type(exc).__name__}: {exc}".splitlines() or [type(exc).__name__])[0]
    for log in log_candidates(dirs):
        try:
            append_entry(log, entry)
        except OSError:
            continue
        _error(f"unexpected error ({_short(summary, 300)}); the details are in {log}")
        return EXIT_FAILURE
    _error(f"unexpected error ({_short(summary, 300)}); the details could not be written to a log")
    return EXIT_FAILURE


# --- shared helpers -----------------------------------------------------------------


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _print_json(document: str) -> None:
    """JSON as ``json.dumps(..., ensure_ascii=False)`` writes it, printed as the same
    JSON that no terminal acts on and any output encoding carries: characters a terminal
    acts on, and any other the output cannot encode, become ``\\uXXXX`` escapes."""
    print(_fit_stdout(json_visible(document), _json_escape))


def _print_toml(document: str) -> None:
    """A plan's TOML (from `plan.dumps`), printed like `_print_json`. Outside its basic
    strings it is ASCII, and those strings take the same ``\\uXXXX`` escapes as JSON."""
    sys.stdout.write(_fit_stdout(json_visible(document), _toml_escape))


def _fit_stdout(text: str, escape: Callable[[str], str]) -> str:
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "".join(char if char.isascii() else escape(char) for char in text)
    return text


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes the rest as a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _toml_escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _profile(dirs: DataDirs) -> Profile:
    """The user's profile; the defaults (with a warning) when it cannot be read."""
    from walkcoach.store.profile import Profile, ProfileError, load_profile

    try:
        return load_profile(dirs.profile_path)
    except ProfileError as exc:
        _warn(f"{exc}; using the default settings")
        return Profile()


def _weight_note(profile: Profile) -> str:
    from walkcoach.units import format_weight

    return format_weight(profile.effective_weight_kg, profile.weight_unit)


def _library(dirs: DataDirs) -> PlanLibrary:
    from walkcoach.store.plans import PlanLibrary

    return PlanLibrary(dirs)


def _find(dirs: DataDirs, wanted: str) -> PlanEntry:
    """The plan named `wanted` or in the file `wanted`; a folder is called a folder."""
    from walkcoach.store.plans import PlanNotFound

    try:
        return _library(dirs).find(wanted)
    except PlanNotFound:
        if wanted.strip() and Path(wanted).expanduser().is_dir():
            raise WalkcoachError(
                f"{wanted} is a folder, not a plan; give a plan name or a plan file"
            ) from None
        raise


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
    plan = _find(dirs, args.plan).require()
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
    weight, factor = profile.effective_weight_kg, profile.treadmill_factor
    entries = _library(dirs).entries()
    rows: list[dict[str, Any]] = []
    for entry in entries:
        summary = summarize(entry.plan, weight, factor) if entry.plan is not None else None
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

        _print_json(json.dumps(rows, indent=2, ensure_ascii=False))
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
    count = entry.error.total
    more = f" (and {count - 1} more; run: walkcoach plans check FILE)" if count > 1 else ""
    return f"{entry.error.problems[0]}{more}"


def _cmd_plans_show(args: argparse.Namespace, dirs: DataDirs) -> int:
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    from walkcoach.plan import plan_warnings, summarize
    from walkcoach.units import format_clock, format_distance

    entry = _find(dirs, args.name)
    plan = entry.require()
    profile = _profile(dirs)
    summary = summarize(plan, profile.effective_weight_kg, profile.treadmill_factor)
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

    warnings = plan_warnings(plan, profile.speed_unit)
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
        # The first problems only (PlanError keeps MAX_PROBLEMS): a file of 100 000
        # unknown keys must not print 100 000 lines.
        print(visible(f"{path}: {counted(exc.total, 'problem')}"))
        for problem in exc.problems:
            print(visible(f"  error: {problem}"))
        for line in exc.more():
            print(line)
        return EXIT_FAILURE
    # The walker's speed unit: the profile is only read (defaults when there is none),
    # so checking a file needs no data folder and creates nothing.
    warnings = plan_warnings(plan, _profile(dirs).speed_unit)
    print(visible(f"{path}: ok ({plan.name})"))
    for warning in warnings:
        print(visible(f"  warning: {warning}"))
    return EXIT_OK


def _cmd_plans_import(args: argparse.Namespace, dirs: DataDirs) -> int:
    entry = _library(dirs).import_file(Path(args.file), replace=args.replace)
    print(visible(f'imported "{entry.name}" as {entry.path}'))
    return EXIT_OK


def _cmd_plans_export(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.store.plans import safe_stem

    entry = _find(dirs, args.name)
    if args.file is None or args.file == STDOUT:
        _print_toml(_library(dirs).export(entry))
        return EXIT_OK
    example = f"{safe_stem(entry.name)}.toml"
    dest = export_target(args.file, force=args.force, example=example)
    _library(dirs).export(entry, dest)
    print(visible(f"exported to {dest}"))
    return EXIT_OK


# --- history ------------------------------------------------------------------------


def _cmd_history(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.store.history import STATUS_LABELS, History, sessions_export

    if args.json or args.csv:
        with History(dirs.history_path) as history:
            records, damaged = history.read_session_records(args.limit)
        _warn_damaged(damaged)
        if args.json:
            import json

            # One session per line: readable, and the C encoder keeps 10 000 rows fast.
            lines = ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in records)
            _print_json(f"[\n  {lines}\n]" if records else "[]")
        else:
            # The same CSV as `history export FILE.csv`, its text made safe to show.
            sys.stdout.write(visible(sessions_export(records, [], "csv"), allow="\n"))
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

    console = _console()
    if not sessions:
        console.print("No sessions yet.", markup=False)
        return EXIT_OK
    profile = _profile(dirs)
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


def _cmd_history_export(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.store.history import History, export_format

    dest = export_target(args.file, force=args.force, example="walkcoach-history.csv")
    export_format(dest)  # a wrong extension fails before the history is read
    with History(dirs.history_path) as history:
        count, damaged = history.export(dest, args.session)
    _warn_damaged(damaged)
    print(visible(f"exported {counted(count, 'session')} to {args.file}"))
    return EXIT_OK


def _cmd_history_delete(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.store.history import Damaged, History
    from walkcoach.units import format_clock

    with History(dirs.history_path) as history:
        row = history.read_session(args.session)
        if row is None:
            raise WalkcoachError(f"{dirs.history_path}: there is no session {args.session}")
        if isinstance(row, Damaged):
            walk = f"session {args.session} (damaged: {row.problem})"
        else:
            walk = (
                f"session {row.id}, {row.plan_name} of {row.started_at.astimezone():%Y-%m-%d %H:%M}"
                f" ({format_clock(row.active_s)} active)"
            )
        if not args.yes:
            if not sys.stdin.isatty():
                _error(f"not deleting {walk}: there is no terminal to ask on; add --yes")
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
        _warn(f"left out, damaged: {problem}")
    if len(damaged) > shown:
        _warn(f"left out {len(damaged) - shown} more damaged rows")
