"""Renders the coach's spoken clips into `assets/voice/{clip}.wav` (flite + sox).

Run `python tools/make_voice.py` after changing `walkcoach.voice.VOCABULARY`; `--out DIR`
writes elsewhere (the tests use it to check the output is reproducible byte for byte) and
`--voice` picks another flite voice (default slt, the clearest: see tools/compare_voices.py).

Each clip is said by `flite -voice slt`, then sox turns it into what the player splices
behind a cue tone: 16-bit PCM mono at 44100 Hz (the rate of assets/sounds, as tone and
speech play as one stream), trimmed to the speech with a 15 ms natural margin at each end,
brought to the same active speech level (-16 dBFS, see `active_level_db`), peaks kept at
or under -1 dBFS, and 5 ms half-cosine fades at both ends so that no splice clicks.

Why -16 dBFS: the cue tones a prompt follows sit at -7 to -15 dBFS RMS (peaks -3 dBFS),
so speech at -16 is about as loud as the quieter tones rather than a step down the walker
has to strain for; and flite's speech has a crest factor (peak over RMS) of 8 to 13 dB,
so its peaks land at -3.5 to -8 dBFS, under the tones' -3 dBFS, with no limiter or
compressor needed. A clip that would still peak over -1 dBFS is turned down to it (never
clipped) and then misses the level, which tests/sound/test_voice_clips.py reports.

sox runs with `-R` (repeatable) and `-D` (no dither), and flite has no randomness, so a
rerun gives byte-identical files. The script also writes `README.md` in the output folder
(the synthesizer, its version and the commands); the licence is `assets/voice/LICENSE`.
"""

from __future__ import annotations

import argparse
import array
import math
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

RATE = 44100
TARGET_DB = -16.0  # active speech level, dBFS (RMS over the voiced 20 ms frames)
PEAK_LIMIT_DB = -1.0  # no sample above this, dBFS
ONSET_DB = -45.0  # sound starts where a sample first reaches this far under the peak
MARGIN_S = 0.015  # natural lead-in and tail kept around the sound
FADE_S = 0.005
FRAME_S = 0.02
GATE_DB = 20.0  # frames this far under the clip's overall RMS are pauses, not speech

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from walkcoach.resources import wav_file, wav_files  # noqa: E402
from walkcoach.voice import VOCABULARY  # noqa: E402

OVERRIDES: dict[str, str] = {
    # clip name -> what the synthesizer is given instead of VOCABULARY's text. None
    # today: where flite misread a word ("kilocalories" lost its "cal", "walkcoach"
    # became "walk-oach") the vocabulary itself now says it plainly.
}
"""Texts respelled for the synthesizer, where its reading of the plain text is unclear."""

SOX = ["sox", "-R", "-D", "-V1"]  # repeatable, no dither, errors only
FLOAT_RAW = ["-t", "raw", "-e", "floating-point", "-b", "32", "-L", "-c", "1"]


def flite_command(voice: str, text: str, path: Path) -> list[str]:
    return ["flite", "-voice", voice, "-t", text, "-o", str(path)]


def to_float_command(source: Path, target: Path) -> list[str]:
    """Any WAV to 44100 Hz mono 32-bit float samples (sox's best resampler)."""
    return [*SOX, str(source), *FLOAT_RAW, str(target), "rate", "-v", str(RATE)]


def finish_command(source: Path, target: Path, start: int, end: int, gain_db: float) -> list[str]:
    """Cut to [start, end) samples, apply the gain, fade both ends, write 16-bit PCM."""
    return [
        *SOX,
        *FLOAT_RAW,
        "-r",
        str(RATE),
        str(source),
        "-b",
        "16",
        "-e",
        "signed-integer",
        str(target),
        "trim",
        f"{start}s",
        f"={end}s",
        "gain",
        f"{gain_db:.3f}",
        "fade",
        "h",
        f"{FADE_S}",
        "-0",
        f"{FADE_S}",
    ]


def read_float(path: Path) -> array.array[float]:
    samples = array.array("f", path.read_bytes())
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def db(level: float) -> float:
    return 20 * math.log10(max(level, 1e-12))


def sound_bounds(samples: Sequence[float]) -> tuple[int, int]:
    """The first and one past the last sample loud enough to be sound, not silence."""
    peak = max(abs(s) for s in samples)
    threshold = peak * 10 ** (ONSET_DB / 20)
    loud = [i for i, s in enumerate(samples) if abs(s) >= threshold]
    return loud[0], loud[-1] + 1


def active_level_db(samples: Sequence[float], rate: int = RATE) -> float:
    """RMS in dB over the 20 ms frames that carry speech (a simple gated level).

    Frames more than GATE_DB under the clip's overall RMS are left out, so a comma's
    pause does not make a long phrase measure quieter than a single word. The gate is
    relative, so the measure moves exactly with the gain.
    """
    size = round(FRAME_S * rate)
    frames = [samples[i : i + size] for i in range(0, len(samples) - size + 1, size)] or [samples]
    powers = [sum(s * s for s in frame) / len(frame) for frame in frames]
    overall = sum(powers) / len(powers)
    voiced = [p for p in powers if p >= overall * 10 ** (-GATE_DB / 10)]
    return 10 * math.log10(max(sum(voiced) / len(voiced), 1e-24))


def plan_clip(samples: Sequence[float]) -> tuple[int, int, float]:
    """Where to cut (in samples) and the gain in dB that brings the clip to TARGET_DB."""
    first, last = sound_bounds(samples)
    margin = round(MARGIN_S * RATE)
    start, end = max(0, first - margin), min(len(samples), last + margin)
    kept = samples[start:end]
    gain = TARGET_DB - active_level_db(kept)
    peak = db(max(abs(s) for s in kept))
    return start, end, min(gain, PEAK_LIMIT_DB - 0.05 - peak)


def run(command: Sequence[str]) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def process(raw: Path, out: Path, work: Path) -> None:
    """The synthesizer's WAV at `raw` -> the finished clip at `out`."""
    floats = work / f"{out.stem}.f32"
    run(to_float_command(raw, floats))
    start, end, gain = plan_clip(read_float(floats))
    run(finish_command(floats, out, start, end, gain))
    floats.unlink()


def render(voice: str, clip: str, text: str, out: Path, work: Path) -> None:
    raw = work / f"{clip}.raw.wav"
    run(flite_command(voice, text, raw))
    process(raw, out, work)
    raw.unlink()


def tool_version(command: Sequence[str]) -> str:
    # `flite --version` prints its version and then exits with status 1.
    done = subprocess.run(command, capture_output=True, text=True)
    return " ".join((done.stdout + done.stderr).split())


def readme(voice: str) -> str:
    respelt = "".join(
        f"| `{clip}` | {VOCABULARY[clip]} | {text} |\n"
        for clip, text in sorted(OVERRIDES.items())
        if clip in VOCABULARY
    )
    template = " ".join(flite_command(voice, "TEXT", Path("CLIP.raw.wav")))
    to_float = " ".join(to_float_command(Path("CLIP.raw.wav"), Path("CLIP.f32")))
    finish = " ".join(finish_command(Path("CLIP.f32"), Path("CLIP.wav"), 0, 0, 0.0))
    finish = finish.replace("trim 0s =0s gain 0.000", "trim STARTs =ENDs gain GAIN")
    return f"""# Spoken clips

Generated by `tools/make_voice.py`: do not edit by hand. One WAV per clip name in
`walkcoach.voice.VOCABULARY`; the app splices them in memory behind a cue tone.

- Synthesizer: CMU Flite, voice `{voice}` (the `cmu_us_{voice}` voice, from the CMU
  ARCTIC recordings). `flite --version` says:
  `{tool_version(["flite", "--version"])}`
- Post-processing: SoX; `sox --version` says: `{tool_version(["sox", "--version"])}`
- Licence: the CMU Flite licence (BSD-style, free to use, modify and redistribute with
  the copyright notices kept); see `LICENSE` in this folder.
- Format: 16-bit PCM mono, {RATE} Hz; trimmed to the speech with {MARGIN_S * 1000:g} ms
  of natural margin; active speech level {TARGET_DB:g} dBFS (RMS over the voiced
  {FRAME_S * 1000:g} ms frames, frames {GATE_DB:g} dB under the clip's RMS left out);
  peaks at most {PEAK_LIMIT_DB:g} dBFS; {FADE_S * 1000:g} ms half-cosine fades. The level
  keeps the voice about as loud as the quieter cue tones in `../sounds` (-7 to -15 dBFS
  RMS) with its peaks under theirs (-3 dBFS); the script's docstring says more.

Made with:

    python tools/make_voice.py --voice {voice}

which runs, for each clip (START, END and GAIN are measured per clip: the first and
last sample {-ONSET_DB:g} dB under the peak, widened by the margin, and the gain to the
target level):

    {template}
    {to_float}
    {finish}

Texts given to the synthesizer in place of the vocabulary's own:

| clip | vocabulary text | said as |
|---|---|---|
{respelt}"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=REPO / "assets" / "voice", help="folder for the WAV files"
    )
    parser.add_argument("--voice", default="slt", help="flite voice (see `flite -lv`)")
    args = parser.parse_args(argv)
    for tool in ("flite", "sox"):
        if shutil.which(tool) is None:
            parser.error(f"`{tool}` is not installed")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for clip, text in VOCABULARY.items():
            path = wav_file(args.out, clip)
            render(args.voice, clip, OVERRIDES.get(clip, text), path, Path(work))
            print(path)
    for name, stale in wav_files(args.out).items():
        if name not in VOCABULARY:
            stale.unlink()
            print(f"removed {stale}")
    (args.out / "README.md").write_text(readme(args.voice), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
