"""The history of walks: `History` writes sessions and their segments and reads them back."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final

from walkcoach.store.history.checks import (
    SEGMENT_CHECKS,
    SESSION_CHECKS,
    BadValue,
    checked,
)
from walkcoach.store.history.connection import (
    BUSY_TIMEOUT_S,
    HistoryError,
    HistoryFile,
    no_such_session,
)
from walkcoach.store.history.export import (
    Exported,
    export_format,
    session_export,
    sessions_export,
)
from walkcoach.store.history.rows import (
    Damaged,
    Read,
    SegmentRow,
    SessionRow,
    result_segments,
)
from walkcoach.store.history.schema import (
    SEGMENT_COLUMNS,
    SESSION_COLUMNS,
    STATUSES,
    Status,
)
from walkcoach.walks import Activity, WalkTotals, WallClock, to_iso, utc_now

if TYPE_CHECKING:
    from walkcoach.engine import SessionResult

# A live session is rewritten every 5 s (recorder.py), even while paused; one silent
# for this long belongs to a process that is gone.
STALE_AFTER: Final = timedelta(seconds=60)
_STALE: Final = "status = 'running' AND COALESCE(updated_at, started_at) < ?"
# The session columns, with a dead process's "running" read as "interrupted"; the one
# parameter is the cutoff time (`_cutoff`).
_SELECT_SESSION: Final = ", ".join(
    f"CASE WHEN {_STALE} THEN 'interrupted' ELSE status END" if column == "status" else column
    for column in SESSION_COLUMNS
)


class _DamagedSession(HistoryError):
    """The session asked for is damaged; `damaged` says how."""

    def __init__(self, message: str, path: Path, damaged: Damaged) -> None:
        super().__init__(message, path)
        self.damaged = damaged


class History:
    """The history in one SQLite file (`HistoryFile`), safe to share between running
    copies; opened on first use, one connection per object.

    A session is written when it starts and rewritten at each checkpoint (its totals and
    every segment, in one transaction), so a killed process loses only the time since the
    last checkpoint. Every write stamps `updated_at` with `wall_clock`'s time; a session
    still "running" whose last write is older than `STALE_AFTER` was left by a process
    that died (kill -9, power loss), so reads report it as "interrupted", and
    `close_interrupted` (called when the app starts) stores it so. Every row read is
    checked (`checks`): a damaged one is left out and reported as `Damaged`, so one bad
    row never hides the rest.

    `busy_timeout_s`: how long a call waits for a lock another program holds before it
    raises `HistoryError` (with `busy` set). `wall_clock`: the time now, timezone-aware
    (the real one unless a test passes its own).
    """

    def __init__(
        self,
        path: Path,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        wall_clock: WallClock = utc_now,
    ) -> None:
        self._file = HistoryFile(Path(path), busy_timeout_s)
        self.wall_clock = wall_clock

    @property
    def path(self) -> Path:
        return self._file.path

    @property
    def busy_timeout_s(self) -> float:
        return self._file.busy_timeout_s

    # --- writing -------------------------------------------------------------------

    def start_session(self, plan_name: str, weight_kg: float, started_at: datetime) -> int:
        """Records a new running session and returns its id."""
        with self._file.write() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (plan_name, started_at, updated_at, status, weight_kg) "
                "VALUES (?, ?, ?, 'running', ?)",
                (plan_name, to_iso(started_at), self._now_iso(), weight_kg),
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
        totals = WalkTotals.of(result).figures()  # one column each
        values = (
            to_iso(ended_at) if ended_at is not None else None,
            self._now_iso(),
            status,
            *totals.values(),
            session_id,
        )
        segments = [
            tuple(record[column] for column in SEGMENT_COLUMNS)
            for record in result_segments(session_id, result)
        ]
        assignments = ", ".join(f"{column} = ?" for column in totals)
        with self._file.write() as conn:
            cursor = conn.execute(
                f"UPDATE sessions SET ended_at = ?, updated_at = ?, status = ?, {assignments} "
                "WHERE id = ?",
                values,
            )
            if cursor.rowcount != 1:
                raise no_such_session(self.path, session_id)
            conn.execute("DELETE FROM segments WHERE session_id = ?", (session_id,))
            placeholders = ", ".join("?" for _ in SEGMENT_COLUMNS)
            conn.executemany(
                f"INSERT INTO segments ({', '.join(SEGMENT_COLUMNS)}) VALUES ({placeholders})",
                segments,
            )

    def close_interrupted(self) -> int:
        """Stores as interrupted every session left running by a process that died (no
        write for `STALE_AFTER`); returns how many. Writes nothing when there are none."""
        cutoff = self._cutoff()
        conn = self._file.connection(create=False)
        if conn is None:
            return 0
        stale = self._file.read(conn, f"SELECT count(*) FROM sessions WHERE {_STALE}", (cutoff,))
        if not stale[0][0]:
            return 0
        try:
            with self._file.write() as conn:
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

    def delete(self, session_id: int) -> None:
        """Removes a finished or unfinished session and its segments. A session still
        being walked (running, and written to within `STALE_AFTER`) is refused."""
        with self._file.write() as conn:
            row = conn.execute(
                "SELECT status = 'running', COALESCE(updated_at, started_at) < ? "
                "FROM sessions WHERE id = ?",
                (self._cutoff(), session_id),
            ).fetchone()
            if row is None:
                raise no_such_session(self.path, session_id)
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

    def sessions(self, limit: int | None = None) -> list[SessionRow]:
        """Sessions, newest first (all of them, or the newest `limit`), damaged ones left
        out. A session left running by a process that is gone comes back as interrupted."""
        return self.read_sessions(limit).rows

    def read_sessions(self, limit: int | None = None) -> Read[SessionRow]:
        """Sessions as `sessions` gives them, and the damaged ones it left out."""
        rows, damaged = self._checked_sessions(limit)
        return Read([_session_row(values) for _, values in rows], damaged)

    def session_records(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Sessions, newest first, as plain values keyed by column (times as stored:
        ISO-8601 UTC text); what JSON and CSV exports write, without the dataclasses."""
        return self.read_session_records(limit).rows

    def read_session_records(self, limit: int | None = None) -> Read[dict[str, Any]]:
        """Session records as `session_records` gives them, and the damaged ones left out."""
        rows, damaged = self._checked_sessions(limit)
        return Read([record for record, _ in rows], damaged)

    def _checked_sessions(
        self, limit: int | None
    ) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[Damaged]]:
        """Each good session as (its record as stored, its checked values); the bad ones
        as `Damaged`."""
        good, damaged = [], []
        for row in self._session_rows(limit):
            record = dict(zip(SESSION_COLUMNS, row, strict=True))
            try:
                good.append((record, checked(record, SESSION_CHECKS)))
            except BadValue as bad:
                damaged.append(Damaged(f"session {record['id']}", str(bad), record["id"]))
        return good, damaged

    def count(self) -> int:
        """How many sessions there are."""
        conn = self._file.connection(create=False)
        if conn is None:
            return 0
        return int(self._file.read(conn, "SELECT count(*) FROM sessions", ())[0][0])

    def activity(self) -> list[Activity]:
        """Every session's start, active and backward time, oldest first: what week
        totals, streaks and bests are made of, without the rest of the row."""
        good, _ = self._checked_sessions(None)  # damaged ones left out, as everywhere
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
                raise no_such_session(self.path, session_id)
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
        conn = self._file.connection(create=False)
        if conn is None:
            return None
        rows = self._file.read(
            conn,
            f"SELECT {_SELECT_SESSION} FROM sessions WHERE id = ?",
            (self._cutoff(), session_id),
        )
        if not rows:
            return None
        record = dict(zip(SESSION_COLUMNS, rows[0], strict=True))
        try:
            return record, checked(record, SESSION_CHECKS)
        except BadValue as bad:
            raise _DamagedSession(
                f"{self.path}: session {session_id} is damaged ({bad}); it was left as it is",
                self.path,
                Damaged(f"session {session_id}", str(bad), session_id),
            ) from None

    def _session_rows(self, limit: int | None) -> list[Any]:
        conn = self._file.connection(create=False)
        if conn is None:
            return []
        query = f"SELECT {_SELECT_SESSION} FROM sessions ORDER BY started_at DESC, id DESC"
        params: tuple[str | int, ...] = (self._cutoff(),)
        if limit is not None:
            query += " LIMIT ?"
            params += (max(0, limit),)
        return self._file.read(conn, query, params)

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
                good.append((record, checked(record, SEGMENT_CHECKS)))
            except BadValue as bad:
                idx = record["idx"]
                which = f"segment {idx + 1}" if isinstance(idx, int) else "a segment"
                session = record["session_id"]
                damaged.append(Damaged(f"{which} of session {session}", str(bad), session))
        return good, damaged

    def _segment_rows(self, session_id: int | None) -> list[Any]:
        conn = self._file.connection(create=False)
        if conn is None:
            return []
        query = f"SELECT {', '.join(SEGMENT_COLUMNS)} FROM segments"
        if session_id is None:
            return self._file.read(conn, query + " ORDER BY session_id, idx", ())
        return self._file.read(conn, query + " WHERE session_id = ? ORDER BY idx", (session_id,))

    # --- the file and the clock ----------------------------------------------------

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _now_iso(self) -> str:
        return to_iso(self.wall_clock())

    def _cutoff(self) -> str:
        """Sessions running but silent since before this time are treated as interrupted."""
        return to_iso(self.wall_clock() - STALE_AFTER)


def _session_row(values: dict[str, Any]) -> SessionRow:
    return SessionRow(**values)


def _segment_row(values: dict[str, Any]) -> SegmentRow:
    return SegmentRow(**values)
