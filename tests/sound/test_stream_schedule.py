"""Which prompt plays, waits, interrupts or is dropped: the pure rules of schedule.py."""

from __future__ import annotations

from walkcoach.cues import CUES
from walkcoach.sound.schedule import (
    TICK_LATE_S,
    Entry,
    Start,
    choose,
    enqueue,
    entry_for,
    interrupts,
    tone,
)
from walkcoach.voice import Prompt, PromptKind


def prompt(kind: PromptKind, due: float = 0.0, deadline: float | None = None) -> Prompt:
    return Prompt(kind, ((kind,),), None, due, deadline)


def always_fits(p: Prompt, now: float) -> int | None:
    return len(p.parts)


def test_a_higher_priority_interrupts_a_lower_one_never_the_reverse() -> None:
    assert interrupts(prompt("switch"), prompt("prepare"))
    assert interrupts(prompt("finish"), prompt("switch"))
    assert not interrupts(prompt("prepare"), prompt("switch"))
    assert not interrupts(prompt("halfway"), prompt("time_left"))  # equal, no topic


def test_the_same_topic_interrupts_even_at_equal_or_lower_priority() -> None:
    assert interrupts(prompt("resume"), prompt("pause"))
    assert interrupts(prompt("pause"), prompt("resume"))
    assert interrupts(prompt("speed"), prompt("speed"))
    assert not interrupts(prompt("speed"), prompt("pause"))  # both 2, different topics


def test_nothing_to_interrupt_when_idle() -> None:
    assert not interrupts(prompt("finish"), None)


def test_a_newer_prompt_replaces_queued_ones_of_lower_or_equal_priority() -> None:
    switch, prepare, halfway = (
        Entry(prompt("switch")),
        Entry(prompt("prepare")),
        Entry(prompt("halfway")),
    )
    queue = enqueue(enqueue((), switch), halfway)
    assert queue == (switch, halfway)

    newer_prepare = Entry(prompt("prepare", due=1.0))
    assert enqueue(queue, newer_prepare) == (switch, newer_prepare)
    assert enqueue((switch, prepare), Entry(prompt("lead_in"))) == (
        switch,
        Entry(prompt("lead_in")),
    )
    finish = Entry(prompt("finish"))
    assert enqueue((switch, prepare), finish) == (finish,)


def test_the_queue_stays_in_falling_priority_so_its_head_is_the_most_urgent() -> None:
    queue: tuple[Entry, ...] = ()
    for kind in ("halfway", "finish", "speed", "switch", "tick", "pause", "time_left"):
        queue = enqueue(queue, Entry(prompt(kind)))  # type: ignore[arg-type]
    priorities = [e.prompt.priority for e in queue]
    assert priorities == sorted(priorities, reverse=True)
    assert len(set(priorities)) == len(priorities)
    assert [e.prompt.kind for e in queue] == ["finish", "switch", "tick", "pause", "time_left"]


def test_choose_starts_the_head_with_the_parts_that_fit() -> None:
    a, b = Entry(prompt("switch")), Entry(prompt("halfway"))
    start, rest, dropped = choose((a, b), now=5.0, fit=lambda p, now: 0)
    assert start == Start(a, 0)
    assert rest == (b,)
    assert dropped == ()


def test_choose_drops_what_no_longer_fits_and_tries_the_next() -> None:
    late, next_one = Entry(prompt("switch", deadline=4.0)), Entry(prompt("halfway"))

    def by_deadline(p: Prompt, now: float) -> int | None:
        return None if p.deadline is not None and now > p.deadline else 1

    start, rest, dropped = choose((late, next_one), now=5.0, fit=by_deadline)
    assert start == Start(next_one, 1)
    assert rest == ()
    assert dropped == (late,)


def test_a_tick_that_would_start_too_long_after_its_due_is_dropped() -> None:
    tick = entry_for(Prompt("tick", (("n3",),), None, due=10.0, deadline=11.0))
    assert tick.start_by == 10.0 + TICK_LATE_S

    assert choose((tick,), now=10.0 + TICK_LATE_S, fit=always_fits)[0] == Start(tick, 1)
    start, rest, dropped = choose((tick,), now=10.0 + TICK_LATE_S + 0.01, fit=always_fits)
    assert (start, rest, dropped) == (None, (), (tick,))


def test_only_ticks_get_a_start_by_from_their_due() -> None:
    assert entry_for(prompt("switch", due=10.0)).start_by is None
    assert entry_for(prompt("tick", due=10.0), start_by=10.1).start_by == 10.1
    assert entry_for(prompt("tick", due=10.0), start_by=99.0).start_by == 10.0 + TICK_LATE_S


def test_a_bare_tone_takes_the_priority_of_the_prompt_it_opens() -> None:
    assert tone("tick", 3.0) == Prompt("tick", (), "tick", 3.0, None)
    assert tone("to_backward", 0).priority == prompt("switch").priority
    assert tone("finish", 0).priority == prompt("finish").priority
    assert tone("halfway", 0).priority == prompt("halfway").priority
    for cue in CUES:
        assert tone(cue, 0).earcon == cue and tone(cue, 0).parts == ()
