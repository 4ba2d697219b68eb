"""The committed cue WAVs meet the sound brief and can be rebuilt: one 16-bit mono 44.1 kHz
WAV per cue, each under a second, peaking between -4 and -1 dBFS, faded in and out at
silence; the tick shortest, the finish longest, the turns falling or rising in pitch, and
no two alike."""

from __future__ import annotations

import array
import itertools
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO
from tests.support.sound import Clip, read_clip
from walkcoach.cues import CUES
from walkcoach.resources import sounds_dir, wav_file, wav_files

RATE = 44100
FULL_SCALE = 32768


def dbfs(level: float) -> float:
    return 20 * math.log10(level / FULL_SCALE)


def rms(samples: array.array[int]) -> float:
    return math.sqrt(sum(s * s for s in samples) / len(samples))


def dominant_hz(samples: array.array[int], rate: int = RATE) -> float:
    """Pitch from zero crossings: each period of the fundamental crosses zero twice."""
    crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return crossings * rate / (2 * len(samples))


@pytest.fixture(scope="module")
def clips() -> dict[str, Clip]:
    return {cue: read_clip(wav_file(sounds_dir(), cue)) for cue in CUES}


def test_there_is_one_wav_per_cue_and_nothing_else() -> None:
    assert sorted(wav_files(sounds_dir())) == sorted(CUES)


@pytest.mark.parametrize("cue", CUES)
def test_each_cue_is_16_bit_mono_pcm_at_44100_hz(clips: dict[str, Clip], cue: str) -> None:
    clip = clips[cue]
    assert (clip.channels, clip.sample_width, clip.rate, clip.compression) == (1, 2, RATE, "NONE")


@pytest.mark.parametrize("cue", CUES)
def test_each_cue_is_under_one_second(clips: dict[str, Clip], cue: str) -> None:
    assert 0.03 < clips[cue].seconds < 1.0


@pytest.mark.parametrize("cue", CUES)
def test_each_cue_peaks_between_minus_4_and_minus_1_dbfs(clips: dict[str, Clip], cue: str) -> None:
    assert -4.0 < dbfs(clips[cue].peak) < -1.0


@pytest.mark.parametrize("cue", CUES)
def test_each_cue_has_no_dc_offset(clips: dict[str, Clip], cue: str) -> None:
    samples = clips[cue].samples
    assert abs(sum(samples) / len(samples)) < 0.001 * FULL_SCALE


@pytest.mark.parametrize("cue", CUES)
def test_each_cue_starts_and_ends_at_silence(clips: dict[str, Clip], cue: str) -> None:
    samples = clips[cue].samples
    assert abs(samples[0]) < 0.002 * FULL_SCALE
    assert abs(samples[-1]) < 0.002 * FULL_SCALE


@pytest.mark.parametrize("cue", CUES)
def test_each_cue_fades_in_and_out_over_its_first_and_last_5_ms(
    clips: dict[str, Clip], cue: str
) -> None:
    clip = clips[cue]
    ms = 0.001
    rising = [rms(clip.window(i * ms, (i + 1) * ms)) for i in range(5)]
    falling = [
        rms(clip.window(clip.seconds - (i + 1) * ms, clip.seconds - i * ms)) for i in range(5)
    ]
    # The outer millisecond is at least 20 dB under the peak, and the ramp grows inwards.
    assert rising[0] < 0.1 * clip.peak
    assert falling[0] < 0.1 * clip.peak
    assert rising[0] < rising[4]
    assert falling[0] < falling[4]


def test_tick_is_the_shortest_cue_and_under_150_ms(clips: dict[str, Clip]) -> None:
    assert clips["tick"].seconds < 0.15
    assert min(CUES, key=lambda cue: clips[cue].seconds) == "tick"


def quarters_hz(clip: Clip) -> tuple[float, float]:
    quarter = clip.seconds / 4
    return (
        dominant_hz(clip.window(0.0, quarter)),
        dominant_hz(clip.window(clip.seconds - quarter, clip.seconds)),
    )


def test_to_backward_falls_in_pitch(clips: dict[str, Clip]) -> None:
    first, last = quarters_hz(clips["to_backward"])
    assert last < first / 1.5


def test_to_forward_rises_in_pitch(clips: dict[str, Clip]) -> None:
    first, last = quarters_hz(clips["to_forward"])
    assert last > first * 1.5


def test_next_stays_at_one_pitch(clips: dict[str, Clip]) -> None:
    first, last = quarters_hz(clips["next"])
    assert last == pytest.approx(first, rel=0.05)


def test_finish_is_the_longest_cue(clips: dict[str, Clip]) -> None:
    assert max(CUES, key=lambda cue: clips[cue].seconds) == "finish"


def test_every_cue_sounds_different_from_every_other(clips: dict[str, Clip]) -> None:
    for a, b in itertools.combinations(CUES, 2):
        assert clips[a].samples != clips[b].samples, f"{a} and {b} are identical"


def test_the_script_rebuilds_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "make_sounds.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for cue in CUES:
        rebuilt = wav_file(tmp_path, cue).read_bytes()
        assert rebuilt == wav_file(sounds_dir(), cue).read_bytes(), cue
