"""Sound: speaks prompts and plays cues through the best audio back-end that works here.

Build a player with `make_player()`, then `say(prompt)` with a `walkcoach.voice.Prompt`,
or `play(cue)` with a name from `walkcoach.cues` for its tone alone. This package never
imports Textual, and importing it loads no audio library.
"""

from walkcoach.sound.backends import Backend, BackendError, default_backends
from walkcoach.sound.player import CuePlayer, make_player

__all__ = ["Backend", "BackendError", "CuePlayer", "default_backends", "make_player"]
