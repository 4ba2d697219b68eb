"""What a real session says, heard by a speech recognizer: before each turn the coming
direction and belt speed, "turn now" at the turn, "walk done" at the end.

The session is the one test_session_capture.py runs (the default back-end, miniaudio,
into an ALSA file capture, shared within a test process). Each burst of sound in the
capture is one prompt; its opening tone is silenced (tones are not words) and the rest
transcribed by pocketsphinx (tests/support/recognizer.py). A word is placed on the clock
at its stream's onset in the capture plus its time into the stream, as a listener would
hear it. Silent, garbled or wrong clips make this fail; the unit tests at the top show
the recognizer tells them apart.
"""

from __future__ import annotations

import ctypes.util
import functools
import itertools
import shutil
from collections.abc import Callable
from typing import NamedTuple

import pytest

pytest.importorskip("pocketsphinx")

from tests.support.capture import (
    LEAD_IN_S,
    PLAN,
    WEIGHT_KG,
    CapturedSession,
    audible_bursts,
    captured_session,
    grew_past,
    voice_folder,
)
from tests.support.recognizer import (
    Recognizer,
    Word,
    coach_sentences,
    find_phrase,
    resample_sox,
    resample_stdlib,
    vocabulary_words,
    words_of,
)
from tests.support.sound import cue_pcm
from walkcoach.cues import CUES
from walkcoach.engine import PREPARE_BEFORE_S, Engine
from walkcoach.plan import Segment, loads
from walkcoach.resources import sounds_dir
from walkcoach.sound.stream import RATE, SAMPLE_WIDTH, Library, assemble, load_library
from walkcoach.voice import VoiceSettings, prepare, speed_clips, spoken_text

BYTES_PER_S = RATE * SAMPLE_WIDTH
TURN_NOW_WITHIN_S = 2.5  # "turn now" begins this soon after the turn (tone, then words)
DONE_WITHIN_S = 2.5


class Heard(NamedTuple):
    """A word, and when a listener heard it start (monotonic clock)."""

    word: str
    at: float


@functools.cache
def recognizer() -> Recognizer:
    return Recognizer()


def library() -> Library:
    return load_library(sounds_dir(), voice_folder())


def tones_in(pcm: bytes) -> list[tuple[int, int]]:
    """Where the cue tones are in `pcm` (start and end byte, at sample boundaries)."""
    found = []
    for cue in CUES:
        tone = cue_pcm(cue)
        at = pcm.find(tone)
        while at >= 0:
            if at % 2 == 0:
                found.append((at, at + len(tone)))
            at = pcm.find(tone, at + 1)
    return sorted(found)


def without_tones(pcm: bytes) -> bytes:
    """`pcm` with every cue tone in it turned to silence."""
    muted = bytearray(pcm)
    for start, end in tones_in(pcm):
        muted[start:end] = bytes(end - start)
    return bytes(muted)


def stream_start(pcm: bytes) -> int:
    """Where the sound in `pcm` begins: its opening tone (which may begin with a few
    silent samples), else its first sound."""
    first = (len(pcm) - len(pcm.lstrip(b"\0"))) & ~1
    return min([first, *(start for start, _ in tones_in(pcm))])


def said(words: list[Word]) -> str:
    return " ".join(word.word for word in words)


# --- the recognizer on its own ---------------------------------------------------------


def test_the_recognizer_knows_every_word_of_the_vocabulary_and_no_other() -> None:
    heard_of = {word for sentence in coach_sentences() for word in sentence.split()}
    assert heard_of == set(vocabulary_words()) == recognizer().words


TURN_CALL = prepare(Segment("backward", 60, 2.5), 4.5, VoiceSettings(), 0.0, None)


@pytest.mark.parametrize(
    "resampler",
    [
        pytest.param(
            resample_sox, marks=pytest.mark.skipif(not shutil.which("sox"), reason="no sox")
        ),
        resample_stdlib,
    ],
)
def test_the_recognizer_hears_a_turn_call_built_from_the_clips(
    resampler: Callable[[bytes, int], bytes],
) -> None:
    pcm = without_tones(assemble(TURN_CALL, library()))
    words = recognizer().transcribe(pcm, RATE, resampler)
    assert said(words) == " ".join(words_of(TURN_CALL.text))
    assert said(words) == "backward next slow the belt to two point five then turn around"
    assert all(a.start < b.start for a, b in itertools.pairwise(words))
    assert words[0].start >= 0.0 and words[-1].end <= len(pcm) / BYTES_PER_S + 0.05


def test_the_recognizer_hears_nothing_in_silence_nor_in_the_tones() -> None:
    tones = b"".join(cue_pcm(cue) for cue in CUES)
    assert recognizer().transcribe(bytes(BYTES_PER_S * 2)) == []
    assert said(recognizer().transcribe(without_tones(tones))) == ""


def test_the_recognizer_hears_a_wrong_clip_as_the_wrong_word() -> None:
    """Had the clips of "backward next" and "forward next" been swapped, or the numbers
    mixed up, the session test would hear it."""
    lib = library()
    swapped = dict(lib.clips)
    swapped["backward_next"], swapped["n2"] = lib.clips["forward_next"], lib.clips["n4"]
    pcm = assemble(TURN_CALL, Library(earcons={}, clips=swapped))
    words = recognizer().transcribe(pcm)
    assert said(words) == "forward next slow the belt to four point five then turn around"


# --- a real session -------------------------------------------------------------------


def transcript(session: CapturedSession) -> list[Heard]:
    """Every word heard in the capture, placed on the clock."""
    heard: list[Heard] = []
    for burst in audible_bursts(session):
        chunk = session.raw[burst.start : burst.end]
        first = stream_start(chunk)
        onset = grew_past(session.log, burst.start + first)
        for word in recognizer().transcribe(without_tones(chunk)[first:]):
            heard.append(Heard(word.word, onset + word.start))
    return heard


def between(heard: list[Heard], start: float, end: float) -> list[Word]:
    return [Word(h.word, h.at, h.at) for h in heard if start <= h.at < end]


def show(heard: list[Heard], origin: float) -> str:
    return "\n".join(f"{h.at - origin:7.2f} s  {h.word}" for h in heard)


@pytest.mark.alsa
@pytest.mark.skipif(ctypes.util.find_library("asound") is None, reason="no libasound")
def test_a_real_session_says_the_direction_and_speed_before_each_turn() -> None:
    session = captured_session("default")
    assert session.backend == "miniaudio (ALSA)"
    heard = transcript(session)
    origin = session.started_at
    text = "transcript (seconds from the start):\n" + show(heard, origin)
    print(text)

    engine = Engine(loads(PLAN), WEIGHT_KG, lead_in_s=LEAD_IN_S)
    walk_starts = origin + LEAD_IN_S
    first = engine.timeline[0].segment
    lead_in = between(heard, origin, walk_starts)
    assert find_phrase(lead_in, "get ready first walk forward") == 0, text
    belt = spoken_text(speed_clips(first.speed_kmh, "kmh"))
    assert find_phrase(lead_in, f"set the belt to {belt} kilometers per hour"), text

    turns = [
        (entry, previous)
        for previous, entry in zip(engine.timeline, engine.timeline[1:], strict=False)
        if entry.segment.direction != previous.segment.direction
    ]
    assert len(turns) == 2
    for entry, previous in turns:
        coming, other = entry.segment.direction, previous.segment.direction
        turn_at = walk_starts + entry.start_s
        before = between(heard, turn_at - PREPARE_BEFORE_S, turn_at)
        call = find_phrase(before, f"{coming} next")
        assert call is not None, f"no '{coming} next' before the turn {entry.start_s} s in\n{text}"
        speed = spoken_text(speed_clips(entry.segment.speed_kmh, "kmh"))
        assert find_phrase(before, f"belt to {speed}", call) is not None, f"{speed}?\n{text}"
        assert other not in said(before).split(), text
        after = between(heard, turn_at, turn_at + TURN_NOW_WITHIN_S + 2)
        now = find_phrase(after, f"turn now walk {coming}")
        assert now is not None and after[now].start < turn_at + TURN_NOW_WITHIN_S, text

    walk_ends = walk_starts + engine.total_s
    end = between(heard, walk_ends, walk_ends + DONE_WITHIN_S + 3)
    done = find_phrase(end, "walk done")
    assert done is not None and end[done].start < walk_ends + DONE_WITHIN_S, text
    assert find_phrase(end, "one minute walked", done) is not None, text
    # Nothing is said before the walk starts, nor after the end's words.
    assert heard[0].at >= origin and heard[-1].at < walk_ends + 10, text


def test_the_transcript_test_reads_times_from_the_clock() -> None:
    """A word's time is its stream's onset in the capture plus its time into the stream."""
    pcm = assemble(TURN_CALL, library())
    raw = bytes(BYTES_PER_S) + pcm + bytes(1000)
    log = [(100.0, 4410), (200.0, BYTES_PER_S + 10), (200.001, len(raw))]
    session = CapturedSession("test", 0.0, [], raw, log, voice_folder(), 0.0)
    heard = transcript(session)
    assert [h.word for h in heard][:2] == ["backward", "next"]
    prepare_tone_s = len(cue_pcm("prepare")) / BYTES_PER_S
    assert 200.0 + prepare_tone_s < heard[0].at < 200.0 + prepare_tone_s + 0.5
