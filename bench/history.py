"""`walkcoach history` over a big history, against peers measured in the same run.

    python bench/history.py [--sessions 10000] [--runs 7]

Fills a temporary data folder with `--sessions` walks (each with its segments, as the
recorder writes them), then times the real command in a subprocess, the median of
`--runs` runs each:

- `walkcoach history` (the table of the newest 50), `--json` and `--csv` (every walk);
- peers: `python -c pass` (the floor: an interpreter starting), and the `sqlite3`
  command line printing the same 50 rows (the data alone, no Python).

Target (the README's "Measured figures"): `walkcoach history` under 0.3 s with 10 000 sessions.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from walkcoach.engine import Engine, SessionResult  # noqa: E402
from walkcoach.plan import Plan, Repeat, Segment  # noqa: E402
from walkcoach.store.history import (  # noqa: E402
    SEGMENT_COLUMNS,
    SESSION_COLUMNS,
    History,
    result_segments,
)
from walkcoach.walks import WalkTotals, to_iso  # noqa: E402

TARGET_S = 0.3
PLAN = Plan(
    "Bench intervals",
    (
        Segment("forward", 300, 4.5, 0, "Warm-up"),
        Repeat(6, (Segment("backward", 60, 3.0, 2), Segment("forward", 120, 5.0, 0))),
        Segment("forward", 180, 4.0, 0, "Cool-down"),
    ),
)


def walk(seconds: float) -> SessionResult:
    engine = Engine(PLAN, 75.0, lead_in_s=0)
    engine.start(0.0)
    t = 0.0
    while t < seconds:
        t = min(seconds, t + 4.0)
        engine.tick(t)
    return engine.result()


def fill(path: Path, count: int) -> None:
    """`count` walks, one a day back from now, in one transaction (the rows are what
    `History.checkpoint` writes, built by the same functions)."""
    first = History(path)
    first.start_session("schema", 75.0, datetime.now(UTC))  # creates the file and tables
    first.close()
    results = [walk(s) for s in (600, 1200, 1560, 1980)]
    now = datetime.now(UTC)
    sessions, segments = [], []
    for n in range(count):
        result = results[n % len(results)]
        started = now - timedelta(hours=8 * n + 1)
        totals = WalkTotals.of(result)
        ended = started + timedelta(seconds=totals.active_s)
        status = "finished" if result.finished else "unfinished"
        row = {
            "id": n + 2,
            "plan_name": f"{PLAN.name} {n % 7}",
            "started_at": to_iso(started),
            "ended_at": to_iso(ended),
            "updated_at": to_iso(ended),
            "status": status,
            "weight_kg": 75.0,
            **totals.figures(),
        }
        sessions.append(tuple(row[c] for c in SESSION_COLUMNS))
        segments += [tuple(s[c] for c in SEGMENT_COLUMNS) for s in result_segments(n + 2, result)]
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM sessions")
        conn.executemany(
            f"INSERT INTO sessions VALUES ({', '.join('?' for _ in SESSION_COLUMNS)})", sessions
        )
        conn.executemany(
            f"INSERT INTO segments VALUES ({', '.join('?' for _ in SEGMENT_COLUMNS)})", segments
        )
    conn.close()


def median_run(argv: list[str], runs: int) -> tuple[float, int]:
    """The median wall time of `argv` and the size of its output."""
    times, size = [], 0
    subprocess.run(argv, capture_output=True, check=True)  # warm the caches once
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(argv, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
        size = len(out.stdout)
    return statistics.median(times), size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="walkcoach-bench-") as folder:
        data = Path(folder)
        path = data / "history.sqlite3"
        started = time.perf_counter()
        fill(path, args.sessions)
        with History(path) as history:
            sessions = history.count()
            with sqlite3.connect(path) as conn:
                (segments,) = conn.execute("SELECT count(*) FROM segments").fetchone()
            conn.close()
        print(
            f"history: {sessions} sessions, {segments} segments, "
            f"{path.stat().st_size / 1e6:.1f} MB (filled in {time.perf_counter() - started:.1f} s)"
        )

        walkcoach = [sys.executable, "-m", "walkcoach", "--data-dir", str(data), "history"]
        cases: list[tuple[str, list[str]]] = [
            ("walkcoach history", walkcoach),
            ("walkcoach history --json", [*walkcoach, "--json"]),
            ("walkcoach history --csv", [*walkcoach, "--csv"]),
            ("peer: python -c pass", [sys.executable, "-c", "pass"]),
        ]
        sqlite_cli = shutil.which("sqlite3")
        if sqlite_cli:
            query = (
                "SELECT started_at, plan_name, status, active_s, backward_s, "
                "forward_km + backward_km, kcal FROM sessions "
                "ORDER BY started_at DESC, id DESC LIMIT 50"
            )
            cases.append(
                ("peer: sqlite3 CLI, same 50 rows", [sqlite_cli, "-readonly", str(path), query])
            )
        figures = {name: median_run(argv, args.runs) for name, argv in cases}

    floor = figures["peer: python -c pass"][0]
    print(f"\nmedian of {args.runs} runs each")
    print(f"{'command':<34}{'time':>9}{'output':>10}{'x python':>10}")
    for name, (seconds, size) in figures.items():
        print(f"{name:<34}{seconds * 1000:>7.0f} ms{size / 1000:>8.0f} kB{seconds / floor:>9.1f}x")
    table = figures["walkcoach history"][0]
    verdict = "meets" if table < TARGET_S else "MISSES"
    print(f"\nwalkcoach history: {table:.3f} s, {verdict} the target of {TARGET_S} s")
    if sqlite_cli:
        peer = figures["peer: sqlite3 CLI, same 50 rows"][0]
        print(f"ratio to the sqlite3 CLI printing the same rows: {table / peer:.1f}x")
    return 0 if table < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
