"""The recap's figures, against values worked out by hand for a known plan.

The plan is chosen so the Compendium gives exact METs: forward 4.8 km/h level 3.5,
backward 5.6 km/h at 5 % 8.0 (forward the same: 4.3 + 5.6 x 5 / 14 = 6.3), forward
5.6 km/h level 4.3. At 60 kg one minute burns MET kcal (MET x 60 kg x 1/60 h).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walkcoach import calories, recap
from walkcoach.calories import Body
from walkcoach.engine import Engine, SessionResult
from walkcoach.plan import Plan, Segment
from walkcoach.recap import Bar
from walkcoach.walks import Activity, WalkTotals

PLAN = Plan(
    "Known",
    (
        Segment("forward", 60, 4.8, 0),
        Segment("backward", 60, 5.6, 5),
        Segment("forward", 120, 5.6, 0),
    ),
)
KG = 60.0


def walk_through() -> SessionResult:
    engine = Engine(PLAN, KG, lead_in_s=0)
    engine.start(0.0)
    for t in range(1, 241):
        engine.tick(float(t))
    return engine.result()


def skip_pause_and_quit() -> SessionResult:
    """60 s forward, 30 s backward then skip, 30 s forward, 20 s paused, 30 s more, quit."""
    engine = Engine(PLAN, KG, lead_in_s=0)
    engine.start(0.0)
    for t in range(1, 91):
        engine.tick(float(t))
    engine.skip(90.0)
    for t in range(91, 121):
        engine.tick(float(t))
    engine.pause(120.0)
    engine.resume(140.0)
    for t in range(141, 171):
        engine.tick(float(t))
    engine.stop(170.0)
    return engine.result()


def test_a_walk_to_the_end_adds_up() -> None:
    t = WalkTotals.of(walk_through())
    assert t.active_s == pytest.approx(240)
    assert (t.forward_s, t.backward_s) == pytest.approx((180, 60))
    assert t.forward_km == pytest.approx(0.08 + 5.6 * 2 / 60)
    assert t.backward_km == pytest.approx(5.6 / 60)
    assert t.kcal == pytest.approx(3.5 + 8.0 + 2 * 4.3)
    assert (t.kcal_forward, t.kcal_backward) == pytest.approx((3.5 + 8.6, 8.0))
    assert (t.segments_done, t.segments_skipped) == (3, 0)
    assert (t.pauses, t.pause_s) == (0, 0)


def test_backward_adds_what_it_burns_beyond_the_same_walk_forward() -> None:
    t = WalkTotals.of(walk_through())
    assert t.kcal_if_forward == pytest.approx(3.5 + 6.3 + 8.6)
    assert t.backward_extra_kcal == pytest.approx(8.0 - 6.3)
    assert t.backward_extra_pct == pytest.approx(100 * 1.7 / 18.4)


def test_an_early_quit_counts_skips_pauses_and_the_segment_left() -> None:
    t = WalkTotals.of(skip_pause_and_quit())
    assert t.active_s == pytest.approx(150)
    assert (t.forward_s, t.backward_s) == pytest.approx((120, 30))
    assert t.kcal == pytest.approx(3.5 + 4.0 + 4.3)
    assert t.backward_extra_kcal == pytest.approx((8.0 - 6.3) / 2)
    assert t.backward_extra_pct == pytest.approx(100 * 0.85 / (3.5 + 3.15 + 4.3))
    assert (t.segments_done, t.segments_skipped) == (1, 1)  # and one left of the 3
    assert (t.pauses, t.pause_s) == (1, pytest.approx(20))


def test_no_walking_means_no_extra_and_no_division_by_zero() -> None:
    engine = Engine(PLAN, KG, lead_in_s=0)
    t = WalkTotals.of(engine.result())
    assert (t.kcal, t.backward_extra_kcal, t.backward_extra_pct) == (0, 0, 0)


def test_the_met_series_has_each_walked_segments_average_met() -> None:
    series = recap.met_series(skip_pause_and_quit())
    assert [(b.direction, b.seconds) for b in series] == [
        ("forward", pytest.approx(60)),
        ("backward", pytest.approx(30)),
        ("forward", pytest.approx(60)),
    ]
    assert [b.met for b in series] == pytest.approx([3.5, 8.0, 4.3])


def test_a_segment_walked_at_two_speeds_averages_its_met_by_time() -> None:
    engine = Engine(Plan("Two speeds", (Segment("forward", 60, 4.8, 0),)), KG, lead_in_s=0)
    engine.start(0.0)
    for t in range(1, 61):
        if t == 31:
            engine.adjust_speed(30.0, 5.6 - 4.8)
        engine.tick(float(t))
    [bar] = recap.met_series(engine.result())
    assert bar.met == pytest.approx((3.5 + 4.3) / 2)


def test_the_met_series_of_a_walker_with_their_own_rest_and_a_hold() -> None:
    # The rest shift is taken back out: the MET as walked, the hold applied (the third
    # segment, 4.3 MET, gripped: 4.3 x 0.82 = 3.526).
    rest = calories.resting_rate(Body(60.0, 60, "female", 160.0))
    engine = Engine(PLAN, KG, lead_in_s=0, rest=rest)
    engine.start(0.0)
    for t in range(1, 241):
        if t == 121:
            engine.set_hold(120.0, "gripping")
        engine.tick(float(t))
    series = recap.met_series(engine.result())
    assert [b.met for b in series] == pytest.approx([3.5, 8.0, 3.526])


def test_the_estimate_is_said_with_a_rounded_range() -> None:
    assert recap.rounded_range(223.2, 342.0) == (220, 350)
    assert recap.rounded_range(60.4, 95.2) == (60, 100)
    assert recap.rounded_range(3.59, 5.57) == (3, 6)
    assert recap.rounded_range(0.0, 0.0) == (0, 0)
    # The hand-computed walk of tests/core/test_engine_holds.py, scaled up: 30 min free
    # and 30 min gripping at 4.3 MET, 70 kg: 150.5 + 123.41 = 273.91 kcal; low
    # 150.5 x 1.79 x 0.8 = 215.516, high 150.5 x 1.85 x 1.2 = 334.11.
    engine = Engine(Plan("Level", (Segment("forward", 3600, 5.6),)), 70.0, lead_in_s=0)
    engine.start(0.0)
    for t in range(1, 3601):
        if t == 1801:
            engine.set_hold(1800.0, "gripping")
        engine.tick(float(t))
    totals = WalkTotals.of(engine.result())
    assert recap.estimate_text(totals) == "about 274 kcal (210 to 340)"
    assert recap.holds_text(totals) == "free 30:00, gripping 30:00"
    assert recap.rest_text(totals.personal) == "standard resting rate"
    one_hold = WalkTotals.of(walk_through())
    assert recap.holds_text(one_hold) == "free"


def test_chart_columns_give_each_segment_room_for_its_time() -> None:
    series = recap.met_series(walk_through())
    columns = recap.chart_columns(series, 8)  # 30 s a column
    assert [c.direction[0] for c in columns] == list("ffbbffff")
    assert recap.chart_columns(series, 0) == []
    assert recap.chart_columns([], 10) == []


def test_chart_columns_show_a_short_segment_when_it_covers_a_columns_middle() -> None:
    series = [Bar("forward", 100, 3.0), Bar("backward", 1, 6.0), Bar("forward", 99, 3.0)]
    assert [c.direction[0] for c in recap.chart_columns(series, 2)] == ["f", "f"]
    assert "b" in [c.direction[0] for c in recap.chart_columns(series, 200)]


def test_the_chart_top_is_the_highest_met_rounded_up() -> None:
    assert recap.chart_top(recap.met_series(walk_through())) == 8
    assert recap.chart_top([Bar("forward", 1, 4.3)]) == 5
    assert recap.chart_top([]) == 1


def test_block_rows_fill_eighths_from_the_bottom() -> None:
    # 3.5 of 8 over 2 rows = 7 eighths; 8 = 16; 4.3 = 8.6, rounded to 9; 0 stays empty
    assert recap.block_rows([3.5, 8.0, 4.3, 0.0], 8, 2) == [" █▁ ", "▇██ "]
    assert recap.block_rows([0.01], 8, 2) == [" ", "▁"]


# --- against the history ------------------------------------------------------------

SUNDAY = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)


def walk(days: int, minutes: float, backward_minutes: float, sid: int | None = -1) -> Activity:
    """A walk `days` after SUNDAY; its ID is 100 + days unless given."""
    sid = 100 + days if sid == -1 else sid
    return Activity(sid, SUNDAY + timedelta(days=days), minutes * 60, backward_minutes * 60)


def test_standing_counts_this_week_from_monday_the_streak_and_the_best() -> None:
    others = [walk(0, 30, 5), walk(1, 20, 10), walk(2, 15, 2)]  # Sun, Mon, Tue
    this = walk(3, 4, 1, sid=None)  # Wednesday
    s = recap.standing(others, this, SUNDAY + timedelta(days=3, hours=1), UTC)
    assert s.week_active_s == pytest.approx((20 + 15 + 4) * 60)
    assert s.streak_days == 4
    assert s.best_backward_s == pytest.approx(600)
    assert not s.is_backward_best


def test_this_walks_own_row_is_counted_once_even_before_its_id_is_known() -> None:
    # The recap reads the history while the writer thread may be saving this walk: the
    # row can be there before the recorder knows its ID.
    this = walk(3, 4, 1, sid=None)
    row = this._replace(session_id=7)
    now = SUNDAY + timedelta(days=3, hours=1)
    for known in (None, 7):
        s = recap.standing([walk(2, 15, 2), row], this._replace(session_id=known), now, UTC)
        assert s.week_active_s == pytest.approx((15 + 4) * 60)
        assert s.is_backward_best is False and s.best_backward_s == pytest.approx(120)
    # Another walk that started in the same second but not the same millisecond counts.
    twin = row._replace(session_id=8, started_at=this.started_at + timedelta(milliseconds=1))
    assert recap.standing([twin], this, now, UTC).week_active_s == pytest.approx(8 * 60)


def test_a_new_backward_best_is_marked_and_a_tie_is_not() -> None:
    others = [walk(0, 30, 5)]
    now = SUNDAY + timedelta(days=1)
    assert recap.standing(others, walk(1, 30, 6), now, UTC).is_backward_best
    assert not recap.standing(others, walk(1, 30, 5), now, UTC).is_backward_best
    assert not recap.standing([], walk(1, 30, 0), now, UTC).is_backward_best


def test_a_gap_day_ends_the_streak_and_an_empty_session_does_not_count() -> None:
    others = [walk(0, 30, 0), walk(2, 0, 0)]  # Sunday, then nothing walked on Tuesday
    s = recap.standing(others, walk(3, 10, 0), SUNDAY + timedelta(days=3), UTC)
    assert s.streak_days == 1


def test_days_and_weeks_are_the_walkers_local_ones() -> None:
    from datetime import timezone

    tokyo = timezone(timedelta(hours=9))
    sunday_noon = Activity(1, SUNDAY - timedelta(hours=6), 1200, 0)  # 21:00 in Tokyo
    late_sunday = Activity(None, SUNDAY + timedelta(hours=5), 600, 0)  # Monday 08:00 there
    in_utc = recap.standing([sunday_noon], late_sunday, late_sunday.started_at, UTC)
    assert (in_utc.week_active_s, in_utc.streak_days) == (1800, 1)
    in_tokyo = recap.standing([sunday_noon], late_sunday, late_sunday.started_at, tokyo)
    assert (in_tokyo.week_active_s, in_tokyo.streak_days) == (600, 2)


def test_the_streak_counts_up_to_yesterday_when_today_has_no_walk_yet() -> None:
    days = {date(2026, 3, 1), date(2026, 3, 2)}
    assert recap.day_streak(days, date(2026, 3, 3)) == 2
    assert recap.day_streak(days, date(2026, 3, 4)) == 0
    assert recap.day_streak(set(), date(2026, 3, 4)) == 0


# --- kcal shown in whole numbers ----------------------------------------------------


def test_kcal_parts_are_shown_so_that_they_add_up_to_the_total() -> None:
    # Rounded on their own, 3.822 and 2.512 show as 4 + 3 under a total of 6.
    assert recap.whole_parts([3.822, 2.512]) == [4, 2]
    assert recap.whole_parts([10.4, 10.4]) == [11, 10]  # 20.8 shows as 21
    assert recap.whole_parts([2.2, 3.2]) == [2, 3]  # nothing to give back
    assert recap.whole_parts([0.0, 0.0]) == [0, 0]


@given(st.lists(st.floats(min_value=0, max_value=5_000), min_size=1, max_size=4))
def test_whole_parts_add_up_to_the_rounded_total_and_stay_within_one(parts: list[float]) -> None:
    shown = recap.whole_parts(parts)
    assert sum(shown) == round(sum(parts))
    assert all(abs(whole - part) < 1 for whole, part in zip(shown, parts, strict=True))


def test_the_times_of_each_hold_add_up_to_the_walk() -> None:
    """35 s walked, 4.0 s resting and 31.0 s gripping: shown as 0:04 and 0:31, not the
    0:05 and 0:32 that rounding each up would give (36 s in all)."""
    engine = Engine(Plan("Short", (Segment("forward", 35, 4.5),)), 90.0, lead_in_s=0)
    engine.start(0.0)
    engine.set_hold(0.0, "resting")
    for t in (1.0, 2.0, 3.0, 3.99):
        engine.tick(t)
    engine.set_hold(3.99, "gripping")
    for t in range(4, 36):
        engine.tick(float(t))
    totals = WalkTotals.of(engine.result())
    assert recap.holds_text(totals) == "gripping 0:31, resting 0:04"
