"""Time to the first drawn frame: `walkcoach run PLAN` against a minimal Textual app.

    python bench/startup.py [--runs 7]

Both programs start in a fresh tmux pane; the time is from starting the pane to the
first capture that shows the program's first screen (walkcoach: the session's lead-in,
with sound and the voice on, playing through ALSA into a file; the peer,
bench/peers/digits_app.py: its Digits countdown). walkcoach is started by its
installed command, as a user starts it. Runs alternate between the two, and the medians
are compared. Target (the README's "Measured figures"): ratio at most 1.3.

walkcoach's modules are byte-compiled first, as `pip install` does: an editable install
under PYTHONDONTWRITEBYTECODE would otherwise compile them on every start, which no
installed copy does.
"""

from __future__ import annotations

import argparse
import compileall
import sys
import tempfile
from pathlib import Path

from tmux_runs import Pane, median, sound_home, walkcoach_command

HERE = Path(__file__).resolve().parent
TARGET_RATIO = 1.3


def first_frame(
    argv: list[str], seen: str | None, cwd: Path, env: dict[str, str] | None = None
) -> float:
    pane = Pane(argv, cwd=cwd, env=env)
    try:
        return pane.seconds_until(lambda s: (seen in s) if seen else bool(s.strip()))
    finally:
        pane.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    compileall.compile_dir(HERE.parent / "walkcoach", quiet=1)
    with tempfile.TemporaryDirectory(prefix="walkcoach-bench-") as tmp:
        data = Path(tmp)
        (data / "profile.toml").write_text("weight_kg = 70.0\nsafety_check = false\n")
        env, _ = sound_home(data)
        walkcoach = [*walkcoach_command(), "--data-dir", str(data), "run", "Quick ten"]
        peer = [sys.executable, str(HERE / "peers" / "digits_app.py")]
        ours: list[float] = []
        theirs: list[float] = []
        first_frame(walkcoach, "GET READY", data, env)  # warm the file cache for both
        first_frame(peer, None, data)
        for _ in range(args.runs):
            ours.append(first_frame(walkcoach, "GET READY", data, env))
            theirs.append(first_frame(peer, None, data))
    ratio = median(ours) / median(theirs)
    print(f"first frame, median of {args.runs} runs each")
    print(
        f"  walkcoach run:          {median(ours) * 1000:7.0f} ms  "
        f"(runs: {', '.join(f'{t * 1000:.0f}' for t in ours)})"
    )
    print(
        f"  minimal Digits app:     {median(theirs) * 1000:7.0f} ms  "
        f"(runs: {', '.join(f'{t * 1000:.0f}' for t in theirs)})"
    )
    verdict = "MET" if ratio <= TARGET_RATIO else "NOT MET"
    print(f"  ratio {ratio:.2f} (target at most {TARGET_RATIO}) {verdict}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
