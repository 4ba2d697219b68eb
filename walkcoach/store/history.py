"""The session history: one SQLite file, safe to share between running copies.

A session is written when it starts and rewritten at each checkpoint (its totals and
every segment, in one transaction), so a killed process loses only the time since the
last checkpoint. WAL journaling and a busy timeout let two processes write at once
without losing either's rows. A file that is not a walkcoach history (not SQLite,
corrupt, or from a newer walkcoach) raises `HistoryError` and is never written to.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

from walkcoach.errors import WalkcoachError

if TYPE_CHECKING:
    from walkcoach.engine import SessionResult
    from walkcoach.plan import Direction

SCHEMA_VERSION: Final = 1
BUSY_TIMEOUT_S: Final = 5.0

Status = Literal["running", "finished", "unfinished"]
STATUSES: Final[tuple[Status, ...]] = get_args(Status)

_SCHEMA: Final = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    plan_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'unfinished')),
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


class HistoryError(WalkcoachError):
    """The history file cannot be used; it is left exactly as it is."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class SessionRow:
    id: int
    plan_name: str
    started_at: datetime
    ended_at: datetime | None
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


SESSION_COLUMNS: Final = (
    "id",
    "plan_name",
    "started_at",
    "ended_at",
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
    """The history in one SQLite file; opened on first use, one connection per object."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None

    # --- writing -------------------------------------------------------------------

    def start_session(self, plan_name: str, weight_kg: float, started_at: datetime) -> int:
        """Records a new running session and returns its id."""
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (plan_name, started_at, status, weight_kg) "
                "VALUES (?, ?, 'running', ?)",
                (plan_name, to_iso(started_at), weight_kg),
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
        totals = (
            to_iso(ended_at) if ended_at is not None else None,
            status,
            result.active_s,
            result.pause_s,
            len(result.pauses),
            result.seconds("forward"),
            result.seconds("backward"),
            result.distance_km("forward"),
            result.distance_km("backward"),
            result.kcal,
            result.kcal_in("forward"),
            result.kcal_in("backward"),
            result.kcal_if_forward,
            result.completed,
            result.skipped,
            session_id,
        )
        segments = [
            (
                session_id,
                r.index,
                r.direction,
                r.label,
                r.planned_s,
                r.actual_s,
                r.planned_speed_kmh,
                r.actual_speed_kmh,
                r.incline_pct,
                r.kcal,
                r.kcal_if_forward,
                r.distance_km,
                int(r.skipped),
                int(r.completed),
            )
            for r in result.records
        ]
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET ended_at = ?, status = ?, active_s = ?, pause_s = ?, "
                "pauses = ?, forward_s = ?, backward_s = ?, forward_km = ?, backward_km = ?, "
                "kcal = ?, kcal_forward = ?, kcal_backward = ?, kcal_if_forward = ?, "
                "segments_done = ?, segments_skipped = ? WHERE id = ?",
                totals,
            )
            if cursor.rowcount != 1:
                raise HistoryError(f"{self.path}: there is no session {session_id}", self.path)
            conn.execute("DELETE FROM segments WHERE session_id = ?", (session_id,))
            placeholders = ", ".join("?" for _ in SEGMENT_COLUMNS)
            conn.executemany(
                f"INSERT INTO segments ({', '.join(SEGMENT_COLUMNS)}) VALUES ({placeholders})",
                segments,
            )

    # --- reading -------------------------------------------------------------------

    def sessions(self, limit: int | None = None) -> list[SessionRow]:
        """Sessions, newest first (all of them, or the newest `limit`)."""
        return [_session_row(row) for row in self._session_rows(limit)]

    def session_records(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Sessions, newest first, as plain values keyed by column (times as stored:
        ISO-8601 UTC text); what JSON and CSV exports write, without the dataclasses."""
        return [dict(zip(SESSION_COLUMNS, row, strict=True)) for row in self._session_rows(limit)]

    def count(self) -> int:
        """How many sessions there are."""
        conn = self._connection(create=False)
        if conn is None:
            return 0
        return int(self._read(conn, "SELECT count(*) FROM sessions", ())[0][0])

    def _session_rows(self, limit: int | None) -> list[Any]:
        conn = self._connection(create=False)
        if conn is None:
            return []
        query = (
            f"SELECT {', '.join(SESSION_COLUMNS)} FROM sessions ORDER BY started_at DESC, id DESC"
        )
        params: tuple[int, ...] = ()
        if limit is not None:
            query += " LIMIT ?"
            params = (max(0, limit),)
        return self._read(conn, query, params)

    def session(self, session_id: int) -> SessionRow | None:
        conn = self._connection(create=False)
        if conn is None:
            return None
        rows = self._read(
            conn,
            f"SELECT {', '.join(SESSION_COLUMNS)} FROM sessions WHERE id = ?",
            (session_id,),
        )
        return _session_row(rows[0]) if rows else None

    def segments(self, session_id: int) -> list[SegmentRow]:
        """The session's segments in walking order."""
        conn = self._connection(create=False)
        if conn is None:
            return []
        rows = self._read(
            conn,
            f"SELECT {', '.join(SEGMENT_COLUMNS)} FROM segments WHERE session_id = ? ORDER BY idx",
            (session_id,),
        )
        return [_segment_row(row) for row in rows]

    # --- connection ----------------------------------------------------------------

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _read(self, conn: sqlite3.Connection, query: str, params: tuple[int, ...]) -> list[Any]:
        try:
            return conn.execute(query, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._unusable(exc) from None

    def _write(self) -> _Transaction:
        conn = self._connection(create=True)
        assert conn is not None
        return _Transaction(conn, self)

    def _connection(self, create: bool) -> sqlite3.Connection | None:
        """The open connection; None when there is no file yet and `create` is false."""
        if self._conn is not None:
            return self._conn
        if not create and (not self.path.exists() or _is_empty_file(self.path)):
            return None
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists() and not self.path.is_file():
            raise HistoryError(f"{self.path}: is not a file", self.path)
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._unusable(exc) from None
        try:
            self._prepare(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Checks that the file is a walkcoach history this version can read and, for a
        new (empty) file, creates the tables. Nothing is written to any other file.

        Two processes creating the history at the same moment can see SQLITE_BUSY
        without SQLite's busy handler being asked (switching the journal to WAL), so
        that case is retried here until the busy timeout.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self._prepare_once(conn)
                return
            except sqlite3.DatabaseError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise self._unusable(exc) from None
            time.sleep(0.01)

    def _prepare_once(self, conn: sqlite3.Connection) -> None:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # One read snapshot, so a history another process is creating right now is not
        # mistaken for someone else's database.
        conn.execute("BEGIN")
        try:
            version = self._version(conn)
            if version == 0:
                self._refuse_foreign(conn)
        finally:
            conn.execute("COMMIT")
        if version == SCHEMA_VERSION:
            return
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have created the tables while this one waited.
            if self._version(conn) == 0:
                self._refuse_foreign(conn)
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

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

    def _unusable(self, exc: sqlite3.Error) -> HistoryError:
        if _is_busy(exc):
            return HistoryError(
                f"{self.path}: is busy: another program kept it locked for more than "
                f"{BUSY_TIMEOUT_S:g} s; try again",
                self.path,
            )
        return HistoryError(
            f"{self.path}: cannot be used as the session history ({exc}); "
            "it was left untouched (move it away to start a new history)",
            self.path,
        )


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _is_empty_file(path: Path) -> bool:
    return path.is_file() and path.stat().st_size == 0


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


def _session_row(row: Sequence[Any]) -> SessionRow:
    values = dict(zip(SESSION_COLUMNS, row, strict=True))
    values["started_at"] = datetime.fromisoformat(values["started_at"])
    if values["ended_at"] is not None:
        values["ended_at"] = datetime.fromisoformat(values["ended_at"])
    return SessionRow(**values)


def _segment_row(row: Sequence[Any]) -> SegmentRow:
    values = dict(zip(SEGMENT_COLUMNS, row, strict=True))
    values["skipped"] = bool(values["skipped"])
    values["completed"] = bool(values["completed"])
    return SegmentRow(**values)
