"""The recorder keeps a walk in the history whatever the disk does: writes never stall
the caller, a failed or locked write is tried again with the newest state, and the walk
lands whole once the history can be written (issue 12, item 3)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.fakes import FakeClock
from walkcoach.engine import Engine, SessionResult
from walkcoach.plan import Plan, Segment
from walkcoach.recorder import Recorder, final_status
from walkcoach.store.history import History, HistoryError, Status
from walkcoach.walks import WalkTotals

PLAN = Plan("Forty", (Segment("forward", 20, 4.0, 0), Segment("backward", 20, 3.0, 0)))
START = datetime(2026, 3, 4, 7, 30, tzinfo=UTC)
SETTLE_S = 30.0  # the longest any test waits for the writer; none needs near this long


class FakeStore:
    """A history in memory that can fail, or hold every write as a lock would.

    `fail` makes every write raise it; `locked` makes every write wait until `unlock`
    (`blocked` is set while one waits). The stores a test makes share one `Disk`.
    """

    def __init__(self, disk: Disk) -> None:
        self.disk = disk
        disk.opened += 1

    def start_session(self, plan_name: str, weight_kg: float, started_at: datetime) -> int:
        self.disk.enter()
        session_id = len(self.disk.sessions) + 1
        self.disk.sessions[session_id] = {"plan": plan_name, "started_at": started_at}
        return session_id

    def checkpoint(
        self,
        session_id: int,
        result: SessionResult,
        status: Status = "running",
        ended_at: datetime | None = None,
    ) -> None:
        self.disk.enter()
        row = self.disk.sessions[session_id]
        totals = WalkTotals.of(result)
        row.update(active_s=totals.active_s, status=status, ended_at=ended_at, kcal=totals.kcal)
        with self.disk.changed:
            self.disk.writes += 1
            self.disk.changed.notify_all()

    def close(self) -> None:
        with self.disk.changed:
            self.disk.closed += 1
            self.disk.changed.notify_all()


class Disk:
    def __init__(self) -> None:
        self.sessions: dict[int, dict[str, object]] = {}
        self.fail: Exception | None = None
        self.open = threading.Event()
        self.open.set()
        self.blocked = threading.Event()
        self.threads: set[int] = set()
        self.opened = self.closed = self.writes = self.attempts = 0
        self.changed = threading.Condition()

    def enter(self) -> None:
        self.threads.add(threading.get_ident())
        with self.changed:
            self.attempts += 1
            self.changed.notify_all()
        if not self.open.is_set():
            self.blocked.set()
            assert self.open.wait(SETTLE_S), "the test never unlocked the disk"
            self.blocked.clear()
        if self.fail is not None:
            raise self.fail

    def lock(self) -> None:
        self.open.clear()

    def unlock(self) -> None:
        self.open.set()

    def row(self) -> dict[str, object]:
        [row] = self.sessions.values()
        return row

    def wait_for_writes(self, count: int) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.writes >= count, SETTLE_S)

    def wait_for_attempts(self, count: int) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.attempts >= count, SETTLE_S)

    def wait_for_close(self) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.closed > 0, SETTLE_S)


BUSY = HistoryError("history.sqlite3: is busy: another program kept it locked", Path("h"))
FULL = OSError(28, "No space left on device")


class Walk:
    """An engine, its recorder over a fake disk, and a fake clock, ticked as the session
    screen ticks them (every quarter second)."""

    def __init__(self, disk: Disk, retry_s: float = 3600.0, heartbeat_s: float = 3600.0) -> None:
        self.disk = disk
        self.clock = FakeClock(0.0)
        self.engine = Engine(PLAN, 70.0, lead_in_s=5)
        self.recorder = Recorder(
            lambda: FakeStore(disk),
            self.engine,
            lambda: START,
            retry_s=retry_s,
            heartbeat_s=heartbeat_s,
        )
        self.news = threading.Event()
        self.recorder.on_change = self.news.set
        self.engine.start(self.clock())
        self.recorder.begin(self.clock())

    def walk(self, seconds: float) -> None:
        end = self.clock.now + seconds
        while self.clock.now < end - 1e-9:
            self.clock.advance(min(0.25, end - self.clock.now))
            self.engine.tick(self.clock())
            self.recorder.checkpoint(self.clock())

    def quit(self) -> None:
        self.engine.stop(self.clock())
        self.recorder.end()

    def wait_for_news(self) -> None:
        assert self.news.wait(SETTLE_S)
        self.news.clear()


@pytest.fixture
def disk() -> Disk:
    return Disk()


MakeWalk = Callable[..., Walk]


@pytest.fixture
def walks() -> Iterator[MakeWalk]:
    """Makes walks, and stops their writers at the end of the test."""
    made: list[Walk] = []

    def make(disk: Disk, **options: float) -> Walk:
        made.append(Walk(disk, **options))
        return made[-1]

    yield make
    for walk in made:
        walk.disk.unlock()
        walk.recorder.close()


def test_nothing_is_written_during_the_lead_in(disk: Disk, walks: MakeWalk) -> None:
    walk = walks(disk)
    walk.walk(4.9)
    assert not walk.recorder.recorded and disk.sessions == {}


def test_a_walk_quit_during_the_lead_in_is_not_recorded(disk: Disk, walks: MakeWalk) -> None:
    walk = walks(disk)
    walk.walk(3)
    walk.quit()
    assert walk.recorder.status == "unfinished"
    assert not walk.recorder.recorded and walk.recorder.saved
    assert walk.recorder.wait(0) and disk.sessions == {} and disk.opened == 0


def test_the_walk_is_written_when_its_first_segment_starts_then_every_five_seconds(
    disk: Disk, walks: MakeWalk
) -> None:
    walk = walks(disk)
    walk.walk(5.25)
    assert walk.recorder.wait(SETTLE_S)
    row = disk.row()
    assert row["status"] == "running" and row["started_at"] == START
    assert row["active_s"] == pytest.approx(0.25)
    walk.walk(4.5)  # 4.75 s walked: not yet
    assert walk.recorder.wait(SETTLE_S) and disk.writes == 1
    walk.walk(0.5)  # 5.25 s walked: the next checkpoint
    assert walk.recorder.wait(SETTLE_S) and disk.writes == 2
    assert disk.row()["active_s"] == pytest.approx(5.25)
    assert walk.recorder.session_id == 1


def test_writes_are_made_by_the_writer_thread_with_its_own_store(
    disk: Disk, walks: MakeWalk
) -> None:
    walk = walks(disk)
    walk.walk(5 + 12)
    walk.quit()
    assert walk.recorder.wait(SETTLE_S)
    assert threading.get_ident() not in disk.threads and len(disk.threads) == 1
    assert disk.wait_for_close()  # once the walk is saved whole, the writer is done
    assert disk.opened == 1 and disk.closed == 1


def test_a_lock_never_stalls_the_walk_and_the_walk_lands_whole_when_it_is_released(
    disk: Disk, walks: MakeWalk
) -> None:
    """Seen: a lock at 7 s held for 20 s left a row of 5 s out of 40 walked."""
    walk = walks(disk)
    walk.walk(5 + 7)
    assert walk.recorder.wait(SETTLE_S)
    disk.lock()
    # The checkpoint at 10.25 s waits on the lock, in the writer; every later one, and
    # the end, return at once (a stalled call would never return: the lock is ours).
    walk.walk(33)
    walk.quit()
    assert disk.blocked.wait(SETTLE_S) and not walk.recorder.saved
    assert disk.row()["status"] == "running" and disk.row()["active_s"] == pytest.approx(5.25)
    disk.unlock()
    assert walk.recorder.wait(SETTLE_S)
    row = disk.row()
    assert row["status"] == "finished" and row["active_s"] == pytest.approx(40)
    assert row["ended_at"] == START
    assert row["kcal"] == pytest.approx(WalkTotals.of(walk.engine.result()).kcal)


def test_a_lock_from_the_start_delays_the_first_write_and_loses_nothing(
    disk: Disk, walks: MakeWalk
) -> None:
    """Seen: a lock held 10 s from the start saved nothing of the walk."""
    disk.lock()
    walk = walks(disk)
    walk.walk(5 + 10)
    assert disk.blocked.wait(SETTLE_S) and disk.sessions == {}
    disk.unlock()
    walk.walk(30)
    walk.quit()
    assert walk.recorder.wait(SETTLE_S)
    assert len(disk.sessions) == 1
    assert disk.row()["status"] == "finished" and disk.row()["active_s"] == pytest.approx(40)


def test_a_full_disk_is_said_retried_with_the_newest_state_and_saved_whole_once_it_is_back(
    disk: Disk, walks: MakeWalk
) -> None:
    """Seen: a full disk from 7 s to 15 s left 5 s of 40."""
    walk = walks(disk)
    walk.walk(5 + 6)
    assert walk.recorder.wait(SETTLE_S)
    disk.fail = FULL
    walk.walk(5)  # the checkpoint at 10.25 s walked fails
    walk.wait_for_news()
    assert walk.recorder.problem == str(FULL) and not walk.recorder.saved
    assert disk.row()["active_s"] == pytest.approx(5.25)
    walk.walk(4)
    disk.fail = None
    walk.walk(1)  # the checkpoint at 15.25 s walked waits for the next try
    walk.recorder.retry()
    walk.wait_for_news()
    assert walk.recorder.problem is None and walk.recorder.wait(SETTLE_S)
    assert disk.row()["active_s"] == pytest.approx(15.25)  # the newest state, not the failed one
    walk.walk(25)
    walk.quit()
    assert walk.recorder.wait(SETTLE_S)
    assert disk.row()["status"] == "finished" and disk.row()["active_s"] == pytest.approx(40)


def test_a_failed_write_is_tried_again_by_itself(disk: Disk, walks: MakeWalk) -> None:
    disk.fail = BUSY
    walk = walks(disk, retry_s=0.01)
    walk.walk(5 + 1)
    walk.wait_for_news()
    assert walk.recorder.problem == str(BUSY)
    walk.quit()
    disk.fail = None  # no new checkpoint comes after the end: the writer retries alone
    assert walk.recorder.wait(SETTLE_S)
    assert walk.recorder.problem is None
    assert disk.row()["status"] == "unfinished" and disk.row()["active_s"] == pytest.approx(1)


def test_the_final_save_failing_keeps_the_walk_for_a_retry(disk: Disk, walks: MakeWalk) -> None:
    walk = walks(disk)
    walk.walk(5 + 20)
    assert walk.recorder.wait(SETTLE_S)
    disk.fail = BUSY
    walk.quit()
    walk.wait_for_news()
    assert walk.recorder.problem is not None and not walk.recorder.wait(0)
    latest = walk.recorder.latest
    assert latest is not None and latest.status == "unfinished"
    assert WalkTotals.of(latest.result).active_s == pytest.approx(20)
    disk.fail = None
    walk.recorder.retry()
    assert walk.recorder.wait(SETTLE_S)
    assert disk.row()["status"] == "unfinished" and disk.row()["active_s"] == pytest.approx(20)


def test_a_store_that_cannot_be_opened_is_opened_again_on_the_next_try(
    disk: Disk, walks: MakeWalk
) -> None:
    opens: list[bool] = [False, True]

    walk = walks(disk)

    def open_store() -> FakeStore:
        if not opens.pop(0):
            raise BUSY
        return FakeStore(disk)

    walk.recorder.open_store = open_store
    walk.walk(5 + 1)
    walk.wait_for_news()
    assert walk.recorder.problem == str(BUSY)
    walk.recorder.retry()
    walk.wait_for_news()
    assert walk.recorder.saved and disk.row()["active_s"] == pytest.approx(0.25)


def test_while_paused_the_last_state_is_rewritten_so_the_walk_never_looks_dead(
    disk: Disk, walks: MakeWalk
) -> None:
    walk = walks(disk, heartbeat_s=0.01)
    walk.walk(5 + 2)
    walk.engine.pause(walk.clock())
    walk.recorder.checkpoint(walk.clock(), force=True)
    assert disk.wait_for_writes(5)  # no checkpoint came meanwhile
    disk.fail = FULL  # a rewrite failing loses nothing: the walk is saved as it stands
    assert disk.wait_for_attempts(disk.attempts + 3)
    assert walk.recorder.problem is None and walk.recorder.saved
    disk.fail = None
    walk.engine.resume(walk.clock())
    walk.walk(38)
    walk.quit()
    assert walk.recorder.wait(SETTLE_S)
    writes = disk.writes
    assert disk.row()["status"] == "finished"
    walk.recorder.close()
    assert disk.writes == writes  # none after the final save


def test_close_stops_the_writer_and_says_whether_all_was_saved(disk: Disk, walks: MakeWalk) -> None:
    walk = walks(disk, retry_s=0.01)
    walk.walk(5 + 1)
    assert walk.recorder.wait(SETTLE_S)
    disk.fail = FULL
    walk.quit()
    walk.wait_for_news()
    assert walk.recorder.close(0.0) is False
    assert walk.recorder.wait(SETTLE_S) is False  # closed: nothing more is tried
    assert disk.row()["status"] == "running"


def test_no_history_records_nothing() -> None:
    engine = Engine(PLAN, 70.0, lead_in_s=0)
    recorder = Recorder(None, engine)
    engine.start(0.0)
    recorder.begin(0.0)
    for second in range(1, 41):
        engine.tick(second)
        recorder.checkpoint(second)
    recorder.end()
    assert recorder.status == "finished" and not recorder.recorded and recorder.saved


def test_the_app_leaving_right_after_the_end_still_saves_the_walk_whole(tmp_path: Path) -> None:
    """The writer is a daemon thread; the interpreter's exit waits (a bounded time) for
    the final save of a walk that just ended."""
    path = tmp_path / "history.sqlite3"
    script = f"""
import time
from pathlib import Path
from walkcoach.engine import Engine
from walkcoach.plan import Plan, Segment
from walkcoach.recorder import Recorder
from walkcoach.store.history import History

class SlowDisk(History):
    def checkpoint(self, *args, **kwargs):
        time.sleep(0.3)  # still writing when the program below has ended
        super().checkpoint(*args, **kwargs)

engine = Engine(Plan("Leaving", (Segment("forward", 10, 4.0, 0),)), 70.0, lead_in_s=0)
recorder = Recorder(lambda: SlowDisk(Path({str(path)!r})), engine)
engine.start(0.0)
recorder.begin(0.0)
for second in range(1, 11):
    engine.tick(second)
recorder.end()
"""
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    [row] = History(path).sessions()
    assert row.plan_name == "Leaving" and row.status == "finished"
    assert row.active_s == pytest.approx(10)


# --- how an ended walk is stored ------------------------------------------------------


def ended(skips: int, walk_s: float = 0.0, quit: bool = False) -> SessionResult:
    """PLAN walked `walk_s`, then `skips` segments skipped, then quit or walked to its end."""
    engine = Engine(PLAN, 70.0, lead_in_s=0)
    engine.start(0.0)
    engine.tick(walk_s)
    for _ in range(skips):
        engine.skip(walk_s)
    if quit:
        engine.stop(walk_s)
    for second in range(1, 42):  # a second at a time: a longer gap would auto-pause
        engine.tick(walk_s + second)
    assert engine.finished
    return engine.result()


def test_a_walk_with_every_segment_skipped_is_not_finished() -> None:
    result = ended(skips=2)
    assert result.finished  # the engine reached the end...
    assert final_status(result) == "unfinished"  # ...but no segment was walked through


def test_a_walk_walked_to_its_end_is_finished_even_with_skips() -> None:
    assert final_status(ended(skips=0)) == "finished"
    assert final_status(ended(skips=1, walk_s=5)) == "finished"


def test_a_walk_ended_early_is_unfinished_and_one_cut_short_is_interrupted() -> None:
    result = ended(skips=0, walk_s=10, quit=True)
    assert final_status(result) == "unfinished"
    assert final_status(result, interrupted=True) == "interrupted"


@given(st.lists(st.integers(min_value=-1, max_value=9), min_size=1, max_size=5))
def test_finished_only_when_some_segment_was_walked_through(skip_after: list[int]) -> None:
    """One 10 s segment per entry, skipped after that many seconds (-1: walked through)."""
    plan = Plan("Mixed", tuple(Segment("forward", 10, 4.0, 0) for _ in skip_after))
    engine = Engine(plan, 70.0, lead_in_s=0)
    engine.start(0.0)
    now = 0.0
    for seconds in skip_after:
        for _ in range(10 if seconds < 0 else seconds):
            now += 1
            engine.tick(now)
        if seconds >= 0:
            engine.skip(now)
    assert engine.finished
    expected = "finished" if -1 in skip_after else "unfinished"
    assert final_status(engine.result()) == expected
