"""The recap after a walk: its figures, its keys, and what it says about the history."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.support.history import Faults, WallClock
from tests.support.pilot import SHORT, build, started, until, walk_on
from walkcoach import energy
from walkcoach.plan import Plan, Segment
from walkcoach.store.history import STATUS_LABELS, History
from walkcoach.store.paths import DataDirs
from walkcoach.tui.dialogs.export import ExportDialog
from walkcoach.tui.screens.home import HomeScreen
from walkcoach.tui.screens.recap import RecapScreen
from walkcoach.tui.screens.session import SessionScreen
from walkcoach.units import format_clock

KG = 80.0
# SHORT at 80 kg: forward 20 s at 4.8 level, then twice backward 15 s at 3.0 and
# forward 10 s at 5.6 on 2 %.
BACK = energy.met("backward", 3.0, 0)
BACK_IF_FORWARD = energy.met("forward", 3.0, 0)
FORWARD_KCAL = energy.kcal(3.5, KG, 20) + 2 * energy.kcal(energy.met("forward", 5.6, 2), KG, 10)
BACK_KCAL = 2 * energy.kcal(BACK, KG, 15)
EXTRA_KCAL = BACK_KCAL - 2 * energy.kcal(BACK_IF_FORWARD, KG, 15)


def shown(screen: object, widget_id: str) -> str:
    """What a Static shows, as plain text (Rich tables rendered wide)."""
    from rich.console import Console

    content = screen.query_one(f"#{widget_id}", Static).content  # type: ignore[attr-defined]
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def history_of(folder: Path) -> History:
    return History(DataDirs.in_folder(folder).history_path)


async def test_a_finished_walk_shows_its_recap_then_enter_goes_home(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=(100, 30)) as pilot:
        app.begin_session(SHORT)  # chosen on Home
        await pilot.pause()
        await walk_on(pilot, 5 + 70 + 1)
        screen = app.screen
        assert isinstance(screen, RecapScreen)
        assert shown(screen, "recap-title").startswith("Finished: Short test walk")
        walk_text = shown(screen, "recap-walk")
        assert "1:10" in walk_text  # active
        assert "0:40" in walk_text and "0:30" in walk_text  # forward, backward
        assert "5 of 5 done" in walk_text and "none" in walk_text
        assert screen.recorder.wait(30)  # the last save is written by another thread
        [row] = history_of(tmp_path).sessions()
        assert row.forward_km == pytest.approx(4.8 * 20 / 3600 + 2 * 5.6 * 10 / 3600)
        assert row.backward_km == pytest.approx(2 * 3.0 * 15 / 3600)
        assert f"0:40  {row.forward_km:.2f} km" in walk_text
        assert f"0:30  {row.backward_km:.2f} km" in walk_text
        energy_text = shown(screen, "recap-energy")
        assert f"{FORWARD_KCAL + BACK_KCAL:.0f}" in energy_text
        pct = 100 * EXTRA_KCAL / (FORWARD_KCAL + BACK_KCAL - EXTRA_KCAL)
        assert EXTRA_KCAL < 10 and f"Backward added  +{EXTRA_KCAL:.1f} kcal" in energy_text
        assert f"+{pct:.0f} % vs. all forward" in energy_text
        standing = shown(screen, "recap-standing")
        assert "This week 1:10" in standing and "Streak 1 day" in standing
        assert "Best backward 0:30" in standing and "NEW BEST" in standing
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)


async def test_an_early_quit_shows_skips_pauses_and_what_was_left(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app, size=(100, 30)) as pilot:
        await walk_on(pilot, 5 + 22)  # into the first backward segment
        await pilot.press("n")  # skip it
        await pilot.press("space")
        clock.advance(12)
        await pilot.press("space")
        await walk_on(pilot, 4)
        await pilot.press("q", "y")
        screen = app.screen
        assert isinstance(screen, RecapScreen)
        assert shown(screen, "recap-title").startswith("Ended early: Short test walk")
        walk_text = shown(screen, "recap-walk")
        assert "0:26" in walk_text  # 20 + 2 + 4 s walked
        assert "1 of 5 done, 1 skipped, 3 left" in walk_text
        assert "1, 0:12" in walk_text  # one pause of 12 s
    [row] = history_of(tmp_path).sessions()
    assert row.status == "unfinished" and row.pause_s == pytest.approx(12)


async def test_r_repeats_the_plan(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        assert isinstance(app.screen, RecapScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.plan == SHORT
        await walk_on(pilot, 5 + 70 + 1)
        assert isinstance(app.screen, RecapScreen)
        assert "Streak 1 day" in shown(app.screen, "recap-standing")
        assert "This week 2:20" in shown(app.screen, "recap-standing")
        assert "NEW BEST" not in shown(app.screen, "recap-standing")  # a tie is no best
    assert [r.status for r in history_of(tmp_path).sessions()] == ["finished", "finished"]


async def test_e_exports_the_walk_as_csv_and_json(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path / "data", plan=SHORT)
    async with started(app) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        name = dialog.query_one(Input).value
        assert name.startswith("walkcoach-") and name.endswith("-short-test-walk")
        (tmp_path / "out").mkdir()  # an export never makes a folder
        dialog.query_one(Input).value = str(tmp_path / "out" / "my-walk.json")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecapScreen)
    data = json.loads((tmp_path / "out" / "my-walk.json").read_text(encoding="utf-8"))
    assert data["plan_name"] == "Short test walk" and data["status"] == "finished"
    assert data["active_s"] == pytest.approx(70)
    assert [s["direction"] for s in data["segments"]] == [
        "forward",
        "backward",
        "forward",
        "backward",
        "forward",
    ]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "my-walk.csv").read_text())))
    assert len(rows) == 5 and sum(float(r["kcal"]) for r in rows) == pytest.approx(data["kcal"])


async def test_the_default_export_lands_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app, _, _ = build(tmp_path / "data", plan=SHORT)
    async with started(app) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        await pilot.press("e", "enter")
        await pilot.pause()
    names = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("walkcoach-"))
    assert len(names) == 2
    assert names[0].endswith("-short-test-walk.csv") and names[1].endswith(".json")


async def test_the_walk_stands_against_earlier_walks_in_the_history(tmp_path: Path) -> None:
    history = history_of(tmp_path)
    now = datetime.now(UTC)
    from tests.support.builders import walked

    for days in (1, 2):  # yesterday and the day before: 180 s each, 60 s backward
        session_id = history.start_session("Earlier", 80.0, now - timedelta(days=days))
        history.checkpoint(session_id, walked(180), "finished", now)
    history.close()
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app, size=(100, 30)) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        standing = shown(app.screen, "recap-standing")
    assert "Streak 3 days" in standing
    assert "Best backward 1:00" in standing and "NEW BEST" not in standing
    today = now.astimezone().date()
    this_week = today.isocalendar()[:2]
    week = [d for d in (1, 2) if (today - timedelta(days=d)).isocalendar()[:2] == this_week]
    assert f"This week {format_clock(70 + 180 * len(week))}" in standing


@pytest.mark.parametrize("name", ["[b]x[/b] [link=http://e]y", "[/", "[bold red]boom"])
async def test_the_plan_name_is_shown_literally(tmp_path: Path, name: str) -> None:
    plan = Plan(name, (Segment("forward", 10, 4.0, 0, name),))
    app, _, _ = build(tmp_path, plan=plan)
    async with started(app) as pilot:
        await walk_on(pilot, 5 + 11)
        assert shown(app.screen, "recap-title").startswith(f"Finished: {name}")


async def test_a_corrupt_history_is_left_untouched_and_the_app_says_walks_are_not_saved(
    tmp_path: Path,
) -> None:
    path = DataDirs.in_folder(tmp_path).history_path
    path.write_bytes(b"my notes, not a database\n" * 200)
    before = path.read_bytes()
    app, _, _ = build(tmp_path)
    async with started(app, size=(100, 30)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("Sessions will not be saved" in m and str(path) in m for m in messages)
        app.begin_session(SHORT)
        await pilot.pause()
        await walk_on(pilot, 5 + 70 + 1)
        assert isinstance(app.screen, RecapScreen)
        assert "Sessions will not be saved" in shown(app.screen, "recap-standing")
        assert "Finished: Short test walk" in shown(app.screen, "recap-title")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.sqlite3", "profile.toml"]


async def test_the_kcal_parts_add_up_to_the_total_shown(tmp_path: Path) -> None:
    """At 80 kg SHORT burns 3.82 kcal forward and 2.51 backward: 6.33 in all, which each
    rounded on its own would show as 4 + 3 under 6."""
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app, size=(100, 30)) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        lines = shown(app.screen, "recap-energy").splitlines()
    kcal = {line.split()[0]: line.split()[-1] for line in lines[:3]}
    assert kcal == {"kcal": "6", "forward": "4", "backward": "2"}
    assert round(FORWARD_KCAL) == 4 and round(BACK_KCAL) == 3  # what plain rounding gives


async def test_a_walk_quit_during_the_lead_in_is_not_recorded(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app, size=(100, 30)) as pilot:
        await walk_on(pilot, 3)
        await pilot.press("q", "y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RecapScreen)
        assert shown(screen, "recap-title").startswith("Ended early: Short test walk")
        assert "Nothing was walked" in shown(screen, "recap-standing")
        assert "s" not in app.screen.active_bindings
    assert history_of(tmp_path).sessions() == []


async def test_a_walk_with_every_segment_skipped_does_not_say_finished(tmp_path: Path) -> None:
    app, _, player = build(tmp_path, plan=SHORT)
    async with started(app, size=(100, 30)) as pilot:
        await walk_on(pilot, 5 + 1)
        for _ in range(5):
            await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RecapScreen)
        assert shown(screen, "recap-title").startswith("Ended early: Short test walk")
        assert "0 of 5 done, 5 skipped" in shown(screen, "recap-walk")
        assert player.spoken[-1].startswith("Walk ended early")
    [row] = history_of(tmp_path).sessions()
    assert row.status == "unfinished" and row.segments_skipped == 5


async def test_a_walk_cut_short_is_stored_as_interrupted_not_ended_early(tmp_path: Path) -> None:
    """SIGTERM, SIGHUP and leaving the app mid-walk save the walk as interrupted (what
    a walk whose process died becomes too); q stores it as ended early."""
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        await walk_on(pilot, 5 + 12)
        app.save_running_session()  # what SIGTERM and SIGHUP do, before the app exits
        [row] = history_of(tmp_path).sessions()  # saved before it returns
        assert row.status == "interrupted" and row.active_s == pytest.approx(12)
        assert row.ended_at is not None
    assert STATUS_LABELS["interrupted"] != STATUS_LABELS["unfinished"] == "ended early"


async def test_a_walk_that_cannot_be_saved_says_so_and_is_saved_whole_when_it_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = Faults(monkeypatch)
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app, size=(100, 30), notifications=True) as pilot:
        await walk_on(pilot, 5 + 6)
        session = app.screen
        assert isinstance(session, SessionScreen)
        await until(pilot, lambda: session.recorder.saved)
        faults.full = True
        await walk_on(pilot, 5)  # the checkpoint at 10 s walked fails
        await until(pilot, lambda: "NOT SAVED YET" in str(session.query_one("#title").render()))
        messages = [n.message for n in app._notifications]
        assert any("This walk is not saved yet" in m and "disk" in m for m in messages)
        assert session.engine.phase.value == "running"  # the walk goes on, never stalled
        await walk_on(pilot, 60)
        recap = app.screen
        assert isinstance(recap, RecapScreen)
        await until(pilot, lambda: recap.query_one("#recap-saving").display)
        assert "Not saved yet" in shown(recap, "recap-saving")
        assert "Finished: Short test walk" in shown(recap, "recap-title")
        assert "s" in app.screen.active_bindings
        [row] = history_of(tmp_path).sessions()
        assert row.status == "running" and row.active_s == pytest.approx(5.25)

        faults.full = False
        await pilot.press("s")
        await until(pilot, lambda: not recap.query_one("#recap-saving").display)
        assert "s" not in app.screen.active_bindings
        [row] = history_of(tmp_path).sessions()
        assert row.status == "finished" and row.active_s == pytest.approx(70)
        assert len(history_of(tmp_path).segments(row.id)) == 5


async def test_q_asks_before_leaving_a_walk_that_cannot_be_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from walkcoach.tui.dialogs.confirm import ConfirmDialog

    faults = Faults(monkeypatch)
    faults.full = True
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        recap = app.screen
        assert isinstance(recap, RecapScreen)
        await until(pilot, lambda: recap.query_one("#recap-saving").display)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Quit without saving this walk?" in app.screen.question
        await pilot.press("n")
        assert app.screen is recap and app.is_running
        faults.full = False
        await pilot.press("s")
        await until(pilot, lambda: recap.recorder.saved)
        await pilot.press("q")  # saved: no question
        await pilot.pause()
        assert not app.is_running
    [row] = history_of(tmp_path).sessions()
    assert row.status == "finished" and row.active_s == pytest.approx(70)


async def test_the_walk_is_exported_from_memory_while_it_cannot_be_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = Faults(monkeypatch)
    faults.full = True
    app, _, _ = build(tmp_path / "data", plan=SHORT)
    async with started(app) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        recap = app.screen
        assert isinstance(recap, RecapScreen)
        await until(pilot, lambda: recap.query_one("#recap-saving").display)
        await pilot.press("e")
        (tmp_path / "out").mkdir()  # an export never makes a folder
        app.screen.query_one(Input).value = str(tmp_path / "out" / "walk.json")
        await pilot.press("enter")
        await pilot.pause()
        recap.recorder.close()  # the disk never comes back in this test
    data = json.loads((tmp_path / "out" / "walk.json").read_text(encoding="utf-8"))
    assert data["status"] == "finished" and data["active_s"] == pytest.approx(70)
    assert len(data["segments"]) == 5


# --- snapshots ----------------------------------------------------------------------

FIXED_NOW = datetime(2026, 3, 4, 7, 30, tzinfo=UTC)


@pytest.fixture
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> WallClock:
    """A wall clock for the app that stays at a known time, shown in UTC: the walk starts
    and ends then."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    return WallClock(FIXED_NOW)


async def quit_early(pilot: Pilot[int]) -> None:
    """Walks SHORT with a faster backward segment, a skip, a pause, then quits in the
    second backward segment."""
    await pilot.pause()  # the first screen comes just after start-up
    clock = pilot.app.ctx.clock  # type: ignore[attr-defined]
    await walk_on(pilot, 5 + 30)
    await pilot.press("plus", "plus")
    await walk_on(pilot, 10)
    await pilot.press("n")
    await pilot.press("space")
    clock.advance(20)
    await pilot.press("space")
    await walk_on(pilot, 8)
    await pilot.press("q", "y")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_recap_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int], fixed_time) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = build(tmp_path, plan=SHORT, wall_clock=fixed_time)
    assert snap_compare(app, terminal_size=size, run_before=quit_early)


async def test_the_walk_is_timed_of_day_by_the_apps_wall_clock(
    tmp_path: Path, fixed_time: WallClock
) -> None:
    """Its start travels with its result to the recap; the history takes its start and
    end from the same clock."""
    app, _, _ = build(tmp_path, plan=SHORT, wall_clock=fixed_time)
    async with started(app, size=(100, 30)) as pilot:
        await walk_on(pilot, 5 + 30)
        fixed_time.advance(timedelta(minutes=1))
        await walk_on(pilot, 40 + 1)
        recap = app.screen
        assert isinstance(recap, RecapScreen)
        assert recap.outcome.result.started_at == FIXED_NOW
        assert "Wed 04 Mar 07:30" in shown(recap, "recap-title")
        await until(pilot, lambda: recap.recorder.saved)
    [row] = history_of(tmp_path).sessions()
    assert (row.started_at, row.ended_at) == (FIXED_NOW, FIXED_NOW + timedelta(minutes=1))


# --- every way out --------------------------------------------------------------------


def footer_keys(screen: object) -> dict[str, str]:
    """What the screen's footer shows: each key and what it says it does."""
    from textual.widgets._footer import FooterKey

    keys = screen.query(FooterKey)  # type: ignore[attr-defined]
    return {key.key_display: key.description for key in keys}


def farewell(capsys: pytest.CaptureFixture[str]) -> str:
    """The line left in the shell (on standard error) once the app has ended."""
    return " ".join(capsys.readouterr().err.split())


async def unsaved_recap(pilot: Pilot[int]) -> RecapScreen:
    await walk_on(pilot, 5 + 70 + 1)
    recap = pilot.app.screen
    assert isinstance(recap, RecapScreen)
    await until(pilot, lambda: recap.query_one("#recap-saving").display)
    return recap


@pytest.mark.parametrize("over", [None, "e"], ids=["on the recap", "over its export dialog"])
async def test_ctrl_q_on_the_recap_asks_like_q_while_the_walk_is_unsaved(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    over: str | None,
) -> None:
    from walkcoach.tui.dialogs.confirm import ConfirmDialog

    faults = Faults(monkeypatch)
    faults.full = True
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        recap = await unsaved_recap(pilot)
        if over:
            await pilot.press(over)
            assert isinstance(app.screen, ExportDialog)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == "Quit without saving this walk?"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is recap and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running
        recap.recorder.close()
    said = farewell(capsys)
    assert said.startswith("Not saved in the history: Short test walk, finished, 1:10 walked.")
    assert said.endswith("the disk it is on is full.")


async def test_quitting_from_home_asks_while_a_walk_of_this_run_is_unsaved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from walkcoach.tui.dialogs.confirm import ConfirmDialog

    faults = Faults(monkeypatch)
    faults.full = True
    app, _, _ = build(tmp_path)
    async with started(app) as pilot:
        app.begin_session(SHORT)
        await pilot.pause()
        recap = await unsaved_recap(pilot)
        await pilot.press("enter")  # Done: to Home, the walk still kept and tried
        assert isinstance(app.screen, HomeScreen)
        for key in ("q", "ctrl+q"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog), key
            assert app.screen.question == "Quit without saving this walk?"
            depth = len(app.screen_stack)
            await pilot.press("ctrl+q")  # again, over the question: not asked twice
            await pilot.pause()
            assert len(app.screen_stack) == depth and app.is_running
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen) and app.is_running
        faults.full = False
        recap.recorder.retry()
        await until(pilot, lambda: recap.recorder.saved)
        await pilot.press("q")  # saved now: no question
        await pilot.pause()
        assert not app.is_running
    [row] = history_of(tmp_path).sessions()
    assert row.status == "finished"


@pytest.mark.parametrize("key", ["enter", "escape"])
async def test_done_after_walkcoach_run_leaves_with_a_line_saying_what_was_saved(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, key: str
) -> None:
    app, _, _ = build(tmp_path, plan=SHORT)  # as `walkcoach run FILE` starts it
    async with started(app, size=(100, 30)) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        assert isinstance(app.screen, RecapScreen)
        assert footer_keys(app.screen)["⏎"] == "Done"
        await pilot.press(key)
        await pilot.pause()
        assert not app.is_running and app.return_code == 0
    assert farewell(capsys) == "Saved in the history: Short test walk, finished, 1:10 walked."
    [row] = history_of(tmp_path).sessions()
    assert row.status == "finished"


async def test_done_after_walkcoach_run_asks_first_while_the_walk_is_unsaved(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from walkcoach.tui.dialogs.confirm import ConfirmDialog

    faults = Faults(monkeypatch)
    faults.full = True
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        recap = await unsaved_recap(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == "Quit without saving this walk?"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is recap
        faults.full = False
        await pilot.press("s")
        await until(pilot, lambda: recap.recorder.saved)
        await pilot.press("escape")  # saved: no question
        await pilot.pause()
        assert not app.is_running
    assert farewell(capsys).startswith("Saved in the history: Short test walk, finished")


async def test_a_walk_quit_in_its_lead_in_after_walkcoach_run_says_it_was_not_saved(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        await walk_on(pilot, 3)
        await pilot.press("q", "y")
        await pilot.pause()
        assert isinstance(app.screen, RecapScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert not app.is_running
    assert farewell(capsys) == (
        "Not saved in the history: Short test walk, ended early, 0:00 walked. "
        "Nothing was walked (it ended in the lead-in), so it is not in the history."
    )


async def test_repeat_after_walkcoach_run_walks_again_and_done_then_leaves(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and app.screen.plan == SHORT
        await walk_on(pilot, 5 + 70 + 1)
        assert isinstance(app.screen, RecapScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert not app.is_running
    assert [r.status for r in history_of(tmp_path).sessions()] == ["finished", "finished"]
    assert farewell(capsys).startswith("Saved in the history: Short test walk")


async def test_save_now_is_offered_only_while_the_walk_cannot_be_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not while its last save is merely under way: s would do nothing then."""
    import threading

    gate = threading.Event()
    original = History.checkpoint

    def slow(history, *args, **kwargs):  # type: ignore[no-untyped-def]
        gate.wait(30)  # every write waits, neither failing nor done
        return original(history, *args, **kwargs)

    monkeypatch.setattr(History, "checkpoint", slow)
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        recap = app.screen
        assert isinstance(recap, RecapScreen)
        await pilot.pause()
        assert not recap.recorder.saved and recap.recorder.problem is None
        assert "s" not in footer_keys(recap) and "s" not in app.screen.active_bindings
        gate.set()
        await until(pilot, lambda: recap.recorder.saved)
