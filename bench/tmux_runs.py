"""Shared by the benchmarks: run a command in a fresh tmux pane and watch it.

The command is started with `exec`, so the pane's pid is the program's own pid and
/proc tells its CPU time and peak memory.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STARTS = 3


class Pane:
    def __init__(
        self,
        argv: list[str],
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        size: tuple[int, int] = (100, 30),
    ) -> None:
        self.name = f"walkcoach-bench-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        command = f"exec {'env ' + exports + ' ' if exports else ''}{shlex.join(argv)}"
        start = ["tmux", "new-session", "-d", "-s", self.name, "-x", str(size[0])]
        start += ["-y", str(size[1]), command]
        for attempt in range(STARTS):
            self.started = time.monotonic()
            # The tmux server exits with its last session; a session started while it
            # is on its way out fails, and is simply started again.
            started = subprocess.run(start, cwd=cwd, capture_output=True, text=True)
            if started.returncode == 0:
                break
            if attempt == STARTS - 1:
                raise RuntimeError(f"tmux could not start {argv}: {started.stderr.strip()}")
            time.sleep(0.2)
        out = subprocess.run(
            ["tmux", "display-message", "-p", "-t", self.name, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        )
        self.pid = int(out.stdout.strip())

    def screen(self) -> str:
        out = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        )
        return out.stdout

    def wait_for(self, seen: Callable[[str], bool], timeout: float = 30.0) -> float:
        """Seconds from the start until `seen(screen)` first holds."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if seen(self.screen()):
                return time.monotonic() - self.started
            time.sleep(0.005)
        raise TimeoutError(f"{self.name}: never showed what was expected:\n{self.screen()}")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        utime, stime = int(fields[11]), int(fields[12])
        return (utime + stime) / CLOCK_TICKS

    def peak_rss_kib(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise RuntimeError("no VmHWM")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True, check=False)


def walkcoach_command() -> list[str]:
    """The installed `walkcoach` command, as a user starts it (`python -m walkcoach`
    loads runpy first, a few milliseconds no user pays)."""
    script = Path(sys.executable).with_name("walkcoach")
    return [str(script)] if script.exists() else [sys.executable, "-m", "walkcoach"]


ASOUNDRC = """pcm.!default {{
    type file
    slave.pcm "null"
    file "|cat >> {capture}"
    format "raw"
}}
"""


def turning_plan(every_s: int) -> str:
    """A plan that turns round every `every_s` seconds (60: like the built-in intervals'
    backward minute; 20: far more talking than any real plan), for an hour."""
    return f"""format = 1
name = "Bench turns"
[[steps]]
repeat = {max(1, 1800 // every_s)}
  [[steps.steps]]
  direction = "forward"
  duration = {every_s}
  speed_kmh = 4.5
  [[steps.steps]]
  direction = "backward"
  duration = {every_s}
  speed_kmh = 2.5
"""


def sound_home(folder: Path) -> tuple[dict[str, str], Path]:
    """An environment whose ALSA default device captures into a file, and that file.

    The machines the benchmarks run on have no sound card; with this, walkcoach's
    default back-end really plays (every sample reaches the file), as on a walker's
    computer. The null device takes samples as fast as they come, like a real one.
    """
    capture = folder / "capture.raw"
    (folder / ".asoundrc").write_text(ASOUNDRC.format(capture=capture))
    return {"HOME": str(folder)}, capture


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
