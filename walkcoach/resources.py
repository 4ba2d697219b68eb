"""Finds the files walkcoach ships with: the seeds, the cue sounds and the voice clips.

In a source checkout they are the top-level `seeds/` and `assets/` folders; an
installed wheel carries copies of both inside the package (see pyproject's
force-include), so every caller asks here instead of building paths itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

_PACKAGE = Path(__file__).resolve().parent
_WAV: Final = ".wav"


@cache
def _root(folder: str) -> Path:
    for candidate in (_PACKAGE / "_shipped" / folder, _PACKAGE.parent / folder):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"walkcoach's {folder}/ folder is missing from this installation")


def seeds_dir() -> Path:
    """The folder holding built-in plans, safety reminders and the MET table."""
    return _root("seeds")


def sounds_dir() -> Path:
    """The folder holding one WAV file per cue."""
    return _root("assets") / "sounds"


def voice_dir() -> Path:
    """The folder holding one WAV file per voice clip (see walkcoach.voice.VOCABULARY)."""
    return _root("assets") / "voice"


def wav_file(folder: Path, name: str) -> Path:
    """The WAV file of cue or voice clip `name` in `folder` (`sounds_dir()`, `voice_dir()`
    or a folder laid out like them): the name is the file's stem."""
    return folder / f"{name}{_WAV}"


def wav_files(folder: Path) -> dict[str, Path]:
    """The WAV files in `folder` by the cue or clip name each holds, sorted by file name."""
    return {path.stem: path for path in sorted(folder.glob(f"*{_WAV}"))}
