"""The session history: one SQLite file, safe to share between running copies.

A session is written when it starts and rewritten at each checkpoint (its totals and
every segment, in one transaction), so a killed process loses only the time since the
last checkpoint. Every write stamps `updated_at` with the wall-clock time; a session
still "running" whose last write is older than `STALE_AFTER` was left by a process that
died (kill -9, power loss), so reads report it as "interrupted", and
`close_interrupted` (called when the app starts) stores it so. WAL journaling and a
busy timeout let two processes write at once without losing either's rows. A file that
is not a walkcoach history (not SQLite, corrupt, or from a newer walkcoach), or a link to
anything but a walkcoach history, raises `HistoryError` and is never written to.

A history on a read-only or full disk can still be read: reads then open it read-only
(creating no `-wal` or `-shm` file), and a write says which of the two stops it. Every
row read is checked: a row holding what walkcoach never writes (a date that is not one,
text or infinity for a number, a figure no walk comes near) is left out and reported as
`Damaged`, so one bad row never hides the rest.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, NamedTuple, TypeVar, get_args

from walkcoach.errors import WalkcoachError

if TYPE_CHECKING:
    from walkcoach.engine import SessionResult
    from walkcoach.plan import Direction

SCHEMA_VERSION: Final = 3
BUSY_TIMEOUT_S: Final = 5.0
# A live session is rewritten every 5 s (recorder.py), even while paused; one silent
# for this long belongs to a process that is gone.
STALE_AFTER: Final = timedelta(seconds=60)
# Below this much free space a read does not try to open the history for writing (which
# needs room for the -wal and -shm files) but reads it read-only.
LOW_SPACE_BYTES: Final = 256 * 1024

# finished: walked to the end; unfinished: ended early by the walker; interrupted: cut
# short by something else (the process died or was told to stop, the terminal went away).
Status = Literal["running", "finished", "unfinished", "interrupted"]
STATUSES: Final[tuple[Status, ...]] = get_args(Status)
# How each status reads to the walker: the recap, the History screen and the CLI table.
STATUS_LABELS: Final[dict[Status, str]] = {
    "running": "running",
    "finished": "finished",
    "unfinished": "ended early",
    "interrupted": "interrupted",
}

_SCHEMA: Final = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    plan_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    updated_at TEXT,
    status TEXT NOT NULL
        CHECK (status IN ('running', 'finished', 'unfinished', 'interrupted')),
    weight_kg REAL NOT NULL,
    active_s REAL NOT NULL DEFAULT 0,
    pause_s REAL NOT NULL DEFAULT 0,
    pauses INTEGER NOT NULL DEFAULT 0,
    forward_s REAL NOT NULL DEFAULT 0,
    backward_s REAL NOT NULL DEFAULT 0,
    forward_km REAL NOT NULL DEFAULT 0,
    backward_km REAL NOT NULL DEFAULT 0,
    kcal REAL NOT NULL DEFAULT 0,
    kcal_forward REAL NOT NULL DEFAULT 0,
    kcal_backward REAL NOT NULL DEFAULT 0,
    kcal_if_forward REAL NOT NULL DEFAULT 0,
    segments_done INTEGER NOT NULL DEFAULT 0,
    segments_skipped INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_start ON sessions (started_at);
CREATE TABLE segments (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('forward', 'backward')),
    label TEXT NOT NULL,
    planned_s INTEGER NOT NULL,
    actual_s REAL NOT NULL,
    planned_speed_kmh REAL NOT NULL,
    actual_speed_kmh REAL NOT NULL,
    incline_pct REAL NOT NULL,
    kcal REAL NOT NULL,
    kcal_if_forward REAL NOT NULL,
    distance_km REAL NOT NULL,
    skipped INTEGER NOT NULL,
    completed INTEGER NOT NULL,
    PRIMARY KEY (session_id, idx)
);
"""
# Version 1 had no updated_at: its sessions take the last time they are known to have had.
_MIGRATE_FROM_1: Final = """
ALTER TABLE sessions ADD COLUMN updated_at TEXT;
UPDATE sessions SET updated_at = COALESCE(ended_at, started_at)
"""


# Reads need no upgrade from this version on: 3 only widened a CHECK (a history on a
# read-only disk is read as it is).
_READS_AS_IS_FROM: Final = 2


def _migrate_from_2() -> str:
    """Version 3 allows "interrupted". SQLite cannot widen a CHECK in place, so the
    sessions table is made again and filled from the old one (by column name: a history
    upgraded from version 1 has updated_at last), with foreign keys off meanwhile so that
    dropping the old table leaves the segments alone (see `_prepare_once`)."""
    create = _SCHEMA.split(";")[0].replace("CREATE TABLE sessions", "CREATE TABLE sessions_v3")
    columns = ", ".join(SESSION_COLUMNS)
    return f"""{create};
INSERT INTO sessions_v3 ({columns}) SELECT {columns} FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_v3 RENAME TO sessions;
CREATE INDEX sessions_by_start ON sessions (started_at)
"""


def _upgrade_scripts(version: int) -> list[str]:
    """What makes a history of `version` (0: a new, empty file) the current one."""
    if version == 0:
        return [_SCHEMA]
    return [_MIGRATE_FROM_1, _migrate_from_2()][version - 1 :]


class HistoryError(WalkcoachError):
    """The history file cannot be used; it is left exactly as it is. `disk` is true when
    the disk is the cause (read-only, full, not allowed), not the file; `busy` when
    another program held it locked for longer than the busy timeout."""

    def __init__(self, message: str, path: Path, disk: bool = False, busy: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.disk = disk
        self.busy = busy


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


class _DamagedSession(HistoryError):
    """The session asked for is damaged; `damaged` says how."""

    def __init__(self, message: str, path: Path, damaged: Damaged) -> None:
        super().__init__(message, path)
        self.damaged = damaged


class _DiskTrouble(Exception):
    """Opening for writing failed because of the disk; a read may go on read-only."""

    def __init__(self, error: HistoryError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True)
class SessionRow:
    id: int
    plan_name: str
    started_at: datetime
    ended_at: datetime | None
    updated_at: datetime | None
    status: Status
    weight_kg: float
    active_s: float
    pause_s: float
    pauses: int
    forward_s: float
    backward_s: float
    forward_km: float
    backward_km: float
    kcal: float
    kcal_forward: float
    kcal_backward: float
    kcal_if_forward: float
    segments_done: int
    segments_skipped: int

    @property
    def distance_km(self) -> float:
        return self.forward_km + self.backward_km


class Activity(NamedTuple):
    """The little of a session that week totals, streaks and bests need."""

    session_id: int | None
    started_at: datetime
    active_s: float
    backward_s: float


@dataclass(frozen=True)
class SegmentRow:
    session_id: int
    idx: int
    direction: Direction
    label: str
    planned_s: int
    actual_s: float
    planned_speed_kmh: float
    actual_speed_kmh: float
    incline_pct: float
    kcal: float
    kcal_if_forward: float
    distance_km: float
    skipped: bool
    completed: bool


class Damaged(NamedTuple):
    """A history row left out because it holds what walkcoach never writes."""

    what: str  # "session 7", "segment 3 of session 7"
    problem: str  # "started_at 'garbage' is not a time"
    session_id: int | None = None  # the session it is or belongs to

    def __str__(self) -> str:
        return f"{self.what}: {self.problem}"


RowT = TypeVar("RowT")


class Read(NamedTuple, Generic[RowT]):
    """The rows a read found good, and the ones it left out as damaged."""

    rows: list[RowT]
    damaged: list[Damaged]


class Exported(NamedTuple):
    """How many sessions an export wrote, and the damaged rows it left out."""

    sessions: int
    damaged: list[Damaged]


SESSION_COLUMNS: Final = (
    "id",
    "plan_name",
    "started_at",
    "ended_at",
    "updated_at",
    "status",
    "weight_kg",
    "active_s",
    "pause_s",
    "pauses",
    "forward_s",
    "backward_s",
    "forward_km",
    "backward_km",
    "kcal",
    "kcal_forward",
    "kcal_backward",
    "kcal_if_forward",
    "segments_done",
    "segments_skipped",
)
SEGMENT_COLUMNS: Final = (
    "session_id",
    "idx",
    "direction",
    "label",
    "planned_s",
    "actual_s",
    "planned_speed_kmh",
    "actual_speed_kmh",
    "incline_pct",
    "kcal",
    "kcal_if_forward",
    "distance_km",
    "skipped",
    "completed",
)


def to_iso(moment: datetime) -> str:
    """A timezone-aware moment as ISO-8601 UTC, the form the history stores."""
    if moment.tzinfo is None:
        raise ValueError("history times must be timezone-aware (use datetime.now(UTC))")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


class History:
    """The history in one SQLite file; opened on first use, one connection per object.
    `busy_timeout_s`: how long a call waits for a lock another program holds before it
    raises `HistoryError` (with `busy` set)."""

    def __init__(self, path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self._conn: sqlite3.Connection | None = None
        self._read_only = False

    # --- writing -------------------------------------------------------------------

    def start_session(self, plan_name: str, weight_kg: float, started_at: datetime) -> int:
        """Records a new running session and returns its id."""
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (plan_name, started_at, updated_at, status, weight_kg) "
                "VALUES (?, ?, ?, 'running', ?)",
                (plan_name, to_iso(started_at), _now_iso(), weight_kg),
            )
            session_id = cursor.lastrowid
        assert session_id is not None
        return session_id

    def checkpoint(
        self,
        session_id: int,
        result: SessionResult,
        status: Status = "running",
        ended_at: datetime | None = None,
    ) -> None:
        """Rewrites the session's totals and all its segments from `result`, atomically."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        totals = result_totals(result)
        values = (
            to_iso(ended_at) if ended_at is not None else None,
            _now_iso(),
            status,
            *(totals[column] for column in _TOTAL_COLUMNS),
            session_id,
        )
        segments = [
            tuple(record[column] for column in SEGMENT_COLUMNS)
            for record in result_segments(session_id, result)
        ]
        assignments = ", ".join(f"{column} = ?" for column in _TOTAL_COLUMNS)
        with self._write() as conn:
            cursor = conn.execute(
                f"UPDATE sessions SET ended_at = ?, updated_at = ?, status = ?, {assignments} "
                "WHERE id = ?",
                values,
            )
            if cursor.rowcount != 1:
                raise HistoryError(f"{self.path}: there is no session {session_id}", self.path)
            conn.execute("DELETE FROM segments WHERE session_id = ?", (session_id,))
            placeholders = ", ".join("?" for _ in SEGMENT_COLUMNS)
            conn.executemany(
                f"INSERT INTO segments ({', '.join(SEGMENT_COLUMNS)}) VALUES ({placeholders})",
                segments,
            )

    def close_interrupted(self, now: datetime | None = None) -> int:
        """Stores as interrupted every session left running by a process that died (no
        write for `STALE_AFTER`); returns how many. Writes nothing when there are none."""
        cutoff = _cutoff(now)
        conn = self._connection(create=False)
        if conn is None:
            return 0
        stale = self._read(conn, f"SELECT count(*) FROM sessions WHERE {_STALE}", (cutoff,))
        if not stale[0][0]:
            return 0
        try:
            with self._write() as conn:
                cursor = conn.execute(
                    "UPDATE sessions SET status = 'interrupted', "
                    f"ended_at = COALESCE(updated_at, started_at) WHERE {_STALE}",
                    (cutoff,),
                )
        except HistoryError as exc:
            if exc.disk:
                return 0  # a read-only or full disk: reads call them interrupted anyway
            raise
        return cursor.rowcount

    def delete(self, session_id: int, now: datetime | None = None) -> None:
        """Removes a finished or unfinished session and its segments. A session still
        being walked (running, and written to within `STALE_AFTER`) is refused."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT status = 'running', COALESCE(updated_at, started_at) < ? "
                "FROM sessions WHERE id = ?",
                (_cutoff(now), session_id),
            ).fetchone()
            if row is None:
                raise HistoryError(f"{self.path}: there is no session {session_id}", self.path)
            running, stale = row
            if running and not stale:
                raise HistoryError(
                    f"{self.path}: session {session_id} is being walked right now; "
                    "end that walk first",
                    self.path,
                )
            conn.execute("DELETE FROM segments WHERE session_id = ?", (session_id,))
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    # --- reading -------------------------------------------------------------------

    def sessions(self, limit: int | None = None, now: datetime | None = None) -> list[SessionRow]:
        """Sessions, newest first (all of them, or the newest `limit`), damaged ones left
        out. A session left running by a process that is gone comes back as interrupted."""
        return self.read_sessions(limit, now).rows

    def read_sessions(
        self, limit: int | None = None, now: datetime | None = None
    ) -> Read[SessionRow]:
        """Sessions as `sessions` gives them, and the damaged ones it left out."""
        rows, damaged = self._checked_sessions(limit, now)
        return Read([_session_row(values) for _, values in rows], damaged)

    def session_records(
        self, limit: int | None = None, now: datetime | None = None
    ) -> list[dict[str, Any]]:
        """Sessions, newest first, as plain values keyed by column (times as stored:
        ISO-8601 UTC text); what JSON and CSV exports write, without the dataclasses."""
        return self.read_session_records(limit, now).rows

    def read_session_records(
        self, limit: int | None = None, now: datetime | None = None
    ) -> Read[dict[str, Any]]:
        """Session records as `session_records` gives them, and the damaged ones left out."""
        rows, damaged = self._checked_sessions(limit, now)
        return Read([record for record, _ in rows], damaged)

    def _checked_sessions(
        self, limit: int | None, now: datetime | None
    ) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[Damaged]]:
        """Each good session as (its record as stored, its checked values); the bad ones
        as `Damaged`."""
        good, damaged = [], []
        for row in self._session_rows(limit, now):
            record = dict(zip(SESSION_COLUMNS, row, strict=True))
            try:
                good.append((record, _checked(record, _SESSION_CHECKS)))
            except _Bad as bad:
                damaged.append(Damaged(f"session {record['id']}", str(bad), record["id"]))
        return good, damaged

    def count(self) -> int:
        """How many sessions there are."""
        conn = self._connection(create=False)
        if conn is None:
            return 0
        return int(self._read(conn, "SELECT count(*) FROM sessions", ())[0][0])

    def activity(self) -> list[Activity]:
        """Every session's start, active and backward time, oldest first: what week
        totals, streaks and bests are made of, without the rest of the row."""
        good, _ = self._checked_sessions(None, None)  # damaged ones left out, as everywhere
        return [
            Activity(v["id"], v["started_at"], v["active_s"], v["backward_s"])
            for _, v in reversed(good)
        ]

    def export(self, path: Path, session_id: int | None = None) -> Exported:
        """Writes one session, or all of them, to `path` (CSV or JSON by its extension),
        atomically; says how many sessions were written and which damaged rows were
        left out."""
        from walkcoach.store.atomic import atomic_write_text

        fmt = export_format(path)
        if session_id is None:
            sessions, damaged = self.read_session_records()
            if fmt == "json":
                segments, bad_segments = self.read_segment_records()
                damaged += bad_segments
            else:
                segments = []
            text = sessions_export(sessions, segments, fmt)
        else:
            record = self.session_record(session_id)
            if record is None:
                raise WalkcoachError(f"{self.path}: there is no session {session_id}")
            sessions = [record]
            segments, damaged = self.read_segment_records(session_id)
            text = session_export(record, segments, fmt)
        atomic_write_text(path, text)
        return Exported(len(sessions), damaged)

    def session_record(self, session_id: int) -> dict[str, Any] | None:
        """One session as plain values keyed by column, or None; a damaged one raises
        `HistoryError` naming what is wrong with it."""
        found = self._checked_session(session_id)
        return found[0] if found is not None else None

    def read_session(self, session_id: int) -> SessionRow | Damaged | None:
        """One session, what is wrong with it when it is damaged, or None."""
        try:
            found = self._checked_session(session_id)
        except _DamagedSession as exc:
            return exc.damaged
        return _session_row(found[1]) if found is not None else None

    def _checked_session(self, session_id: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
        conn = self._connection(create=False)
        if conn is None:
            return None
        rows = self._read(
            conn,
            f"SELECT {_SELECT_SESSION} FROM sessions WHERE id = ?",
            (_cutoff(None), session_id),
        )
        if not rows:
            return None
        record = dict(zip(SESSION_COLUMNS, rows[0], strict=True))
        try:
            return record, _checked(record, _SESSION_CHECKS)
        except _Bad as bad:
            raise _DamagedSession(
                f"{self.path}: session {session_id} is damaged ({bad}); it was left as it is",
                self.path,
                Damaged(f"session {session_id}", str(bad), session_id),
            ) from None

    def _session_rows(self, limit: int | None, now: datetime | None) -> list[Any]:
        conn = self._connection(create=False)
        if conn is None:
            return []
        query = f"SELECT {_SELECT_SESSION} FROM sessions ORDER BY started_at DESC, id DESC"
        params: tuple[str | int, ...] = (_cutoff(now),)
        if limit is not None:
            query += " LIMIT ?"
            params += (max(0, limit),)
        return self._read(conn, query, params)

    def session(self, session_id: int) -> SessionRow | None:
        """One session, or None; a damaged one raises `HistoryError`."""
        found = self._checked_session(session_id)
        return _session_row(found[1]) if found is not None else None

    def segments(self, session_id: int) -> list[SegmentRow]:
        """The session's segments in walking order, damaged ones left out."""
        return self.read_segments(session_id).rows

    def read_segments(self, session_id: int) -> Read[SegmentRow]:
        """The session's segments as `segments` gives them, and the damaged ones."""
        rows, damaged = self._checked_segments(session_id)
        return Read([_segment_row(values) for _, values in rows], damaged)

    def segment_records(self, session_id: int | None = None) -> list[dict[str, Any]]:
        """Segments as plain values keyed by column: one session's in walking order, or
        (None) every session's, grouped by session; damaged ones left out."""
        return self.read_segment_records(session_id).rows

    def read_segment_records(self, session_id: int | None = None) -> Read[dict[str, Any]]:
        """Segment records as `segment_records` gives them, and the damaged ones."""
        rows, damaged = self._checked_segments(session_id)
        return Read([record for record, _ in rows], damaged)

    def _checked_segments(
        self, session_id: int | None
    ) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[Damaged]]:
        good, damaged = [], []
        for row in self._segment_rows(session_id):
            record = dict(zip(SEGMENT_COLUMNS, row, strict=True))
            try:
                good.append((record, _checked(record, _SEGMENT_CHECKS)))
            except _Bad as bad:
                idx = record["idx"]
                which = f"segment {idx + 1}" if isinstance(idx, int) else "a segment"
                session = record["session_id"]
                damaged.append(Damaged(f"{which} of session {session}", str(bad), session))
        return good, damaged

    def _segment_rows(self, session_id: int | None) -> list[Any]:
        conn = self._connection(create=False)
        if conn is None:
            return []
        query = f"SELECT {', '.join(SEGMENT_COLUMNS)} FROM segments"
        if session_id is None:
            return self._read(conn, query + " ORDER BY session_id, idx", ())
        return self._read(conn, query + " WHERE session_id = ? ORDER BY idx", (session_id,))

    # --- connection ----------------------------------------------------------------

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._read_only = False

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _read(
        self, conn: sqlite3.Connection, query: str, params: tuple[str | int, ...]
    ) -> list[Any]:
        try:
            return conn.execute(query, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._unusable(exc, writing=False) from None

    def _write(self) -> _Transaction:
        conn = self._connection(create=True)
        assert conn is not None
        return _Transaction(conn, self)

    def _connection(self, create: bool) -> sqlite3.Connection | None:
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
        except BaseException:
            conn.close()
            raise
        self._read_only = True
        return conn

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
        if version == SCHEMA_VERSION or (read_only and version >= _READS_AS_IS_FROM):
            return
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
        conn.execute("PRAGMA foreign_keys = OFF")  # see `_migrate_from_2`
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have created or upgraded the tables while this one
            # waited.
            version = self._version(conn)
            if version < SCHEMA_VERSION:
                if version == 0:
                    self._refuse_foreign(conn)
                for script in _upgrade_scripts(version):
                    for statement in script.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.execute("PRAGMA foreign_keys = ON")

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


_TOTAL_COLUMNS: Final = SESSION_COLUMNS[SESSION_COLUMNS.index("active_s") :]
_STALE: Final = "status = 'running' AND COALESCE(updated_at, started_at) < ?"
# The session columns, with a dead process's "running" read as "interrupted"; the one
# parameter is the cutoff time (`_cutoff`).
_SELECT_SESSION: Final = ", ".join(
    f"CASE WHEN {_STALE} THEN 'interrupted' ELSE status END" if column == "status" else column
    for column in SESSION_COLUMNS
)


def result_totals(result: SessionResult) -> dict[str, float | int]:
    """A session's totals as the history stores them (the columns from active_s on)."""
    totals: dict[str, float | int] = {
        "active_s": result.active_s,
        "pause_s": result.pause_s,
        "pauses": len(result.pauses),
        "forward_s": result.seconds("forward"),
        "backward_s": result.seconds("backward"),
        "forward_km": result.distance_km("forward"),
        "backward_km": result.distance_km("backward"),
        "kcal": result.kcal,
        "kcal_forward": result.kcal_in("forward"),
        "kcal_backward": result.kcal_in("backward"),
        "kcal_if_forward": result.kcal_if_forward,
        "segments_done": result.completed,
        "segments_skipped": result.skipped,
    }
    assert tuple(totals) == _TOTAL_COLUMNS
    return totals


def result_segments(session_id: int | None, result: SessionResult) -> list[dict[str, Any]]:
    """A session's segments as the history stores them, keyed by column."""
    return [
        {
            "session_id": session_id,
            "idx": r.position,
            "direction": r.direction,
            "label": r.label,
            "planned_s": r.planned_s,
            "actual_s": r.actual_s,
            "planned_speed_kmh": r.planned_speed_kmh,
            "actual_speed_kmh": r.actual_speed_kmh,
            "incline_pct": r.incline_pct,
            "kcal": r.kcal,
            "kcal_if_forward": r.kcal_if_forward,
            "distance_km": r.distance_km,
            "skipped": int(r.skipped),
            "completed": int(r.completed),
        }
        for r in result.records
    ]


# --- export -----------------------------------------------------------------------

ExportFormat = Literal["csv", "json"]
EXPORT_FORMATS: Final[tuple[ExportFormat, ...]] = get_args(ExportFormat)
# A one-session CSV is its segments, each carrying which session it belongs to.
SESSION_CSV_COLUMNS: Final = ("plan_name", "started_at", "status", *SEGMENT_COLUMNS)


def export_format(path: Path) -> ExportFormat:
    """CSV or JSON, from the file name's extension."""
    suffix = path.suffix.lower().lstrip(".")
    for fmt in EXPORT_FORMATS:
        if suffix == fmt:
            return fmt
    raise WalkcoachError(f"{path}: name the file .csv or .json to choose the format")


def session_export(
    session: dict[str, Any], segments: Sequence[dict[str, Any]], fmt: ExportFormat
) -> str:
    """One session: JSON is its record with its segments inside; CSV is one row per
    segment, each with the session's plan, start and status."""
    if fmt == "json":
        return _json({**session, "segments": [_without_id(s) for s in segments]})
    rows = [{**{k: session[k] for k in SESSION_CSV_COLUMNS[:3]}, **s} for s in segments]
    return _csv(SESSION_CSV_COLUMNS, rows)


def sessions_export(
    sessions: Sequence[dict[str, Any]], segments: Sequence[dict[str, Any]], fmt: ExportFormat
) -> str:
    """Many sessions: JSON is a list of sessions with their segments inside; CSV is one
    row per session (what ``walkcoach history --csv`` prints)."""
    if fmt == "csv":
        return _csv(SESSION_COLUMNS, sessions)
    by_session: dict[int, list[dict[str, Any]]] = {}
    for segment in segments:
        by_session.setdefault(segment["session_id"], []).append(_without_id(segment))
    return _json([{**s, "segments": by_session.get(s["id"], [])} for s in sessions])


def result_record(
    plan_name: str,
    weight_kg: float,
    started_at: datetime,
    status: Status,
    result: SessionResult,
) -> dict[str, Any]:
    """A session that is not in the history (none could be written) as a record."""
    return {
        "id": None,
        "plan_name": plan_name,
        "started_at": to_iso(started_at),
        "ended_at": None,
        "updated_at": None,
        "status": status,
        "weight_kg": weight_kg,
        **result_totals(result),
    }


def _without_id(segment: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in segment.items() if k != "session_id"}


def _json(value: object) -> str:
    import json

    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """The one CSV writer: every export and ``walkcoach history --csv`` go through it, so
    every text cell is made safe from spreadsheet formulas (`csv_cell`)."""
    import csv
    import io

    from walkcoach.text import csv_cell

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def _now_iso() -> str:
    return to_iso(datetime.now(UTC))


def _cutoff(now: datetime | None) -> str:
    """Sessions running but silent since before this time are treated as interrupted."""
    return to_iso((now or datetime.now(UTC)) - STALE_AFTER)


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

    def __init__(self, conn: sqlite3.Connection, history: History) -> None:
        self._conn = conn
        self._history = history

    def __enter__(self) -> sqlite3.Connection:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise self._history._unusable(exc) from None
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
                raise self._history._unusable(error) from None
            return
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError):
            raise self._history._unusable(exc) from None


# --- checking what is read -----------------------------------------------------------

# Far beyond any walk (a plan lasts at most 4 h), yet they catch the nonsense a damaged or
# hand-edited row holds: infinity, 18-digit numbers, negative times.
MAX_SECONDS: Final = 2 * 24 * 3600
MAX_KM: Final = 1_000.0
MAX_KCAL: Final = 100_000.0
MAX_SPEED_KMH: Final = 100.0
MAX_COUNT: Final = 1_000_000
MAX_TEXT: Final = 1_000


class _Bad(ValueError):
    """One value of a row is not what walkcoach writes; its text says which and why."""


def _shown(value: object) -> str:
    """A bad value as a problem quotes it: its repr, cut so a huge one stays short."""
    text = repr(value)
    return text if len(text) <= 24 else text[:23] + "…"


def _time(column: str, value: object, optional: bool = False) -> datetime | None:
    if value is None and optional:
        return None
    if isinstance(value, str) and len(value) <= 40:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                return moment
    raise _Bad(f"{column} {_shown(value)} is not a time")


def _number(column: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad(f"{column} {_shown(value)} is not a number")
    if not (math.isfinite(value) and low <= value <= high):
        raise _Bad(f"{column} {_shown(value)} is not from {low:g} to {high:g}")
    return float(value)


def _whole(column: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"{column} {_shown(value)} is not a whole number")
    if not low <= value <= high:
        raise _Bad(f"{column} {_shown(value)} is not from {low} to {high}")
    return value


def _text(column: str, value: object) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise _Bad(f"{column} {_shown(value)} is not a text of up to {MAX_TEXT} characters")
    return value


def _choice(column: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _Bad(f"{column} {_shown(value)} is not one of {', '.join(choices)}")
    assert isinstance(value, str)
    return value


# (column, value) -> the value checked and typed; raises _Bad.
Check = Callable[[str, Any], Any]


def _seconds(column: str, value: object) -> float:
    return _number(column, value, 0, MAX_SECONDS)


def _km(column: str, value: object) -> float:
    return _number(column, value, 0, MAX_KM)


def _kcal(column: str, value: object) -> float:
    return _number(column, value, 0, MAX_KCAL)


def _count(column: str, value: object) -> int:
    return _whole(column, value, 0, MAX_COUNT)


def _id(column: str, value: object) -> int:
    return _whole(column, value, 1, 2**63 - 1)


def _flag(column: str, value: object) -> bool:
    return bool(_whole(column, value, 0, 1))


_SESSION_CHECKS: Final[dict[str, Check]] = {
    "id": _id,
    "plan_name": _text,
    "started_at": _time,
    "ended_at": lambda column, value: _time(column, value, optional=True),
    "updated_at": lambda column, value: _time(column, value, optional=True),
    "status": lambda column, value: _choice(column, value, STATUSES),
    "weight_kg": lambda column, value: _number(column, value, 1, 1_000),
    "active_s": _seconds,
    "pause_s": _seconds,
    "pauses": _count,
    "forward_s": _seconds,
    "backward_s": _seconds,
    "forward_km": _km,
    "backward_km": _km,
    "kcal": _kcal,
    "kcal_forward": _kcal,
    "kcal_backward": _kcal,
    "kcal_if_forward": _kcal,
    "segments_done": _count,
    "segments_skipped": _count,
}
_SEGMENT_CHECKS: Final[dict[str, Check]] = {
    "session_id": _id,
    "idx": _count,
    "direction": lambda column, value: _choice(column, value, ("forward", "backward")),
    "label": _text,
    "planned_s": lambda column, value: _whole(column, value, 0, MAX_SECONDS),
    "actual_s": _seconds,
    "planned_speed_kmh": lambda column, value: _number(column, value, 0, MAX_SPEED_KMH),
    "actual_speed_kmh": lambda column, value: _number(column, value, 0, MAX_SPEED_KMH),
    "incline_pct": lambda column, value: _number(column, value, -100, 100),
    "kcal": _kcal,
    "kcal_if_forward": _kcal,
    "distance_km": _km,
    "skipped": _flag,
    "completed": _flag,
}
assert tuple(_SESSION_CHECKS) == SESSION_COLUMNS
assert tuple(_SEGMENT_CHECKS) == SEGMENT_COLUMNS


def _checked(record: dict[str, Any], checks: dict[str, Check]) -> dict[str, Any]:
    """The record's values checked and typed (times parsed, flags as bools); `_Bad`
    names the first that is not what walkcoach writes."""
    return {column: checks[column](column, value) for column, value in record.items()}


def _session_row(values: dict[str, Any]) -> SessionRow:
    return SessionRow(**values)


def _segment_row(values: dict[str, Any]) -> SegmentRow:
    return SegmentRow(**values)
