"""The ``walkcoach`` command: the way into the app, and the plan and history commands.

Every failure a user can cause ends as one line on stderr (``walkcoach: ...``) and a
non-zero exit; anything unexpected also gets its traceback written to a log file that
the line names (`policy`). Rich, sqlite3, json and the TUI are imported only by the
commands that use them, so ``walkcoach --version`` and friends start fast.
"""

from __future__ import annotations

from walkcoach.cli.parser import build_parser
from walkcoach.cli.policy import exit_status, fit_streams, run_guarded


def main(argv: list[str] | None = None) -> int:
    """Runs one command and returns its exit status."""
    fit_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2), --help and --version (0)
        return exit_status(exc.code)
    return run_guarded(args)
