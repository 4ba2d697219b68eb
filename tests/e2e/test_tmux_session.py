"""The real `walkcoach run` in a real terminal (tmux): it counts down and switches."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.tmux import TMUX, Terminal, walker_data

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

LONG_PLAN = """
format = 1
name = "Long forward"

[[steps]]
direction = "forward"
duration = "10:00"
speed_kmh = 4.0

[[steps]]
direction = "backward"
duration = 60
speed_kmh = 2.0
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


class ShellTerminal(Terminal):
    """`walkcoach ARGS...` typed at an interactive shell with job control, in tmux: the
    shell takes the terminal back (cooked mode, its own lines) when the program stops,
    and `fg` hands it over again, as for a walker at a prompt."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.name = f"walkcoach-test-{uuid.uuid4().hex[:8]}"
        shell = "env -u COLUMNS -u LINES PS1='$ ' bash --norc --noprofile -i"
        started = subprocess.run(
            [*TMUX, "new-session", "-d", "-s", self.name, "-x", "100", "-y", "30", shell],
            capture_output=True,
            text=True,
            cwd=cwd,
        )
        assert started.returncode == 0, started.stderr
        self._zombie_status: int | None = None
        shell_pid = int(self._tmux("display-message", "-p", "-t", self.name, "#{pane_pid}"))
        self.tty = self._tmux("display-message", "-p", "-t", self.name, "#{pane_tty}")
        self.wait_for(lambda s: "$" in s, 10, "the shell's prompt")
        self._tmux(
            "send-keys",
            "-t",
            self.name,
            "-l",
            shlex.join([sys.executable, "-m", "walkcoach", *args]),
        )
        self.keys("Enter")
        self.pid = self._only_child(shell_pid)

    def state(self) -> str:
        """The process's state letter (R running, S sleeping, T stopped)."""
        return Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]

    def raw_mode(self) -> bool:
        """Whether the terminal is as the app sets it: no line editing, no echo."""
        modes = subprocess.run(["stty", "-F", self.tty, "-a"], capture_output=True, text=True)
        flags = modes.stdout.split()
        return "-icanon" in flags and "-echo" in flags


@pytest.fixture
def shell(tmp_path: Path) -> Iterator[Callable[..., ShellTerminal]]:
    started: list[ShellTerminal] = []

    def start(*args: str) -> ShellTerminal:
        term = ShellTerminal(list(args), tmp_path)
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()


def walk_at_a_prompt(
    tmp_path: Path, shell: Callable[..., ShellTerminal]
) -> tuple[ShellTerminal, Path]:
    data = walker_data(tmp_path / "data", lead_in_s=0)
    plan_file = tmp_path / "long.toml"
    plan_file.write_text(LONG_PLAN)
    term = shell("--data-dir", str(data), "run", str(plan_file), "--no-sound")
    term.wait_for(lambda s: "segment 1 of 2" in s, 20, "the walk to start")
    assert term.raw_mode()
    return term, data


def is_the_walk_screen_alone(screen: str) -> bool:
    """The walk drawn whole: its title on the first line, its keys on the last, and
    nothing the shell wrote left over."""
    lines = screen.splitlines()
    return (
        bool(lines)
        and lines[0].strip().startswith("Long forward")
        and "space" in lines[-1]
        and "Stopped" not in screen
        and "type fg" not in screen
        and not any(line.lstrip().startswith("$") for line in lines)  # no prompt, no `fg`
    )


def end_the_walk(term: ShellTerminal) -> None:
    term.keys("q")
    term.wait_for(lambda s: "End this walk now?" in s, 5, "the quit question")
    term.keys("y")
    term.wait_for(lambda s: "Ended early" in s, 5, "the recap")
    time.sleep(0.3)  # the recap's keys are live a moment after it is drawn
    term.keys("q")
    term.wait_for(lambda s: s.rstrip().endswith("$"), 10, "the shell's prompt again")


def test_ctrl_z_pauses_the_walk_and_fg_brings_it_back_redrawn_in_raw_mode(
    tmp_path: Path, shell: Callable[..., ShellTerminal]
) -> None:
    term, data = walk_at_a_prompt(tmp_path, shell)
    time.sleep(1.5)
    term.keys("C-z")
    stopped = term.wait_for(lambda s: "Stopped" in s, 5, "the shell to say the walk stopped")
    assert "type fg to go back to it" in stopped
    assert term.state() == "T"
    time.sleep(1)
    term.keys("fg", "Enter")
    back = term.wait_for(
        lambda s: is_the_walk_screen_alone(s) and "PAUSED" in s, 5, "the walk redrawn, paused"
    )
    assert "space Resume" in back
    assert term.raw_mode()
    term.keys("Space")  # keys reach the app again
    term.wait_for(lambda s: "PAUSED" not in s and "space Pause" in s, 5, "the walk going on")
    end_the_walk(term)

    from walkcoach.store.history import History

    [row] = History(data / "history.sqlite3").sessions()
    assert row.status == "unfinished" and row.pauses == 1
    assert 1.0 < row.active_s < 5.0  # the time in the background is not walked


def test_a_stop_from_outside_then_fg_gives_the_walk_its_terminal_back(
    tmp_path: Path, shell: Callable[..., ShellTerminal]
) -> None:
    term, _ = walk_at_a_prompt(tmp_path, shell)
    os.kill(term.pid, signal.SIGSTOP)
    term.wait_for(lambda s: "Stopped" in s, 5, "the shell to say the walk stopped")
    time.sleep(0.5)
    term.keys("fg", "Enter")  # the shell sets the terminal back to cooked mode for its job
    term.wait_for(is_the_walk_screen_alone, 5, "the walk redrawn without the shell's lines")
    assert term.raw_mode()
    term.keys("q")  # keys reach the app again, one at a time
    term.wait_for(lambda s: "End this walk now?" in s, 5, "the quit question")
    term.keys("y")
    term.wait_for(lambda s: "Ended early" in s, 5, "the recap")
