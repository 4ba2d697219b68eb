"""The figures of the recap after a walk beside its totals (`walks.WalkTotals`): whole
kcal that add up, the estimate with its plausible range, the handrail holds, the MET
chart, and where the walk stands in the history (week total, day streak, best).

Pure: the screens and the tests give it a `SessionResult`, the history's activity and
the time; nothing here reads a file or a clock.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

from walkcoach.engine import SessionResult
from walkcoach.planrules import Direction
from walkcoach.units import format_clock
from walkcoach.walks import Activity, WalkTotals, to_iso

BLOCKS: Final = " ▁▂▃▄▅▆▇█"  # a chart cell filled in eighths


def whole_parts(parts: Sequence[float]) -> list[int]:
    """`parts` as whole numbers that add up to their total rounded (largest remainder:
    each part rounded down, then the parts that lost most get one back), so the kcal
    shown for forward and backward always add up to the total shown. Each whole number
    is within 1 of its part."""
    total = round(sum(parts))
    floors = [math.floor(part) for part in parts]
    short = total - sum(floors)
    by_remainder = sorted(range(len(parts)), key=lambda i: floors[i] - parts[i])
    for i in by_remainder[:short]:
        floors[i] += 1
    return floors


def rounded_range(low: float, high: float) -> tuple[int, int]:
    """A plausible range without false precision: to the nearest 10 kcal from 100 on, 5
    from 20, else whole kcal; the low end rounded down and the high end up, so the
    rounded range still holds the one computed."""
    step = 10 if high >= 100 else 5 if high >= 20 else 1
    return math.floor(low / step) * step, math.ceil(high / step) * step


def estimate_text(totals: WalkTotals) -> str:
    """The walk's gross kcal as an estimate with its range: "about 282 kcal (220 to 340)"."""
    low, high = rounded_range(totals.kcal_low, totals.kcal_high)
    return f"about {round(totals.kcal)} kcal ({low} to {high})"


def holds_text(totals: WalkTotals) -> str:
    """How the walker held the handrails, after "Hands": "free" for one hold, or each
    one's time, most used first, when they changed it: "free 20:00, gripping 5:00"."""
    used = totals.holds_used
    if len(used) == 1:
        return used[0]
    seconds = totals.hold_seconds()
    # Whole seconds that add up to the walk's, as the kcal by direction do.
    whole = whole_parts([seconds[hold] for hold in used])
    return ", ".join(f"{hold} {format_clock(s)}" for hold, s in zip(used, whole, strict=True))


def rest_text(personal: bool) -> str:
    """Which resting rate the kcal were counted with."""
    return "your resting rate" if personal else "standard resting rate"


# --- the chart ----------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One walked segment in the chart: its direction, time and average MET."""

    direction: Direction
    seconds: float
    met: float


def met_series(result: SessionResult) -> list[Bar]:
    """The walked segments in order, each with its average MET as walked, the handrail
    hold applied (gross kcal = (MET - 1 + r) x kg x h, r the walker's resting rate, so
    MET = kcal / (kg x h) + 1 - r: speed changes within a segment are averaged by time)."""
    shift = 1.0 - result.rest.met
    return [
        Bar(r.direction, r.actual_s, r.kcal / (result.weight_kg * r.actual_s / 3600) + shift)
        for r in result.records
        if r.actual_s > 0
    ]


def chart_columns(series: Sequence[Bar], width: int) -> list[Bar]:
    """`width` columns over the walked time: each shows the segment walked at the
    column's middle, so a segment's width is proportional to its time."""
    total = sum(bar.seconds for bar in series)
    if width <= 0 or total <= 0:
        return []
    columns: list[Bar] = []
    index, end = 0, series[0].seconds
    for column in range(width):
        middle = (column + 0.5) * total / width
        while middle > end and index + 1 < len(series):
            index += 1
            end += series[index].seconds
        columns.append(series[index])
    return columns


def chart_top(series: Sequence[Bar]) -> int:
    """The chart's top: the highest MET rounded up to a whole number (at least 1)."""
    return max(1, math.ceil(max((bar.met for bar in series), default=0.0) - 1e-9))


def block_rows(values: Sequence[float], top: float, height: int) -> list[str]:
    """Bars of `values` (0 to `top`) in block characters, `height` rows, top row first;
    a value above zero always shows at least an eighth."""
    rows = [[" "] * len(values) for _ in range(height)]
    for x, value in enumerate(values):
        eighths = round(max(0.0, min(value, top)) / top * height * 8) if top > 0 else 0
        if value > 0:
            eighths = max(1, eighths)
        for row in range(height):
            filled = min(8, max(0, eighths - 8 * row))
            rows[height - 1 - row][x] = BLOCKS[filled]
    return ["".join(row) for row in rows]


# --- against the history ------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where a walk stands in the history."""

    week_active_s: float  # this calendar week (Monday on), this walk included
    streak_days: int  # days in a row with a walk, up to today
    best_backward_s: float  # the most backward time in one walk, this one included
    is_backward_best: bool  # this walk set it (and it is more than zero)


def _same_walk(row: Activity, this: Activity) -> bool:
    if this.session_id is not None and row.session_id == this.session_id:
        return True
    return to_iso(row.started_at) == to_iso(this.started_at)


def standing(
    others: Sequence[Activity], this: Activity | None, now: datetime, tz: tzinfo | None
) -> Standing:
    """This walk (None: none to count) against the other walks in the history; days and
    weeks are the walker's local ones (`tz`, None for the system's). A row of `others`
    that is this walk (its ID, or its start as stored: the recap may read the history
    while this walk's first save is landing, before its ID is known) is left out."""
    if this is not None:
        others = [w for w in others if not _same_walk(w, this)]
    walks = [*others, this] if this is not None else list(others)
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    week = sum(w.active_s for w in walks if monday <= _day(w, tz) <= today)
    best_before = max((w.backward_s for w in others), default=0.0)
    this_backward = this.backward_s if this is not None else 0.0
    return Standing(
        week_active_s=week,
        streak_days=day_streak({_day(w, tz) for w in walks if w.active_s > 0}, today),
        best_backward_s=max(best_before, this_backward),
        is_backward_best=this_backward > 0 and this_backward > best_before,
    )


def day_streak(days: set[date], today: date) -> int:
    """Days in a row with a walk, ending today (or yesterday, when today has none yet)."""
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def _day(walk: Activity, tz: tzinfo | None) -> date:
    return walk.started_at.astimezone(tz).date()
