"""Compares text-to-speech voices for the coach by how well a recognizer understands them.

A development tool (the tests do not run it); it needs flite, espeak-ng, sox and the
`pocketsphinx` package. Run `python tools/compare_voices.py` (about 3 minutes per voice
and grammar on one core; `--misses` lists every misrecognition, `--voices` and
`--grammars` narrow the run).

For each voice it renders every clip of `walkcoach.voice.VOCABULARY` exactly as
tools/make_voice.py does (same overrides, trim, level and fades), splices test
utterances from them the way the player does (clip after clip, no extra gap), pads each
with 0.3 s of silence as a recording would have, resamples it to 16 kHz and decodes it
with pocketsphinx's US English model, restricted by a JSGF grammar to the vocabulary:

- words  any of the vocabulary's words after any other. Strict: the short words ("to",
         "at", "the") can be inserted anywhere, so the figures are low for every voice.
- clips  any clip's whole text after any other: what a test of spliced prompts would
         use. It cannot lean on a grammar of whole prompts, so a misheard number counts.

Three sets of utterances:

- prompts  realistic prompts ("backward next / slow the belt to / two point five / ...")
- numbers  every whole number 0-99 as the coach says it ("forty" + "two")
- phrases  every non-number clip alone (which clip is hard to make out)

The score is word accuracy, 1 - (substitutions + deletions + insertions) / words, with
"two" and "to" counted as one word (the dictionary says them alike), and the share of
utterances decoded exactly. `--noise-db SNR` adds a pass with treadmill-like noise;
pocketsphinx breaks down under noise (slt: 7% of words at 10 dB SNR, and decoding is
~20 times slower), so it says little about the voices there.
"""

from __future__ import annotations

import argparse
import array
import functools
import itertools
import math
import os
import random
import re
import sys
import tempfile
import wave
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))

import make_voice  # noqa: E402

from walkcoach.resources import wav_file  # noqa: E402
from walkcoach.voice import NUMBERS, PHRASES, VOCABULARY, number_clips  # noqa: E402

DECODE_RATE = 16000
PAD = bytes(2 * round(0.3 * make_voice.RATE))  # silence either side, as in a recording

Command = Callable[[str, Path], list[str]]


def flite(voice: str) -> Command:
    return lambda text, path: make_voice.flite_command(voice, text, path)


def espeak(voice: str) -> Command:
    return lambda text, path: ["espeak-ng", "-v", voice, "-w", str(path), text]


VOICES: dict[str, Command] = {
    "flite slt": flite("slt"),
    "flite kal": flite("kal"),
    "flite awb": flite("awb"),
    "flite rms": flite("rms"),
    "espeak-ng en-us": espeak("en-us"),
}

PROMPTS: tuple[tuple[str, ...], ...] = (
    ("backward_next", "slow_the_belt_to", "n2", "point", "n5", "then_turn_around"),
    ("turn_now", "walk_forward"),
    ("forward_next", "turn_at_this_speed", "then_raise_the_belt_to", "n4", "point", "n5"),
    ("turn_now", "walk_backward", "form_reminder"),
    ("get_ready", "first_backward", "set_the_belt_to", "n3", "point", "n2", "kmh"),
    ("backward_next", "keep_the_speed"),
    ("next_segment", "speed", "n5", "point", "n8", "incline", "n2", "percent"),
    ("start_forward", "raise_the_belt_to", "n6", "point", "n4"),
    ("resuming", "walk_backward", "speed", "n2", "point", "n7"),
    ("halfway",),
    ("five_minutes_left",),
    ("one_minute_left",),
    ("paused",),
    ("walk_done", "n40", "n2", "minutes_walked", "n2", "hundred", "n60", "calories"),
    ("walk_ended_early", "n1", "minute_walked", "n1", "calorie"),
    ("speed", "n3", "point", "n1", "mph"),
    ("n1", "thousand", "n2", "hundred", "calories"),
)

# Words pocketsphinx's dictionary lacks, with their pronunciations (CMU phone set): none
# since the vocabulary says "calories" and "walk coach" (flite misread the compounds).
EXTRA_PRONUNCIATIONS: dict[str, list[str]] = {}


class Score(NamedTuple):
    words: int
    errors: int
    utterances: int
    exact: int

    @property
    def accuracy(self) -> float:
        return 1 - self.errors / self.words

    def __add__(self, other: object) -> Score:
        assert isinstance(other, Score)
        return Score(*(a + b for a, b in zip(self, other, strict=True)))


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


HOMOPHONES = {"two": "to"}
"""Words the dictionary says alike: the recognizer cannot tell them apart, nor can a listener
without the context, so scoring counts them as the same word."""


def same_sounding(text: Sequence[str]) -> list[str]:
    return [HOMOPHONES.get(word, word) for word in text]


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[-1]


def spoken(clip: str, overrides: bool) -> str:
    return make_voice.OVERRIDES.get(clip, VOCABULARY[clip]) if overrides else VOCABULARY[clip]


def vocabulary_words(overrides: bool) -> list[str]:
    return sorted({word for clip in VOCABULARY for word in words(spoken(clip, overrides))})


def write_dictionary(path: Path, vocabulary: Iterable[str]) -> None:
    wanted = set(vocabulary)
    from pocketsphinx import get_model_path

    lines = []
    source = Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"
    for line in source.read_text(encoding="utf-8").splitlines():
        head = line.split(maxsplit=1)[0]
        if head.split("(")[0] in wanted:
            lines.append(line)
    for word, phones in EXTRA_PRONUNCIATIONS.items():
        if word in wanted:
            lines += [f"{word}{f'({i + 1})' if i else ''} {p}" for i, p in enumerate(phones)]
    found = {line.split()[0].split("(")[0] for line in lines}
    if wanted - found:
        raise SystemExit(f"no pronunciation for: {', '.join(sorted(wanted - found))}")
    path.write_text("\n".join(sorted(lines)) + "\n", encoding="utf-8")


def write_grammar(path: Path, alternatives: Iterable[str]) -> None:
    """A loop over the alternatives: any of them, in any order, one or more times."""
    path.write_text(
        "#JSGF V1.0;\ngrammar walkcoach;\n"
        f"public <utterance> = <item>+;\n<item> = {' | '.join(alternatives)};\n",
        encoding="utf-8",
    )


GRAMMARS = ("words", "clips")
"""words: any vocabulary word after any other (strict: every short word can be inserted);
clips: any clip's whole text after any other (what a test of spliced prompts would use)."""


def make_decoder(work: Path, overrides: bool, grammar: str) -> object:
    from pocketsphinx import Decoder, get_model_path

    vocabulary = vocabulary_words(overrides)
    if grammar == "words":
        alternatives = vocabulary
    else:
        alternatives = sorted({" ".join(words(spoken(clip, overrides))) for clip in VOCABULARY})
    write_dictionary(work / "words.dict", vocabulary)
    write_grammar(work / f"{grammar}.gram", alternatives)
    return Decoder(
        hmm=os.path.join(get_model_path(), "en-us", "en-us"),
        dict=str(work / "words.dict"),
        jsgf=str(work / f"{grammar}.gram"),
        samprate=DECODE_RATE,
        loglevel="FATAL",
    )


def decode(decoder: object, pcm: bytes) -> list[str]:
    decoder.start_utt()  # type: ignore[attr-defined]
    decoder.process_raw(pcm, full_utt=True)  # type: ignore[attr-defined]
    decoder.end_utt()  # type: ignore[attr-defined]
    hyp = decoder.hyp()  # type: ignore[attr-defined]
    return words(hyp.hypstr) if hyp is not None else []


def read_pcm(path: Path) -> bytes:
    with wave.open(str(path), "rb") as wav:
        return wav.readframes(wav.getnframes())


def render_voice(command: Command, folder: Path, overrides: bool) -> dict[str, bytes]:
    """Every clip, made as make_voice makes it, as 44100 Hz 16-bit PCM bytes."""
    clips = {}
    for clip in VOCABULARY:
        raw, out = folder / f"{clip}.raw.wav", wav_file(folder, clip)
        make_voice.run(command(spoken(clip, overrides), raw))
        make_voice.process(raw, out, folder)
        clips[clip] = read_pcm(out)
    return clips


@functools.cache
def treadmill_noise(seconds: float = 20.0, seed: int = 0) -> tuple[float, ...]:
    """Low-pass noise (rumble with a little hiss), the same on every run, unit power."""
    rng = random.Random(seed)
    noise, state = [], 0.0
    for _ in range(round(seconds * make_voice.RATE)):
        state = 0.9 * state + 0.1 * rng.gauss(0.0, 1.0)  # one-pole low-pass, ~700 Hz corner
        noise.append(state + 0.05 * rng.gauss(0.0, 1.0))
    power = sum(n * n for n in noise) / len(noise)
    return tuple(n / math.sqrt(power) for n in noise)


def add_noise(pcm: bytes, speech: bytes, snr_db: float, seed: int) -> bytes:
    """Mixes treadmill-like noise into `pcm`, `snr_db` under the power of `speech`."""
    samples, spoken = array.array("h", pcm), array.array("h", speech)
    noise = treadmill_noise()
    offset = seed * 7919 % (len(noise) - len(samples))
    speech_power = sum(s * s for s in spoken) / len(spoken)
    scale = math.sqrt(speech_power / 10 ** (snr_db / 10))
    mixed = (
        max(-32768, min(32767, round(s + noise[offset + i] * scale))) for i, s in enumerate(samples)
    )
    return array.array("h", mixed).tobytes()


def to_decode_rate(pcm: bytes, work: Path) -> bytes:
    source, target = work / "utterance.wav", work / "utterance16k.wav"
    with wave.open(str(source), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(make_voice.RATE)
        wav.writeframes(pcm)
    make_voice.run([*make_voice.SOX, str(source), "-r", str(DECODE_RATE), str(target)])
    return read_pcm(target)


def score_set(
    decoder: object,
    clips: dict[str, bytes],
    utterances: Sequence[Sequence[str]],
    work: Path,
    noise_db: float | None,
    overrides: bool,
    misses: list[str],
) -> Score:
    total = Score(0, 0, 0, 0)
    for n, utterance in enumerate(utterances):
        speech = b"".join(clips[clip] for clip in utterance)
        pcm = PAD + speech + PAD
        if noise_db is not None:
            pcm = add_noise(pcm, speech, noise_db, seed=n)
        ref = words(" ".join(spoken(clip, overrides) for clip in utterance))
        hyp = decode(decoder, to_decode_rate(pcm, work))
        errors = edit_distance(same_sounding(ref), same_sounding(hyp))
        if errors:
            misses.append(f"{' '.join(ref)!r} -> {' '.join(hyp)!r}")
        total += Score(len(ref), errors, 1, int(errors == 0))
    return total


SETS: dict[str, tuple[tuple[str, ...], ...]] = {
    "prompts": PROMPTS,
    "numbers": tuple(number_clips(n) for n in range(100)),
    "phrases": tuple((clip,) for clip in PHRASES if clip not in NUMBERS),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voices", nargs="+", default=list(VOICES), choices=list(VOICES))
    parser.add_argument("--grammars", nargs="+", default=list(GRAMMARS), choices=GRAMMARS)
    parser.add_argument(
        "--noise-db", type=float, action="append", default=[], help="also test at this SNR"
    )
    parser.add_argument("--no-overrides", action="store_true", help="say VOCABULARY's texts")
    parser.add_argument("--misses", action="store_true", help="list every misrecognition")
    args = parser.parse_args(argv)
    overrides = not args.no_overrides
    conditions: list[float | None] = [None, *args.noise_db]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        decoders = {grammar: make_decoder(work, overrides, grammar) for grammar in args.grammars}
        print(
            f"{'voice':16} {'grammar':7} {'condition':10} "
            + " ".join(f"{name:>16}" for name in SETS)
            + f" {'all words':>9} {'clips KB':>8} {'seconds':>7}"
        )
        for name in args.voices:
            folder = work / re.sub(r"\W+", "_", name)
            folder.mkdir()
            clips = render_voice(VOICES[name], folder, overrides)
            size_kb = sum(len(pcm) + 44 for pcm in clips.values()) / 1024  # WAV header: 44 B
            seconds = sum(len(pcm) for pcm in clips.values()) / 2 / make_voice.RATE
            for grammar, noise_db in itertools.product(args.grammars, conditions):
                condition = "clean" if noise_db is None else f"{noise_db:g} dB SNR"
                misses: list[str] = []
                scores = [
                    score_set(decoders[grammar], clips, utts, work, noise_db, overrides, misses)
                    for utts in SETS.values()
                ]
                cells = " ".join(
                    f"{s.accuracy:6.1%} ({s.exact:3}/{s.utterances:3})" for s in scores
                )
                every = sum(scores, Score(0, 0, 0, 0))
                print(
                    f"{name:16} {grammar:7} {condition:10} {cells} {every.accuracy:9.1%}"
                    f" {size_kb:8.0f} {seconds:7.1f}",
                    flush=True,
                )
                if args.misses:
                    for miss in misses:
                        print(f"    {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
