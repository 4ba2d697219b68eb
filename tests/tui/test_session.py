"""The session screen, driven by keys with a fake clock and a recording player."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tests.support.pilot import SHORT, WALKER, build, started, text_of, walk
from walkcoach import energy
from walkcoach.engine import Phase
from walkcoach.palette import DIRECTION_COLOURS
from walkcoach.plan import Plan, Segment
from walkcoach.store.history import History, SessionRow
from walkcoach.store.paths import DataDirs
from walkcoach.store.profile import Profile, load_profile, save_profile
from walkcoach.tui.dialogs.confirm import ConfirmDialog
from walkcoach.tui.dialogs.help import HelpScreen, help_keys
from walkcoach.tui.dialogs.safety_check import SafetyCheckDialog
from walkcoach.tui.dialogs.weight import WeightDialog
from walkcoach.tui.screens.home import HomeScreen
from walkcoach.tui.screens.recap import RecapScreen
from walkcoach.tui.screens.session import FLASH_ALPHA, SessionScreen
from walkcoach.tui.widgets.keyline import KeyLine


async def test_home_lists_plans_with_time_backward_minutes_and_kcal(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app) as pilot:
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#plans", DataTable)
        rows = {str(table.get_row_at(i)[0]): table.get_row_at(i) for i in range(table.row_count)}
        back_care = rows["Back-care walk"]
        assert str(back_care[2]) == "30:00"
        assert str(back_care[3]) == "5:00"  # m:ss, as in History and the CLI
        # 80 kg: 2 x 2.5 min backward at 2.0 km/h, 10 min at 3.8, 15 min at 4.5 forward
        expected = (
            energy.kcal(energy.met("backward", 2.0, 0), 80, 300)
            + energy.kcal(energy.met("forward", 3.8, 0), 80, 600)
            + energy.kcal(energy.met("forward", 4.5, 0), 80, 900)
        )
        assert str(back_care[4]) == f"{expected:.0f}"
        await pilot.press("q")
    assert not app.is_running


async def test_enter_runs_the_safety_check_then_the_lead_in(tmp_path: Path) -> None:
    app, clock, player = build(tmp_path, profile=Profile(weight_kg=70.0))
    async with started(app) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, SafetyCheckDialog)
        text = " ".join(str(s.render()) for s in app.screen.query(".check-item"))
        assert "safety key" in text and "clear" in text and "slowly" in text
        assert "handrails while you turn" in text
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.plan.name == "Back-care walk"
        assert screen.engine.phase is Phase.LEAD_IN
        assert text_of(screen, "countdown") == "0:10"  # room to say the first speed
        assert "GET READY" in text_of(screen, "banner")
        await walk(pilot, clock, 10)
        assert text_of(screen, "banner") == "BACKWARD"
        assert player.played == ["tick", "tick", "tick", "to_backward"]
        assert player.prompts[0].kind == "lead_in"


async def test_escape_on_the_safety_check_goes_back_home(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path, profile=Profile(weight_kg=70.0))
    async with started(app) as pilot:
        await pilot.press("enter", "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_countdown_switch_and_cues_follow_the_clock(tmp_path: Path) -> None:
    app, clock, player = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await walk(pilot, clock, 5 + 8)
        assert text_of(screen, "countdown") == "0:12"
        assert text_of(screen, "banner") == "FORWARD"
        assert "Speed 4.8 km/h" in text_of(screen, "target")
        assert "Next BACKWARD 0:15 at 3.0 km/h" in text_of(screen, "next")
        assert "segment 1 of 5" in text_of(screen, "title")
        await walk(pilot, clock, 12)
        assert text_of(screen, "banner") == "BACKWARD"
        assert "round 1 of 2" in text_of(screen, "title")
        flashed = screen.query_one("#session").styles.inline
        assert flashed.background == Color.parse(DIRECTION_COLOURS["backward"]).with_alpha(
            FLASH_ALPHA
        )
        await walk(pilot, clock, 1)
        assert not flashed.has_rule("background")
        assert player.played[-5:] == ["prepare", "tick", "tick", "tick", "to_backward"]
        assert text_of(screen, "times").endswith("━━   30%   Elapsed 0:21   Left 0:49")


async def test_reminder_warns_ten_seconds_before_backward_with_the_speed(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        screen = app.screen
        await walk(pilot, clock, 5 + 11)
        assert "Slow the belt to 3.0 km/h" in text_of(screen, "reminder")


async def test_space_pauses_plainly_and_the_countdown_stops(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        screen = app.screen
        await walk(pilot, clock, 5 + 4)
        await pilot.press("space")
        assert text_of(screen, "banner").startswith("PAUSED")
        await walk(pilot, clock, 30)
        assert text_of(screen, "countdown") == "0:16"
        await pilot.press("space")
        await walk(pilot, clock, 2)
        assert text_of(screen, "countdown") == "0:14"
        assert text_of(screen, "banner") == "FORWARD"


async def test_n_skips_and_b_goes_back(tmp_path: Path) -> None:
    app, clock, player = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        screen = app.screen
        await walk(pilot, clock, 5 + 4)
        await pilot.press("n")
        assert text_of(screen, "banner") == "BACKWARD"
        assert player.played[-1] == "to_backward"
        assert screen.engine.result().records[0].skipped
        await pilot.press("b")  # in the first 3 s: back to the warm-up
        assert text_of(screen, "banner") == "FORWARD"
        assert text_of(screen, "countdown") == "0:20"
        await walk(pilot, clock, 6)
        await pilot.press("b")  # later: restart the same segment
        assert text_of(screen, "countdown") == "0:20"


async def test_plus_and_minus_change_the_speed_and_kcal_follow(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        screen = app.screen
        await walk(pilot, clock, 5)
        await pilot.press("plus", "plus", "plus", "plus", "plus", "plus", "plus", "plus")
        assert "Speed 5.6 km/h (plan 4.8 km/h)" in text_of(screen, "target")
        assert "MET 4.3" in text_of(screen, "energy")
        await walk(pilot, clock, 10)
        await pilot.press("minus")
        assert "Speed 5.5 km/h" in text_of(screen, "target")
        assert screen.engine.snapshot().kcal == pytest.approx(energy.kcal(4.3, 80, 10))


async def test_speed_steps_are_a_tenth_of_a_mile_in_mph(tmp_path: Path) -> None:
    profile = WALKER._replace(speed_unit="mph")
    app, clock, _ = build(tmp_path, plan=SHORT, profile=profile)
    async with started(app) as pilot:
        screen = app.screen
        await walk(pilot, clock, 5)
        assert "Speed 3.0 mph" in text_of(screen, "target")
        await pilot.press("plus")
        assert "Speed 3.1 mph (plan 3.0 mph)" in text_of(screen, "target")


async def test_m_mutes_the_cues(tmp_path: Path) -> None:
    app, clock, player = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        await pilot.press("m")
        assert "MUTED" in text_of(app.screen, "title")
        await walk(pilot, clock, 6)
        assert player.played == []
        await pilot.press("m")
        await walk(pilot, clock, 20)
        assert player.played[-1] == "to_backward"


async def test_no_sound_override_starts_muted(tmp_path: Path) -> None:
    app, clock, player = build(tmp_path, plan=SHORT, sound=False)
    async with started(app) as pilot:
        await walk(pilot, clock, 6)
        assert player.played == [] and "MUTED" in text_of(app.screen, "title")


async def test_q_asks_then_keeps_the_partial_session(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        await walk(pilot, clock, 5 + 12)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("q", "y")
        await pilot.pause()
        assert isinstance(app.screen, RecapScreen)
        await pilot.press("enter")  # Done: a walk of `walkcoach run` leaves walkcoach
        await pilot.pause()
        assert not app.is_running
    sessions = History(DataDirs.in_folder(tmp_path).history_path).sessions()
    assert len(sessions) == 1
    assert sessions[0].status == "unfinished"
    assert sessions[0].active_s == pytest.approx(12)
    assert sessions[0].plan_name == "Short test walk"


async def test_a_finished_session_is_saved_whole_and_shows_the_recap(tmp_path: Path) -> None:
    app, clock, player = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        await walk(pilot, clock, 5 + 70 + 1)
        assert isinstance(app.screen, RecapScreen)
        assert player.played[-1] == "finish"
        assert player.played.count("halfway") == 1
    history = History(DataDirs.in_folder(tmp_path).history_path)
    [row] = history.sessions()
    assert row.status == "finished" and row.active_s == pytest.approx(70)
    assert len(history.segments(row.id)) == 5


async def test_help_lists_every_key_and_how_kcal_are_made(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        await pilot.press("question_mark")
        text = shown_text(app.screen)
        lines = [line.strip() for line in text.splitlines()]
        for key in ("space", "n", "b", "+ / -", "m", "q", "ctrl+z"):
            assert any(line.startswith(f"{key}  ") for line in lines), key
        assert "Compendium" in text and "6.0/4.3" in text
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_help_fits_a_small_window_and_scrolls_to_its_end(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app, size=size) as pilot:
        await pilot.press("question_mark")
        box = app.screen.query_one("#help")
        assert box.region.y >= 0 and box.region.bottom <= size[1]  # the border shows
        last = box.query(Static).last()
        assert str(last.render()) == "esc: close and go on"  # the walk was paused for it
        await pilot.press("end")
        await pilot.pause()
        assert box.region.contains_region(last.region)  # scrolled into view
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)


MARKUP_NAMES = ["[b]x[/b] [link=http://e]y", "[/", "[bold red]boom"]


@pytest.mark.parametrize("name", MARKUP_NAMES)
async def test_plan_names_and_labels_are_shown_literally(tmp_path: Path, name: str) -> None:
    plan = Plan(name, (Segment("forward", 30, 4.0, 0, name), Segment("backward", 30, 2.0)))
    app, clock, _ = build(tmp_path, plan=plan)
    async with started(app) as pilot:
        await walk(pilot, clock, 6)
        title = text_of(app.screen, "title")
        assert title.startswith(name) and title.count(name) == 2


@pytest.mark.parametrize("name", MARKUP_NAMES)
async def test_home_shows_markup_like_names_literally(tmp_path: Path, name: str) -> None:
    from walkcoach.store.plans import PlanLibrary

    PlanLibrary(DataDirs.in_folder(tmp_path)).save(Plan(name, (Segment("forward", 30, 4.0),)))
    app, _, _ = build(tmp_path)
    async with started(app) as pilot:
        table = app.screen.query_one("#plans", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert name in names
        await pilot.press("q")


async def test_at_60x20_the_countdown_and_direction_stay_visible(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app, size=(60, 20)) as pilot:
        await walk(pilot, clock, 6)
        screen = app.screen
        countdown = screen.query_one("#countdown")
        banner = screen.query_one("#banner")
        for widget in (countdown, banner):
            assert widget.display and widget.region.height >= 1
            assert widget.region.bottom <= 20 - 1  # above the footer
        assert countdown.region.height >= 5


async def test_below_40x12_the_screen_says_it_is_too_small(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app, size=(39, 11)) as pilot:
        await walk(pilot, clock, 1)
        screen = app.screen
        assert screen.has_class("too-small")
        assert "too small" in str(screen.query_one("#too-small", Static).render())
        assert screen.query_one("#too-small").region.height > 0
        await pilot.resize_terminal(80, 24)
        assert not screen.has_class("too-small")


async def test_first_run_asks_the_weight_once(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path, profile=None)
    async with started(app) as pilot:
        assert isinstance(app.screen, WeightDialog)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        line = str(app.screen.query_one("#profile-line", Static).render())
        assert "70 kg" in line and "not set" in line
    again, _, _ = build(tmp_path, profile=None)
    async with again.run_test():
        assert isinstance(again.screen, HomeScreen)


async def test_a_profile_an_export_wrote_before_the_question_still_gets_it(
    tmp_path: Path,
) -> None:
    """`walkcoach run --weight 80` skips the question; an export from its recap then
    writes a profile (the formats it remembers). The next run without --weight asks."""
    dirs = DataDirs.in_folder(tmp_path)
    save_profile(dirs.profile_path, Profile(export_formats=("fit",)))
    app, _, _ = build(tmp_path, profile=None)
    async with started(app) as pilot:
        assert isinstance(app.screen, WeightDialog)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert load_profile(dirs.profile_path) == Profile(export_formats=("fit",), weight_skipped=True)
    again, _, _ = build(tmp_path, profile=None)
    async with again.run_test():
        assert isinstance(again.screen, HomeScreen)


@pytest.mark.parametrize(
    "profile",
    [
        Profile(),  # written by skipping the question before the mark existed
        Profile(weight_skipped=True, export_formats=("csv",)),  # skipped, then exported
        Profile(weight_kg=64.0, export_formats=("csv",)),
    ],
)
async def test_a_walker_who_answered_is_not_asked_again(tmp_path: Path, profile: Profile) -> None:
    app, _, _ = build(tmp_path, profile=profile)
    async with app.run_test():
        assert isinstance(app.screen, HomeScreen)


async def test_leaving_the_weight_empty_in_settings_counts_as_an_answer(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path, profile=Profile(export_formats=("csv",)))
    async with app.run_test():
        assert isinstance(app.screen, WeightDialog)  # an export wrote it: asked
        assert app.ctx.save_settings(app.ctx.profile) is None
        assert app.ctx.profile.weight_skipped is True
        assert app.ctx.save_settings(app.ctx.profile._replace(weight_kg=70.0)) is None
        assert app.ctx.profile.weight_skipped is None


async def test_the_weight_typed_on_first_run_is_kept(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path, profile=None)
    async with started(app) as pilot:
        await pilot.press("x")
        error = str(app.screen.query_one("#weight-error", Static).render())
        assert error
        await pilot.press("backspace", "6", "4", "enter")
        assert isinstance(app.screen, HomeScreen)
        assert app.ctx.profile.weight_kg == 64.0
        assert "Calories for 64 kg" in str(app.screen.query_one("#profile-line", Static).render())


async def test_weight_override_is_used_for_one_run(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT, weight_kg=100.0)
    async with started(app) as pilot:
        await walk(pilot, clock, 5 + 10)
        assert app.screen.engine.snapshot().kcal == pytest.approx(
            energy.kcal(energy.met("forward", 4.8, 0), 100, 10)
        )
    assert app.ctx.profile.weight_kg == 80.0


async def test_a_walk_started_directly_warns_that_a_broken_history_is_not_saved(
    tmp_path: Path,
) -> None:
    history = DataDirs.in_folder(tmp_path).history_path
    history.write_bytes(b"this is not a database")
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app, notifications=True) as pilot:
        await walk(pilot, clock, 6)
        assert isinstance(app.screen, SessionScreen)
        messages = [n.message for n in app._notifications]
        assert any("will not be saved" in m for m in messages)
    assert history.read_bytes() == b"this is not a database"


async def advance(pilot, session: SessionScreen, clock, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Like `walk`, for a session under a dialog (the dialog is the app's screen then)."""
    end = clock.now + seconds
    while clock.now < end - 1e-9:
        clock.advance(min(0.25, end - clock.now))
        session.advance()
    await pilot.pause()


def shown_text(screen: Screen[object]) -> str:
    """The text of every Static on `screen`, line by line as laid out."""
    lines = []
    for static in screen.query(Static):
        region = Region(0, 0, *static.size)
        lines += [strip.text.rstrip() for strip in static.render_lines(region)]
    return "\n".join(lines)


def saved_rows(folder: Path, session: SessionScreen) -> list[SessionRow]:
    """The history's walks, once the session's recorder has written what it was given."""
    assert session.recorder.wait(10)
    return History(DataDirs.in_folder(folder).history_path).sessions()


def keys_line(screen: SessionScreen) -> str:
    return screen.query_one("#keys", KeyLine).render().plain


async def test_ctrl_q_during_a_walk_asks_like_q_then_saves_it_and_shows_the_recap(
    tmp_path: Path,
) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        session = app.screen
        assert isinstance(session, SessionScreen)
        await walk(pilot, clock, 5 + 12)
        await pilot.press("ctrl+q")
        assert app.is_running and isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert isinstance(app.screen, RecapScreen)
        await pilot.press("ctrl+q")  # no walk any more: it quits
    assert not app.is_running
    [row] = saved_rows(tmp_path, session)
    assert row.status == "unfinished" and row.ended_at is not None
    assert row.active_s == pytest.approx(12)


async def test_ctrl_c_during_a_walk_says_how_to_end_it_and_ctrl_q_still_asks(
    tmp_path: Path,
) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app, notifications=True) as pilot:
        await walk(pilot, clock, 5 + 3)
        await pilot.press("ctrl+c")
        assert isinstance(app.screen, SessionScreen)
        [note] = app._notifications
        assert note.message.startswith("To end the walk, press q: you are asked first")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)


async def test_ctrl_q_over_the_help_asks_then_ends_the_walk_with_its_recap(
    tmp_path: Path,
) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        session = app.screen
        assert isinstance(session, SessionScreen)
        await walk(pilot, clock, 5 + 4)
        await pilot.press("question_mark", "ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # back to the help, the walk still paused
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert isinstance(app.screen, RecapScreen)
        assert [type(s) for s in app.screen_stack[1:]] == [HomeScreen, RecapScreen]
    [row] = saved_rows(tmp_path, session)
    assert row.status == "unfinished" and row.active_s == pytest.approx(4)


async def test_the_app_told_to_exit_mid_walk_saves_the_walk_whole(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        session = app.screen
        assert isinstance(session, SessionScreen)
        await walk(pilot, clock, 5 + 7)  # the last checkpoint was at 5 s of walking
        app.exit()
        await pilot.pause()
    [row] = saved_rows(tmp_path, session)
    assert row.status == "interrupted" and row.ended_at is not None
    assert row.active_s == pytest.approx(7)


async def test_the_help_pauses_the_walk_says_so_and_goes_on_when_closed(
    tmp_path: Path,
) -> None:
    app, clock, player = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        session = app.screen
        assert isinstance(session, SessionScreen)
        await walk(pilot, clock, 5 + 4)
        await pilot.press("question_mark")
        assert "The walk is paused while you read: esc goes on" in shown_text(app.screen)
        assert session.engine.phase is Phase.PAUSED
        assert player.prompts[-1].kind == "pause"
        await advance(pilot, session, clock, 30)
        await pilot.press("escape")
        assert app.screen is session and session.engine.phase is Phase.RUNNING
        assert player.prompts[-1].kind == "resume"
        assert text_of(session, "countdown") == "0:16"  # the 30 s under the dialog not counted
        await walk(pilot, clock, 2)
        assert text_of(session, "countdown") == "0:14"


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_the_quit_question_leaves_the_direction_and_countdown_in_sight(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app, clock, player = build(tmp_path, plan=SHORT)
    async with started(app, size=size) as pilot:
        session = app.screen
        assert isinstance(session, SessionScreen)
        await walk(pilot, clock, 5 + 4)
        await pilot.press("q")
        box = app.screen.query_one(".dialog").region
        assert "the walk goes on until you answer" in shown_text(app.screen).replace("\n", " ")
        for name in ("banner", "countdown"):
            assert not box.overlaps(session.query_one(f"#{name}").region), name
        await advance(pilot, session, clock, 3)
        assert session.engine.phase is Phase.RUNNING
        assert text_of(session, "countdown") == "0:13"  # still counting, under the question
        await pilot.press("n")
        assert app.screen is session and session.engine.result().pauses == ()
        assert "pause" not in [p.kind for p in player.prompts]


async def test_a_dialog_over_a_paused_walk_leaves_it_paused(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        session = app.screen
        assert isinstance(session, SessionScreen)
        await walk(pilot, clock, 5 + 4)
        await pilot.press("space", "question_mark")
        shown = shown_text(app.screen)
        assert "paused while you read" not in shown and shown.endswith("\nesc: close")
        await pilot.press("escape", "q")
        assert "goes on" not in shown_text(app.screen)
        await pilot.press("n")
        assert session.engine.phase is Phase.PAUSED


async def test_the_footer_offers_resume_while_paused(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        session = app.screen
        assert isinstance(session, SessionScreen)
        await walk(pilot, clock, 5 + 1)
        assert keys_line(session).startswith(" space Pause ")
        await pilot.press("space")
        assert keys_line(session).startswith(" space Resume ")
        await pilot.press("space")
        assert keys_line(session).startswith(" space Pause ")
        clock.advance(60)  # a stall: the walk pauses by itself
        await walk(pilot, clock, 0.25)
        assert session.engine.snapshot().auto_paused
        assert keys_line(session).startswith(" space Resume ")


async def test_ctrl_z_pauses_the_walk_and_saves_it_as_it_stands(tmp_path: Path) -> None:
    app, clock, player = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        session = app.screen
        assert isinstance(session, SessionScreen)
        await walk(pilot, clock, 5 + 8)
        await pilot.press("ctrl+z")  # the test terminal cannot be suspended: only the pause
        assert session.engine.phase is Phase.PAUSED
        assert text_of(session, "banner").startswith("PAUSED")
        assert player.prompts[-1].kind != "pause"  # nothing said: the process stops at once
        [row] = saved_rows(tmp_path, session)
        assert row.status == "running" and row.active_s == pytest.approx(8)


def footer_keys(screen: Screen[object]) -> dict[str, str]:
    """What the screen's footer shows: each key and what it says it does."""
    from textual.widgets._footer import FooterKey

    return {key.key_display: key.description for key in screen.query(FooterKey)}


async def test_not_yet_at_a_safety_check_from_home_goes_back_home_as_its_footer_says(
    tmp_path: Path,
) -> None:
    app, _, _ = build(tmp_path, profile=WALKER._replace(safety_check=True))
    async with started(app) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SafetyCheckDialog)
        assert footer_keys(app.screen) == {"⏎": "Ready: start", "esc": "Not yet"}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.is_running


async def test_not_yet_at_the_safety_check_of_walkcoach_run_goes_back_to_the_shell(
    tmp_path: Path,
) -> None:
    app, _, _ = build(tmp_path, plan=SHORT, profile=WALKER._replace(safety_check=True))
    async with started(app) as pilot:
        assert isinstance(app.screen, SafetyCheckDialog)
        keys = str(app.screen.query_one(".dialog-keys", Static).render())
        assert keys.endswith("esc: not yet, leave walkcoach")
        await pilot.pause()
        assert footer_keys(app.screen) == {"⏎": "Ready: start", "esc": "Leave walkcoach"}
        await pilot.press("escape")
        await pilot.pause()
    assert not app.is_running and app.return_code == 0
    assert History(DataDirs.in_folder(tmp_path).history_path).sessions() == []


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_help_descriptions_wrap_beside_their_keys(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app, _, _ = build(tmp_path, plan=SHORT)
    async with started(app, size=size) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", Static)
        lines = [s.text for s in table.render_lines(Region(0, 0, *table.region.size))]
        shown = help_keys(SessionScreen.BINDINGS)
        width = max(len(key) for key, _ in shown)
        keys, texts = [], []
        for line in lines:
            key, gap, what = line[:width], line[width : width + 2], line[width + 2 :]
            assert gap == "  " and what.strip(), line  # a description beside every line
            if key.strip():
                keys.append(key.strip())
                texts.append(what.strip())
            else:
                texts[-1] += " " + what.strip()  # a wrapped line, under its description
        assert keys == ["space", "n", "b", "+ / -", "m", "h", "q", "ctrl+z", "?"]
        assert texts == [what for _, what in shown]


def test_the_help_lists_every_key_of_the_walk_from_its_bindings() -> None:
    """A key added to the walk without a line for the help fails here, not in a user's
    hands: every binding carries its help line, and + and - share one."""
    assert all(binding.tooltip for binding in SessionScreen.BINDINGS)
    rows = dict(help_keys(SessionScreen.BINDINGS))
    assert rows["+ / -"].startswith("belt speed up or down by 0.1")
    assert "first 3 s" in rows["b"]


async def test_ctrl_q_over_unsaved_settings_asks_first_like_escape(tmp_path: Path) -> None:
    from textual.widgets import Input

    from walkcoach.store.profile import load_profile
    from walkcoach.tui.dialogs.leave import LeaveDialog
    from walkcoach.tui.screens.settings import SettingsScreen

    app, _, _ = build(tmp_path)
    async with started(app) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#weight_kg", Input).focus()
        await pilot.press("ctrl+u", "9", "0")
        await pilot.press("ctrl+q")
        assert app.is_running and isinstance(app.screen, LeaveDialog)
        await pilot.press("escape")  # keep editing: nothing is left
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+q", "s")  # save and leave: then it quits
        await pilot.pause()
        await pilot.pause()
    assert not app.is_running
    assert load_profile(tmp_path / "profile.toml").weight_kg == 90.0


async def test_ctrl_q_over_settings_without_changes_quits_at_once(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app) as pilot:
        await pilot.press("s", "ctrl+q")
        await pilot.pause()
    assert not app.is_running


async def test_ctrl_q_over_an_edited_plan_asks_first_like_escape(tmp_path: Path) -> None:
    from walkcoach.tui.dialogs.leave import LeaveDialog
    from walkcoach.tui.screens.editor import EditorScreen

    app, _, _ = build(tmp_path)
    async with started(app) as pilot:
        await pilot.press("e", "y")  # a copy of the first built-in plan
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("t")  # a change: the first segment turns around
        await pilot.press("ctrl+q")
        assert app.is_running and isinstance(app.screen, LeaveDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, EditorScreen)
        await pilot.press("ctrl+q", "d")  # discard: then it quits
        await pilot.pause()
        await pilot.pause()
    assert not app.is_running
