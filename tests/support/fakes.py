"""The fakes walkcoach's tests may use: only at the edges (the clock, the audio device)."""

from __future__ import annotations

from walkcoach.voice import Prompt


class FakeClock:
    """A monotonic clock that moves only when a test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


class RecordingPlayer:
    """A sound player that records what it was asked to play, and when.

    `prompts` holds every prompt; `played` and `times` the tones among them (a prompt's
    opening cue, or a cue played on its own), as the walker would hear them.
    """

    backend_name = "recording"
    audible = True

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock
        self.muted = False
        self.prompts: list[Prompt] = []
        self.said_at: list[float] = []
        self.played: list[str] = []
        self.times: list[float] = []

    def _now(self) -> float:
        return self.clock() if self.clock else 0.0

    def play(self, cue: str) -> None:
        if self.muted:
            return
        self.played.append(cue)
        self.times.append(self._now())

    def say(self, prompt: Prompt) -> None:
        if self.muted:
            return
        self.prompts.append(prompt)
        self.said_at.append(self._now())
        if prompt.earcon is not None:
            self.play(prompt.earcon)

    @property
    def spoken(self) -> list[str]:
        """The words of every prompt that has any, in order."""
        return [prompt.text for prompt in self.prompts if prompt.parts]

    def close(self) -> None:
        pass
