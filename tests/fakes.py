"""The fakes walkcoach's tests may use: only at the edges (the clock, the audio device)."""

from __future__ import annotations


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
    """A sound player that records the cues it was asked to play, with the time."""

    backend_name = "recording"
    audible = True

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock
        self.muted = False
        self.played: list[str] = []
        self.times: list[float] = []

    def play(self, cue: str) -> None:
        if self.muted:
            return
        self.played.append(cue)
        self.times.append(self.clock() if self.clock else 0.0)

    def close(self) -> None:
        pass
