"""The committed voice clips (assets/voice) cover the vocabulary, splice cleanly, rebuild."""

from __future__ import annotations

import array
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO
from tests.support.sound import Clip, read_clip
from walkcoach.resources import voice_dir, wav_file, wav_files
from walkcoach.voice import VOCABULARY

VOICE_DIR = voice_dir()
CLIPS = tuple(VOCABULARY)
RATE = 44100
FULL_SCALE = 32768
TARGET_DB = -16.0  # the active speech level every clip is brought to (tools/make_voice.py)
LEVEL_TOLERANCE_DB = 1.5
PEAK_LIMIT_DB = -1.0
SOUND_DB = -45.0  # a sample this far under the clip's peak, or louder, is sound
MAX_EDGE_S = 0.04  # at most this much near-silence before the first and after the last sound


def dbfs(level: float) -> float:
    return 20 * math.log10(max(level, 1e-9) / FULL_SCALE)


def active_level_dbfs(samples: array.array[int], rate: int = RATE) -> float:
    """RMS over the 20 ms frames that carry speech: frames more than 20 dB under the
    clip's overall RMS (pauses, the margins) are left out."""
    size = round(0.02 * rate)
    powers = [
        sum(s * s for s in samples[i : i + size]) / size
        for i in range(0, len(samples) - size + 1, size)
    ]
    overall = sum(powers) / len(powers)
    voiced = [p for p in powers if p >= overall / 100]
    return dbfs(math.sqrt(sum(voiced) / len(voiced)))


def edges_s(clip: Clip) -> tuple[float, float]:
    """How long the clip stays under SOUND_DB (re its peak) at its start and at its end."""
    threshold = clip.peak * 10 ** (SOUND_DB / 20)
    loud = [i for i, s in enumerate(clip.samples) if abs(s) >= threshold]
    return loud[0] / clip.rate, (len(clip.samples) - 1 - loud[-1]) / clip.rate


@pytest.fixture(scope="module")
def clips() -> dict[str, Clip]:
    return {name: read_clip(wav_file(VOICE_DIR, name)) for name in CLIPS if has_clip(name)}


def has_clip(name: str) -> bool:
    return wav_file(VOICE_DIR, name).is_file()


def test_every_vocabulary_clip_has_a_wav() -> None:
    assert [name for name in CLIPS if not has_clip(name)] == []


def test_there_is_no_wav_beyond_the_vocabulary() -> None:
    stale = sorted(p.name for p in VOICE_DIR.glob("*.wav") if p.stem not in VOCABULARY)
    assert stale == []


def test_the_folder_says_where_the_voice_comes_from_and_under_which_licence() -> None:
    readme = (VOICE_DIR / "README.md").read_text(encoding="utf-8")
    licence = (VOICE_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "flite" in readme.lower()
    assert "tools/make_voice.py" in readme
    assert "Carnegie Mellon University" in licence
    assert "Permission is hereby granted, free of charge" in licence


@pytest.mark.parametrize("name", CLIPS)
def test_each_clip_is_16_bit_mono_pcm_at_44100_hz(clips: dict[str, Clip], name: str) -> None:
    clip = clips[name]
    assert (clip.channels, clip.sample_width, clip.rate, clip.compression) == (1, 2, RATE, "NONE")


@pytest.mark.parametrize("name", CLIPS)
def test_each_clip_holds_speech_of_a_plausible_length(clips: dict[str, Clip], name: str) -> None:
    assert 0.2 < clips[name].seconds < 5.0


@pytest.mark.parametrize("name", CLIPS)
def test_each_clip_is_trimmed_to_its_sound(clips: dict[str, Clip], name: str) -> None:
    lead, tail = edges_s(clips[name])
    assert lead <= MAX_EDGE_S, f"{lead * 1000:.0f} ms of silence before the speech"
    assert tail <= MAX_EDGE_S, f"{tail * 1000:.0f} ms of silence after the speech"


@pytest.mark.parametrize("name", CLIPS)
def test_each_clip_fades_in_from_and_out_to_silence(clips: dict[str, Clip], name: str) -> None:
    samples = clips[name].samples
    ms = RATE // 1000
    assert abs(samples[0]) < 0.002 * FULL_SCALE
    assert abs(samples[-1]) < 0.002 * FULL_SCALE
    # The outer millisecond is at least 20 dB under the peak: no click at a splice.
    assert max(abs(s) for s in samples[:ms]) < 0.1 * clips[name].peak
    assert max(abs(s) for s in samples[-ms:]) < 0.1 * clips[name].peak


@pytest.mark.parametrize("name", CLIPS)
def test_each_clip_is_at_the_target_speech_level(clips: dict[str, Clip], name: str) -> None:
    assert active_level_dbfs(clips[name].samples) == pytest.approx(
        TARGET_DB, abs=LEVEL_TOLERANCE_DB
    )


@pytest.mark.parametrize("name", CLIPS)
def test_no_clip_peaks_above_minus_1_dbfs(clips: dict[str, Clip], name: str) -> None:
    assert dbfs(clips[name].peak) <= PEAK_LIMIT_DB


@pytest.mark.skipif(
    shutil.which("flite") is None or shutil.which("sox") is None,
    reason="needs flite and sox to render the clips",
)
def test_the_script_rebuilds_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    (tmp_path / "retired_clip.wav").write_bytes(b"RIFF")  # not in the vocabulary any more
    (tmp_path / "notes.txt").write_text("kept", encoding="utf-8")
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "make_voice.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    assert sorted(wav_files(tmp_path)) == sorted(CLIPS)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "kept"
    for name in CLIPS:
        rebuilt = wav_file(tmp_path, name).read_bytes()
        assert rebuilt == wav_file(VOICE_DIR, name).read_bytes(), name
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme == (VOICE_DIR / "README.md").read_text(encoding="utf-8")
