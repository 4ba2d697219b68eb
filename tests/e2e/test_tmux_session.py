"""The real `walkcoach run` in a real terminal (tmux): it counts down and switches."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.tmux import Terminal, walker_data

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

PLAN = """
format = 1
name = "Five second test"

[[steps]]
label = "Warm-up"
direction = "forward"
duration = 5
speed_kmh = 3.5

[[steps]]
direction = "backward"
duration = 5
speed_kmh = 2.0

[[steps]]
direction = "forward"
duration = 5
speed_kmh = 4.0
"""


@pytest.mark.parametrize("sound", [False, True], ids=["no-sound", "sound"])
def test_a_real_session_counts_down_and_switches(
    tmp_path: Path, terminal: Callable[..., Terminal], sound: bool
) -> None:
    """With sound on, the cue player runs against this machine's audio (in CI: the
    sound extra and no sound card), and no audio library may print over the screen."""
    data = walker_data(tmp_path / "data")
    plan_file = tmp_path / "five.toml"
    plan_file.write_text(PLAN)
    flags = [] if sound else ["--no-sound"]
    term = terminal("--data-dir", str(data), "run", str(plan_file), *flags)

    lead_in = term.wait_for(lambda s: "GET READY" in s, 15, "the lead-in")
    assert "FORWARD FIRST" in lead_in
    forward = term.wait_for(lambda s: "segment 1 of 3" in s, 10, "the first segment")
    assert "FORWARD" in forward and "Warm-up" in forward
    assert "Next BACKWARD 0:05 at 2.0 km/h" in forward
    # Counting down: over 4 s the time left takes at least three values, each lower.
    lefts: list[str] = []
    screens = []
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        screen = term.screen()
        screens.append(screen)
        for line in screen.splitlines():
            left = line.split("Left")[-1].strip() if "Left" in line else None
            if left and (not lefts or left != lefts[-1]):
                lefts.append(left)
        time.sleep(0.2)
    assert len(lefts) >= 3, lefts
    assert lefts == sorted(lefts, reverse=True), lefts
    backward = term.wait_for(lambda s: "segment 2 of 3" in s, 8, "the switch to backward")
    assert "BACKWARD" in backward
    assert "Next FORWARD 0:05 at 4.0 km/h" in backward
    term.wait_for(lambda s: "segment 3 of 3" in s, 8, "the switch back to forward")
    recap = term.wait_for(lambda s: "Finished: Five second test" in s, 10, "the recap")
    for seen in [lead_in, forward, *screens, backward, recap]:
        assert "Traceback" not in seen and "ALSA lib" not in seen and "snd_" not in seen
    term.keys("q")
    term.wait_gone()
    assert term.exit_status() == 0

    from walkcoach.store.history import History

    [row] = History(data / "history.sqlite3").sessions()
    assert row.status == "finished" and row.active_s == pytest.approx(15, abs=0.01)
