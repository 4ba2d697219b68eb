"""The session history: one SQLite file, safe to share between running copies.

A session is written when it starts and rewritten at each checkpoint (its totals and
every segment, in one transaction), so a killed process loses only the time since the
last checkpoint. Every write stamps `updated_at` with the wall-clock time; a session
still "running" whose last write is older than `STALE_AFTER` was left by a process that
died (kill -9, power loss), so reads report it as "unfinished", and
`close_interrupted` (called when the app starts) stores it so. WAL journaling and a
busy timeout let two processes write at once without losing either's rows. A file that
is not a walkcoach history (not SQLite, corrupt, or from a newer walkcoach) raises
`HistoryError` and is never written to.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, get_args

from walkcoach.errors import WalkcoachError

if TYPE_CHECKING:
    from walkcoach.engine import SessionResult
    from walkcoach.plan import Direction

SCHEMA_VERSION: Final = 2
BUSY_TIMEOUT_S: Final = 5.0
# A live session is rewritten every 5 s (recorder.py), even while paused; one silent
# for this long belongs to a process that is gone.
STALE_AFTER: Final = timedelta(seconds=60)

Status = Literal["running", "finished", "unfinished"]
STATUSES: Final[tuple[Status, ...]] = get_args(Status)

_SCHEMA: Final = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    plan_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    updated_at TEXT,
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
# Version 1 had no updated_at: its sessions take the last time they are known to have had.
_MIGRATE_FROM_1: Final = """
ALTER TABLE sessions ADD COLUMN updated_at TEXT;
UPDATE sessions SET updated_at = COALESCE(ended_at, started_at)
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
    """The history in one SQLite file; opened on first use, one connection per object."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None

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
        """Stores as unfinished every session left running by a process that died (no
        write for `STALE_AFTER`); returns how many. Writes nothing when there are none."""
        cutoff = _cutoff(now)
        conn = self._connection(create=False)
        if conn is None:
            return 0
        stale = self._read(conn, f"SELECT count(*) FROM sessions WHERE {_STALE}", (cutoff,))
        if not stale[0][0]:
            return 0
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET status = 'unfinished', "
                f"ended_at = COALESCE(updated_at, started_at) WHERE {_STALE}",
                (cutoff,),
            )
        return cursor.rowcount

    # --- reading -------------------------------------------------------------------

    def sessions(self, limit: int | None = None, now: datetime | None = None) -> list[SessionRow]:
        """Sessions, newest first (all of them, or the newest `limit`). A session left
        running by a process that is gone comes back as unfinished."""
        return [_session_row(row) for row in self._session_rows(limit, now)]

    def session_records(
        self, limit: int | None = None, now: datetime | None = None
    ) -> list[dict[str, Any]]:
        """Sessions, newest first, as plain values keyed by column (times as stored:
        ISO-8601 UTC text); what JSON and CSV exports write, without the dataclasses."""
        return [
            dict(zip(SESSION_COLUMNS, row, strict=True)) for row in self._session_rows(limit, now)
        ]

    def count(self) -> int:
        """How many sessions there are."""
        conn = self._connection(create=False)
        if conn is None:
            return 0
        return int(self._read(conn, "SELECT count(*) FROM sessions", ())[0][0])

    def activity(self) -> list[Activity]:
        """Every session's start, active and backward time, oldest first: what week
        totals, streaks and bests are made of, without the rest of the row."""
        conn = self._connection(create=False)
        if conn is None:
            return []
        rows = self._read(
            conn,
            "SELECT id, started_at, active_s, backward_s FROM sessions ORDER BY started_at",
            (),
        )
        return [Activity(i, datetime.fromisoformat(at), act, back) for i, at, act, back in rows]

    def export(self, path: Path, session_id: int | None = None) -> int:
        """Writes one session, or all of them, to `path` (CSV or JSON by its extension),
        atomically; returns how many sessions were written."""
        from walkcoach.store.atomic import atomic_write_text

        fmt = export_format(path)
        if session_id is None:
            sessions = self.session_records()
            text = sessions_export(sessions, self.segment_records() if fmt == "json" else [], fmt)
        else:
            record = self.session_record(session_id)
            if record is None:
                raise WalkcoachError(f"{self.path}: there is no session {session_id}")
            sessions = [record]
            text = session_export(record, self.segment_records(session_id), fmt)
        atomic_write_text(path, text)
        return len(sessions)

    def session_record(self, session_id: int) -> dict[str, Any] | None:
        """One session as plain values keyed by column, or None."""
        conn = self._connection(create=False)
        if conn is None:
            return None
        rows = self._read(
            conn,
            f"SELECT {_SELECT_SESSION} FROM sessions WHERE id = ?",
            (_cutoff(None), session_id),
        )
        return dict(zip(SESSION_COLUMNS, rows[0], strict=True)) if rows else None

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
        record = self.session_record(session_id)
        return _session_row(tuple(record.values())) if record is not None else None

    def segments(self, session_id: int) -> list[SegmentRow]:
        """The session's segments in walking order."""
        return [_segment_row(row) for row in self._segment_rows(session_id)]

    def segment_records(self, session_id: int | None = None) -> list[dict[str, Any]]:
        """Segments as plain values keyed by column: one session's in walking order, or
        (None) every session's, grouped by session."""
        return [
            dict(zip(SEGMENT_COLUMNS, row, strict=True)) for row in self._segment_rows(session_id)
        ]

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
            # Another process may have created or upgraded the tables while this one
            # waited.
            version = self._version(conn)
            if version < SCHEMA_VERSION:
                if version == 0:
                    self._refuse_foreign(conn)
                script = _SCHEMA if version == 0 else _MIGRATE_FROM_1
                for statement in script.split(";"):
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


_TOTAL_COLUMNS: Final = SESSION_COLUMNS[SESSION_COLUMNS.index("active_s") :]
_STALE: Final = "status = 'running' AND COALESCE(updated_at, started_at) < ?"
# The session columns, with a dead process's "running" read as "unfinished"; the one
# parameter is the cutoff time (`_cutoff`).
_SELECT_SESSION: Final = ", ".join(
    f"CASE WHEN {_STALE} THEN 'unfinished' ELSE status END" if column == "status" else column
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
    for key in ("ended_at", "updated_at"):
        if values[key] is not None:
            values[key] = datetime.fromisoformat(values[key])
    return SessionRow(**values)


def _segment_row(row: Sequence[Any]) -> SegmentRow:
    values = dict(zip(SEGMENT_COLUMNS, row, strict=True))
    values["skipped"] = bool(values["skipped"])
    values["completed"] = bool(values["completed"])
    return SegmentRow(**values)
