"""Engine accuracy: does a session end exactly when it should?

    python bench/accuracy.py [--seconds 60]

1. A 4-hour plan under a simulated clock ticked at irregular intervals (mostly 10-490
   ms, sometimes up to 4.9 s): the error between the plan's length and the active time
   the engine counted, and between the finish's due time and the plan's end.
2. A real session of `--seconds` (default 60) run headless on the real monotonic clock:
   when the finish cue reached the sound player, against when it was due (start of the
   walk + lead-in + plan length).
Targets (issue 7): 0 ms in simulation; within 50 ms for the real session.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from walkcoach.engine import Engine  # noqa: E402
from walkcoach.plan import Plan, Repeat, Segment  # noqa: E402
from walkcoach.voice import Prompt  # noqa: E402
from walkcoach.walks import WalkTotals  # noqa: E402

REAL_TARGET_MS = 50.0


def simulated() -> tuple[float, float]:
    block = Repeat(40, (Segment("forward", 240, 5.0), Segment("backward", 120, 3.0, 2.0)))
    engine = Engine(Plan("four hours", (block,)), 70)
    rng = random.Random(7)
    t = start = 1000.0
    engine.start(t)
    finish_due = None
    while not engine.finished:
        t += rng.uniform(0.01, 0.49) if rng.random() < 0.95 else rng.uniform(0.5, 4.9)
        for event in engine.tick(t):
            if event.kind == "finish":
                finish_due = event.due
    assert finish_due is not None
    active_error = abs(WalkTotals.of(engine.result()).active_s - engine.total_s) * 1000
    due_error = abs(finish_due - (start + engine.lead_in_s + engine.total_s)) * 1000
    return active_error, due_error


class StampingPlayer:
    """A silent player that notes when each cue (a prompt's opening tone) reached it."""

    backend_name = "silent (stamping)"
    muted = False

    def __init__(self) -> None:
        self.stamps: list[tuple[str, float]] = []

    def play(self, cue: str) -> None:
        self.stamps.append((cue, time.monotonic()))

    def say(self, prompt: Prompt) -> None:
        if prompt.earcon is not None:
            self.play(prompt.earcon)

    def close(self) -> None:
        pass


def real(seconds: int) -> float:
    from walkcoach.store.paths import DataDirs
    from walkcoach.tui.app import make_app
    from walkcoach.tui.launch import GIL_SWITCH_INTERVAL_S
    from walkcoach.tui.screens.session import SessionScreen

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)  # as `walkcoach run` does
    plan = Plan(
        "accuracy",
        (Segment("forward", seconds // 2, 4.0), Segment("backward", seconds - seconds // 2, 2.5)),
    )
    player = StampingPlayer()
    with tempfile.TemporaryDirectory(prefix="walkcoach-bench-") as data:
        Path(data, "profile.toml").write_text("weight_kg = 70.0\nsafety_check = false\n")
        app = make_app(DataDirs.in_folder(data), time.monotonic, player, start_plan=plan)
        engines: list[Engine] = []

        async def watch(pilot: object) -> None:
            while not app.outcomes:
                if not engines and isinstance(app.screen, SessionScreen):
                    engines.append(app.screen.engine)
                await asyncio.sleep(0.05)
            app.exit()

        app.run(headless=True, auto_pilot=watch)
    engine = engines[0]
    assert engine.started_at is not None
    due = engine.started_at + engine.lead_in_s + engine.total_s
    finished = next(t for cue, t in player.stamps if cue == "finish")
    return (finished - due) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    active_error, due_error = simulated()
    print("4-hour plan, simulated clock with irregular ticks:")
    print(f"  active time error {active_error:.6f} ms, finish due-time error {due_error:.6f} ms")
    simulated_ok = round(active_error) == 0 and round(due_error) == 0
    late = real(args.seconds)
    real_ok = abs(late) <= REAL_TARGET_MS
    print(f"real {args.seconds} s session (plus the 5 s lead-in), headless on the real clock:")
    print(
        f"  finish cue {late:+.1f} ms from its due time "
        f"(target within {REAL_TARGET_MS:g} ms) {'MET' if real_ok else 'NOT MET'}"
    )
    return 0 if simulated_ok and real_ok else 1


if __name__ == "__main__":
    sys.exit(main())
