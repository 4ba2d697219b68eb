"""`walkcoach sound-check`: plays every cue in turn, then speaks a sample, so the walker
can hear them all before a walk."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Protocol, TextIO

from walkcoach.cues import CUES
from walkcoach.sound.backends import BellBackend
from walkcoach.sound.player import CuePlayer, make_player
from walkcoach.text import visible
from walkcoach.voice import VoiceSettings, sample

READY_TIMEOUT_S = 10.0
CUE_TIMEOUT_S = 5.0
SPEECH_TIMEOUT_S = 30.0

DESCRIPTIONS: dict[str, str] = {
    "prepare": "a change of direction is 10 s away",
    "tick": "3, 2, 1 s before every segment ends",
    "to_backward": "turn round: walk backward",
    "to_forward": "turn round: walk forward",
    "next": "next segment, same direction",
    "halfway": "half the session done",
    "finish": "session complete",
}


def bell_terminal(*streams: TextIO | None) -> TextIO | None:
    """The first of `streams` that is a terminal, where the bell can ring; None when
    none is. Written into a file or a pipe (``sound-check > file``), BEL is a stray byte,
    so then the bell rings on standard error if that is still the terminal."""
    for stream in streams:
        try:
            if stream is not None and stream.isatty():
                return stream
        except (ValueError, OSError):  # closed, or not a real stream
            continue
    return None


class PlayerFactory(Protocol):
    def __call__(
        self,
        *,
        bell: Callable[[], None] | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> CuePlayer: ...


def sound_check(
    out: TextIO,
    player_factory: PlayerFactory = make_player,
    pause_s: float = 0.8,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Plays each cue and a spoken sample, naming them and the back-end used.

    Returns 0 if the sound was audible, else 1. `clock` must be the player's clock.
    """

    def say(line: str) -> None:
        # Messages from the player may quote a device's or a library's own text.
        out.write(visible(line) + "\n")
        out.flush()

    terminal = bell_terminal(out, sys.stderr)

    def ring_bell() -> None:
        if terminal is not None:
            terminal.write("\a")
            terminal.flush()

    player = player_factory(bell=ring_bell, notify=say)
    try:
        if not player.wait_ready(READY_TIMEOUT_S):
            say(f"No sound back-end answered within {READY_TIMEOUT_S:g} s.")
            return 1
        say(f"Sound back-end: {player.backend_name}")
        for cue in CUES:
            player.play(cue)
            player.drain(CUE_TIMEOUT_S)
            say(f"  {cue:<12} {DESCRIPTIONS.get(cue, '')} ({player.backend_name})")
            time.sleep(pause_s)
        prompt = sample(VoiceSettings(), clock())
        say(f'  {"voice":<12} "{prompt.text}"')
        player.say(prompt)
        player.drain(SPEECH_TIMEOUT_S)
        missing = player.unknown_clips(prompt)
        if missing:
            say(f"  The voice is missing from this installation ({', '.join(missing)}):")
            say("  prompts will play their tones only.")
        if player.backend_name == BellBackend.name:
            # The bell cannot tell a turn from a tick: a walk by ear needs real cues.
            say("No sound device works: only the terminal bell is left, and it sounds the")
            say("same for every cue, so a walk by ear is not possible; watch the screen's flash.")
        elif player.audible:
            say(f"Sound works through {player.backend_name}.")
            return 0
        else:
            say("No audible back-end works: cues will only flash on screen.")
        say("No sound device answered: check that one is connected and not held by another")
        say("program. walkcoach tries miniaudio, simpleaudio (pip install 'walkcoach[sound]'),")
        say("then paplay, pw-play, aplay and afplay.")
        return 1
    finally:
        player.close()
