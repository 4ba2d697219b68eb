"""The peer for start-up and memory: the smallest Textual app that shows a countdown.

One `Digits` widget counting down from 1:00, redrawn once a second, nothing else.
"""

from __future__ import annotations

import time

from textual.app import App, ComposeResult
from textual.widgets import Digits


class CountdownApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Digits("1:00")

    def on_mount(self) -> None:
        self.started = time.monotonic()
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        left = max(0, 60 - int(time.monotonic() - self.started))
        self.query_one(Digits).update(f"{left // 60}:{left % 60:02d}")


if __name__ == "__main__":
    CountdownApp().run()
