"""The log an unexpected error's traceback is written to, kept small.

The log lives in the data folder when that folder exists; a command that has no data
folder yet (``plans check`` needs none) writes to the temporary folder instead, in a file
named for the user, and never creates the data folder for it. Each entry is cut to
`MAX_ENTRY_CHARS`; when the log would pass `MAX_LOG_BYTES` it becomes ``NAME.1`` (the one
before is dropped) and a new log is started, so the logs never take more than about twice
that.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Final

from walkcoach.store.paths import ERROR_LOG_FILE, DataDirs

MAX_LOG_BYTES: Final = 256 * 1024
MAX_ENTRY_CHARS: Final = 32 * 1024
_CUT: Final = "\n[... {count} characters left out ...]\n"


def log_candidates(dirs: DataDirs | None) -> list[Path]:
    """Where to try to write the log, best first: the data folder's log if that folder
    already exists, then a file for this user in the temporary folder."""
    candidates = [dirs.error_log_path] if dirs is not None and dirs.root.is_dir() else []
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    stem, suffix = os.path.splitext(ERROR_LOG_FILE)
    candidates.append(Path(tempfile.gettempdir()) / f"{stem}-{user}{suffix}")
    return candidates


def bounded_entry(entry: str, limit: int = MAX_ENTRY_CHARS) -> str:
    """`entry` cut in the middle to at most about `limit` characters: the head says what
    was run, the tail where it failed."""
    if len(entry) <= limit:
        return entry
    head = limit * 2 // 3
    tail = limit - head
    return entry[:head] + _CUT.format(count=len(entry) - head - tail) + entry[-tail:]


def append_entry(log: Path, entry: str, max_bytes: int = MAX_LOG_BYTES) -> None:
    """Appends `entry` (cut by `bounded_entry`) to `log`, first moving a log that would
    grow past `max_bytes` to ``log.1``.

    Only a regular file of this user's is written: a link, a pipe or someone else's file
    at that name (the temporary folder is shared) raises `OSError`, as does any failure
    to write.
    """
    data = bounded_entry(entry).encode("utf-8", "backslashreplace")
    with contextlib.suppress(FileNotFoundError):
        info = os.lstat(log)
        if stat.S_ISREG(info.st_mode) and info.st_size + len(data) > max_bytes:
            os.replace(log, log.with_name(log.name + ".1"))
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(log, flags, 0o600)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{log} is not a regular file")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise OSError(f"{log} belongs to another user")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
