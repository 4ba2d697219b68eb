"""A real session spoken into ALSA's file plugin: every prompt the coach should say is
played, whole or cut as its deadline allows, in order, each within 100 ms of its due
time, one stream at a time.

The session runs headless in a fresh process whose HOME holds an `.asoundrc` capturing
to a file; this process watches the file grow and times each burst of samples on the
same monotonic clock (CLOCK_MONOTONIC is shared by every process on the machine). ALSA's
`null` slave takes samples as fast as they come, so a whole stream lands in the capture
within milliseconds of its start: a burst's onset is when the stream started, and its
bytes are the stream. What the coach should say is worked out here, independently of
the app, by replaying the plan through the engine and `walkcoach.voice.Coach` from the
session's start time.

The runs (tests/support/capture.py) are shared with test_voice_transcript.py (one per
back-end per test process), which listens to the same capture with a speech recognizer.
"""

from __future__ import annotations

import ctypes.util
import itertools
from typing import NamedTuple

import pytest

from tests.support.capture import (
    BACKENDS,
    LEAD_IN_S,
    PLAN,
    WEIGHT_KG,
    CapturedSession,
    audible_bursts,
    captured_session,
    grew_past,
    voice_folder,
)
from walkcoach.engine import Engine, Phase
from walkcoach.plan import loads
from walkcoach.resources import sounds_dir
from walkcoach.sound.stream import Library, assemble, fit, load_library, prefix_seconds, seconds_of
from walkcoach.voice import Coach, Prompt, VoiceSettings
from walkcoach.walks import WalkTotals

pytestmark = [
    pytest.mark.alsa,
    pytest.mark.skipif(ctypes.util.find_library("asound") is None, reason="no libasound"),
]

TOLERANCE_S = 0.100
OVERLAP_SLACK_S = 0.005  # the watcher's polling jitter


class Heard(NamedTuple):
    prompt: Prompt
    stream: bytes
    onset: float  # when its first samples reached the capture
    offset: int  # where the stream starts in the capture

    @property
    def late_s(self) -> float:
        return self.onset - self.prompt.due


# --- what should have been said --------------------------------------------------------


def expected_prompts(started_at: float, plan: str = PLAN) -> list[Prompt]:
    """What the session screen asks the player for, replayed on a 1 ms clock."""
    engine = Engine(loads(plan), WEIGHT_KG, lead_in_s=LEAD_IN_S)
    coach = Coach(engine.timeline, VoiceSettings())
    belt = engine.snapshot().speed_kmh
    t = started_at
    events = engine.start(t)
    prompts = [coach.start(t, engine.seconds_free())] if engine.phase is Phase.LEAD_IN else []
    while True:
        if events:
            prompts += coach.events(events, belt, t, engine.seconds_free())
            belt = engine.snapshot().speed_kmh
        if engine.finished:
            break
        t += 0.001
        events = engine.tick(t)
    result = engine.result()
    totals = WalkTotals.of(result)
    prompts.append(coach.end(result.finished, totals.active_s, totals.kcal, t))
    return prompts


def parts_kept(prompt: Prompt, library: Library) -> int:
    """How much of `prompt` fits before its deadline when it starts on time."""
    kept = fit(prompt, prefix_seconds(prompt, library), prompt.due)
    assert kept is not None, f"{prompt.kind} due {prompt.due} cannot start on time"
    return kept


def expected_streams(started_at: float, library: Library) -> list[tuple[Prompt, bytes]]:
    return [
        (prompt, assemble(prompt, library, parts_kept(prompt, library)))
        for prompt in expected_prompts(started_at)
    ]


# --- what was heard ---------------------------------------------------------------------


def find_stream(raw: bytes, stream: bytes, start: int) -> int:
    """Where `stream` starts in `raw` from `start` on, at a sample boundary; -1: nowhere."""
    at = raw.find(stream, start)
    while at >= 0 and (at - start) % 2:
        at = raw.find(stream, at + 1)
    return at


def heard_streams(session: CapturedSession, want: list[tuple[Prompt, bytes]]) -> list[Heard]:
    """Finds each expected stream in the capture, in order, with only silence between
    (the probe's, the back-end's padding) and nothing after; each burst of sound holds
    exactly one of them."""
    raw, heard, position = session.raw, [], 0
    for index, (prompt, stream) in enumerate(want):
        at = find_stream(raw, stream, position)
        what = f"stream {index} ({prompt.kind}: {prompt.text or prompt.earcon!r})"
        assert at >= 0, f"{what} is missing from the capture, or out of order"
        assert not raw[position:at].strip(b"\0"), f"something else is heard before {what}"
        heard.append(Heard(prompt, stream, grew_past(session.log, at), at))
        position = at + len(stream)
    assert not raw[position:].strip(b"\0"), "something is heard after the last prompt"
    per_burst = [
        [h.prompt.kind for h in heard if burst.start <= h.offset < burst.end]
        for burst in audible_bursts(session)
    ]
    assert all(len(kinds) == 1 for kinds in per_burst), f"streams per burst: {per_burst}"
    return heard


def overlaps(heard: list[Heard]) -> list[tuple[str, str, int]]:
    """Streams that started before the one before them had played out: (kinds, ms)."""
    return [
        (a.prompt.kind, b.prompt.kind, round((a.onset + seconds_of(a.stream) - b.onset) * 1000))
        for a, b in itertools.pairwise(heard)
        if b.onset < a.onset + seconds_of(a.stream) - OVERLAP_SLACK_S
    ]


def said(prompt: Prompt, kept: int) -> tuple[str, str | None, tuple[str, ...]]:
    """What a stream says: its kind, its tone and its words as played."""
    return prompt.kind, prompt.earcon, tuple(c for part in prompt.parts[:kept] for c in part)


def check_session(session: CapturedSession, backend_name: str) -> list[Heard]:
    assert session.backend == backend_name
    library = session.library()
    want = expected_streams(session.started_at, library)
    # The player started exactly the prompts the engine and coach call for, each cut
    # only as its deadline requires.
    assert [said(s.prompt, s.parts_kept) for s in session.started] == [
        said(prompt, parts_kept(prompt, library)) for prompt, _ in want
    ]
    # ... each known at its due time (the finish is due when the app sees the walk end).
    for s, (prompt, _) in zip(session.started, want, strict=True):
        slack = TOLERANCE_S if prompt.kind == "finish" else 0.005
        assert s.prompt.due == pytest.approx(prompt.due, abs=slack)
        if prompt.deadline is not None:
            assert s.prompt.deadline == pytest.approx(prompt.deadline, abs=0.030)
    heard = heard_streams(session, want)
    late = [(h.prompt.kind, round(h.late_s * 1000)) for h in heard if abs(h.late_s) > TOLERANCE_S]
    assert late == [], f"prompts off by more than 100 ms (kind, ms): {late}"
    assert overlaps(heard) == []
    return heard


def test_the_plan_leaves_every_prompt_room() -> None:
    """The plan's prompts, played on time, never meet: each ends before the next is due,
    and none is cut short, so the on-time check needs no model of the player's queue and
    the transcript test hears every word."""
    library = load_library(sounds_dir(), voice_folder())
    want = expected_streams(1000.0, library)
    kinds = [prompt.kind for prompt, _ in want]
    assert kinds.count("prepare") == 2 and kinds.count("halfway") == 1
    assert kinds[0] == "lead_in" and kinds[-1] == "finish"
    for (a, stream), (b, _) in itertools.pairwise(want):
        assert a.due + seconds_of(stream) <= b.due, f"{a.kind} runs into {b.kind}"
    assert all(parts_kept(p, library) == len(p.parts) for p, _ in want)


def test_a_real_session_speaks_in_order_on_time_one_stream_at_a_time() -> None:
    """The default back-end (miniaudio, in process)."""
    check_session(captured_session("default"), "miniaudio (ALSA)")


@pytest.mark.skipif("simpleaudio" not in BACKENDS, reason="simpleaudio is not installed")
def test_a_real_session_through_simpleaudio_too() -> None:
    """The `sound` extra's back-end, chosen explicitly."""
    check_session(captured_session("simpleaudio"), "simpleaudio")
