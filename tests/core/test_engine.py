"""The session engine under a fake clock: every behaviour of `walkcoach.engine`."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walkcoach import energy
from walkcoach.engine import Engine, Event, Phase
from walkcoach.plan import Plan, Repeat, Segment
from walkcoach.planrules import SPEED_LIMITS_KMH, Direction
from walkcoach.units import SpeedUnit, kmh_to_mph, mph_to_kmh
from walkcoach.walks import WalkTotals

T0 = 1000.0


def plan_of(*segments: Segment) -> Plan:
    return Plan("test", tuple(segments))


FWD = Segment("forward", 60, 5.6)
BACK = Segment("backward", 30, 3.0)
TWO = plan_of(FWD, BACK)


def run(engine: Engine, until: float, step: float = 0.1, start: float = T0) -> list[Event]:
    """Starts (if needed) and ticks every `step` seconds up to `until` seconds after T0."""
    events = engine.start(start) if engine.phase is Phase.READY else []
    t = start
    while t < start + until - 1e-9:
        t = min(start + until, t + step)
        events += engine.tick(t)
    return events


def kinds(events: list[Event]) -> list[str]:
    return [e.kind if e.kind != "tick" else f"tick{e.seconds_left}" for e in events]


def test_lead_in_counts_down_five_seconds_before_the_first_segment() -> None:
    engine = Engine(TWO, 70, lead_in_s=5)
    engine.start(T0)
    engine.tick(T0 + 2)
    snap = engine.snapshot()
    assert snap.phase is Phase.LEAD_IN and snap.lead_in_left == pytest.approx(3)
    assert snap.elapsed_s == 0 and snap.kcal == 0
    events = engine.tick(T0 + 5)
    assert events[-1].kind == "switch" and events[-1].cue == "to_forward"
    assert engine.snapshot().phase is Phase.RUNNING


def test_a_whole_session_fires_each_event_exactly_once_in_order() -> None:
    events = run(Engine(TWO, 70, lead_in_s=5), until=5 + 90 + 1)
    assert kinds(events) == [
        "tick3",
        "tick2",
        "tick1",
        "switch",  # lead-in
        "halfway",  # 45 s into the 90 s session
        "prepare",
        "tick3",
        "tick2",
        "tick1",
        "switch",  # forward 60 s, then backward
        "tick3",
        "tick2",
        "tick1",
        "finish",
    ]
    cues = [e.cue for e in events]
    assert cues[3] == "to_forward" and cues[9] == "to_backward" and cues[-1] == "finish"


def test_events_are_due_at_their_exact_times() -> None:
    events = {
        (e.kind, e.seconds_left, e.position): e.due
        for e in run(Engine(TWO, 70, lead_in_s=5), 100, 0.25)
    }
    assert events[("switch", 0, 0)] == pytest.approx(T0 + 5)
    assert events[("prepare", 0, 1)] == pytest.approx(T0 + 5 + 50)
    assert events[("tick", 3, 0)] == pytest.approx(T0 + 5 + 57)
    assert events[("switch", 0, 1)] == pytest.approx(T0 + 65)
    assert events[("halfway", 0, 0)] == pytest.approx(T0 + 5 + 45)
    assert events[("finish", 0, None)] == pytest.approx(T0 + 95)


def test_prepare_carries_the_next_target_speed_and_direction() -> None:
    prepare = next(e for e in run(Engine(TWO, 70, lead_in_s=5), 60) if e.kind == "prepare")
    assert (prepare.direction, prepare.speed_kmh, prepare.position) == ("backward", 3.0, 1)


def test_same_direction_switch_cues_next_and_has_no_prepare() -> None:
    plan = plan_of(FWD, Segment("forward", 30, 6.0))
    events = run(Engine(plan, 70, lead_in_s=0), 100)
    assert "prepare" not in kinds(events)
    assert [e.cue for e in events if e.kind == "switch"] == ["to_forward", "next"]


def test_a_short_segment_still_gets_its_prepare_inside_it() -> None:
    plan = plan_of(Segment("forward", 6, 4.0), Segment("backward", 6, 2.0))
    events = run(Engine(plan, 70, lead_in_s=0), 12.5, step=0.05)
    prepare = next(e for e in events if e.kind == "prepare")
    assert prepare.due == pytest.approx(T0 + 1.0)


def test_returning_to_forward_cues_to_forward() -> None:
    plan = plan_of(BACK, FWD)
    cues = [e.cue for e in run(Engine(plan, 70, lead_in_s=0), 91) if e.kind == "switch"]
    assert cues == ["to_backward", "to_forward"]


def test_the_result_carries_the_wall_clock_time_the_walk_was_started_with() -> None:
    began = datetime(2026, 3, 4, 7, 30, tzinfo=UTC)
    engine = Engine(TWO, 70, lead_in_s=0)
    assert engine.result().started_at is None  # not started yet
    engine.start(T0, started_at=began)
    engine.start(T0 + 5, started_at=datetime(2026, 3, 4, 8, 0, tzinfo=UTC))  # already going
    run(engine, 10)
    assert engine.result().started_at == began


def test_pause_freezes_the_countdown_and_resume_restarts_it() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    run(engine, 10)
    engine.pause(T0 + 10)
    assert engine.phase is Phase.PAUSED
    assert engine.tick(T0 + 100) == []
    assert engine.snapshot().segment_left == pytest.approx(50)
    engine.resume(T0 + 100)
    engine.tick(T0 + 104)
    snap = engine.snapshot()
    assert snap.segment_left == pytest.approx(46) and snap.elapsed_s == pytest.approx(14)
    result = engine.result()
    assert WalkTotals.of(result).pause_s == pytest.approx(90) and not result.pauses[0].auto


def test_a_gap_over_five_seconds_auto_pauses_at_the_last_tick() -> None:
    engine = Engine(TWO, 80, lead_in_s=0)
    run(engine, 20, step=0.5)
    kcal_before = engine.snapshot().kcal
    events = engine.tick(T0 + 20 + 30)  # e.g. the laptop slept for 30 s
    assert kinds(events) == ["auto_pause"]
    snap = engine.snapshot()
    assert snap.phase is Phase.PAUSED and snap.auto_paused
    assert snap.elapsed_s == pytest.approx(20) and snap.kcal == kcal_before
    engine.resume(T0 + 60)
    engine.tick(T0 + 61)
    assert engine.snapshot().elapsed_s == pytest.approx(21)
    assert engine.result().pauses[0].auto
    assert engine.result().pauses[0].seconds == pytest.approx(40)


def test_a_gap_of_exactly_five_seconds_is_still_walking() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    engine.start(T0)
    engine.tick(T0 + 5)
    assert engine.phase is Phase.RUNNING and engine.snapshot().elapsed_s == pytest.approx(5)


def test_a_stall_across_a_switch_cues_only_the_switch() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    run(engine, 56)
    events = engine.tick(T0 + 60.9)  # 4.9 s without a tick: ticks 3-2-1 and the switch
    assert [e.cue for e in events if e.cue] == ["to_backward"]
    assert "tick3" not in kinds(events)


def test_a_stall_without_a_switch_drops_stale_counts() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    run(engine, 56.5)
    events = engine.tick(T0 + 59.5)  # ticks due at 57, 58, 59
    assert kinds(events) == ["tick1"]


def test_skip_ends_the_segment_now_and_records_it_as_skipped() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    run(engine, 12)
    events = engine.skip(T0 + 12)
    assert [e.cue for e in events] == ["to_backward"]
    snap = engine.snapshot()
    assert snap.position == 1 and snap.segment_left == pytest.approx(30)
    assert snap.remaining_s == pytest.approx(30)
    first = engine.result().records[0]
    assert first.skipped and not first.completed and first.actual_s == pytest.approx(12)


def test_halfway_on_a_boundary_comes_just_after_the_switch_cue() -> None:
    plan = plan_of(FWD, Segment("backward", 60, 3.0))
    events = run(Engine(plan, 70, lead_in_s=0), 62)
    halfway = next(e for e in events if e.kind == "halfway")
    assert halfway.cue == "halfway" and halfway.due == pytest.approx(T0 + 61.5)


def test_skipping_past_the_middle_still_marks_halfway_once() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    engine.start(T0)
    engine.skip(T0 + 1)
    events = run(engine, 5, start=T0 + 1)
    assert [e.kind for e in events] == ["halfway"]


def test_skip_during_the_lead_in_starts_walking() -> None:
    engine = Engine(TWO, 70, lead_in_s=5)
    engine.start(T0)
    events = engine.skip(T0 + 1)
    assert [e.cue for e in events] == ["to_forward"]
    assert engine.snapshot().position == 0


def test_skip_on_the_last_segment_finishes() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    engine.start(T0)
    engine.skip(T0 + 1)
    events = engine.skip(T0 + 2)
    assert [e.cue for e in events] == ["finish"]
    assert engine.phase is Phase.FINISHED
    assert WalkTotals.of(engine.result()).segments_skipped == 2


def test_back_restarts_the_current_segment() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    run(engine, 70)  # 10 s into the backward segment
    assert engine.back(T0 + 70) == []
    snap = engine.snapshot()
    assert snap.position == 1 and snap.segment_left == pytest.approx(30)
    assert engine.result().records[1].actual_s == pytest.approx(10)


def test_back_in_the_first_three_seconds_goes_to_the_previous_segment() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    run(engine, 62)
    events = engine.back(T0 + 62)
    assert [e.cue for e in events] == ["to_forward"]
    snap = engine.snapshot()
    assert snap.position == 0 and snap.segment_left == pytest.approx(60)


def test_back_on_the_first_segment_restarts_it() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    run(engine, 1)
    engine.back(T0 + 1)
    assert engine.snapshot().position == 0 and engine.snapshot().segment_left == pytest.approx(60)


def test_ticks_fire_again_after_going_back_into_a_segment() -> None:
    engine = Engine(plan_of(Segment("forward", 10, 4.0), FWD), 70, lead_in_s=0)
    run(engine, 10.5)
    engine.back(T0 + 10.5)
    events = run(engine, 10.4, start=T0 + 10.5)
    assert kinds(events) == ["tick3", "tick2", "tick1", "switch"]


def test_speed_change_applies_now_and_calories_follow_the_actual_speed() -> None:
    engine = Engine(plan_of(Segment("forward", 600, 4.8)), 70, lead_in_s=0)
    run(engine, 60)
    engine.adjust_speed(T0 + 60, +0.8)
    run(engine, 60, start=T0 + 60)
    expected = energy.kcal(3.5, 70, 60) + energy.kcal(4.3, 70, 60)
    snap = engine.snapshot()
    assert snap.speed_kmh == pytest.approx(5.6) and snap.met == pytest.approx(4.3)
    assert snap.kcal == pytest.approx(expected)
    record = engine.result().records[0]
    assert record.distance_km == pytest.approx((4.8 + 5.6) / 60)
    assert record.actual_speed_kmh == pytest.approx(5.2)


def test_speed_is_clamped_to_the_direction_limits() -> None:
    engine = Engine(plan_of(Segment("backward", 60, 5.9)), 70, lead_in_s=0)
    engine.start(T0)
    engine.adjust_speed(T0 + 1, 1.0)
    assert engine.snapshot().speed_kmh == 6.0
    engine.adjust_speed(T0 + 2, -10)
    assert engine.snapshot().speed_kmh == 0.5


def test_the_next_segment_starts_at_its_planned_speed() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    engine.start(T0)
    engine.adjust_speed(T0 + 1, 0.5)
    run(engine, 61, start=T0 + 1)
    assert engine.snapshot().speed_kmh == 3.0


def test_kcal_split_by_direction_matches_the_energy_model() -> None:
    engine = Engine(TWO, 80, lead_in_s=5)
    run(engine, 200, step=0.3)
    snap = engine.snapshot()
    forward = energy.kcal(energy.met("forward", 5.6, 0), 80, 60)
    backward = energy.kcal(energy.met("backward", 3.0, 0), 80, 30)
    assert snap.kcal_forward == pytest.approx(forward)
    assert snap.kcal_backward == pytest.approx(backward)
    result = engine.result()
    totals = WalkTotals.of(result)
    assert totals.kcal_if_forward == pytest.approx(
        forward + energy.kcal(energy.met("forward", 3.0, 0), 80, 30)
    )
    assert result.finished and totals.segments_done == 2
    assert totals.active_s == pytest.approx(90)


def test_stop_keeps_the_partial_session() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    run(engine, 20)
    engine.stop(T0 + 25)
    result = engine.result()
    assert not result.finished and WalkTotals.of(result).active_s == pytest.approx(25)
    assert engine.tick(T0 + 60) == []


def test_four_hour_plan_with_irregular_ticks_is_exact_to_the_millisecond() -> None:
    block = Repeat(40, (Segment("forward", 240, 5.0), Segment("backward", 120, 3.0, 2.0)))
    plan = Plan("four hours", (block,))
    engine = Engine(plan, 70, lead_in_s=5)
    rng = random.Random(2026)
    t = T0
    engine.start(t)
    finish: list[Event] = []
    while not engine.finished:
        t += rng.uniform(0.01, 0.49) if rng.random() < 0.95 else rng.uniform(0.5, 4.9)
        finish += [e for e in engine.tick(t) if e.kind == "finish"]
    assert engine.total_s == 4 * 3600
    assert round(WalkTotals.of(engine.result()).active_s * 1000) == 4 * 3600 * 1000
    assert len(finish) == 1
    assert round((finish[0].due - T0) * 1000) == (5 + 4 * 3600) * 1000


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["forward", "backward"]), st.integers(5, 90)),
        min_size=1,
        max_size=8,
    ),
    st.lists(st.floats(0.001, 4.99), min_size=1, max_size=50),
)
def test_any_plan_under_any_ticking_walks_exactly_its_length(
    shape: list[tuple[str, int]], gaps: list[float]
) -> None:
    plan = Plan("p", tuple(Segment(d, s, 3.0) for d, s in shape))  # type: ignore[arg-type]
    engine = Engine(plan, 70, lead_in_s=5)
    t = T0
    events = engine.start(t)
    i = 0
    while not engine.finished:
        t += gaps[i % len(gaps)]
        i += 1
        events += engine.tick(t)
    walked = WalkTotals.of(engine.result()).active_s
    assert walked == pytest.approx(sum(s for _, s in shape), abs=1e-6)
    assert kinds(events).count("finish") == 1
    assert kinds(events).count("halfway") <= 1
    switches = [e for e in events if e.kind == "switch"]
    assert len(switches) == len({e.position for e in switches})


def test_seconds_to_next_event_points_at_the_next_cue_or_segment_end() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    assert engine.seconds_to_next_event() is None
    run(engine, 40)
    assert engine.seconds_to_next_event() == pytest.approx(5)  # halfway at 45 s
    run(engine, 5, start=T0 + 40)
    assert engine.seconds_to_next_event() == pytest.approx(5)  # prepare at 50 s
    engine.pause(T0 + 46)
    assert engine.seconds_to_next_event() is None


def test_five_minutes_and_one_minute_left_are_due_once_each() -> None:
    plan = plan_of(Segment("forward", 400, 5.0), Segment("backward", 200, 3.0))  # 10 min
    engine = Engine(plan, 70.0, lead_in_s=0)
    events = run(engine, 600.5, step=0.5)
    left = [(e.seconds_left, e.due) for e in events if e.kind == "time_left"]
    assert left == [(60, pytest.approx(T0 + 540))]  # five minutes left is the halfway


def test_time_left_marks_are_kept_clear_of_a_switch_and_not_said_after_a_skip() -> None:
    plan = plan_of(Segment("forward", 420, 5.0), Segment("backward", 300, 3.0))  # 12 min
    engine = Engine(plan, 70.0, lead_in_s=0)
    events = run(engine, 720.5, step=0.5)
    left = [(e.seconds_left, e.due) for e in events if e.kind == "time_left"]
    # 5:00 left falls on the switch at 7:00; it comes 1.5 s after the turn call.
    assert left == [(300, pytest.approx(T0 + 421.5)), (60, pytest.approx(T0 + 660))]
    skipped = Engine(plan, 70.0, lead_in_s=0)
    skipped.start(T0)
    skipped.skip(T0 + 1)
    events = run(skipped, 720, step=0.5, start=T0 + 1)
    assert [e.seconds_left for e in events if e.kind == "time_left"] == [300, 60]
    short = Engine(plan_of(Segment("forward", 100, 5.0)), 70.0, lead_in_s=0)
    assert not [e for e in run(short, 101) if e.kind == "time_left"]


def test_seconds_free_ends_at_the_next_tick_or_turn_call_not_at_halfway() -> None:
    engine = Engine(TWO, 70.0, lead_in_s=0)
    engine.start(T0)
    # halfway (45 s) is not in the way; the turn call is, 10 s before the turn at 60 s.
    assert engine.seconds_free() == pytest.approx(50)
    run(engine, 51, start=T0)
    assert engine.seconds_free() == pytest.approx(6)  # the first tick, 3 s before the end
    engine.pause(T0 + 52)
    assert engine.seconds_free() is None


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["tick", "pause", "resume", "skip", "back", "faster", "slower"]),
        st.floats(-30.0, 8.0),  # the clock may step back by up to 30 s
    ),
    max_size=60,
)


@given(OPERATIONS)
@settings(max_examples=200, deadline=None)
def test_a_clock_that_steps_back_never_makes_a_figure_negative_or_longer_than_its_span(
    operations: list[tuple[str, float]],
) -> None:
    engine = Engine(plan_of(FWD, BACK, FWD), 70, lead_in_s=5)
    t = T0
    engine.start(t)
    latest = t
    for name, step in operations:
        t += step
        latest = max(latest, t)
        if name in ("tick", "pause", "resume", "skip", "back"):
            getattr(engine, name)(t)
        else:
            engine.adjust_speed(t, 0.1 if name == "faster" else -0.1)
    engine.stop(t)
    result = engine.result()
    span = latest - T0
    assert all(p.seconds >= 0 for p in result.pauses)
    assert all(p.ended is None or p.ended >= p.started for p in result.pauses)
    assert all(r.actual_s >= 0 and r.kcal >= 0 and r.distance_km >= 0 for r in result.records)
    totals = WalkTotals.of(result)
    assert totals.active_s <= span + 1e-6
    assert totals.active_s + totals.pause_s <= span + 1e-6


def test_a_resume_stamped_before_its_pause_records_no_negative_pause() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    engine.start(T0)
    engine.tick(T0 + 2)
    engine.pause(T0 + 3)
    engine.resume(T0 + 1)  # the clock stepped back
    engine.tick(T0 + 2.5)
    result = engine.result()
    assert [p.seconds for p in result.pauses] == [0.0]
    assert WalkTotals.of(result).active_s == pytest.approx(3.0)


# --- live speed correction and the treadmill factor ----------------------------------

MIXED = plan_of(
    Segment("forward", 20, 5.0),
    Segment("backward", 10, 2.5),
    Segment("forward", 15, 6.0, 2.0),
    Segment("backward", 10, 3.0),
    Segment("backward", 5, 5.8, 1.0),
    Segment("forward", 10, 1.0),
)


def press(engine: Engine, t: float, presses: int) -> None:
    """`presses` steps of 0.1 km/h (negative: slower), all at time `t`."""
    for _ in range(abs(presses)):
        engine.adjust_speed(t, 0.1 if presses > 0 else -0.1)


def test_a_correction_carries_to_later_segments_of_the_same_direction_only() -> None:
    engine = Engine(MIXED, 70, lead_in_s=0)
    run(engine, 21)  # backward 2.5 km/h
    press(engine, T0 + 21, -5)  # 2.0: backward is walked at 80 % from now on
    assert engine.snapshot().speed_kmh == pytest.approx(2.0)
    assert engine.correction.backward == pytest.approx(0.8)
    assert engine.correction.forward == 1.0
    run(engine, 10, start=T0 + 21)  # into forward 6.0: forward is not touched
    snap = engine.snapshot()
    assert snap.position == 2 and snap.speed_kmh == 6.0
    # The coming backward segment is shown, cued and walked at 3.0 x 0.8.
    assert snap.next_entry is not None and snap.next_entry.segment.speed_kmh == 2.4
    assert snap.correction.in_force() == (("backward", -20),)
    events = run(engine, 15, start=T0 + 31)
    prepare = next(e for e in events if e.kind == "prepare")
    switch = next(e for e in events if e.kind == "switch")
    assert (prepare.position, prepare.speed_kmh) == (3, 2.4)
    assert (switch.position, switch.speed_kmh) == (3, 2.4)
    assert engine.snapshot().speed_kmh == 2.4
    # The plan itself is unchanged: the records keep what was planned.
    assert engine.result().records[3].planned_speed_kmh == 3.0


def test_a_corrected_speed_is_one_the_console_can_be_set_to_in_the_walker_unit() -> None:
    plan = plan_of(Segment("backward", 10, 3.0), Segment("backward", 10, 4.0))
    engine = Engine(plan, 70, lead_in_s=0, speed_unit="mph")
    engine.start(T0)
    engine.adjust_speed(T0 + 1, mph_to_kmh(0.1))  # 1.9 mph -> 2.0 mph on the console
    run(engine, 10, start=T0 + 1)
    # 4.0 km/h x (3.161 / 3.0) = 4.215 km/h = 2.619 mph: the console is set to 2.6 mph.
    assert engine.snapshot().speed_kmh == pytest.approx(mph_to_kmh(2.6), abs=1e-6)
    assert f"{kmh_to_mph(engine.snapshot().speed_kmh):.1f}" == "2.6"


def test_back_on_the_plan_speed_means_no_correction() -> None:
    engine = Engine(MIXED, 70, lead_in_s=0)
    engine.start(T0)
    press(engine, T0 + 1, 3)
    assert engine.correction.in_force() == (("forward", 6),)
    press(engine, T0 + 2, -3)
    assert engine.correction == (1.0, 1.0) and engine.correction.in_force() == ()
    assert engine.target_kmh(2) == 6.0


def test_a_corrected_speed_stays_inside_the_plan_limits() -> None:
    engine = Engine(MIXED, 70, lead_in_s=0)
    run(engine, 21)
    press(engine, T0 + 21, 40)  # backward 2.5 -> the 6.0 km/h backward limit
    assert engine.snapshot().speed_kmh == 6.0
    assert engine.target_kmh(3) == pytest.approx(6.0)  # 3.0 x 2.4 = 7.2: held at 6.0
    assert engine.target_kmh(4) == 6.0


def test_back_into_a_segment_starts_it_at_the_corrected_speed() -> None:
    engine = Engine(MIXED, 70, lead_in_s=0)
    run(engine, 10)
    press(engine, T0 + 10, -10)  # forward 5.0 -> 4.0
    engine.back(T0 + 12)  # restart the segment
    assert engine.snapshot().speed_kmh == 4.0


def test_the_treadmill_factor_gives_energy_and_distance_the_true_speed_only() -> None:
    engine = Engine(plan_of(Segment("forward", 60, 5.6)), 70, lead_in_s=0, treadmill_factor=0.9)
    events = run(engine, 30)
    snap = engine.snapshot()
    assert events[0].speed_kmh == 5.6 and snap.speed_kmh == 5.6  # the console's number
    true_met = energy.met("forward", 5.6 * 0.9, 0)
    assert snap.met == pytest.approx(true_met)
    assert snap.kcal == pytest.approx(energy.kcal(true_met, 70, 30))
    record = engine.result().records[0]
    assert record.distance_km == pytest.approx(5.04 * 30 / 3600)
    assert record.actual_speed_kmh == pytest.approx(5.04)
    assert record.planned_speed_kmh == 5.6


@pytest.mark.parametrize("factor", [0.0, -1.0, float("nan"), float("inf")])
def test_a_treadmill_factor_must_be_a_positive_number(factor: float) -> None:
    with pytest.raises(ValueError, match="treadmill factor"):
        Engine(TWO, 70, treadmill_factor=factor)


CORRECTING = st.lists(
    st.one_of(
        st.tuples(st.just("wait"), st.integers(1, 12)),  # half seconds
        st.tuples(st.sampled_from(["faster", "slower", "skip"]), st.integers(1, 12)),
    ),
    max_size=80,
)


@given(
    CORRECTING,
    st.floats(0.8, 1.2),
    st.sampled_from(["kmh", "mph"]),
    st.lists(st.sampled_from(["forward", "backward"]), min_size=6, max_size=6),
)
@settings(max_examples=150, deadline=None)
def test_corrections_stay_in_range_keep_to_their_direction_and_energy_uses_the_walked_speed(
    operations: list[tuple[str, int]],
    factor: float,
    unit: SpeedUnit,
    directions: list[Direction],
) -> None:
    plan = Plan(
        "p",
        tuple(
            s._replace(direction=d)
            for s, d in zip(flatten_segments(MIXED), directions, strict=True)
        ),
    )
    engine = Engine(plan, 70, lead_in_s=0, treadmill_factor=factor, speed_unit=unit)
    step = mph_to_kmh(0.1) if unit == "mph" else 0.1
    t = T0
    engine.start(t)
    pressed: set[Direction] = set()
    kcal = km = 0.0
    for name, count in operations:
        if engine.finished:
            break
        before = engine.correction
        if name == "wait":
            for _ in range(count):  # every boundary falls on a half second: no tick spans one
                snap = engine.snapshot()
                t += 0.5
                engine.tick(t)
                if snap.entry is not None:
                    seg = snap.entry.segment
                    true_kmh = snap.speed_kmh * factor
                    kcal += energy.kcal(
                        energy.met(seg.direction, true_kmh, seg.incline_pct), 70, 0.5
                    )
                    km += true_kmh * 0.5 / 3600
        elif name == "skip":
            engine.skip(t)
        else:
            here = engine.snapshot().entry
            engine.adjust_speed(t, count * step if name == "faster" else -count * step)
            if here is not None:
                pressed.add(here.segment.direction)
                other = "backward" if here.segment.direction == "forward" else "forward"
                assert engine.correction.of(other) == before.of(other)
        snap = engine.snapshot()
        for position, entry in enumerate(engine.timeline):
            low, high = SPEED_LIMITS_KMH[entry.segment.direction]
            target = engine.target_kmh(position)
            assert low <= target <= high
            if entry.segment.direction not in pressed:
                assert target == entry.segment.speed_kmh
        if snap.entry is not None:
            low, high = SPEED_LIMITS_KMH[snap.entry.segment.direction]
            assert low <= snap.speed_kmh <= high
        if snap.next_entry is not None and snap.entry is not None:
            nxt = snap.next_entry
            assert nxt.segment.speed_kmh == engine.target_kmh(nxt.position)
    result = engine.result()
    assert WalkTotals.of(result).kcal == pytest.approx(kcal, abs=1e-9)
    assert sum(r.distance_km for r in result.records) == pytest.approx(km, abs=1e-12)


def flatten_segments(plan: Plan) -> list[Segment]:
    return [s for s in plan.steps if isinstance(s, Segment)]


# --- the stored phase ----------------------------------------------------------------


def test_ready_is_only_where_a_session_begins_and_finished_is_final() -> None:
    assert not any(phase.can_become(Phase.READY) for phase in Phase)
    assert not any(Phase.FINISHED.can_become(phase) for phase in Phase)
    assert not Phase.RUNNING.can_become(Phase.LEAD_IN)


def test_a_skip_while_paused_in_the_lead_in_resumes_into_the_first_segment() -> None:
    engine = Engine(TWO, 70, lead_in_s=5)
    engine.start(T0)
    engine.pause(T0 + 1)
    assert [e.cue for e in engine.skip(T0 + 2)] == ["to_forward"]
    assert engine.phase is Phase.PAUSED and engine.snapshot().position == 0
    engine.resume(T0 + 3)
    assert engine.phase is Phase.RUNNING


def test_a_stalled_session_reads_auto_paused_only_while_it_is_paused() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    run(engine, 2)
    engine.tick(T0 + 20)
    assert engine.snapshot().auto_paused
    engine.stop(T0 + 21)
    snap = engine.snapshot()
    assert snap.phase is Phase.FINISHED and not snap.auto_paused


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["tick", "pause", "resume", "skip", "back", "stop", "start"]),
            st.floats(-3.0, 8.0),
        ),
        max_size=40,
    ),
    st.sampled_from([0, 5]),
)
@settings(max_examples=200, deadline=None)
def test_the_phase_moves_only_along_allowed_transitions(
    operations: list[tuple[str, float]], lead_in_s: int
) -> None:
    engine = Engine(plan_of(Segment("forward", 10, 4.0), BACK), 70, lead_in_s=lead_in_s)
    t = T0
    before = engine.phase
    for name, step in operations:
        t += step
        getattr(engine, name)(t)
        after = engine.phase
        assert after is before or before.can_become(after), (before, after)
        assert engine.snapshot().phase is after
        assert engine.finished == (after is Phase.FINISHED)
        before = after
