"""Shared by the benchmarks: run a command in a fresh tmux pane and watch it.

The panes are the tests' own harness (tests/support/tmux.py), on a tmux server of this
run's own that ends with it. The command is started with `exec`, so the pane's pid is the
program's own pid and /proc tells its CPU time and peak memory.
"""

from __future__ import annotations

import atexit
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.tmux import Pane, stop_server

__all__ = ["Pane", "median", "sound_home", "turning_plan", "walkcoach_command"]

atexit.register(stop_server)


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
