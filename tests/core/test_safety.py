"""Safety reminders: one chosen by the state of the session, in the walker's units."""

from __future__ import annotations

import pytest

from walkcoach import safety
from walkcoach.engine import Engine
from walkcoach.plan import Plan, Segment

T0 = 0.0
PLAN = Plan(
    "s",
    (Segment("forward", 120, 4.5), Segment("backward", 60, 2.4), Segment("forward", 60, 4.0)),
)


def at(seconds_after_start: float, lead_in_s: int = 5) -> Engine:
    engine = Engine(PLAN, 70, lead_in_s=lead_in_s)
    engine.start(T0)
    t = T0
    while t < seconds_after_start:
        t = min(seconds_after_start, t + 0.5)
        engine.tick(t)
    return engine


@pytest.mark.parametrize(
    ("seconds", "situation"),
    [
        (1, "start"),  # lead-in
        (5 + 10, "start"),  # first half minute
        (5 + 60, "during_forward"),
        (5 + 111, "before_backward"),  # 9 s before the turn
        (5 + 130, "during_backward"),
        (5 + 175, "before_forward"),
        (5 + 200, "during_forward"),
    ],
)
def test_the_situation_follows_the_session(seconds: float, situation: str) -> None:
    assert safety.situation(at(seconds).snapshot()) == situation


def test_before_backward_names_the_belt_speed_to_set() -> None:
    reminder = safety.choose(at(5 + 112).snapshot(), "kmh")
    assert reminder is not None and reminder.urgent
    assert "2.4 km/h" in reminder.text
    in_mph = safety.choose(at(5 + 112).snapshot(), "mph")
    assert in_mph is not None and "1.5 mph" in in_mph.text


def test_before_forward_names_the_forward_speed() -> None:
    reminder = safety.choose(at(5 + 175).snapshot(), "kmh")
    assert reminder is not None and "4.0 km/h" in reminder.text


def test_the_turn_reminders_follow_the_safe_order() -> None:
    into_backward = safety.choose(at(5 + 112).snapshot(), "kmh")
    assert into_backward is not None
    text = into_backward.text
    assert text.index("Slow the belt to 2.4 km/h") < text.index("turn around")
    # Back to a faster forward: turn at the slow speed first, then raise the belt.
    into_forward = safety.choose(at(5 + 175).snapshot(), "kmh")
    assert into_forward is not None
    text = into_forward.text
    assert text.index("turn at this slow speed") < text.index("raise the belt to 4.0 km/h")
    assert "Slow the belt" not in text


def test_a_slower_forward_segment_is_slowed_into_before_the_turn() -> None:
    plan = Plan("s", (Segment("backward", 30, 3.0), Segment("forward", 30, 2.0)))
    engine = Engine(plan, 70, lead_in_s=0)
    engine.start(T0)
    for t in range(1, 23):
        engine.tick(T0 + t)
    reminder = safety.choose(engine.snapshot(), "kmh")
    assert reminder is not None and reminder.situation == "before_forward"
    text = reminder.text
    assert text.index("Slow the belt to 2.0 km/h") < text.index("turn around")
    assert "raise" not in text


def test_a_plan_that_opens_backward_warns_during_the_lead_in() -> None:
    engine = Engine(Plan("b", (Segment("backward", 60, 2.0),)), 70)
    engine.start(T0)
    assert safety.situation(engine.snapshot()) == "before_backward"


def test_backward_reminders_take_turns() -> None:
    texts = {safety.choose(at(5 + s).snapshot(), "kmh").text for s in (121, 141, 161)}  # type: ignore[union-attr]
    assert len(texts) == 3


def test_no_reminder_once_finished() -> None:
    engine = at(5 + 241)
    assert engine.finished and safety.choose(engine.snapshot(), "kmh") is None


def test_reminder_texts_and_checklist_come_from_seeds() -> None:
    texts = safety.reminders()
    assert len(texts.checklist) == 4
    assert any("safety key" in t for t in texts.checklist)
    turns = texts.before_backward + texts.before_forward + texts.before_forward_slower
    assert all("{speed}" in t for t in turns)
