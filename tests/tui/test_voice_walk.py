"""A whole walk by ear: every prompt the session asks for, its words, order and due time.

The app runs with a fake clock and a recording player; the screen is ticked as the real
one is, so each prompt is asked for at the clock time the walker would hear it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.pilot import WALKER, build, started, text_of, walk
from walkcoach import energy
from walkcoach.plan import Plan, Segment
from walkcoach.tui.screens.recap import RecapScreen
from walkcoach.tui.screens.session import SPEED_SETTLE_S, SessionScreen
from walkcoach.tui.widgets.bigclock import BigClock

# 7 minutes: long enough for "five minutes left" and "one minute left".
WALK = Plan(
    "Voice walk",
    (
        Segment("forward", 120, 4.8, 0, "Warm-up"),
        Segment("backward", 60, 3.0),
        Segment("forward", 90, 5.6, 2.0),
        Segment("forward", 90, 5.6, 2.0),
        Segment("backward", 30, 3.2),
        Segment("forward", 30, 4.0),
    ),
)
LEAD_IN = 10


async def walk_it(tmp_path: Path, **profile: object) -> tuple[list[tuple[float, str, str]], float]:
    app, clock, player = build(
        tmp_path, plan=WALK, profile=WALKER._replace(lead_in_s=LEAD_IN, **profile)
    )
    start = clock.now
    async with started(app, size=(100, 30)) as pilot:
        await walk(pilot, clock, LEAD_IN + 420 + 1, step=0.25)
        assert isinstance(app.screen, RecapScreen)
    said = [
        (round(at - start, 2), p.kind, p.text or str(p.earcon))
        for at, p in zip(player.said_at, player.prompts, strict=True)
    ]
    return said, start


async def test_a_whole_walk_is_said_in_order_at_its_moments(tmp_path: Path) -> None:
    said, _ = await walk_it(tmp_path)
    L = LEAD_IN
    turns_and_talk = [s for s in said if s[1] != "tick"]
    form = "Hands on the rails. Short steps, and keep your back straight"
    kcal = said[-1][2].split("walked ")[1]
    assert turns_and_talk == [
        (
            0,
            "lead_in",
            "Get ready First, walk forward Set the belt to four point eight kilometers per hour",
        ),
        (L, "switch", "Start walking forward Speed four point eight"),
        (L + 110, "prepare", "Backward next Slow the belt to three then turn around"),
        (L + 120, "switch", f"Turn now Walk backward {form}"),
        # Five minutes left falls on the first turn (120 s into 7 minutes): just after it.
        (L + 121.5, "time_left", "Five minutes left"),
        (
            L + 170,
            "prepare",
            "Forward next Turn around at this speed then raise the belt to five point six",
        ),
        (
            L + 180,
            "switch",
            "Turn now Walk forward Raise the belt to five point six Incline two percent",
        ),
        (L + 210, "halfway", "Halfway there"),
        (L + 270, "switch", "Next segment"),
        (L + 350, "prepare", "Backward next Slow the belt to three point two then turn around"),
        (L + 360, "switch", "Turn now Walk backward Incline zero percent"),
        (L + 361.5, "time_left", "One minute left"),
        (L + 380, "prepare", "Forward next Turn around at this speed then raise the belt to four"),
        (L + 390, "switch", "Turn now Walk forward Raise the belt to four"),
        (L + 420, "finish", f"Walk done seven minutes walked {kcal}"),
    ]
    assert kcal.endswith(" calories") and len(kcal.split()) >= 2
    # Every segment's last three seconds are counted (the lead-in's too), with tones.
    ticks = [s for s in said if s[1] == "tick"]
    assert len(ticks) == 3 * 7 and {s[2] for s in ticks} == {"tick"}
    assert [t[0] for t in ticks[:3]] == [L - 3, L - 2, L - 1]


async def test_the_last_seconds_can_be_spoken_numbers(tmp_path: Path) -> None:
    said, _ = await walk_it(tmp_path, countdown="words")
    ticks = [s for s in said if s[1] == "tick"]
    assert [s[2] for s in ticks[:3]] == ["three", "two", "one"]


async def test_prompts_end_before_the_next_tick_or_turn(tmp_path: Path) -> None:
    app, clock, player = build(tmp_path, plan=WALK, profile=WALKER._replace(lead_in_s=LEAD_IN))
    async with started(app, size=(100, 30)) as pilot:
        await walk(pilot, clock, LEAD_IN + 230)
    prepares = [p for p in player.prompts if p.kind == "prepare"]
    assert [round(p.deadline - p.due, 2) for p in prepares] == [7.0, 7.0]  # type: ignore[operator]
    lead_in = player.prompts[0]
    assert lead_in.deadline == pytest.approx(lead_in.due + LEAD_IN - 3)
    halfway = next(p for p in player.prompts if p.kind == "halfway")
    # Halfway, 30 s into a 90 s segment with no turn after it, may talk until the
    # countdown 3 s before its end (the speed change is announced at the switch).
    assert halfway.deadline == pytest.approx(halfway.due + 57)


async def test_pause_resume_and_a_speed_change_are_said_back(tmp_path: Path) -> None:
    app, clock, player = build(tmp_path, plan=WALK, profile=WALKER._replace(lead_in_s=0))
    async with started(app, size=(100, 30)) as pilot:
        await walk(pilot, clock, 5)
        await pilot.press("space")
        assert player.spoken[-1] == "Walk paused"
        clock.advance(30)
        await pilot.press("space")
        assert player.spoken[-1] == "Resuming Walk forward Speed four point eight"
        await pilot.press("plus", "plus", "plus")
        await walk(pilot, clock, SPEED_SETTLE_S - 0.25)
        assert not [p for p in player.prompts if p.kind == "speed"]
        await pilot.press("minus")  # a later press restarts the wait
        await walk(pilot, clock, SPEED_SETTLE_S + 0.25)
        assert [p.text for p in player.prompts if p.kind == "speed"] == ["Speed five"]
        await pilot.press("q")
        await pilot.press("y")
        assert player.prompts[-1].kind == "finish"
        assert player.spoken[-1].startswith("Walk ended early zero minutes walked")
        assert player.prompts[-1].earcon is None


async def test_mute_silences_voice_and_tones(tmp_path: Path) -> None:
    app, clock, player = build(tmp_path, plan=WALK, profile=WALKER._replace(lead_in_s=0))
    async with started(app, size=(100, 30)) as pilot:
        await pilot.press("m")
        before = len(player.prompts)
        await walk(pilot, clock, 125)
        assert len(player.prompts) == before


async def test_no_voice_keeps_only_the_tones(tmp_path: Path) -> None:
    app, clock, player = build(
        tmp_path, plan=WALK, profile=WALKER._replace(lead_in_s=LEAD_IN, voice=False)
    )
    async with started(app, size=(100, 30)) as pilot:
        await walk(pilot, clock, LEAD_IN + 125)
    assert player.spoken == []
    assert player.played[-5:] == ["prepare", "tick", "tick", "tick", "to_backward"]


async def test_the_turn_call_is_drawn_large_in_the_ten_seconds_before_a_turn(
    tmp_path: Path,
) -> None:
    app, clock, _ = build(tmp_path, plan=WALK, profile=WALKER._replace(lead_in_s=0))
    async with started(app, size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await walk(pilot, clock, 109)
        assert not screen.has_class("turning")
        await walk(pilot, clock, 2)
        assert screen.has_class("turning")
        assert text_of(screen, "banner") == (
            "FORWARD NOW  ·  BACKWARD NEXT\nSLOW THE BELT TO 3.0 KM/H, THEN TURN AROUND"
        )
        assert screen.query_one("#banner").has_class("-backward")
        assert screen.query_one("#countdown").has_class("-forward")
        speed = screen.query_one("#turn-speed", BigClock)
        assert speed.value == "3.0" and speed.has_class("-backward")
        assert speed.size.height >= 5 and speed.display
        await walk(pilot, clock, 10)  # walking backward now: the call is gone
        assert not screen.has_class("turning")
        assert not speed.display
        await walk(pilot, clock, 50)
        assert text_of(screen, "banner") == (
            "BACKWARD NOW  ·  FORWARD NEXT\n"
            "TURN AROUND AT THIS SPEED, THEN RAISE THE BELT TO 5.6 KM/H"
        )
        assert speed.value == "5.6" and speed.has_class("-forward")


async def test_mute_in_one_walk_does_not_carry_into_the_next(tmp_path: Path) -> None:
    short = Plan("Short", (Segment("forward", 10, 4.0),))
    app, clock, player = build(tmp_path, plan=short, profile=WALKER._replace(lead_in_s=0))
    async with started(app, size=(100, 30)) as pilot:
        await pilot.press("m")
        assert player.muted
        await walk(pilot, clock, 11)
        assert isinstance(app.screen, RecapScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert not player.muted
        assert "MUTED" not in text_of(app.screen, "title")


async def test_a_speed_correction_is_shown_said_and_kept_for_the_rest_of_the_walk(
    tmp_path: Path,
) -> None:
    """The walker slows the first backward bout and speeds up the forward walking: the
    later segments of each direction follow, on screen and by ear, with the same numbers."""
    app, clock, player = build(tmp_path, plan=WALK, profile=WALKER._replace(lead_in_s=0))
    async with started(app, size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await walk(pilot, clock, 125)  # backward at 3.0
        await pilot.press(*["minus"] * 5)
        assert "Speed 2.5 km/h (plan 3.0 km/h)" in text_of(screen, "target")
        assert text_of(screen, "next") == (
            "Next FORWARD 1:30 at 5.6 km/h   adjusted: backward -17 %"
        )
        await walk(pilot, clock, 60)  # forward at 5.6: not corrected
        assert text_of(screen, "target").startswith("Speed 5.6 km/h   Incline 2 %")
        await pilot.press(*["plus"] * 4)
        await walk(pilot, clock, 90)  # the next forward segment keeps the correction
        assert text_of(screen, "target").startswith("Speed 6.0 km/h (plan 5.6 km/h)")
        await walk(pilot, clock, 81)  # 10 s before turning to the backward 3.2 bout
        said = player.prompts[-1]
        assert (said.kind, said.text) == (
            "prepare",
            "Backward next Slow the belt to two point seven then turn around",
        )
        assert screen.query_one("#turn-speed", BigClock).value == "2.7"
        assert text_of(screen, "banner").endswith("SLOW THE BELT TO 2.7 KM/H, THEN TURN AROUND")
        assert "Slow the belt to 2.7 km/h first" in text_of(screen, "reminder")
        assert text_of(screen, "next") == (
            "Next BACKWARD 0:30 at 2.7 km/h   adjusted: forward +7 %, backward -17 %"
        )
        await walk(pilot, clock, 30)  # 10 s before turning to the forward 4.0 finish
        said = player.prompts[-1]
        assert said.text == (
            "Forward next Turn around at this speed then raise the belt to four point three"
        )
        assert screen.query_one("#turn-speed", BigClock).value == "4.3"
        await walk(pilot, clock, 10)
        turn = next(p for p in reversed(player.prompts) if p.kind == "switch")
        assert turn.text == "Turn now Walk forward Raise the belt to four point three"
        assert text_of(screen, "target").startswith("Speed 4.3 km/h (plan 4.0 km/h)")


async def test_the_treadmill_factor_keeps_the_console_numbers_and_counts_the_true_speed(
    tmp_path: Path,
) -> None:
    app, clock, player = build(
        tmp_path, plan=WALK, profile=WALKER._replace(lead_in_s=0, treadmill_factor=0.9)
    )
    async with started(app, size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await walk(pilot, clock, 60)
        assert text_of(screen, "target").startswith("Speed 4.8 km/h   Incline 0 %")
        assert player.prompts[0].text == "Start walking forward Speed four point eight"
        true_met = energy.met("forward", 4.8 * 0.9, 0)
        assert f"MET {true_met:.1f}" in text_of(screen, "energy")
        assert screen.engine.snapshot().kcal == pytest.approx(energy.kcal(true_met, 80, 60))
