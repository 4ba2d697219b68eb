"""miniaudio's stop by itself, counted: many short streams played through the default
back-end into ALSA's file capture, each checked whole and in order in the capture.

    python bench/miniaudio_restarts.py [--streams 600] [--periods 10] [--runs 2]

Every stream holds `--periods` periods of 10 ms, each period one sample value of its own,
so the capture tells which periods arrived, in which order, and how many times. Runs go
side by side, each in a child process whose HOME captures what it plays (the load is
what makes the rare stop appear: a few starts in a thousand on this machine).

What it showed (see MINIAUDIO_LEAD_FRAMES in walkcoach/sound/backends.py): a device that
stops by itself does so right after a start, when the first period taken has not arrived
and the second has. With the lead of silence and the step back, such a stream is started
again and arrives whole. The exit status is 1 when a stream did not arrive whole.
"""

from __future__ import annotations

import argparse
import array
import json
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.sound import asoundrc_capturing_to, run_in_home  # noqa: E402

PERIOD_FRAMES = 441  # 10 ms at 44 100 Hz, the back-end's period
VALUES_PER_STREAM = 16  # sample values kept for each stream's periods

PLAY = """
import json, struct, sys, time
from walkcoach.sound.backends import MiniaudioBackend

streams, periods, per_stream, period_frames = map(int, sys.argv[1:5])
backend = MiniaudioBackend()
backend.probe()
restarted = []
for index in range(streams):
    pcm = b"".join(
        struct.pack("<h", (index * per_stream + p) % 32000 + 1) * period_frames
        for p in range(periods)
    )
    backend.start(pcm)
    stream = backend._stream
    while backend.poll():
        time.sleep(0.002)
    if stream is not None and stream.restarted:
        restarted.append(index)
backend.close()
print(json.dumps({"restarted": restarted}))
"""


def periods_heard(raw: bytes) -> dict[int, list[tuple[int, int]]]:
    """For each stream, its periods in the order the capture holds them: (period, frames)."""
    samples = array.array("h")
    samples.frombytes(raw[: len(raw) // 2 * 2])
    runs: list[list[int]] = []  # [value, frames]
    for value in samples:
        if value == 0:
            continue
        if runs and runs[-1][0] == value:
            runs[-1][1] += 1
        else:
            runs.append([value, 1])
    heard: dict[int, list[tuple[int, int]]] = {}
    for value, count in runs:
        stream, period = divmod(value - 1, VALUES_PER_STREAM)
        heard.setdefault(stream, []).append((period, count))
    return heard


def one_run(streams: int, periods: int) -> tuple[list[int], dict[int, list[tuple[int, int]]]]:
    """Plays the streams in a child process; (restarted streams, streams not heard whole)."""
    with tempfile.TemporaryDirectory(prefix="walkcoach-restarts-") as home:
        capture = Path(home) / "capture.raw"
        asoundrc_capturing_to(Path(home), capture)
        args = [str(streams), str(periods), str(VALUES_PER_STREAM), str(PERIOD_FRAMES)]
        result = run_in_home(Path(home), PLAY, *args)
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip() or f"exit status {result.returncode}")
        restarted: list[int] = json.loads(result.stdout.splitlines()[-1])["restarted"]
        heard = periods_heard(capture.read_bytes())
    whole = [(p, PERIOD_FRAMES) for p in range(periods)]
    broken = {s: heard.get(s, []) for s in range(streams) if heard.get(s) != whole}
    return restarted, broken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=600)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    if not 1 <= args.periods < VALUES_PER_STREAM or args.streams * VALUES_PER_STREAM > 32000:
        parser.error(f"--periods from 1 to {VALUES_PER_STREAM - 1}, --streams up to 2000")
    with ThreadPoolExecutor(args.runs) as pool:
        results = list(pool.map(lambda _: one_run(args.streams, args.periods), range(args.runs)))
    failed = False
    for number, (restarted, broken) in enumerate(results, 1):
        print(
            f"run {number}: {args.streams} streams, restarted {len(restarted)} {restarted}, "
            f"not heard whole {len(broken)}"
        )
        for stream, periods in list(broken.items())[:5]:
            print(f"  stream {stream}: (period, frames) as heard {periods}")
        failed = failed or bool(broken)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
