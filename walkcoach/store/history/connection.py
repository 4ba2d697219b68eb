"""The history's SQLite file: opened checked, made or upgraded, read-only when the disk is."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from walkcoach.errors import WalkcoachError
from walkcoach.store.history.schema import READS_AS_IS_FROM, SCHEMA_VERSION, upgrade_scripts

BUSY_TIMEOUT_S: Final = 5.0
# Below this much free space a read does not try to open the history for writing (which
# needs room for the -wal and -shm files) but reads it read-only.
LOW_SPACE_BYTES: Final = 256 * 1024


class HistoryError(WalkcoachError):
    """The history file cannot be used; it is left exactly as it is. `disk` is true when
    the disk is the cause (read-only, full, not allowed), not the file; `busy` when
    another program held it locked for longer than the busy timeout."""

    def __init__(self, message: str, path: Path, disk: bool = False, busy: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.disk = disk
        self.busy = busy


def no_such_session(path: Path, session_id: int) -> HistoryError:
    """The one answer to a session id that the history at `path` does not hold."""
    return HistoryError(f"{path}: there is no session {session_id}", path)


def disk_problem(path: Path) -> str | None:
    """Why nothing can be written to the history at `path` (its disk is read-only or
    full, or it or its folder may not be written), or None when it looks writable."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        if hasattr(os, "statvfs"):  # not on Windows, where os.access sees read-only disks
            disk = os.statvfs(folder)
            if disk.f_flag & os.ST_RDONLY:
                return "the disk it is on is read-only"
        if shutil.disk_usage(folder).free < LOW_SPACE_BYTES:
            return "the disk it is on is full"
    except OSError:
        return None
    if path.exists() and not os.access(path, os.W_OK):
        return "walkcoach may not write to it"
    if not os.access(folder, os.W_OK):
        return f"walkcoach may not write in {folder}"
    return None


class _DiskTrouble(Exception):
    """Opening for writing failed because of the disk; a read may go on read-only."""

    def __init__(self, error: HistoryError) -> None:
        super().__init__(str(error))
        self.error = error


class HistoryFile:
    """The history's SQLite file, with one connection opened on first use.

    A file that is not a walkcoach history (not SQLite, corrupt, or from a newer
    walkcoach), or a link to anything but a walkcoach history, raises `HistoryError` and
    is never written to. A history on a read-only or full disk can still be read: reads
    then open it read-only (creating no `-wal` or `-shm` file), and a write says which of
    the two stops it. WAL journaling and a busy timeout let two processes write at once
    without losing either's rows.
    """

    def __init__(self, path: Path, busy_timeout_s: float) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self._conn: sqlite3.Connection | None = None
        self._read_only = False

    def close(self) -> None:
        """Closes the connection; the next call opens the file again."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._read_only = False

    def read(
        self, conn: sqlite3.Connection, query: str, params: tuple[str | int, ...]
    ) -> list[Any]:
        """The rows `query` finds; a failure raises `HistoryError` naming its cause."""
        try:
            return conn.execute(query, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._unusable(exc, writing=False) from None

    def write(self) -> _Transaction:
        """One write, as a ``with`` block giving the connection (the file made first)."""
        conn = self.connection(create=True)
        assert conn is not None
        return _Transaction(conn, self)

    def connection(self, create: bool) -> sqlite3.Connection | None:
        """The open connection; None when there is no file yet and `create` is false.

        A read opens the history read-only when its disk cannot take a write (read-only
        or full) or when opening it for writing fails for that reason; a write then
        opens it anew for writing, and says why when it cannot.
        """
        if self._conn is not None and not (create and self._read_only):
            return self._conn
        self.close()
        if self.path.is_symlink():
            self._refuse_link_to_other_than_history()
        if not create and (not self.path.exists() or _is_empty_file(self.path)):
            return None
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HistoryError(
                    f"{self.path.parent}: the folder for the history cannot be made "
                    f"({exc.strerror or exc})",
                    self.path,
                ) from None
        if self.path.exists() and not self.path.is_file():
            raise HistoryError(f"{self.path}: is not a file", self.path)
        if not create and disk_problem(self.path) is not None:
            conn = self._open_read_only()
        else:
            try:
                conn = self._open_for_writing()
            except _DiskTrouble as trouble:
                if create:
                    raise trouble.error from None
                conn = self._open_read_only()
        self._conn = conn
        return conn

    def _open_for_writing(self) -> sqlite3.Connection:
        """A read-write connection to a checked (or new) history. When the disk refuses,
        `_DiskTrouble`, and the -wal and -shm files this attempt made are removed."""
        made_here = [p for p in _wal_files(self.path) if not p.exists()]
        try:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._unusable(exc, writing=True) from None
        try:
            self._prepare(conn)
        except BaseException as exc:
            conn.close()
            _remove_unused(made_here)
            if isinstance(exc, HistoryError) and exc.disk:
                raise _DiskTrouble(exc) from None
            raise
        return conn

    def _open_read_only(self) -> sqlite3.Connection:
        """A read-only connection that writes no file: the history as it is on disk, or
        (when a -wal file holds more) as its last writer left it."""
        wal = _wal_files(self.path)[0]
        has_wal = wal.exists() and wal.stat().st_size > 0
        # Immutable: SQLite takes no lock and needs no -shm file, so nothing is created.
        options = "mode=ro" if has_wal else "mode=ro&immutable=1"
        try:
            conn = sqlite3.connect(
                f"{self.path.absolute().as_uri()}?{options}",
                uri=True,
                timeout=self.busy_timeout_s,
                isolation_level=None,
            )
        except sqlite3.Error as exc:
            raise self._unusable(exc, writing=False) from None
        try:
            self._prepare(conn, read_only=True)
        except _OlderVersion as older:
            conn = self._upgraded_copy(conn, older.version)
        except BaseException:
            conn.close()
            raise
        self._read_only = True
        return conn

    def _upgraded_copy(self, conn: sqlite3.Connection, version: int) -> sqlite3.Connection:
        """A history older than reads can take, on a disk that cannot be written: read
        through a copy in memory, upgraded there; the file is left as it is. (`conn` is
        closed either way.)"""
        memory = sqlite3.connect(":memory:", isolation_level=None)
        try:
            conn.backup(memory)
            _upgrade(memory, lambda _: version)
        except sqlite3.Error as exc:
            memory.close()
            raise self._unusable(exc, writing=False) from None
        finally:
            conn.close()
        return memory

    def _refuse_link_to_other_than_history(self) -> None:
        """A history path that is a link must lead to a walkcoach history already, or
        the first walk would turn whatever it leads to into one."""
        try:
            target = self.path.resolve()
            if target.is_file() and target.stat().st_size > 0:
                return  # whether it is a history is checked once open (`_prepare_once`)
        except (OSError, RuntimeError):  # a loop of links
            target = self.path
        raise self._link_refused(target)

    def _link_refused(self, target: Path) -> HistoryError:
        if target.is_dir():
            what = f"a folder ({target})"
        elif _is_empty_file(target):
            what = f"an empty file ({target})"
        elif target.is_file():
            what = f"{target}, which is not a walkcoach history"
        elif target.exists():
            what = f"{target}, which is not a file"
        else:
            what = f"{target}, which does not exist"
        return HistoryError(
            f"{self.path}: is a link to {what}; walkcoach keeps its history only in a "
            "history it made, and left both untouched (remove the link or point it at one)",
            self.path,
        )

    def _prepare(self, conn: sqlite3.Connection, read_only: bool = False) -> None:
        """Checks that the file is a walkcoach history this version can read and, for a
        new (empty) file, creates the tables (unless `read_only`). Nothing is written to
        any other file.

        Two processes creating the history at the same moment can see SQLITE_BUSY
        without SQLite's busy handler being asked (switching the journal to WAL), so
        that case is retried here until the busy timeout.
        """
        deadline = time.monotonic() + self.busy_timeout_s
        while True:
            try:
                self._prepare_once(conn, read_only)
                return
            except sqlite3.DatabaseError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise self._unusable(exc, writing=not read_only) from None
            time.sleep(0.01)

    def _prepare_once(self, conn: sqlite3.Connection, read_only: bool) -> None:
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # One read snapshot, so a history another process is creating right now is not
        # mistaken for someone else's database.
        conn.execute("BEGIN")
        try:
            version = self._version(conn)
            if version == 0:
                self._refuse_foreign(conn)
        finally:
            # A failed read may have ended the transaction already (a full disk does);
            # committing then would hide the real error behind "no transaction is active".
            if conn.in_transaction:
                conn.execute("COMMIT")
        if version == 0 and self.path.is_symlink():
            raise self._link_refused(self.path.resolve())
        if version == SCHEMA_VERSION or (read_only and version >= READS_AS_IS_FROM):
            return
        if read_only and version:
            raise _OlderVersion(version)
        if read_only:
            problem = disk_problem(self.path) or "it could only be opened read-only"
            needs = "upgrading" if version else "its tables made"
            raise HistoryError(
                f"{self.path}: needs {needs} before it can be read, and cannot be written: "
                f"{problem}",
                self.path,
                disk=True,
            )
        conn.execute("PRAGMA journal_mode = WAL")
        _upgrade(conn, self._version_to_upgrade)

    def _version_to_upgrade(self, conn: sqlite3.Connection) -> int:
        """The version read again under the write lock: another process may have created
        or upgraded the tables while this one waited."""
        version = self._version(conn)
        if version == 0:
            self._refuse_foreign(conn)
        return version

    def _version(self, conn: sqlite3.Connection) -> int:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"{self.path}: was written by a newer walkcoach (history version {version}, "
                f"this one reads up to {SCHEMA_VERSION}); it was left untouched",
                self.path,
            )
        return int(version)

    def _refuse_foreign(self, conn: sqlite3.Connection) -> None:
        tables = conn.execute("SELECT name FROM sqlite_master").fetchall()
        if tables:
            raise HistoryError(
                f"{self.path}: is an SQLite database but not a walkcoach history; "
                "it was left untouched (use another --data-dir or move it away)",
                self.path,
            )

    def _unusable(self, exc: sqlite3.Error, writing: bool = True) -> HistoryError:
        """The error to show for a failed SQLite call, naming its real cause: a busy
        file, a disk that is read-only or full, or a file that is not a history."""
        if _is_busy(exc):
            return HistoryError(
                f"{self.path}: is busy: another program kept it locked for more than "
                f"{self.busy_timeout_s:g} s; try again",
                self.path,
                busy=True,
            )
        code = _primary_code(exc)
        if code in _DISK_CODES:
            problem = disk_problem(self.path)
            if problem is None and code == sqlite3.SQLITE_FULL:
                problem = "the disk it is on is full"
            verb = "written" if writing else "read"
            if problem is not None:
                return HistoryError(f"{self.path}: cannot be {verb}: {problem}", self.path, True)
            return HistoryError(f"{self.path}: cannot be {verb} ({exc})", self.path, True)
        return HistoryError(
            f"{self.path}: cannot be used as the session history ({exc}); "
            "it was left untouched (move it away to start a new history)",
            self.path,
        )


def _is_busy(exc: sqlite3.Error) -> bool:
    return _primary_code(exc) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _is_empty_file(path: Path) -> bool:
    return path.is_file() and path.stat().st_size == 0


# SQLite's primary result codes for a disk that will not take what is written.
_DISK_CODES: Final = frozenset(
    {
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_PERM,
    }
)


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _wal_files(path: Path) -> tuple[Path, Path]:
    """The -wal and -shm files SQLite keeps beside the history (beside its target, when
    the history path is a link)."""
    real = path.resolve() if path.is_symlink() else path
    return real.with_name(real.name + "-wal"), real.with_name(real.name + "-shm")


def _remove_unused(made_here: list[Path]) -> None:
    """Removes the -wal and -shm files a failed open just made (a full disk leaves them
    empty or cut short); a -wal holding anything is never touched, nor its -shm."""
    wal_names = {p.name for p in made_here if p.name.endswith("-wal")}
    for path in made_here:
        try:
            if path.name in wal_names and path.stat().st_size > 0:
                return
        except OSError:
            continue
    for path in made_here:
        with contextlib.suppress(OSError):
            path.unlink()


class _Transaction:
    """``with`` block around one write: BEGIN IMMEDIATE, then COMMIT or ROLLBACK."""

    def __init__(self, conn: sqlite3.Connection, file: HistoryFile) -> None:
        self._conn = conn
        self._file = file

    def __enter__(self) -> sqlite3.Connection:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise self._file._unusable(exc) from None
        return self._conn

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            try:
                self._conn.execute("COMMIT")
            except sqlite3.DatabaseError as error:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise self._file._unusable(error) from None
            return
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError):
            raise self._file._unusable(exc) from None


class _OlderVersion(Exception):
    """A history older than reads can take as it is, opened read-only."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def _upgrade(conn: sqlite3.Connection, current: Callable[[sqlite3.Connection], int]) -> None:
    """Upgrades the history to SCHEMA_VERSION, all or nothing; `current` gives its version
    once the transaction holds the write lock."""
    conn.execute("PRAGMA foreign_keys = OFF")  # see `schema._migrate_from_2`
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = current(conn)
        if version < SCHEMA_VERSION:
            for script in upgrade_scripts(version):
                for statement in script.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute("PRAGMA foreign_keys = ON")
