"""Sessions and their segments written out as CSV or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, get_args

from walkcoach.errors import WalkcoachError
from walkcoach.store.history.rows import Damaged
from walkcoach.store.history.schema import SEGMENT_COLUMNS, SESSION_COLUMNS, Status
from walkcoach.walks import WalkTotals, to_iso

if TYPE_CHECKING:
    from walkcoach.engine import SessionResult

ExportFormat = Literal["csv", "json"]
EXPORT_FORMATS: Final[tuple[ExportFormat, ...]] = get_args(ExportFormat)
# A one-session CSV is its segments, each carrying which session it belongs to.
SESSION_CSV_COLUMNS: Final = ("plan_name", "started_at", "status", *SEGMENT_COLUMNS)


class Exported(NamedTuple):
    """How many sessions an export wrote, and the damaged rows it left out."""

    sessions: int
    damaged: list[Damaged]


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
        return sessions_listing(sessions, fmt)
    by_session: dict[int, list[dict[str, Any]]] = {}
    for segment in segments:
        by_session.setdefault(segment["session_id"], []).append(_without_id(segment))
    return _json([{**s, "segments": by_session.get(s["id"], [])} for s in sessions])


def sessions_listing(sessions: Sequence[dict[str, Any]], fmt: ExportFormat) -> str:
    """Many sessions without their segments (what ``walkcoach history --json`` and
    ``--csv`` print): CSV is `sessions_export`'s; JSON is a list of the same session
    records as its JSON, one per line (readable, and the C encoder keeps 10 000 fast)."""
    if fmt == "csv":
        return _csv(SESSION_COLUMNS, sessions)
    import json

    lines = ",\n  ".join(json.dumps(s, ensure_ascii=False) for s in sessions)
    return f"[\n  {lines}\n]\n" if sessions else "[]\n"


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
        **WalkTotals.of(result).figures(),
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
