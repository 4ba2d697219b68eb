"""The command line's grammar: every command, option and argument, and the checks that
turn an argument into a value (a weight, a count, a file name) or a usage error."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from walkcoach import __version__
from walkcoach.cli.history import delete_session, export_sessions, list_sessions
from walkcoach.cli.plans import check_file, export_plan, import_file, list_plans, show_plan
from walkcoach.cli.policy import EXIT_USAGE, PROG, bounded, short
from walkcoach.cli.walk import check_sound, open_home, run_session
from walkcoach.text import visible


class _Parser(argparse.ArgumentParser):
    """argparse with its errors made safe to show and bounded: they echo arguments, and
    an argument may hold escape sequences or megabytes. Sub-parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {bounded(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command and option; each command's `handler` runs it."""
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
    parser.set_defaults(handler=open_home)
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
    run.set_defaults(handler=run_session)

    plans = commands.add_parser(
        "plans", parents=[common], help="list, show, check, import or export plans"
    )
    actions = plans.add_subparsers(metavar="ACTION", title="actions", required=True)
    listing = actions.add_parser("list", parents=[common], help="list the plans")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(handler=list_plans)
    show = actions.add_parser("show", parents=[common], help="show a plan's steps and totals")
    show.add_argument("name", metavar="NAME", help="a plan name or a plan file")
    show.set_defaults(handler=show_plan)
    check = actions.add_parser("check", parents=[common], help="check a plan file")
    check.add_argument("file", metavar="FILE", type=_file_arg)
    check.set_defaults(handler=check_file)
    importing = actions.add_parser(
        "import",
        parents=[common],
        help="copy a plan file into your plans (TOML, FIT workout, workout text or Zwift)",
        description="The format comes from FILE's extension: .fit is a FIT workout, .txt "
        "intervals.icu workout text (the plan is named after the file), .zwo a Zwift run "
        "workout (its paces are shares of --reference-speed), anything else walkcoach's "
        "TOML. Nothing is written when the file has a problem.",
    )
    importing.add_argument("file", metavar="FILE", type=_file_arg)
    importing.add_argument(
        "--replace", action="store_true", help="replace your plan of the same name"
    )
    importing.add_argument(
        "--reference-speed",
        metavar="SPEED",
        type=_speed_arg,
        help="for a .zwo: your brisk walking speed, in your speed unit (km/h or mph), "
        "that the workout's shares are taken of",
    )
    importing.set_defaults(handler=import_file)
    export = actions.add_parser(
        "export",
        parents=[common],
        help="write a plan to FILE: TOML, or by its extension a FIT workout (.fit) or "
        "workout text (.txt); to stdout as TOML without FILE, or with -",
        description="Write a plan as TOML, as a FIT workout a Garmin watch loads (FILE.fit) "
        "or as intervals.icu workout text (FILE.txt, the steps only). An existing FILE is "
        "replaced only with --force, and its folder must exist.",
    )
    export.add_argument("name", metavar="NAME")
    export.add_argument("file", metavar="FILE", nargs="?")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.set_defaults(handler=export_plan)

    history = commands.add_parser(
        "history", parents=[common], help="list past sessions, newest first"
    )
    form = history.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON instead of a table")
    form.add_argument("--csv", action="store_true", help="print CSV with a header row")
    history.add_argument("--limit", metavar="N", type=_count_arg, help="only the newest N")
    history.set_defaults(handler=list_sessions)
    history_actions = history.add_subparsers(metavar="ACTION", title="actions")
    history_export = history_actions.add_parser(
        "export",
        parents=[common],
        help="write the history (or one session) to FILE: CSV, JSON, FIT or TCX by its extension",
        description="JSON holds every session with its segments; CSV one row per session "
        "(with --session: one row per segment). TCX holds every session as an activity, "
        "for Strava, Garmin Connect and training logs. A FIT activity holds one session: "
        "without --session each session gets its own file, named from FILE with its ID "
        "(walks.fit gives walks-12.fit, walks-13.fit, ...). No file is replaced "
        "without --force.",
    )
    history_export.add_argument(
        "file", metavar="FILE", help="NAME.csv, NAME.json, NAME.fit or NAME.tcx"
    )
    history_export.add_argument(
        "--session",
        metavar="ID",
        type=_count_arg,
        help="only the session with this ID (the first column of `walkcoach history`)",
    )
    history_export.add_argument(
        "--force", action="store_true", help="replace FILE (or the FIT files) if it exists"
    )
    history_export.set_defaults(handler=export_sessions)
    history_delete = history_actions.add_parser(
        "delete",
        parents=[common],
        help="delete one session (its ID is in the first column of `walkcoach history`)",
        description="Asks first; without a terminal to ask on, deletes only with --yes.",
    )
    history_delete.add_argument("session", metavar="ID", type=_count_arg, help="the session")
    history_delete.add_argument("--yes", action="store_true", help="delete without asking")
    history_delete.set_defaults(handler=delete_session)

    sound = commands.add_parser(
        "sound-check", parents=[common], help="play every cue and say which player is used"
    )
    sound.set_defaults(handler=check_sound)
    return parser


def _weight_arg(text: str) -> float:
    from walkcoach.store.profile import Profile, validate_field

    value, error = validate_field("weight_kg", text, Profile())
    if error or not isinstance(value, float):
        raise argparse.ArgumentTypeError(error or "expected a weight in kg")
    return value


MAX_COUNT = 1_000_000_000
"""Far above any history, and below SQLite's 64-bit limit (a larger --limit overflowed)."""


def _count_arg(text: str) -> int:
    # ASCII digits only: str.isdigit() also takes "٣" (Arabic-Indic three) and "²".
    digits = text.isascii() and text.isdigit() and len(text) <= len(str(MAX_COUNT))
    if not digits or not 1 <= int(text) <= MAX_COUNT:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1 to {MAX_COUNT:,}, not {visible(repr(short(text)))}"
        )
    return int(text)


def _speed_arg(text: str) -> float:
    from walkcoach.formats.zwo import reference_speed

    speed, problem = reference_speed(text)
    if speed is None:
        raise argparse.ArgumentTypeError(f"{problem}, not {visible(repr(short(text)))}")
    return speed


def _file_arg(text: str) -> str:
    """A file name as typed: not a `Path`, which reads "" as "." and drops a trailing
    slash, so that "x.toml/" is still judged as a folder's name."""
    if not text:
        raise argparse.ArgumentTypeError("the file name is empty; give the name of a file")
    return text
