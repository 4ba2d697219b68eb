"""How the command fails: exit codes, the one ``walkcoach: ...`` line on stderr, and the
log file that takes the traceback of anything unexpected. `run_guarded` applies it to
every command."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable
from typing import Final

from walkcoach import __version__
from walkcoach.errors import WalkcoachError
from walkcoach.plan import PlanError
from walkcoach.store.paths import ENV_VAR, DataDirs, resolve_dirs
from walkcoach.text import visible

PROG: Final = "walkcoach"
EXIT_OK: Final = 0
EXIT_FAILURE: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERRUPTED: Final = 130

Handler = Callable[[argparse.Namespace, DataDirs], int]
"""A command: its parsed arguments and data folders in, its exit status out."""


def run_guarded(args: argparse.Namespace) -> int:
    """Runs the command `args` names (its `handler`) in its data folder, every failure
    ending as one line on stderr and a non-zero status."""
    dirs: DataDirs | None = None
    try:
        usable_time_zone()
        dirs = resolve_dirs(args.data_dir)
        require_folder(dirs)
        handler: Handler = args.handler
        return handler(args, dirs)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except PlanError as exc:
        error(str(exc))  # a head line, then every problem on its own line
        return EXIT_FAILURE
    except WalkcoachError as exc:
        error(str(exc))
        return EXIT_FAILURE
    except BrokenPipeError:
        silence_stdout()
        return EXIT_FAILURE
    except OSError as exc:
        error(describe_os_error(exc))
        return EXIT_FAILURE
    except Exception as exc:
        return report_unexpected(exc, dirs)


def require_folder(dirs: DataDirs) -> None:
    """A data folder that exists as a file or a pipe is said so once, instead of every
    command finding "no sessions yet" or failing on its profile and plans inside it."""
    if dirs.root.exists() and not dirs.root.is_dir():
        given = {"flag": " (given by --data-dir)", "env": f" (given by ${ENV_VAR})"}
        raise WalkcoachError(
            f"the data folder {dirs.root}{given.get(dirs.origin, '')} is not a folder"
        )


def exit_status(code: object) -> int:
    """The status of a `SystemExit` code (argparse's usage errors, --help, --version)."""
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    return EXIT_FAILURE


def error(message: str) -> None:
    print(f"{PROG}: {bounded(message)}", file=sys.stderr)


def warn(message: str) -> None:
    print(f"{PROG}: warning: {bounded(message)}", file=sys.stderr)


MAX_MESSAGE_LINE = 1000
MAX_MESSAGE_LINES = 100


def bounded(message: str) -> str:
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


def short(text: str, limit: int = 20) -> str:
    """An argument echoed back in an error, cut so a huge one cannot flood the terminal."""
    return text if len(text) <= limit else text[:limit] + "…"


def describe_os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is not None:
        return f"{exc.filename}: {reason}"
    return reason


STRICT_ERRORS: Final = ("strict", "surrogateescape")


def fit_streams() -> None:
    """Text the output's encoding cannot carry (PYTHONIOENCODING=ascii, a Latin-1
    locale, a file name that is not UTF-8) comes out as backslash escapes instead of
    failing the command with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in STRICT_ERRORS:
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="backslashreplace")


def usable_time_zone() -> None:
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
    named = f"the time zone TZ={short(zone, 40)!r}" if zone else "the system's time zone"
    if not hasattr(time, "tzset"):
        raise WalkcoachError(f"{named} cannot be used: its offset from UTC is a day or more")
    os.environ["TZ"] = "UTC"
    time.tzset()
    warn(f"{named} cannot be used (its offset from UTC is a day or more); times are in UTC")


def silence_stdout() -> None:
    """After the reader of a pipe went away (``walkcoach history | head``): no more
    output, and no second error when Python flushes stdout on exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def report_unexpected(exc: Exception, dirs: DataDirs | None) -> int:
    import traceback
    from datetime import UTC, datetime

    from walkcoach.errorlog import append_entry, log_candidates

    details = "".join(traceback.format_exception(exc))
    # UTC: the local time zone may be the very thing that failed (TZ=UTC+24).
    entry = (
        f"--- {datetime.now(UTC).isoformat(timespec='seconds')} "
        f"{PROG} {__version__} argv={short(repr(sys.argv[1:]), 2000)}\n{details}\n"
    )
    summary = (f"{type(exc).__name__}: {exc}".splitlines() or [type(exc).__name__])[0]
    for log in log_candidates(dirs):
        try:
            append_entry(log, entry)
        except OSError:
            continue
        error(f"unexpected error ({short(summary, 300)}); the details are in {log}")
        return EXIT_FAILURE
    error(f"unexpected error ({short(summary, 300)}); the details could not be written to a log")
    return EXIT_FAILURE
