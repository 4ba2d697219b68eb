"""The names of the sound cues: the engine emits them, the sound layer plays them.

Each has a WAV file in the shipped sounds: `resources.wav_file(resources.sounds_dir(), cue)`.
"""

from __future__ import annotations

from typing import Final, Literal

Cue = Literal["prepare", "tick", "to_backward", "to_forward", "next", "halfway", "finish"]

CUES: Final[tuple[Cue, ...]] = (
    "prepare",
    "tick",
    "to_backward",
    "to_forward",
    "next",
    "halfway",
    "finish",
)
