"""Synthesises the cue sounds into `assets/sounds/{cue}.wav` (stdlib only).

Run `python tools/make_sounds.py` after changing a cue; `--out DIR` writes elsewhere
(the tests use it to check the output is reproducible byte for byte).

Every file is 16-bit PCM mono at 44100 Hz, under a second, normalised to -3 dBFS,
with raised-cosine fades on every note so nothing clicks. The cues are told apart by
pitch direction and rhythm, because the walker may hear them without seeing the screen:

- prepare      two alternating notes, twice: an "attention" pattern
- tick         a short, crisp wood-block-like click
- to_backward  a falling sweep (pitch goes down as the walker turns round)
- to_forward   a rising sweep (the mirror image)
- next         a neutral double beep at one pitch
- halfway      a major triad played as an arpeggio that rings into a chord
- finish       a bright ascending fanfare ending on a held high note
"""

from __future__ import annotations

import argparse
import array
import math
import sys
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

RATE = 44100
PEAK_DBFS = -3.0
FADE_S = 0.006
FULL_SCALE = 32767

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from walkcoach.cues import CUES  # noqa: E402
from walkcoach.resources import wav_file  # noqa: E402

Signal = list[float]


def silence(seconds: float) -> Signal:
    return [0.0] * round(seconds * RATE)


def fade(signal: Signal, fade_in_s: float = FADE_S, fade_out_s: float = FADE_S) -> Signal:
    """Shapes both ends with raised-cosine ramps so the waveform starts and ends at zero."""
    out = list(signal)
    n = len(out)
    rise = min(n // 2, round(fade_in_s * RATE))
    fall = min(n // 2, round(fade_out_s * RATE))
    for i in range(rise):
        out[i] *= 0.5 - 0.5 * math.cos(math.pi * i / rise)
    for i in range(fall):
        out[n - 1 - i] *= 0.5 - 0.5 * math.cos(math.pi * i / fall)
    return out


def note(
    freq: float,
    seconds: float,
    partials: Sequence[float] = (1.0,),
    decay_per_s: float = 0.0,
    fade_in_s: float = FADE_S,
    fade_out_s: float = 0.02,
) -> Signal:
    """A tone at `freq` with harmonics weighted by `partials` and an exponential decay."""
    n = round(seconds * RATE)
    out = []
    for i in range(n):
        t = i / RATE
        value = sum(
            weight * math.sin(2 * math.pi * freq * (k + 1) * t) for k, weight in enumerate(partials)
        )
        out.append(value * math.exp(-decay_per_s * t))
    return fade(out, fade_in_s, fade_out_s)


def sweep(start_hz: float, end_hz: float, seconds: float, partials: Sequence[float]) -> Signal:
    """An exponential (perceptually even) glide, with the phase integrated so it is smooth."""
    n = round(seconds * RATE)
    ratio = end_hz / start_hz
    out = []
    phase = 0.0
    for i in range(n):
        freq = start_hz * ratio ** (i / n)
        phase += 2 * math.pi * freq / RATE
        out.append(sum(w * math.sin((k + 1) * phase) for k, w in enumerate(partials)))
    return fade(out, 0.01, 0.04)


def mix_at(base: Signal, part: Signal, start_s: float) -> Signal:
    """Adds `part` into `base` starting at `start_s`, growing `base` if needed."""
    start = round(start_s * RATE)
    out = list(base) + [0.0] * max(0, start + len(part) - len(base))
    for i, value in enumerate(part):
        out[start + i] += value
    return out


def sequence(notes: Sequence[tuple[float, Signal]]) -> Signal:
    out: Signal = []
    for start_s, part in notes:
        out = mix_at(out, part, start_s)
    return out


def prepare() -> Signal:
    low, high = 784.0, 1175.0  # G5 and D6: a bright fifth that cuts through treadmill noise
    timbre = (1.0, 0.0, 0.25)
    beat = 0.11
    pattern = [low, high, low, high]
    return sequence(
        [
            (i * beat, note(f, beat * 0.9, timbre, 4.0, fade_out_s=0.015))
            for i, f in enumerate(pattern)
        ]
    )


def tick() -> Signal:
    # An inharmonic upper partial makes it read as a click rather than a beep.
    body = note(1900.0, 0.06, (1.0,), 55.0, 0.003, 0.015)
    click = note(4370.0, 0.06, (0.35,), 110.0, 0.003, 0.015)
    return [a + b for a, b in zip(body, click, strict=True)]


def to_backward() -> Signal:
    return sweep(1320.0, 440.0, 0.6, (1.0, 0.18))


def to_forward() -> Signal:
    return sweep(440.0, 1320.0, 0.6, (1.0, 0.18))


def next_cue() -> Signal:
    beep = note(988.0, 0.12, (1.0, 0.12), 2.0, fade_out_s=0.02)
    return sequence([(0.0, beep), (0.2, beep)])


def halfway() -> Signal:
    timbre = (1.0, 0.3, 0.1)
    c5, e5, g5 = 523.25, 659.26, 783.99
    return sequence(
        [
            (i * 0.12, note(f, 0.8 - i * 0.12, timbre, 3.5, fade_out_s=0.08))
            for i, f in enumerate((c5, e5, g5))
        ]
    )


def finish() -> Signal:
    bright = (1.0, 0.45, 0.3, 0.18, 0.1)
    g4, c5, e5, g5, c6 = 392.0, 523.25, 659.26, 783.99, 1046.5
    short = [
        (i * 0.1, note(f, 0.11, bright, 6.0, fade_out_s=0.02))
        for i, f in enumerate((g4, c5, e5, g5))
    ]
    return sequence([*short, (0.42, note(c6, 0.5, bright, 3.0, fade_out_s=0.12))])


SYNTHS: dict[str, Callable[[], Signal]] = {
    "prepare": prepare,
    "tick": tick,
    "to_backward": to_backward,
    "to_forward": to_forward,
    "next": next_cue,
    "halfway": halfway,
    "finish": finish,
}


def to_pcm16(signal: Signal) -> bytes:
    """Removes any DC offset, normalises to PEAK_DBFS and quantises to 16-bit samples."""
    mean = sum(signal) / len(signal)
    centred = fade([value - mean for value in signal], 0.001, 0.001)
    peak = max(abs(value) for value in centred)
    gain = FULL_SCALE * 10 ** (PEAK_DBFS / 20) / peak
    samples = array.array("h", (round(value * gain) for value in centred))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes()


def write_wav(path: Path, pcm: bytes) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=REPO / "assets" / "sounds", help="folder for the WAV files"
    )
    args = parser.parse_args(argv)
    missing = set(CUES) - set(SYNTHS)
    if missing:
        parser.error(f"no synthesiser for cue(s): {', '.join(sorted(missing))}")
    args.out.mkdir(parents=True, exist_ok=True)
    for cue in CUES:
        path = wav_file(args.out, cue)
        write_wav(path, to_pcm16(SYNTHS[cue]()))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
