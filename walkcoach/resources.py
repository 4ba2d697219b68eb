"""Finds the files walkcoach ships with: the seeds, the cue sounds and the voice clips.

In a source checkout they are the top-level `seeds/` and `assets/` folders; an
installed wheel carries copies of both inside the package (see pyproject's
force-include), so every caller asks here instead of building paths itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


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
