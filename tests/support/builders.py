"""Plans, walks and histories to test with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from walkcoach.engine import Engine, SessionResult
from walkcoach.plan import Plan, Repeat, Segment, load
from walkcoach.resources import seeds_dir
from walkcoach.store.history import History, Status
from walkcoach.store.paths import DataDirs

START = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
PLAN = Plan(  # the plan of `walked`
    "Retro",
    (
        Segment("forward", 60, 4.5, label="Warm-up"),
        Repeat(2, (Segment("backward", 30, 3.0, 2.0), Segment("forward", 30, 5.0))),
    ),
)


def walked(seconds: float, skip_at: float | None = None) -> SessionResult:
    """A session of PLAN walked for `seconds` (no lead-in), optionally skipping once."""
    engine = Engine(PLAN, 80.0, lead_in_s=0)
    engine.start(0.0)
    t = 0.0
    while t < seconds:
        t = min(seconds, t + 1.0)
        engine.tick(t)
        if skip_at is not None and t == skip_at:
            engine.skip(t)
    return engine.result()


VALID_PLAN = """\
format = 1
name = "Desk walk"

[[steps]]
label = "Warm-up"
direction = "forward"
duration = "5:00"
speed_kmh = 4.0

[[steps]]
repeat = 2
  [[steps.steps]]
  direction = "backward"
  duration = 60
  speed_kmh = 5.8
  [[steps.steps]]
  direction = "forward"
  duration = "2:00"
  speed_kmh = 5.0
"""


def write_plan(folder: Path, file_name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    path.write_text(text, encoding="utf-8")
    return path


def record_sessions(history_path: Path, count: int) -> None:
    plan = load(seeds_dir() / "plans" / "quick.toml")
    engine = Engine(plan, 70.0, lead_in_s=0)
    engine.start(0.0)
    for t in range(1, 121):
        engine.tick(float(t))
    with History(history_path) as history:
        for n in range(count):
            start = datetime(2026, 3, 1, 7, 0, tzinfo=UTC) + timedelta(days=n)
            session_id = history.start_session(f"Walk {n}", 70.0, start)
            history.checkpoint(session_id, engine.result(), "unfinished", start)


WALK_NAMES = ["[b]x[/b] [link=http://e]y", "Morning", "Evening"]


def fill_history(folder: Path) -> History:
    """The history of the data folder `folder`, holding a walk of each of WALK_NAMES."""
    history = History(DataDirs.in_folder(folder).history_path)
    start = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    for n, name in enumerate(WALK_NAMES):
        session_id = history.start_session(name, 80.0, start + timedelta(days=n))
        status: Status = "unfinished" if n == 1 else "finished"
        history.checkpoint(session_id, walked(100 + 40 * n, skip_at=70), status, start)
    history.close()
    return history
