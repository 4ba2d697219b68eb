"""The session engine under a fake clock: every behaviour of DESIGN.md section 4."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walkcoach import energy
from walkcoach.engine import Engine, Event, Phase
from walkcoach.plan import Plan, Repeat, Segment

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
    assert result.pause_s == pytest.approx(90) and not result.pauses[0].auto


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
    assert engine.phase is Phase.FINISHED and engine.result().skipped == 2


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
    assert result.kcal_if_forward == pytest.approx(
        forward + energy.kcal(energy.met("forward", 3.0, 0), 80, 30)
    )
    assert result.finished and result.completed == 2 and result.active_s == pytest.approx(90)


def test_stop_keeps_the_partial_session() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    run(engine, 20)
    engine.stop(T0 + 25)
    result = engine.result()
    assert not result.finished and result.active_s == pytest.approx(25)
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
    assert round(engine.result().active_s * 1000) == 4 * 3600 * 1000
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
    assert engine.result().active_s == pytest.approx(sum(s for _, s in shape), abs=1e-6)
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
    assert result.active_s <= span + 1e-6
    assert result.active_s + result.pause_s <= span + 1e-6


def test_a_resume_stamped_before_its_pause_records_no_negative_pause() -> None:
    engine = Engine(TWO, 70, lead_in_s=0)
    engine.start(T0)
    engine.tick(T0 + 2)
    engine.pause(T0 + 3)
    engine.resume(T0 + 1)  # the clock stepped back
    engine.tick(T0 + 2.5)
    result = engine.result()
    assert [p.seconds for p in result.pauses] == [0.0]
    assert result.active_s == pytest.approx(3.0)
