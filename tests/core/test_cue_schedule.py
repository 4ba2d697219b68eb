"""The cue schedule of a slot and the collapsing of a batch, as pure functions
(`walkcoach.engine.schedule`), with expectations worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walkcoach.cues import Cue
from walkcoach.engine import Event, EventKind
from walkcoach.engine.schedule import (
    STALE_AFTER_S,
    Scheduled,
    Slot,
    TimeLeftMark,
    WalkMarks,
    collapse,
    fire,
    seconds_free,
    seconds_to_next,
    slot_schedule,
    switch_cue,
    walk_marks,
)
from walkcoach.plan import Plan, Segment, flatten
from walkcoach.planrules import MIN_SEGMENT_S

NO_MARKS = WalkMarks(halfway_at=None)

# --- the walk-wide marks --------------------------------------------------------------


def test_a_ten_minute_walk_says_its_middle_and_one_minute_left() -> None:
    # Five minutes left is the middle itself: the halfway cue says it.
    assert walk_marks(600) == WalkMarks(300.0, (TimeLeftMark(540, 60),))


def test_a_twelve_minute_walk_says_five_minutes_and_one_minute_left() -> None:
    assert walk_marks(720) == WalkMarks(360.0, (TimeLeftMark(420, 300), TimeLeftMark(660, 60)))


def test_a_walk_under_two_minutes_has_only_its_middle() -> None:
    assert walk_marks(100) == WalkMarks(50.0, ())


def test_marks_once_said_are_gone() -> None:
    marks = walk_marks(720)
    said = marks.after([Scheduled(240, 11, "time_left", 300), Scheduled(57, 0, "tick", 3)])
    assert said == WalkMarks(360.0, (TimeLeftMark(660, 60),))
    assert said.after([Scheduled(1.5, 10, "halfway")]) == WalkMarks(None, (TimeLeftMark(660, 60),))


# --- the schedule of one slot ----------------------------------------------------------


def test_a_lead_in_has_only_its_countdown() -> None:
    assert slot_schedule(Slot.lead_in(5), walk_marks(600)) == (
        Scheduled(2.0, 0, "tick", 3),
        Scheduled(3.0, 1, "tick", 2),
        Scheduled(4.0, 2, "tick", 1),
    )
    assert slot_schedule(Slot.lead_in(2), walk_marks(600)) == (Scheduled(1.0, 2, "tick", 1),)
    assert slot_schedule(Slot.lead_in(0), walk_marks(600)) == ()


TWO = flatten(Plan("two", (Segment("forward", 60, 5.6), Segment("backward", 30, 3.0))))


def test_a_segment_before_a_turn_has_halfway_prepare_and_countdown() -> None:
    slot = Slot.segment(TWO, 0)
    assert slot == Slot(60.0, 0, 0.0, "backward")
    assert slot_schedule(slot, walk_marks(90)) == (
        Scheduled(45.0, 10, "halfway"),  # the walk's middle, 45 s in
        Scheduled(50.0, -1, "prepare"),  # 10 s before the turn
        Scheduled(57.0, 0, "tick", 3),
        Scheduled(58.0, 1, "tick", 2),
        Scheduled(59.0, 2, "tick", 1),
    )


def test_the_last_segment_has_no_prepare() -> None:
    slot = Slot.segment(TWO, 1)
    assert slot == Slot(30.0, 1, 60.0, None)
    assert [s.kind for s in slot_schedule(slot, NO_MARKS)] == ["tick"] * 3


def test_no_prepare_before_a_segment_in_the_same_direction() -> None:
    timeline = flatten(Plan("p", (Segment("forward", 60, 5.0), Segment("forward", 60, 6.0))))
    assert Slot.segment(timeline, 0).turn_to is None
    assert "prepare" not in [s.kind for s in slot_schedule(Slot.segment(timeline, 0), NO_MARKS)]


def test_a_short_segment_gets_its_prepare_one_second_in_ahead_of_a_tie() -> None:
    slot = Slot(6.0, 0, 0.0, "backward")
    assert slot_schedule(slot, NO_MARKS)[:2] == (
        Scheduled(1.0, -1, "prepare"),  # 6 - 10 s would be before the start
        Scheduled(3.0, 0, "tick", 3),
    )
    # Prepare and a tick at the same offset: prepare first.
    tied = slot_schedule(Slot(13.0, 0, 0.0, "backward"), NO_MARKS)
    assert [(s.offset, s.kind) for s in tied][:2] == [(3.0, "prepare"), (10.0, "tick")]


def test_halfway_on_a_boundary_or_skipped_past_comes_clear_of_the_switch() -> None:
    on_boundary = slot_schedule(Slot(60.0, 1, 60.0), WalkMarks(60.0))
    assert Scheduled(1.5, 10, "halfway") in on_boundary
    skipped_past = slot_schedule(Slot(30.0, 1, 60.0), WalkMarks(45.0))
    assert Scheduled(1.5, 10, "halfway") in skipped_past
    later = slot_schedule(Slot(60.0, 0, 0.0), WalkMarks(90.0))
    assert "halfway" not in [s.kind for s in later]
    said = slot_schedule(Slot(60.0, 0, 0.0), WalkMarks(None))
    assert "halfway" not in [s.kind for s in said]


def test_a_time_left_mark_is_said_in_its_segment_and_not_after_it() -> None:
    marks = WalkMarks(None, (TimeLeftMark(420, 300), TimeLeftMark(660, 60)))
    second = slot_schedule(Slot(300.0, 1, 420.0), marks)
    assert [s for s in second if s.kind == "time_left"] == [
        Scheduled(1.5, 11, "time_left", 300),  # on the boundary: after the switch cue
        Scheduled(240.0, 11, "time_left", 60),
    ]
    late = slot_schedule(Slot(299.0, 1, 421.0), marks)
    assert [s.seconds_left for s in late if s.kind == "time_left"] == [60]


# --- firing -----------------------------------------------------------------------------


def test_fire_takes_what_the_offset_reached_and_stamps_when_each_was_due() -> None:
    slot = Slot.segment(TWO, 0)
    schedule = slot_schedule(slot, walk_marks(90))
    early = fire(schedule, walk_marks(90), slot, 44.9, 1044.9, 3.0)
    assert early.events == [] and early.schedule == schedule
    fired = fire(schedule, walk_marks(90), slot, 50.5, 1050.5, 2.4)
    assert fired.events == [
        Event("halfway", 1045.0, "halfway", position=0),
        Event("prepare", 1050.0, "prepare", position=1, direction="backward", speed_kmh=2.4),
    ]
    assert fired.schedule == schedule[2:]
    assert fired.marks == WalkMarks(None, ())


def test_fire_counts_an_offset_a_hair_short_as_reached() -> None:
    slot = Slot.lead_in(5)
    fired = fire(slot_schedule(slot, NO_MARKS), NO_MARKS, slot, 2.0 - 1e-10, 100.0, None)
    assert [e.seconds_left for e in fired.events] == [3]


def test_fired_ticks_name_their_segment_or_none_in_the_lead_in() -> None:
    lead_in = Slot.lead_in(5)
    ticks = fire(slot_schedule(lead_in, NO_MARKS), NO_MARKS, lead_in, 5.0, 10.0, None).events
    assert ticks == [
        Event("tick", 7.0, "tick", position=None, seconds_left=3),
        Event("tick", 8.0, "tick", position=None, seconds_left=2),
        Event("tick", 9.0, "tick", position=None, seconds_left=1),
    ]
    segment = Slot(30.0, 1, 60.0)
    marks = WalkMarks(None, (TimeLeftMark(60, 30),))
    fired = fire(slot_schedule(segment, marks), marks, segment, 1.5, 61.5, None)
    assert fired.events == [Event("time_left", 61.5, None, position=1, seconds_left=30)]
    assert fired.marks == NO_MARKS


def test_the_next_cue_and_the_free_time_to_it() -> None:
    slot = Slot.segment(TWO, 0)
    schedule = slot_schedule(slot, walk_marks(90))
    assert seconds_to_next(schedule, slot, 40.0) == 5.0  # halfway
    assert seconds_free(schedule, slot, 40.0) == 10.0  # halfway may be talked over
    assert seconds_to_next((), slot, 58.5) == 1.5  # the segment's end
    assert seconds_free((), slot, 61.0) == 0.0


def test_a_switch_cue_names_the_new_direction_unless_it_is_the_same() -> None:
    assert switch_cue(None, "forward") == "to_forward"  # out of the lead-in
    assert switch_cue(None, "backward") == "to_backward"
    assert switch_cue("forward", "backward") == "to_backward"
    assert switch_cue("backward", "forward") == "to_forward"
    assert switch_cue("forward", "forward") == "next"
    assert switch_cue("backward", "backward") == "next"


# --- collapsing a batch -----------------------------------------------------------------


def tick(due: float, left: int) -> Event:
    return Event("tick", due, "tick", position=0, seconds_left=left)


def switch(due: float, position: int, cue: Cue = "to_backward") -> Event:
    return Event("switch", due, cue, position=position, direction="backward", speed_kmh=3.0)


def test_a_lone_event_is_kept_as_it_is_even_late() -> None:
    assert collapse([tick(50.0, 3)], 60.0) == [tick(50.0, 3)]


def test_stale_counts_are_dropped() -> None:
    assert collapse([tick(57.0, 3), tick(58.0, 2), tick(59.0, 1)], 59.5) == [tick(59.0, 1)]


def test_a_switch_speaks_for_the_counts_and_switches_before_it() -> None:
    batch = [tick(57.0, 3), switch(58.0, 1), tick(59.9, 1), switch(60.0, 2, "next")]
    assert collapse(batch, 60.0) == [switch(60.0, 2, "next")]


def test_one_cue_speaks_and_the_rest_keep_their_place_silent() -> None:
    halfway = Event("halfway", 61.5, "halfway", position=1)
    assert collapse([switch(60.0, 1), halfway], 61.6) == [
        switch(60.0, 1),
        halfway._replace(cue=None),
    ]
    finish = Event("finish", 90.0, "finish")
    assert collapse([switch(60.0, 1), halfway, finish], 90.0) == [
        switch(60.0, 1)._replace(cue=None),
        halfway._replace(cue=None),
        finish,
    ]
    # Without a switch or a finish, the latest cue speaks.
    assert collapse([halfway, tick(61.6, 3)], 61.6) == [halfway._replace(cue=None), tick(61.6, 3)]


KINDS_CUES: list[tuple[EventKind, list[Cue | None]]] = [
    ("tick", ["tick"]),
    ("prepare", ["prepare"]),
    ("switch", ["to_backward", "to_forward", "next"]),
    ("halfway", ["halfway"]),
    ("time_left", [None]),
    ("finish", ["finish"]),
    ("auto_pause", [None]),
]

EVENTS = st.sampled_from(KINDS_CUES).flatmap(
    lambda kind_cues: st.builds(
        Event,
        st.just(kind_cues[0]),
        st.floats(0.0, 10.0),
        st.sampled_from(kind_cues[1]),
        st.integers(0, 5),
    )
)


@given(st.lists(EVENTS, max_size=12), st.floats(10.0, 14.0))
def test_collapsing_keeps_the_order_one_voice_the_last_switch_and_every_finish(
    batch: list[Event], now: float
) -> None:
    kept = collapse(batch, now)
    # What is kept is the batch in its order, less some events, some silenced.
    position = 0
    for event in kept:
        while batch[position] != event and batch[position]._replace(cue=None) != event:
            position += 1
        position += 1
    if len(batch) > 1:
        assert len([e for e in kept if e.cue is not None]) <= 1
    never_dropped = [e for e in batch if e.kind not in ("tick", "prepare", "switch")]
    assert [e._replace(cue=None) for e in kept if e.kind not in ("tick", "prepare", "switch")] == [
        e._replace(cue=None) for e in never_dropped
    ]
    switches = [e for e in batch if e.kind == "switch"]
    if switches:
        assert [e._replace(cue=None) for e in kept if e.kind == "switch"] == [
            switches[-1]._replace(cue=None)
        ]
        kept_after = kept[[e.kind for e in kept].index("switch") :]
        assert all(e.kind not in ("tick", "prepare") or e in kept_after for e in kept)
    finishes = [e for e in kept if e.kind == "finish"]
    if finishes and len(batch) > 1:
        assert finishes[-1].cue == "finish"
    elif switches and len(batch) > 1:
        assert next(e for e in kept if e.kind == "switch").cue == switches[-1].cue
    if len(batch) > 1:
        assert all(now - e.due <= STALE_AFTER_S for e in kept if e.kind in ("tick", "prepare"))


# --- properties of a segment's schedule ----------------------------------------------------

MARKS = st.builds(
    WalkMarks,
    st.one_of(st.none(), st.floats(0.0, 8000.0)),
    st.lists(
        st.builds(TimeLeftMark, st.floats(0.0, 8000.0), st.sampled_from([60, 300])), max_size=2
    ).map(tuple),
)


@given(
    st.integers(MIN_SEGMENT_S, 3600),
    st.integers(0, 4 * 3600),
    st.one_of(st.none(), st.sampled_from(["forward", "backward"])),
    st.one_of(st.none(), st.integers(0, 100)),
    MARKS,
)
def test_every_cue_lies_within_its_slot_in_the_order_it_comes(
    length: int, start: int, turn_to: str | None, position: int | None, marks: WalkMarks
) -> None:
    slot = Slot(float(length), position, float(start), turn_to)  # type: ignore[arg-type]
    schedule = slot_schedule(slot, marks)
    assert all(0 < s.offset < length for s in schedule)
    assert list(schedule) == sorted(schedule, key=lambda s: (s.offset, s.order))
    assert [s.seconds_left for s in schedule if s.kind == "tick"] == [3, 2, 1]
    kinds = [s.kind for s in schedule]
    if position is None:
        assert set(kinds) == {"tick"}
    else:
        assert kinds.count("prepare") == (turn_to is not None)
        assert kinds.count("halfway") <= 1
    # Fired bit by bit, the schedule comes out whole, once, in order, each when due.
    rest, fired, offset, marks_left = schedule, [], 0.0, marks
    while offset < length:
        offset = min(float(length), offset + 0.7)
        step = fire(rest, marks_left, slot, offset, 1000.0 + offset, 3.0)
        assert all(e.due <= 1000.0 + offset + 1e-6 for e in step.events)
        fired += step.events
        rest, marks_left = step.schedule, step.marks
    assert rest == ()
    assert [(e.kind, e.due) for e in fired] == [
        (s.kind, pytest.approx(1000.0 + s.offset)) for s in schedule
    ]
    if "halfway" in kinds:
        assert marks_left.halfway_at is None
