"""Splices a prompt's earcon and voice clips into one stream of samples (pure, but for
loading clips the first time they are used).

Every sound walkcoach ships is 16-bit mono PCM at 44100 Hz, so a stream is a plain
concatenation of clips and silences: no mixing, no resampling. The gaps below are the
only pacing the voice has; they live here, in one place, so that the player, the sound
check and the tests agree on how long a prompt lasts.
"""

from __future__ import annotations

import threading
import wave
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final, NamedTuple

from walkcoach.resources import wav_files
from walkcoach.voice import Prompt

RATE: Final = 44100
SAMPLE_WIDTH: Final = 2  # bytes: signed 16-bit
CHANNELS: Final = 1

EARCON_GAP_S: Final = 0.12
"""Between the opening tone and the first word: the tone reads as "listen", then speech."""
CLIP_GAP_S: Final = 0.06
"""Between clips of one part ("slow the belt to" / "two" / "point" / "five"): a breath,
short enough that a number is heard as one phrase."""
PART_GAP_S: Final = 0.2
"""Between parts (sentences): a clear pause, so "backward next" and the speed stay apart."""


def frames(seconds: float) -> int:
    return round(seconds * RATE)


def silence(seconds: float) -> bytes:
    return b"\0" * (frames(seconds) * SAMPLE_WIDTH)


def seconds_of(pcm: bytes) -> float:
    """How long a stream lasts."""
    return len(pcm) / (SAMPLE_WIDTH * RATE)


_NONE: Final[Mapping[str, bytes]] = {}


class Library(NamedTuple):
    """The sounds a prompt may use: earcons by cue name, clips by clip name.

    Earcons are held in memory; the clips walkcoach ships are a `ClipFolder`, which reads
    each one the first time a prompt uses it. (A NamedTuple: this module is imported
    before the first frame, and defining a dataclass costs a millisecond there.)
    """

    earcons: Mapping[str, bytes] = _NONE
    clips: Mapping[str, bytes] = _NONE


def wav_format_ok(path: Path) -> bool:
    """Whether `path` is a WAV in the stream format, from its header alone."""
    try:
        with wave.open(str(path), "rb") as wav:
            return (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (
                CHANNELS,
                SAMPLE_WIDTH,
                RATE,
            )
    except (OSError, EOFError, wave.Error):
        return False


def read_pcm(path: Path) -> bytes | None:
    """The samples of a WAV in the stream format, or None when unreadable or in another format.

    A clip in the wrong format is left out rather than converted: playing it as it is
    would sound wrong (too fast, too slow, noise), and it is a build mistake to fix.
    """
    try:
        with wave.open(str(path), "rb") as wav:
            if (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) != (
                CHANNELS,
                SAMPLE_WIDTH,
                RATE,
            ):
                return None
            return wav.readframes(wav.getnframes())
    except (OSError, EOFError, wave.Error):
        return None


def wav_paths(folder: Path | None) -> dict[str, Path]:
    """Every WAV file in `folder` by the name it holds (see `resources.wav_files`), sorted;
    empty when the folder is missing or cannot be read."""
    if folder is None:
        return {}
    try:
        return wav_files(folder)
    except OSError:
        return {}


def load_folder(folder: Path | None) -> dict[str, bytes]:
    """Every usable WAV in `folder`, by file stem; empty when the folder is missing."""
    loaded: dict[str, bytes] = {}
    for name, path in wav_paths(folder).items():
        pcm = read_pcm(path)
        if pcm is not None:
            loaded[name] = pcm
    return loaded


class ClipFolder(Mapping[str, bytes]):
    """The usable WAVs of a folder, by file stem, each read the first time it is asked for
    and kept in memory after: a walk uses only some of the clips walkcoach ships.

    Which clips exist is known at once (`in`, `len`, iteration never read samples): the
    folder is listed and each file's header checked when this is built. A clip that
    cannot be read when first asked for (deleted, truncated, replaced by another format)
    is dropped then, as if it had never been there. Reading happens on whichever thread
    asks first, which for the player is its sound thread.
    """

    def __init__(self, folder: Path | None) -> None:
        self._paths = {
            name: path for name, path in wav_paths(folder).items() if wav_format_ok(path)
        }
        self._loaded: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> bytes:
        pcm = self._loaded.get(name)
        if pcm is not None:
            return pcm
        with self._lock:
            pcm = self._loaded.get(name)
            if pcm is not None:
                return pcm
            path = self._paths.get(name)
            pcm = read_pcm(path) if path is not None else None
            if pcm is None:
                self._paths.pop(name, None)
                raise KeyError(name)
            self._loaded[name] = pcm
            return pcm

    def __contains__(self, name: object) -> bool:
        return name in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._paths))

    def __len__(self) -> int:
        return len(self._paths)

    @property
    def loaded(self) -> frozenset[str]:
        """The clips read into memory so far."""
        return frozenset(self._loaded)

    def __repr__(self) -> str:
        return f"ClipFolder({len(self._loaded)} of {len(self._paths)} clips loaded)"


def load_library(sounds: Path | None, voice: Path | None) -> Library:
    """Reads the earcons (`sounds`) into memory; the voice clips (`voice`) are read as used."""
    return Library(earcons=load_folder(sounds), clips=ClipFolder(voice))


def _pieces(prompt: Prompt, library: Library, parts_kept: int) -> list[bytes]:
    """The stream's pieces in order, gaps included; unknown clips and empty parts leave
    no trace (not even a gap)."""
    pieces: list[bytes] = []
    earcon = library.earcons.get(prompt.earcon) if prompt.earcon else None
    if earcon:
        pieces.append(earcon)
    for part in prompt.parts[:parts_kept]:
        known = [library.clips[name] for name in part if library.clips.get(name)]
        if not known:
            continue
        if pieces:
            pieces.append(silence(EARCON_GAP_S if len(pieces) == 1 and earcon else PART_GAP_S))
        for index, clip in enumerate(known):
            if index:
                pieces.append(silence(CLIP_GAP_S))
            pieces.append(clip)
    return pieces


def assemble(prompt: Prompt, library: Library, parts_kept: int | None = None) -> bytes:
    """The prompt as one stream: earcon, gap, then its first `parts_kept` parts (all: None)."""
    kept = len(prompt.parts) if parts_kept is None else parts_kept
    return b"".join(_pieces(prompt, library, kept))


def prefix_seconds(prompt: Prompt, library: Library) -> list[float]:
    """How long the stream lasts with the earcon and the first k parts, for k = 0 .. all."""
    return [
        sum(len(piece) for piece in _pieces(prompt, library, kept)) / (SAMPLE_WIDTH * RATE)
        for kept in range(len(prompt.parts) + 1)
    ]


def fit(prompt: Prompt, lengths: Sequence[float], now: float) -> int | None:
    """How many parts to keep so a stream starting at `now` ends by the deadline.

    `lengths` is `prefix_seconds(prompt, ...)`. The longest prefix of parts that fits
    wins; when not even the first part fits, the earcon alone (0) if it fits; None
    when nothing fits, or there is nothing to play at all.
    """
    deadline = prompt.deadline
    for kept in range(len(prompt.parts), -1, -1):
        if kept > 0 and lengths[kept] == lengths[kept - 1]:
            continue  # this part has no known clip: keeping it adds nothing
        if lengths[kept] <= 0:
            return None
        if deadline is None or now + lengths[kept] <= deadline:
            return kept
    return None
