"""The history's tables: statuses, columns, and the scripts that make or upgrade them."""

from __future__ import annotations

from typing import Final, Literal, get_args

from walkcoach import calories
from walkcoach.walks import Kind, WalkTotals

SCHEMA_VERSION: Final = 4

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

# A session's columns: what the history knows of it, then its totals, one column per
# field of `WalkTotals` in its order. Adding a figure is a field there (last) and one
# upgrade step here: "ALTER TABLE sessions ADD COLUMN ... NOT NULL DEFAULT 0" at the
# end of `upgrade_scripts`, SCHEMA_VERSION and READS_AS_IS_FROM raised to the new one.
TOTAL_COLUMNS: Final = tuple(WalkTotals.kinds())
SESSION_COLUMNS: Final = (
    "id",
    "plan_name",
    "started_at",
    "ended_at",
    "updated_at",
    "status",
    "weight_kg",
    *TOTAL_COLUMNS,
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
# How each kind of figure is stored.
_SQL_TYPES: Final[dict[Kind, str]] = {
    "seconds": "REAL",
    "km": "REAL",
    "kcal": "REAL",
    "count": "INTEGER",
    "flag": "INTEGER",
}
_HEAD_COLUMNS: Final = SESSION_COLUMNS[: -len(TOTAL_COLUMNS)]
# The totals version 3 made: an upgrade step from before 3 makes these, the steps after
# it add the figures that came later (new fields go last in `WalkTotals`).
_V3_TOTALS: Final = TOTAL_COLUMNS[: TOTAL_COLUMNS.index("segments_skipped") + 1]
_V4_TOTALS: Final = TOTAL_COLUMNS[: TOTAL_COLUMNS.index("personal") + 1]


def _sessions_table(name: str, totals: tuple[str, ...]) -> str:
    """The CREATE TABLE of the sessions, with these totals columns."""
    kinds = WalkTotals.kinds()
    columns = "".join(
        f",\n    {column} {_SQL_TYPES[kinds[column]]} NOT NULL DEFAULT 0" for column in totals
    )
    return f"""CREATE TABLE {name} (
    id INTEGER PRIMARY KEY,
    plan_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    updated_at TEXT,
    status TEXT NOT NULL
        CHECK (status IN ('running', 'finished', 'unfinished', 'interrupted')),
    weight_kg REAL NOT NULL{columns}
)"""


_SCHEMA: Final = f"""
{_sessions_table("sessions", TOTAL_COLUMNS)};
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


# Reads need no upgrade from this version on: 3 only widened a CHECK, 4 added columns that
# reads ask for. An older history on a read-only disk is read through a copy in memory,
# upgraded there.
READS_AS_IS_FROM: Final = 4


def _migrate_from_2() -> str:
    """Version 3 allows "interrupted". SQLite cannot widen a CHECK in place, so the
    sessions table is made again and filled from the old one (by column name: a history
    upgraded from version 1 has updated_at last), with foreign keys off meanwhile so that
    dropping the old table leaves the segments alone (see `HistoryFile._prepare_once`)."""
    create = _sessions_table("sessions_v3", _V3_TOTALS)
    columns = ", ".join((*_HEAD_COLUMNS, *_V3_TOTALS))
    return f"""{create};
INSERT INTO sessions_v3 ({columns}) SELECT {columns} FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_v3 RENAME TO sessions;
CREATE INDEX sessions_by_start ON sessions (started_at)
"""


def _migrate_from_3() -> str:
    """Version 4 adds personal calories: net kcal, the plausible range, the seconds per
    handrail hold and whether the walker's own resting rate was used. The walks before it
    were counted for the standard walker with free arms, so that is what they get: net is
    gross less 1 MET x kg x hours, the range the model's own uncertainty either way."""
    kinds = WalkTotals.kinds()
    added = "".join(
        f"ALTER TABLE sessions ADD COLUMN {column} {_SQL_TYPES[kinds[column]]} "
        "NOT NULL DEFAULT 0;\n"
        for column in _V4_TOTALS[len(_V3_TOTALS) :]
    )
    spread = calories.model_uncertainty()
    return f"""{added}UPDATE sessions SET
    kcal_net = MAX(0, kcal - weight_kg * active_s / 3600.0),
    kcal_low = kcal * {1.0 - spread!r},
    kcal_high = kcal * {1.0 + spread!r},
    hold_free_s = active_s
"""


def upgrade_scripts(version: int) -> list[str]:
    """What makes a history of `version` (0: a new, empty file) the current one."""
    if version == 0:
        return [_SCHEMA]
    return [_MIGRATE_FROM_1, _migrate_from_2(), _migrate_from_3()][version - 1 :]
