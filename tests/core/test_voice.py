"""What the coach says: words per event, both units, rounding and the safe order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walkcoach import voice
from walkcoach.calories import HOLDS
from walkcoach.engine import Engine, Event, Phase
from walkcoach.plan import Plan, Segment, flatten
from walkcoach.units import format_speed, mph_to_kmh
from walkcoach.voice import Coach, VoiceSettings, spoken_text

KMH = VoiceSettings("kmh")
MPH = VoiceSettings("mph")
SILENT_VOICE = VoiceSettings("kmh", voice=False)
WORDS = VoiceSettings("kmh", countdown="words")

FWD = Segment("forward", 60, 4.5)
BACK = Segment("backward", 45, 2.5)


def words(clips: tuple[str, ...]) -> str:
    return spoken_text(clips)


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (0, "zero"),
        (7, "seven"),
        (19, "nineteen"),
        (20, "twenty"),
        (32, "thirty two"),
        (99, "ninety nine"),
        (100, "one hundred"),
        (212, "two hundred twelve"),
        (1000, "one thousand"),
        (23512, "twenty three thousand five hundred twelve"),
    ],
)
def test_whole_numbers_are_said_in_words(n: int, said: str) -> None:
    assert words(voice.number_clips(n)) == said


@pytest.mark.parametrize(
    ("kmh", "unit", "said"),
    [
        (2.5, "kmh", "two point five"),
        (3.0, "kmh", "three"),
        (0.5, "kmh", "zero point five"),
        (9.0, "kmh", "nine"),
        (4.0, "mph", "two point five"),  # 2.49 mph shows as 2.5
        (4.828032, "mph", "three"),  # exactly 3 mph
        (5.6, "mph", "three point five"),
    ],
)
def test_speeds_are_said_as_the_treadmill_shows_them(kmh: float, unit: str, said: str) -> None:
    assert words(voice.speed_clips(kmh, unit)) == said  # type: ignore[arg-type]


@given(st.floats(0.5, 9.0), st.sampled_from(["kmh", "mph"]))
def test_the_spoken_speed_always_matches_the_screen(kmh: float, unit: str) -> None:
    shown = format_speed(kmh, unit).split()[0]  # type: ignore[arg-type]
    whole, tenth = shown.split(".")
    expected = words(voice.number_clips(int(whole)))
    if tenth != "0":
        expected += f" point {words(voice.number_clips(int(tenth)))}"
    assert words(voice.speed_clips(kmh, unit)) == expected  # type: ignore[arg-type]


def test_lead_in_says_get_ready_then_the_first_direction_and_speed_with_the_unit() -> None:
    prompt = voice.lead_in(FWD, KMH, 10.0, 17.0)
    assert prompt.text == (
        "Get ready First, walk forward Set the belt to four point five kilometers per hour"
    )
    assert (prompt.kind, prompt.due, prompt.deadline, prompt.earcon) == (
        "lead_in",
        10.0,
        17.0,
        None,
    )


def test_lead_in_into_backward_in_miles_per_hour() -> None:
    prompt = voice.lead_in(BACK, MPH, 0.0, None)
    assert prompt.text == (
        "Get ready First, walk backward Set the belt to one point six miles per hour"
    )


def test_into_backward_the_belt_is_slowed_before_the_turn() -> None:
    prompt = voice.prepare(BACK, 4.5, KMH, 50.0, 57.0)
    assert prompt.parts == (
        ("backward_next",),
        ("slow_the_belt_to", "n2", "point", "n5"),
        ("then_turn_around",),
    )
    assert prompt.earcon == "prepare"
    assert prompt.text == "Backward next Slow the belt to two point five then turn around"


def test_into_a_faster_forward_the_walker_turns_first_then_raises_the_belt() -> None:
    prompt = voice.prepare(FWD, 2.5, KMH, 0.0, None)
    assert prompt.text == (
        "Forward next Turn around at this speed then raise the belt to four point five"
    )


def test_a_turn_at_the_same_speed_says_to_keep_it() -> None:
    prompt = voice.prepare(Segment("backward", 30, 3.0), 3.04, KMH, 0.0, None)
    assert prompt.text == "Backward next Keep the speed, and turn around"


@given(
    st.sampled_from(["forward", "backward"]),
    st.floats(0.5, 6.0),
    st.floats(0.5, 9.0),
    st.sampled_from(["kmh", "mph"]),
)
def test_the_belt_is_never_sped_up_before_the_turn(
    direction: str, coming_kmh: float, belt_kmh: float, unit: str
) -> None:
    coming = Segment(direction, 30, coming_kmh)  # type: ignore[arg-type]
    clips = voice.prepare(coming, belt_kmh, VoiceSettings(unit), 0.0, None).clips  # type: ignore[arg-type]
    assert clips[0] == f"{direction}_next"
    if "slow_the_belt_to" in clips:
        assert coming_kmh < belt_kmh
        assert clips.index("slow_the_belt_to") < clips.index("then_turn_around")
    if "then_raise_the_belt_to" in clips:
        assert coming_kmh > belt_kmh
        assert clips.index("turn_at_this_speed") < clips.index("then_raise_the_belt_to")
    # The words agree with the written advice on screen.
    advice = voice.turn_advice(coming, belt_kmh, unit)  # type: ignore[arg-type]
    assert ("slow" in advice) == ("slow_the_belt_to" in clips)
    assert ("raise" in advice) == ("then_raise_the_belt_to" in clips)


def test_turn_now_names_the_direction_and_a_faster_forward_speed_after_it() -> None:
    into_back = voice.switch("to_backward", BACK, FWD, 2.5, False, KMH, 0.0, None)
    assert into_back.text == "Turn now Walk backward"
    assert into_back.earcon == "to_backward"
    into_fwd = voice.switch("to_forward", FWD, BACK, 2.5, False, KMH, 0.0, None)
    assert into_fwd.text == "Turn now Walk forward Raise the belt to four point five"


def test_the_first_backward_segment_adds_the_form_reminder() -> None:
    prompt = voice.switch("to_backward", BACK, FWD, 2.5, True, KMH, 0.0, None)
    assert prompt.parts[-1] == ("form_reminder",)
    assert "Hands on the rails" in prompt.text


def test_same_direction_says_only_what_changed() -> None:
    faster = Segment("forward", 60, 5.6, 4.0)
    prompt = voice.switch("next", faster, FWD, 4.5, False, KMH, 0.0, None)
    assert prompt.text == "Next segment Speed five point six Incline four percent"
    same = voice.switch("next", Segment("forward", 30, 4.5), FWD, 4.5, False, KMH, 0.0, None)
    assert same.text == "Next segment"


def test_the_first_segment_repeats_the_speed() -> None:
    prompt = voice.switch("to_forward", FWD, None, 4.5, False, KMH, 0.0, None)
    assert prompt.text == "Start walking forward Speed four point five"


def test_the_last_seconds_are_tones_or_spoken_numbers() -> None:
    tone = voice.tick(3, KMH, 5.0)
    assert (tone.earcon, tone.parts, tone.deadline) == ("tick", (), 6.0)
    spoken = voice.tick(2, WORDS, 5.0)
    assert (spoken.earcon, spoken.text) == (None, "two")
    # Without the voice the countdown is tones whatever the setting.
    assert voice.tick(1, WORDS._replace(voice=False), 5.0).earcon == "tick"


def test_without_the_voice_only_the_tones_remain() -> None:
    prompt = voice.prepare(BACK, 4.5, SILENT_VOICE, 0.0, None)
    assert (prompt.parts, prompt.earcon) == ((), "prepare")
    assert voice.time_left(5, SILENT_VOICE, 0.0, None) is None
    assert voice.paused(SILENT_VOICE, 0.0) is None
    assert voice.speed_set(4.0, SILENT_VOICE, 0.0, None) is None
    assert voice.finish(True, 600, 50, SILENT_VOICE, 0.0).parts == ()


def test_every_time_left_mark_of_the_engine_has_words() -> None:
    from walkcoach.engine import TIME_LEFT_MINUTES

    for minutes in TIME_LEFT_MINUTES:
        assert voice.time_left(minutes, KMH, 0.0, None) is not None


def test_time_left_and_halfway() -> None:
    assert voice.time_left(5, KMH, 0.0, None).text == "Five minutes left"  # type: ignore[union-attr]
    assert voice.time_left(1, KMH, 0.0, None).text == "One minute left"  # type: ignore[union-attr]
    assert voice.time_left(2, KMH, 0.0, None) is None
    assert voice.halfway(KMH, 0.0, None).text == "Halfway there"


def test_pause_resume_and_speed_are_said_back() -> None:
    assert voice.paused(KMH, 0.0).text == "Walk paused"  # type: ignore[union-attr]
    resumed = voice.resumed(BACK, 2.6, KMH, 0.0, None)
    assert resumed.text == "Resuming Walk backward Speed two point six"  # type: ignore[union-attr]
    assert voice.speed_set(4.6, MPH, 0.0, None).text == "Speed two point nine"  # type: ignore[union-attr]


def test_the_end_says_minutes_and_kcal() -> None:
    done = voice.finish(True, 32 * 60 + 10, 212.4, KMH, 0.0)
    assert done.text == "Walk done thirty two minutes walked two hundred twelve calories"
    assert done.earcon == "finish" and done.deadline is None
    early = voice.finish(False, 50, 1.2, KMH, 0.0)
    assert early.text == "Walk ended early one minute walked one calorie"
    assert early.earcon is None


def test_the_coach_says_the_handrail_hold_the_walker_chose() -> None:
    coach = Coach(flatten(Plan("p", (FWD,))), KMH)
    said = [coach.hold(hold, 5.0, 2.0) for hold in ("free", "resting", "gripping")]
    assert [p.text for p in said if p] == ["Hands free", "Hands resting", "Gripping the rails"]
    first = said[0]
    assert first is not None and (first.due, first.deadline, first.earcon) == (5.0, 7.0, None)
    # A newer choice replaces one still queued: only the hold now matters.
    assert len({p.topic for p in said if p}) == 1
    assert voice.hold_set("free", KMH._replace(voice=False), 0.0, None) is None


def test_prompts_rank_so_that_turns_win() -> None:
    ranks = {kind: voice.PRIORITY[kind] for kind in voice.PRIORITY}
    assert ranks["finish"] > ranks["switch"] > ranks["tick"] > ranks["prepare"]
    assert ranks["prepare"] > ranks["speed"] > ranks["halfway"]
    assert voice.paused(KMH, 0).topic == voice.resumed(None, 3, KMH, 0, None).topic  # type: ignore[union-attr]


def test_the_coach_says_the_form_reminder_only_at_the_first_backward_segment() -> None:
    plan = Plan("p", (FWD, BACK, FWD, BACK))
    coach = Coach(flatten(plan), KMH)
    said = [
        coach.events([Event("switch", 0.0, cue, position=i)], 4.5, 0.0, None)[0]
        for i, cue in ((1, "to_backward"), (2, "to_forward"), (3, "to_backward"))
    ]
    assert ["form_reminder" in p.clips for p in said] == [True, False, False]


def test_the_coach_gives_each_prompt_the_time_the_engine_leaves_free() -> None:
    plan = Plan("p", (FWD, BACK))
    engine = Engine(plan, 70.0, lead_in_s=10)
    coach = Coach(engine.timeline, KMH)
    engine.start(0.0)
    assert engine.phase is Phase.LEAD_IN
    free = engine.seconds_free()
    assert free == pytest.approx(7.0)  # the lead-in's first tick is 3 s before its end
    assert coach.start(0.0, free).deadline == pytest.approx(7.0)
    events = []
    t = 0.0
    while not any(e.kind == "prepare" for e in events):
        t += 0.25
        events = engine.tick(t)
    # Ten seconds before the turn; the countdown starts three seconds before it.
    (prompt,) = coach.events(events, 4.5, t, engine.seconds_free())
    assert prompt.kind == "prepare"
    assert prompt.due == pytest.approx(10 + 50)
    assert prompt.deadline == pytest.approx(10 + 57)


def test_the_coach_says_the_belt_speed_the_event_carries_not_the_plan() -> None:
    plan = Plan("p", (FWD, BACK, Segment("backward", 30, 3.0)))
    coach = Coach(flatten(plan), KMH)
    (turn,) = coach.events(
        [Event("prepare", 0.0, "prepare", 1, "backward", speed_kmh=2.0)], 4.5, 0.0, None
    )
    assert turn.text == "Backward next Slow the belt to two then turn around"
    (switch,) = coach.events(
        [Event("switch", 0.0, "next", 2, "backward", speed_kmh=2.4)], 2.0, 0.0, None
    )
    assert switch.parts[:2] == (("next_segment",), ("speed", "n2", "point", "n4"))


TURN_CLIPS = ("slow_the_belt_to", "then_raise_the_belt_to")


@given(
    st.integers(-15, 15),
    st.sampled_from(["kmh", "mph"]),
    st.sampled_from([0.8, 1.0, 1.13]),
)
@settings(deadline=None)
def test_after_a_correction_the_spoken_turn_call_names_the_speed_on_screen(
    presses: int, unit: str, treadmill_factor: float
) -> None:
    """The number the prepare prompt says is the number the screen shows for the coming
    segment (its Next line, turn call and reminder all format `next_entry`)."""
    plan = Plan(
        "p",
        (
            Segment("backward", 20, 2.5),
            Segment("forward", 30, 5.0),  # its turn call (at 40 s) is clear of halfway
            Segment("backward", 20, 3.3),
        ),
    )
    spoken = VoiceSettings(unit)  # type: ignore[arg-type]
    engine = Engine(
        plan, 70.0, lead_in_s=0, treadmill_factor=treadmill_factor, speed_unit=spoken.unit
    )
    coach = Coach(engine.timeline, spoken)
    engine.start(0.0)
    step = 0.1 if unit == "kmh" else mph_to_kmh(0.1)
    for _ in range(abs(presses)):
        engine.adjust_speed(1.0, step if presses > 0 else -step)
    t, prompts = 1.0, []
    while (engine.snapshot().position != 1 or not prompts) and t < 50:
        t += 0.25
        belt = engine.snapshot().speed_kmh
        events = engine.tick(t)
        if engine.snapshot().position == 1:
            prompts = [p for p in coach.events(events, belt, t, None) if p.kind == "prepare"]
    snap = engine.snapshot()
    assert snap.next_entry is not None
    shown = format_speed(snap.next_entry.segment.speed_kmh, spoken.unit).split()[0]
    said = [part[1:] for part in prompts[0].parts if part[0] in TURN_CLIPS]
    if said:
        assert said == [voice.decimal_clips(float(shown))]
    else:  # the belt already reads the coming speed: no number to say
        assert ("keep_the_speed",) in prompts[0].parts
        assert format_speed(snap.speed_kmh, spoken.unit).split()[0] == shown
    assert shown in voice.turn_advice(snap.next_entry.segment, snap.speed_kmh, spoken.unit)


# --- every prompt the app can ask for has its clips -------------------------------------


def every_prompt() -> list[voice.Prompt]:
    """Every prompt over every speed in range in both units, every minute count and kcal
    up to the plan and profile limits."""
    from walkcoach import energy
    from walkcoach.planrules import INCLINE_LIMITS_PCT, MAX_SESSION_S, SPEED_LIMITS_KMH
    from walkcoach.store.profile import WEIGHT_LIMITS_KG

    prompts: list[voice.Prompt] = []
    for unit in ("kmh", "mph"):
        for countdown in voice.COUNTDOWNS:
            settings = VoiceSettings(unit, True, countdown)  # type: ignore[arg-type]
            for direction, (low, high) in SPEED_LIMITS_KMH.items():
                for tenth in range(round(low * 10), round(high * 10) + 1):
                    kmh = tenth / 10
                    seg = Segment(direction, 60, kmh, 15.0)
                    other = Segment("forward" if direction == "backward" else "backward", 60, 3)
                    prompts += [
                        voice.lead_in(seg, settings, 0, None),
                        voice.prepare(seg, 3.0, settings, 0, None),
                        voice.prepare(seg, 9.0, settings, 0, None),
                        voice.prepare(seg, 0.5, settings, 0, None),
                        voice.switch("to_forward", seg, other, 0.5, True, settings, 0, None),
                        voice.switch(
                            "next", seg, seg._replace(speed_kmh=0.5), 0.5, True, settings, 0, None
                        ),
                        voice.switch("to_forward", seg, None, 0.5, True, settings, 0, None),
                        voice.speed_set(kmh, settings, 0, None),  # type: ignore[list-item]
                        voice.resumed(seg, kmh, settings, 0, None),  # type: ignore[list-item]
                    ]
            for tenth in range(round(INCLINE_LIMITS_PCT[1] * 10) + 1):
                seg = Segment("forward", 60, 4.0, tenth / 10)
                prompts.append(voice.switch("next", seg, FWD, 4.0, False, settings, 0, None))
            prompts += [voice.tick(n, settings, 0) for n in (3, 2, 1)]
            prompts += [voice.halfway(settings, 0, None), voice.paused(settings, 0)]  # type: ignore[list-item]
            prompts += [voice.time_left(m, settings, 0, None) for m in (5, 1)]  # type: ignore[misc]
            prompts += [voice.hold_set(h, settings, 0, None) for h in HOLDS]  # type: ignore[misc]
            prompts.append(voice.sample(settings, 0))
    max_met = energy.met("forward", SPEED_LIMITS_KMH["forward"][1], INCLINE_LIMITS_PCT[1])
    max_kcal = round(energy.kcal(max_met, WEIGHT_LIMITS_KG[1], MAX_SESSION_S)) + 1
    for minutes in range(MAX_SESSION_S // 60 + 1):
        prompts.append(voice.finish(True, minutes * 60, 0, KMH, 0))
    for kcal in range(max_kcal + 1):
        prompts.append(voice.finish(False, 0, kcal, KMH, 0))
    return prompts


def test_every_prompt_the_app_can_ask_for_has_all_its_clips() -> None:
    from walkcoach.resources import voice_dir, wav_files

    prompts = every_prompt()
    assert len(prompts) > 20_000  # the kcal range alone reaches past twenty thousand
    shipped = list(wav_files(voice_dir()))
    assert list(voice.missing_clips(prompts, shipped)) == []
    assert list(voice.missing_clips(prompts, voice.VOCABULARY)) == []
    used = {clip for prompt in prompts for clip in prompt.clips}
    assert used == set(voice.VOCABULARY)  # and no clip is shipped for nothing
