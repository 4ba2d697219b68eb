"""Writing a file so that a crash or a full disk never leaves it half written, and so
that two walkcoach processes writing at once never lose one another's file.

The text goes to a temporary file in the same folder, is flushed to the disk, and
then replaces the target in one rename (or, for a file that must be new, is linked to
its name, which fails if the name is taken); on any failure the temporary file is
removed and the old file is still there, whole. `folder_lock` lets a check and the
write that depends on it ("no plan has this name yet", then "create it") run as one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from walkcoach.errors import WalkcoachError

_NEW_FILE_MODE: Final = 0o644
LOCK_NAME: Final = ".walkcoach.lock"
LOCK_WAIT_S: Final = 10.0
"""How long a writer waits for another to finish before giving up; writers hold the
lock only to check names and write one small file."""
# Where a file system has no hard links, os.link fails with one of these.
_NO_HARD_LINKS: Final = frozenset(
    {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV}
)


def atomic_write_text(path: Path, text: str) -> None:
    """Replaces (or creates) `path` with `text` (UTF-8), all or nothing.

    Creates the folder if it is missing; keeps the permissions of a file it replaces.
    """
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replaces (or creates) `path` with `data`, all or nothing, as `atomic_write_text`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = _NEW_FILE_MODE
    tmp_name = _written_temporary(path, data, mode)
    try:
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _sync_folder(path.parent)


def atomic_create_text(path: Path, text: str) -> None:
    """Creates `path` holding `text` (UTF-8), all or nothing; `FileExistsError` when
    something already has that name, which is then left as it is.

    Of two processes creating the same name at once, exactly one succeeds. On a file
    system without hard links the file is created exclusively and then written, so a
    crash in between can leave it short (but never replaces another file).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp_name = _written_temporary(path, text.encode("utf-8"), _NEW_FILE_MODE)
    try:
        try:
            os.link(tmp_name, path)  # never replaces: FileExistsError when taken
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            _create_in_place(path, text)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
    _sync_folder(path.parent)


def _written_temporary(path: Path, data: bytes, mode: int) -> str:
    """A temporary file beside `path` holding `data`, on the disk; its name."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return tmp_name


def _create_in_place(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _NEW_FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def _sync_folder(folder: Path) -> None:
    """Makes the rename itself durable where the platform allows it (POSIX)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def folder_lock(folder: Path, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Holds the lock of `folder` while the block runs: of all the threads and processes
    asking for it, one at a time.

    The lock is a hidden file in the folder, there only while it is held. Waits up to
    `wait_s` for another holder, then `WalkcoachError`. Creates the folder if missing.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lock_path = folder / LOCK_NAME
    fd = _locked(lock_path, time.monotonic() + wait_s)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)  # while still held: whoever opened it next tries again
        os.close(fd)  # closing the descriptor releases the lock


def _locked(lock_path: Path, deadline: float) -> int:
    """A descriptor of `lock_path` holding its lock; the file is made if missing."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    while True:
        fd = os.open(lock_path, flags, _NEW_FILE_MODE)
        try:
            # A holder removes the file as it lets go: a lock won on a removed file is
            # no lock, so it must still be the file by that name.
            if _try_lock(fd) and _is_named(fd, lock_path):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        if time.monotonic() > deadline:
            raise WalkcoachError(
                f"another walkcoach has been writing in {lock_path.parent} for a while; "
                "try again when it is done"
            )
        time.sleep(0.01)


def _is_named(fd: int, path: Path) -> bool:
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


def _try_lock(fd: int) -> bool:
    """Takes the lock on `fd` if it is free (the lock of the open file, so two threads of
    one process exclude each other too); True when it is held."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
