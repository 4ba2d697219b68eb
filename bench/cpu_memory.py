"""CPU per minute and peak memory of a running session, side by side with peers.

    python bench/cpu_memory.py [--seconds 60]

Three programs run at once, each in its own tmux pane, for the same time:
- `walkcoach run PLAN` with sound and the voice on, playing through ALSA into a file, on
  a plan that turns round every minute (`--turn-every 20` makes the coach talk for most
  of the minute, far more than any real plan),
- `termdown` counting down over the same time (installed from PyPI into a temporary
  folder if it is missing), the peer for CPU,
- the minimal Textual app with one `Digits` countdown (bench/peers/digits_app.py), the
  peer for memory.
CPU is user + system time from /proc, scaled to one minute; memory is the peak resident
set (VmHWM). Targets (the README's "Measured figures"): CPU ratio at most 1.0 against
termdown, peak memory ratio at most 1.5 against the minimal Textual app.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tmux_runs import Pane, sound_home, turning_plan, walkcoach_command

HERE = Path(__file__).resolve().parent
CPU_TARGET = 1.0
MEMORY_TARGET = 1.5


def termdown_command(tmp: Path) -> tuple[list[str], dict[str, str]]:
    """termdown as a command line, installing it into `tmp` when it is not on PATH."""
    found = shutil.which("termdown")
    if found:
        return [found], {}
    target = tmp / "termdown"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--target", str(target), "termdown"],
        check=True,
    )
    return [sys.executable, str(target / "bin" / "termdown")], {"PYTHONPATH": str(target)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--turn-every", type=int, default=60, metavar="SECONDS")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="walkcoach-bench-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "profile.toml").write_text("weight_kg = 70.0\nsafety_check = false\n")
        (tmp / "turns.toml").write_text(turning_plan(args.turn_every))
        env, capture = sound_home(tmp)
        termdown, termdown_env = termdown_command(tmp)
        seconds = int(args.seconds)
        panes = {
            "walkcoach": Pane(
                [*walkcoach_command(), "--data-dir", str(tmp), "run", str(tmp / "turns.toml")],
                env=env,
            ),
            "termdown": Pane([*termdown, f"{seconds + 30}s"], env=termdown_env),
            "digits": Pane([sys.executable, str(HERE / "peers" / "digits_app.py")]),
        }
        try:
            panes["walkcoach"].seconds_until(lambda s: "GET READY" in s or "segment" in s)
            panes["termdown"].seconds_until(lambda s: bool(s.strip()))
            panes["digits"].seconds_until(lambda s: bool(s.strip()))
            # Start-up is not what is measured here: count from now.
            before = {name: pane.cpu_seconds() for name, pane in panes.items()}
            time.sleep(args.seconds)
            cpu = {name: pane.cpu_seconds() - before[name] for name, pane in panes.items()}
            peak = {name: pane.peak_rss_kib() for name, pane in panes.items()}
            alive = "segment" in panes["walkcoach"].screen()
            played_s = capture.stat().st_size / 2 / 44100 if capture.exists() else 0.0
        finally:
            for pane in panes.values():
                pane.close()
    per_minute = {name: used * 60 / args.seconds for name, used in cpu.items()}
    cpu_ratio = per_minute["walkcoach"] / max(per_minute["termdown"], 0.01)
    memory_ratio = peak["walkcoach"] / peak["digits"]
    print(f"over {args.seconds:g} s of a running session (CPU from /proc, {os.cpu_count()} cores)")
    print(
        f"  walkcoach turned every {args.turn_every} s and played {played_s:.1f} s of "
        "prompts and tones into the ALSA capture"
    )
    for name in panes:
        print(
            f"  {name:<10} CPU {per_minute[name]:6.2f} s per minute   "
            f"peak RSS {peak[name] / 1024:6.1f} MiB"
        )
    print(
        f"  CPU ratio walkcoach / termdown: {cpu_ratio:.2f} (target at most {CPU_TARGET}) "
        f"{'MET' if cpu_ratio <= CPU_TARGET else 'NOT MET'}"
    )
    print(
        f"  memory ratio walkcoach / Digits app: {memory_ratio:.2f} "
        f"(target at most {MEMORY_TARGET}) "
        f"{'MET' if memory_ratio <= MEMORY_TARGET else 'NOT MET'}"
    )
    if played_s < 3:
        print("  walkcoach played (almost) no sound: figures are not for voice on")
        return 1
    if not alive:
        print("  walkcoach's session was no longer on screen at the end: figures are suspect")
        return 1
    return 0 if cpu_ratio <= CPU_TARGET and memory_ratio <= MEMORY_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
