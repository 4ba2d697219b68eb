"""Cue sounds: a non-blocking player over the best audio back-end that works here.

Build one with `make_player()` and call `play(cue)` with a name from `walkcoach.cues`.
This package never imports Textual, and importing it loads no audio library.
"""

from walkcoach.sound.backends import Backend, BackendError, default_backends
from walkcoach.sound.player import CuePlayer, make_player

__all__ = ["Backend", "BackendError", "CuePlayer", "default_backends", "make_player"]
