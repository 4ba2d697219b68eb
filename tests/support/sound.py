"""Small WAV helpers, and playing through ALSA into a file instead of a sound card.

A child Python run by `run_in_home` reads the `.asoundrc` that `asoundrc_capturing_to`
writes in its HOME: ALSA's `file` plugin with a `null` slave appends every sample played
to the capture file, so no sound card is needed.
"""

from __future__ import annotations

import array
import subprocess
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

from tests.support import REPO
from walkcoach.cues import CUES
from walkcoach.resources import sounds_dir, wav_file
from walkcoach.sound.stream import RATE, Library, assemble, frames, load_folder
from walkcoach.voice import Prompt


def tone_pcm(value: int, seconds: float) -> bytes:
    """A constant (so recognisable) non-zero signal: `value` repeated."""
    return value.to_bytes(2, "little", signed=True) * frames(seconds)


def write_clip(path: Path, pcm: bytes, rate: int = RATE, channels: int = 1) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)


def make_sound_folders(
    root: Path, clips: dict[str, float], earcon_s: float = 0.01
) -> tuple[Path, Path, Library]:
    """An earcon WAV for every cue and a voice WAV per clip (name -> seconds), each a
    distinct constant value; returns the two folders and the library they load as."""
    sounds, voice = root / "sounds", root / "voice"
    earcons = {cue: tone_pcm(1000 + index, earcon_s) for index, cue in enumerate(CUES)}
    spoken = {name: tone_pcm(2000 + index, s) for index, (name, s) in enumerate(clips.items())}
    for cue, pcm in earcons.items():
        write_clip(wav_file(sounds, cue), pcm)
    for name, pcm in spoken.items():
        write_clip(wav_file(voice, name), pcm)
    return sounds, voice, Library(earcons=earcons, clips=spoken)


@dataclass(frozen=True)
class Clip:
    channels: int
    sample_width: int
    rate: int
    compression: str
    samples: array.array[int]

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    @property
    def peak(self) -> int:
        return max(abs(s) for s in self.samples)

    def window(self, start_s: float, end_s: float) -> array.array[int]:
        return self.samples[round(start_s * self.rate) : round(end_s * self.rate)]


def read_clip(path: Path) -> Clip:
    with wave.open(str(path), "rb") as wav:
        frames = wav.readframes(wav.getnframes())
        samples = array.array("h", frames)
        if sys.byteorder == "big":
            samples.byteswap()
        return Clip(
            wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), wav.getcomptype(), samples
        )


TURN_PROMPT = Prompt(
    "switch",
    (("turn_now",), ("walk_backward",), ("raise_the_belt_to", "n4", "point", "n5")),
    "to_backward",
)
"""A turn call: earcon, then three parts, one of them four clips long."""

TONE_VOICE = {  # TURN_PROMPT's clips, each a tone of its own
    name: tone_pcm(3000 + 7 * index, 0.05 + 0.03 * index)
    for index, name in enumerate(TURN_PROMPT.clips)
}


def asoundrc_capturing_to(home: Path, capture: Path) -> None:
    home.joinpath(".asoundrc").write_text(
        "pcm.!default {\n"
        "    type file\n"
        '    slave.pcm "null"\n'
        f'    file "|cat >> {capture}"\n'
        '    format "raw"\n'
        "}\n"
    )


def run_in_home(home: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def cue_pcm(cue: str) -> bytes:
    with wave.open(str(wav_file(sounds_dir(), cue)), "rb") as wav:
        return wav.readframes(wav.getnframes())


def tone_voice_folder(root: Path) -> Path:
    """TONE_VOICE's clips as WAVs in `root`/voice."""
    folder = root / "voice"
    for name, pcm in TONE_VOICE.items():
        write_clip(wav_file(folder, name), pcm)
    return folder


def expected_stream() -> bytes:
    """TURN_PROMPT as played with the shipped earcons and TONE_VOICE."""
    return assemble(TURN_PROMPT, Library(earcons=load_folder(sounds_dir()), clips=TONE_VOICE))
