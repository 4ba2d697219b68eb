"""Cue latency: from the moment a cue is due to the moment its back-end starts playing it.

    python bench/cue_latency.py [--count 200] [--interval 0.05]

The due time is taken just before `CuePlayer.play` is called (as the app does when the
engine reports the cue); the start is taken when the sound thread enters the back-end's
`play`. Three runs:

1. the back-end this machine really chooses (whatever `make_player` would pick);
2. if simpleaudio is installed, simpleaudio into an ALSA `file` capture (a temporary
   HOME with an `.asoundrc`, run in a child process so ALSA reads it), which also
   reports when the first samples reached ALSA (the capture file growing);
3. a real session (`--session-seconds`, default 40): the app runs headless on the real
   clock, and each cue's back-end start is compared with the engine's due time for it,
   so the UI's wake-ups are part of the figure.

Target (DESIGN.md section 10): p99 under 20 ms.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from walkcoach.resources import sounds_dir  # noqa: E402
from walkcoach.sound import Backend, default_backends, make_player  # noqa: E402
from walkcoach.sound.backends import SimpleaudioBackend  # noqa: E402

TARGET_P99_MS = 20.0
CUE = "tick"


class TimedBackend:
    """Passes everything to `inner`, noting when each play call starts."""

    def __init__(self, inner: Backend, starts: list[float]) -> None:
        self._inner = inner
        self._starts = starts

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def audible(self) -> bool:
        return self._inner.audible

    def probe(self) -> None:
        self._inner.probe()

    def play(self, cue: str) -> None:
        self._starts.append(time.monotonic())
        self._inner.play(cue)

    def poll(self) -> bool:
        return self._inner.poll()

    def close(self) -> None:
        self._inner.close()


class GrowthWatcher(threading.Thread):
    """Notes the first time the capture file grows after each `arm()`."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self._path = path
        self._armed_size: int | None = None
        self._lock = threading.Lock()
        self.arrivals: list[float] = []
        self.stop = threading.Event()

    def _size(self) -> int:
        try:
            return self._path.stat().st_size
        except FileNotFoundError:
            return 0

    def arm(self) -> None:
        with self._lock:
            self._armed_size = self._size()

    def run(self) -> None:
        while not self.stop.is_set():
            with self._lock:
                if self._armed_size is not None and self._size() > self._armed_size:
                    self.arrivals.append(time.monotonic())
                    self._armed_size = None
            time.sleep(0.0002)


def percentile(values: list[float], q: int) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


def measure(
    backends: list[Backend], count: int, interval: float, watcher: GrowthWatcher | None = None
) -> dict[str, object]:
    starts: list[float] = []
    timed: list[Backend] = [TimedBackend(b, starts) for b in backends]
    player = make_player(backends=timed)
    player.wait_ready(10)
    dues: list[float] = []
    arrivals_ms: list[float] = []
    for _ in range(count):
        if watcher is not None:
            watcher.arm()
        due = time.monotonic()
        dues.append(due)
        player.play(CUE)
        time.sleep(interval)
        if watcher is not None and watcher.arrivals:
            arrivals_ms.append((watcher.arrivals.pop() - due) * 1000)
    player.drain(10)
    name = player.backend_name
    player.close()
    latencies = [(start - due) * 1000 for due, start in zip(dues, starts, strict=False)]
    result: dict[str, object] = {
        "backend": name,
        "played": len(starts),
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies),
    }
    if watcher is not None and arrivals_ms:
        result["samples_p50_ms"] = statistics.median(arrivals_ms)
        result["samples_p99_ms"] = percentile(arrivals_ms, 99)
        result["samples_seen"] = len(arrivals_ms)
    return result


SESSION_PLAN = """
format = 1
name = "Latency bench"
[[steps]]
repeat = 20
  [[steps.steps]]
  direction = "forward"
  duration = 5
  speed_kmh = 4.0
  [[steps.steps]]
  direction = "backward"
  duration = 5
  speed_kmh = 2.0
"""


def measure_session(seconds: float) -> dict[str, object]:
    """Due time (engine) to back-end start, over a real headless session."""
    import asyncio

    from walkcoach.engine import Engine
    from walkcoach.plan import loads
    from walkcoach.store.paths import DataDirs
    from walkcoach.tui.app import make_app
    from walkcoach.tui.launch import GIL_SWITCH_INTERVAL_S
    from walkcoach.tui.screens.session import SessionScreen

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)  # as `walkcoach run` does
    starts: list[float] = []
    player = make_player(backends=[TimedBackend(b, starts) for b in default_backends(sounds_dir())])
    player.wait_ready(10)
    plan = loads(SESSION_PLAN)
    with tempfile.TemporaryDirectory(prefix="walkcoach-bench-") as data:
        Path(data, "profile.toml").write_text("weight_kg = 70.0\nsafety_check = false\n")
        app = make_app(DataDirs.in_folder(data), time.monotonic, player, start_plan=plan)
        engines: list[Engine] = []

        async def walk(pilot: object) -> None:
            while not engines:
                if isinstance(app.screen, SessionScreen):
                    engines.append(app.screen.engine)
                await asyncio.sleep(0.01)
            await asyncio.sleep(seconds)
            app.exit()

        app.run(headless=True, auto_pilot=walk)
    player.drain(5)
    name = player.backend_name
    player.close()
    started_at = engines[0].started_at
    assert started_at is not None
    replay = Engine(plan, 70)
    dues = [e.due for e in replay.start(started_at) if e.cue]
    t = started_at
    while t < started_at + seconds:
        t += 0.001
        dues += [e.due for e in replay.tick(t) if e.cue]
    latencies = [(start - due) * 1000 for due, start in zip(dues, starts, strict=False)]
    return {
        "backend": name,
        "played": len(starts),
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies),
    }


def report(title: str, result: dict[str, object], count: int) -> bool:
    p99 = float(result["p99_ms"])  # type: ignore[arg-type]
    met = p99 < TARGET_P99_MS
    print(f"{title}: back-end {result['backend']}, {result['played']}/{count} cues played")
    print(
        f"  to back-end play call: p50 {result['p50_ms']:.3f} ms, "
        f"p99 {p99:.3f} ms, max {result['max_ms']:.3f} ms -> "
        f"target p99 < {TARGET_P99_MS:g} ms {'MET' if met else 'NOT MET'}"
    )
    if "samples_p50_ms" in result:
        print(
            f"  play() to first samples in the ALSA capture ({result['samples_seen']} seen): "
            f"p50 {result['samples_p50_ms']:.3f} ms, p99 {result['samples_p99_ms']:.3f} ms"
        )
    return met


def run_capture_child(count: int, interval: float) -> int:
    """Runs inside a HOME whose .asoundrc captures to $WALKCOACH_BENCH_CAPTURE."""
    capture = Path(os.environ["WALKCOACH_BENCH_CAPTURE"])
    watcher = GrowthWatcher(capture)
    watcher.start()
    result = measure([SimpleaudioBackend(sounds_dir())], count, interval, watcher)
    watcher.stop.set()
    print(json.dumps(result))
    return 0


def run_capture(count: int, interval: float) -> dict[str, object] | None:
    with tempfile.TemporaryDirectory(prefix="walkcoach-bench-") as home:
        capture = Path(home) / "capture.raw"
        Path(home, ".asoundrc").write_text(
            "pcm.!default {\n"
            "    type file\n"
            '    slave.pcm "null"\n'
            f'    file "|cat >> {capture}"\n'
            '    format "raw"\n'
            "}\n"
        )
        env = {
            **os.environ,
            "HOME": home,
            "WALKCOACH_BENCH_CAPTURE": str(capture),
        }
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--count",
                str(count),
                "--interval",
                str(interval),
                "--capture-child",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=count * (interval + 1) + 60,
        )
        if child.returncode != 0:
            print(f"ALSA capture run failed:\n{child.stderr}", file=sys.stderr)
            return None
        result: dict[str, object] = json.loads(child.stdout.splitlines()[-1])
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="cues per run (default 200)")
    parser.add_argument(
        "--interval", type=float, default=0.05, help="seconds between cues (default 0.05)"
    )
    parser.add_argument(
        "--session-seconds", type=float, default=40.0, help="real session length (default 40)"
    )
    parser.add_argument("--capture-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.capture_child:
        return run_capture_child(args.count, args.interval)

    all_met = report(
        "This machine's back-end",
        measure(default_backends(sounds_dir()), args.count, args.interval),
        args.count,
    )
    if importlib.util.find_spec("simpleaudio") is None:
        print("ALSA file capture: skipped (simpleaudio is not installed)")
    else:
        captured = run_capture(args.count, args.interval)
        if captured is None:
            all_met = False
        else:
            all_met = (
                report("simpleaudio into an ALSA file capture", captured, args.count) and all_met
            )
    session = measure_session(args.session_seconds)
    played = int(str(session["played"]))
    all_met = report("A real session, from the engine's due time", session, played) and all_met
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
