"""The session history: one SQLite file of walks, safe to share between running copies."""

from walkcoach.store.history.connection import BUSY_TIMEOUT_S, HistoryError, no_such_session
from walkcoach.store.history.export import (
    EXPORT_FORMATS,
    SESSION_CSV_COLUMNS,
    Exported,
    ExportFormat,
    export_format,
    result_record,
    session_export,
    sessions_export,
    sessions_listing,
)
from walkcoach.store.history.rows import (
    Damaged,
    Read,
    SegmentRow,
    SessionRow,
    result_segments,
)
from walkcoach.store.history.schema import (
    SCHEMA_VERSION,
    SEGMENT_COLUMNS,
    SESSION_COLUMNS,
    STATUS_LABELS,
    STATUSES,
    Status,
)
from walkcoach.store.history.store import STALE_AFTER, History

__all__ = [
    "BUSY_TIMEOUT_S",
    "EXPORT_FORMATS",
    "SCHEMA_VERSION",
    "SEGMENT_COLUMNS",
    "SESSION_COLUMNS",
    "SESSION_CSV_COLUMNS",
    "STALE_AFTER",
    "STATUSES",
    "STATUS_LABELS",
    "Damaged",
    "ExportFormat",
    "Exported",
    "History",
    "HistoryError",
    "Read",
    "SegmentRow",
    "SessionRow",
    "Status",
    "export_format",
    "no_such_session",
    "result_record",
    "result_segments",
    "session_export",
    "sessions_export",
    "sessions_listing",
]
