"""The real `walkcoach run` in a real terminal (tmux): it counts down and switches."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

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


class Tmux:
    def __init__(self, name: str) -> None:
        self.name = name

    def screen(self) -> str:
        out = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        )
        return out.stdout

    def wait_for(self, test: Callable[[str], bool], timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if test(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)


@pytest.fixture
def tmux_run(tmp_path: Path) -> Iterator[Callable[..., Tmux]]:
    names: list[str] = []

    def start(*args: str, width: int = 100, height: int = 30) -> Tmux:
        name = f"walkcoach-test-{uuid.uuid4().hex[:8]}"
        names.append(name)
        command = " ".join([sys.executable, "-m", "walkcoach", *args])
        # The pane stays after the program ends, so its last screen can be read.
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                str(width),
                "-y",
                str(height),
                f"{command}; echo EXITED $?; sleep 30",
            ],
            check=True,
            cwd=tmp_path,
        )
        return Tmux(name)

    yield start
    for name in names:
        subprocess.run(["tmux", "kill-session", "-t", name], check=False, capture_output=True)


@pytest.mark.parametrize("sound", [False, True], ids=["no-sound", "sound"])
def test_a_real_session_counts_down_and_switches(tmp_path: Path, tmux_run, sound: bool) -> None:  # type: ignore[no-untyped-def]
    """With sound on, the cue player runs against this machine's audio (in CI: the
    sound extra and no sound card), and no audio library may print over the screen."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "profile.toml").write_text("weight_kg = 70.0\nsafety_check = false\n")
    plan_file = tmp_path / "five.toml"
    plan_file.write_text(PLAN)
    flags = [] if sound else ["--no-sound"]
    term = tmux_run("--data-dir", str(data), "run", str(plan_file), *flags)

    lead_in = term.wait_for(lambda s: "GET READY" in s, 15, "the lead-in")
    assert "FORWARD FIRST" in lead_in
    forward = term.wait_for(lambda s: "segment 1 of 3" in s, 10, "the first segment")
    assert "FORWARD" in forward and "Warm-up" in forward
    assert "Next BACKWARD 0:05 at 2.0 km/h" in forward
    # Counting down: the remaining time shrinks while the segment runs.
    lefts = set()
    screens = []
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        screen = term.screen()
        screens.append(screen)
        if "segment 1 of 3" in screen:
            lefts.update(
                line.split("Left")[-1].strip() for line in screen.splitlines() if "Left" in line
            )
        time.sleep(0.2)
    assert len(lefts) >= 3, lefts
    backward = term.wait_for(lambda s: "segment 2 of 3" in s, 8, "the switch to backward")
    assert "BACKWARD" in backward
    assert "Next FORWARD 0:05 at 4.0 km/h" in backward
    term.wait_for(lambda s: "segment 3 of 3" in s, 8, "the switch back to forward")
    home = term.wait_for(lambda s: "Finished: Five second test" in s, 10, "the end")
    for seen in [lead_in, forward, *screens, backward, home]:
        assert "Traceback" not in seen and "ALSA lib" not in seen and "snd_" not in seen
    term.keys("q")
    final = term.wait_for(lambda s: "EXITED" in s, 10, "the app to quit")
    assert "EXITED 0" in final

    from walkcoach.store.history import History

    [row] = History(data / "history.sqlite3").sessions()
    assert row.status == "finished" and row.active_s == pytest.approx(15, abs=0.01)
