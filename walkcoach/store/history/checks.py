"""The checks every row read goes through, so a damaged row is named and left out."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from walkcoach.store.history.schema import SEGMENT_COLUMNS, SESSION_COLUMNS, STATUSES
from walkcoach.walks import Kind, WalkTotals

# Far beyond any walk (a plan lasts at most 4 h), yet they catch the nonsense a damaged or
# hand-edited row holds: infinity, 18-digit numbers, negative times.
MAX_SECONDS: Final = 2 * 24 * 3600
MAX_KM: Final = 1_000.0
MAX_KCAL: Final = 100_000.0
MAX_SPEED_KMH: Final = 100.0
MAX_COUNT: Final = 1_000_000
MAX_TEXT: Final = 1_000


class BadValue(ValueError):
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
    raise BadValue(f"{column} {_shown(value)} is not a time")


def _number(column: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadValue(f"{column} {_shown(value)} is not a number")
    if not (math.isfinite(value) and low <= value <= high):
        raise BadValue(f"{column} {_shown(value)} is not from {low:g} to {high:g}")
    return float(value)


def _whole(column: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadValue(f"{column} {_shown(value)} is not a whole number")
    if not low <= value <= high:
        raise BadValue(f"{column} {_shown(value)} is not from {low} to {high}")
    return value


def _text(column: str, value: object) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise BadValue(f"{column} {_shown(value)} is not a text of up to {MAX_TEXT} characters")
    return value


def _choice(column: str, value: object, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise BadValue(f"{column} {_shown(value)} is not one of {', '.join(choices)}")
    assert isinstance(value, str)
    return value


# (column, value) -> the value checked and typed; raises BadValue.
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


# How each kind of `WalkTotals` figure is checked.
_BY_KIND: Final[dict[Kind, Check]] = {
    "seconds": _seconds,
    "km": _km,
    "kcal": _kcal,
    "count": _count,
    "flag": _flag,
}
SESSION_CHECKS: Final[dict[str, Check]] = {
    "id": _id,
    "plan_name": _text,
    "started_at": _time,
    "ended_at": lambda column, value: _time(column, value, optional=True),
    "updated_at": lambda column, value: _time(column, value, optional=True),
    "status": lambda column, value: _choice(column, value, STATUSES),
    "weight_kg": lambda column, value: _number(column, value, 1, 1_000),
    **{column: _BY_KIND[kind] for column, kind in WalkTotals.kinds().items()},
}
SEGMENT_CHECKS: Final[dict[str, Check]] = {
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
assert tuple(SESSION_CHECKS) == SESSION_COLUMNS
assert tuple(SEGMENT_CHECKS) == SEGMENT_COLUMNS


def checked(record: dict[str, Any], checks: dict[str, Check]) -> dict[str, Any]:
    """The record's values checked and typed (times parsed, flags as bools); `BadValue`
    names the first that is not what walkcoach writes."""
    return {column: checks[column](column, value) for column, value in record.items()}
