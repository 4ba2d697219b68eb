"""Splicing a prompt into one stream: order, gaps, lengths, unknown clips, and cutting a
prompt to its deadline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.sound import make_sound_folders, tone_pcm, write_clip
from walkcoach.sound.stream import (
    CLIP_GAP_S,
    EARCON_GAP_S,
    PART_GAP_S,
    RATE,
    ClipFolder,
    Library,
    assemble,
    fit,
    load_library,
    prefix_seconds,
    seconds_of,
    silence,
)
from walkcoach.voice import Prompt

LIBRARY = Library(
    earcons={"prepare": tone_pcm(1, 0.3)},
    clips={
        "backward_next": tone_pcm(2, 0.8),
        "slow_the_belt_to": tone_pcm(3, 0.7),
        "n2": tone_pcm(4, 0.25),
        "then_turn_around": tone_pcm(5, 0.6),
    },
)
PROMPT = Prompt(
    "prepare",
    (("backward_next",), ("slow_the_belt_to", "n2"), ("then_turn_around",)),
    "prepare",
    due=100.0,
    deadline=None,
)


def test_a_prompt_is_its_earcon_a_gap_then_its_clips_with_gaps_between_clips_and_parts() -> None:
    clips = LIBRARY.clips
    expected = b"".join(
        [
            LIBRARY.earcons["prepare"],
            silence(EARCON_GAP_S),
            clips["backward_next"],
            silence(PART_GAP_S),
            clips["slow_the_belt_to"],
            silence(CLIP_GAP_S),
            clips["n2"],
            silence(PART_GAP_S),
            clips["then_turn_around"],
        ]
    )
    assert assemble(PROMPT, LIBRARY) == expected


def test_the_gaps_are_natural_pauses() -> None:
    # A breath inside a phrase, a pause between sentences, the tone set apart.
    assert 0.03 <= CLIP_GAP_S < EARCON_GAP_S < PART_GAP_S <= 0.4


def test_prefix_lengths_add_up_part_by_part() -> None:
    lengths = prefix_seconds(PROMPT, LIBRARY)
    assert lengths == pytest.approx(
        [
            0.3,
            0.3 + EARCON_GAP_S + 0.8,
            0.3 + EARCON_GAP_S + 0.8 + PART_GAP_S + 0.7 + CLIP_GAP_S + 0.25,
            0.3 + EARCON_GAP_S + 0.8 + PART_GAP_S + 0.7 + CLIP_GAP_S + 0.25 + PART_GAP_S + 0.6,
        ],
        abs=1 / RATE,
    )
    for kept, length in enumerate(lengths):
        assert seconds_of(assemble(PROMPT, LIBRARY, kept)) == length


def test_without_an_earcon_the_stream_starts_with_the_first_word() -> None:
    spoken = PROMPT._replace(earcon=None)
    assert assemble(spoken, LIBRARY, 1) == LIBRARY.clips["backward_next"]
    assert prefix_seconds(spoken, LIBRARY)[0] == 0


def test_a_voice_off_prompt_is_its_earcon_alone() -> None:
    assert assemble(Prompt("prepare", (), "prepare"), LIBRARY) == LIBRARY.earcons["prepare"]


def test_unknown_clips_and_earcons_are_skipped_without_a_gap() -> None:
    prompt = Prompt(
        "prepare",
        (("nope",), ("backward_next", "missing"), ("also_missing",), ("n2",)),
        "tick",  # not in this library
    )
    expected = LIBRARY.clips["backward_next"] + silence(PART_GAP_S) + LIBRARY.clips["n2"]
    assert assemble(prompt, LIBRARY) == expected
    assert assemble(Prompt("sample", (("zzz",),), None), LIBRARY) == b""


def test_fit_keeps_everything_without_a_deadline_or_when_it_fits() -> None:
    lengths = prefix_seconds(PROMPT, LIBRARY)
    assert fit(PROMPT, lengths, now=100.0) == 3
    assert fit(PROMPT._replace(deadline=100.0 + lengths[3]), lengths, now=100.0) == 3


def test_fit_keeps_the_longest_prefix_of_parts_that_ends_by_the_deadline() -> None:
    lengths = prefix_seconds(PROMPT, LIBRARY)
    prompt = PROMPT._replace(deadline=110.0)
    assert fit(prompt, lengths, now=110.0 - lengths[3] + 0.01) == 2
    assert fit(prompt, lengths, now=110.0 - lengths[2]) == 2
    assert fit(prompt, lengths, now=110.0 - lengths[1]) == 1


def test_when_no_part_fits_the_earcon_alone_plays_if_it_fits_else_nothing() -> None:
    lengths = prefix_seconds(PROMPT, LIBRARY)
    prompt = PROMPT._replace(deadline=110.0)
    assert fit(prompt, lengths, now=110.0 - lengths[1] + 0.01) == 0
    assert fit(prompt, lengths, now=110.0 - lengths[0] + 0.01) is None
    assert fit(prompt, lengths, now=111.0) is None


def test_without_an_earcon_a_prompt_whose_first_part_does_not_fit_is_dropped() -> None:
    spoken = PROMPT._replace(earcon=None, deadline=110.0)
    lengths = prefix_seconds(spoken, LIBRARY)
    assert fit(spoken, lengths, now=110.0 - lengths[1] + 0.01) is None


def test_a_prompt_with_nothing_known_to_play_is_dropped() -> None:
    empty = Prompt("speed", (("nope", "nada"),), None)
    assert fit(empty, prefix_seconds(empty, LIBRARY), now=0.0) is None


def test_trailing_parts_with_no_known_clip_are_not_counted_as_kept() -> None:
    prompt = PROMPT._replace(parts=(*PROMPT.parts, ("no_such_clip",)))
    assert fit(prompt, prefix_seconds(prompt, LIBRARY), now=0.0) == 3


def test_loading_reads_every_wav_in_the_stream_format_and_skips_the_rest(tmp_path: Path) -> None:
    sounds, voice, library = make_sound_folders(tmp_path, {"turn_now": 0.02, "n3": 0.01})
    write_clip(voice / "stereo.wav", b"\0\0\0\0" * 10, channels=2)
    write_clip(voice / "slow.wav", b"\0\0" * 10, rate=22050)
    (voice / "broken.wav").write_bytes(b"RIFF nonsense")
    (voice / "notes.txt").write_text("not a clip")

    loaded = load_library(sounds, voice)

    assert loaded == library
    assert set(loaded.clips) == {"turn_now", "n3"}


def test_missing_folders_load_as_an_empty_library(tmp_path: Path) -> None:
    assert load_library(tmp_path / "no-sounds", None) == Library()


def test_a_clip_is_read_from_disk_the_first_time_a_prompt_uses_it_and_kept(
    tmp_path: Path,
) -> None:
    sounds, voice, expected = make_sound_folders(
        tmp_path, {"backward_next": 0.02, "n2": 0.01, "then_turn_around": 0.03}
    )
    library = load_library(sounds, voice)
    clips = library.clips
    assert isinstance(clips, ClipFolder)
    assert clips.loaded == frozenset()  # the earcons are loaded, the clips only listed
    assert library.earcons == expected.earcons
    assert "n2" in clips and "nope" not in clips and len(clips) == 3
    assert clips.loaded == frozenset()

    prompt = Prompt("speed", (("backward_next",), ("n2", "nope")), "prepare")
    lengths = prefix_seconds(prompt, library)
    assert clips.loaded == {"backward_next", "n2"}
    assert lengths[-1] == seconds_of(assemble(prompt, expected))

    (voice / "n2.wav").unlink()  # read once, kept: the file is not needed any more
    assert assemble(prompt, library) == assemble(prompt, expected)
    assert clips.loaded == {"backward_next", "n2"}


def test_a_clip_that_cannot_be_read_when_first_used_is_skipped_from_then_on(
    tmp_path: Path,
) -> None:
    sounds, voice, expected = make_sound_folders(tmp_path, {"turn_now": 0.02, "n3": 0.01})
    library = load_library(sounds, voice)
    (voice / "n3.wav").unlink()
    prompt = Prompt("speed", (("turn_now", "n3"),), None)

    assert assemble(prompt, library) == expected.clips["turn_now"]
    assert "n3" not in library.clips and set(library.clips) == {"turn_now"}
