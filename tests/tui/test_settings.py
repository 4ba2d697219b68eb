"""The settings screen, driven by keys: profile fields, validation, saving, the player."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label, Static

from tests.support.pilot import WALKER, build, started, type_text
from walkcoach.store.profile import Profile, load_profile
from walkcoach.tui.dialogs.leave import LeaveDialog
from walkcoach.tui.screens.home import HomeScreen
from walkcoach.tui.screens.settings import FACTOR_HINT, SettingsScreen
from walkcoach.voice import VoiceSettings

SIZE = (100, 40)


def settings(app: object) -> SettingsScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, SettingsScreen)
    return screen


async def choose(pilot, steps_down: int) -> None:  # type: ignore[no-untyped-def]
    """Opens the focused select and moves `steps_down` options down."""
    await pilot.press("enter", *["down"] * steps_down, "enter")


async def test_settings_edit_and_save_every_field(tmp_path: Path) -> None:
    app, _, player = build(tmp_path)
    async with started(app, size=SIZE) as pilot:
        await pilot.press("s")
        screen = settings(app)
        assert "recording" in str(screen.query_one("#settings-info", Static).render())
        await pilot.press("tab")  # weight unit: kg -> lb; the weight follows
        await choose(pilot, 1)
        assert screen.query_one("#weight_kg", Input).value == "176.4"
        await pilot.press("tab")  # speed unit: mph
        await choose(pilot, 1)
        await pilot.press("tab", "ctrl+u")  # the treadmill reads 5 % high
        await type_text(pilot, "0,95")
        await pilot.press("tab")  # sound: off
        await choose(pilot, 1)
        await pilot.press("tab")  # voice: off
        await choose(pilot, 1)
        await pilot.press("tab")  # last seconds: spoken numbers
        await choose(pilot, 1)
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "10")
        await pilot.press("tab")  # safety check: on (the test walker has it off)
        await pilot.press("enter", "up", "enter")
        rest = screen.query_one("#settings-rest", Static)
        assert "standard resting rate (set age, sex and height for your own)" in str(rest.render())
        await pilot.press("tab")  # age
        await type_text(pilot, "61")
        await pilot.press("tab")  # sex: female
        await choose(pilot, 1)
        await pilot.press("tab")  # height, in cm
        await type_text(pilot, "172,5")
        # 655.0955 + 9.5634 x 80 + 1.8496 x 172.5 - 4.6756 x 61
        #   = 655.0955 + 765.072 + 319.056 - 285.2116 = 1454.0 kcal a day
        assert "your resting rate, about 1454 kcal a day" in str(rest.render())
        await pilot.press("tab")  # hands: gripping the rails
        await choose(pilot, 2)
        await pilot.press("ctrl+s")
        saved = load_profile(tmp_path / "profile.toml")
        assert saved == Profile(
            weight_kg=80.0,
            weight_unit="lb",
            speed_unit="mph",
            treadmill_factor=0.95,
            sound=False,
            voice=False,
            countdown="words",
            lead_in_s=10,
            safety_check=True,
            age=61,
            sex="female",
            height_cm=172.5,
            handrail_hold="gripping",
        )
        assert app.ctx.profile == saved
        assert app.ctx.voice_settings == VoiceSettings("mph", voice=False, countdown="words")
        assert player.muted
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert "176.4 lb" in str(app.screen.query_one("#profile-line", Static).render())


async def test_an_unset_weight_says_what_is_counted_with_in_the_unit_shown(
    tmp_path: Path,
) -> None:
    app, _, _ = build(tmp_path, profile=Profile(safety_check=False))
    async with started(app, size=(80, 24)) as pilot:
        await pilot.press("s")
        field = settings(app).query_one("#weight_kg", Input)
        assert (field.value, field.placeholder) == ("", "not set (70 kg)")
        # The whole hint fits the field at 80 columns (it used to be cut off).
        assert len(field.placeholder) < field.content_region.width
        await pilot.press("tab")
        await choose(pilot, 1)  # weight unit: lb
        assert (field.value, field.placeholder) == ("", "not set (154.3 lb)")
        assert len(field.placeholder) < field.content_region.width


async def test_turning_sound_back_on_unmutes_even_after_no_sound(tmp_path: Path) -> None:
    app, _, player = build(tmp_path, profile=Profile(weight_kg=80, sound=False), sound=False)
    async with started(app, size=SIZE) as pilot:
        assert player.muted
        await pilot.press("s", "tab", "tab", "tab", "tab")  # sound: on
        await pilot.press("enter", "up", "enter", "ctrl+s")
        assert app.ctx.profile.sound
        assert not player.muted


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("weight_kg", "7", "expected a weight from 20 to 300 kg"),
        ("weight_kg", "heavy", "expected a number of kg, such as 70"),
        ("lead_in_s", "99", "expected a lead-in from 0 to 30 seconds, not 99"),
        ("treadmill_factor", "1.5", "expected a treadmill factor from 0.8 to 1.2, not 1.5"),
        ("treadmill_factor", "fast", "expected a number from 0.8 to 1.2, such as 0.95"),
    ],
)
async def test_a_bad_value_shows_its_message_and_is_not_saved(
    tmp_path: Path, field: str, typed: str, message: str
) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=SIZE) as pilot:
        await pilot.press("s")
        screen = settings(app)
        screen.query_one(f"#{field}", Input).focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, typed)
        assert str(screen.query_one(f"#{field}-error", Label).render()) == message
        await pilot.press("enter")
        assert load_profile(tmp_path / "profile.toml") == WALKER
        await pilot.press("escape")
        assert isinstance(app.screen, LeaveDialog)
        await pilot.press("d")
        assert isinstance(app.screen, HomeScreen)
        assert app.ctx.profile == WALKER


async def test_the_belt_factor_says_what_it_means_until_it_is_wrong(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    async with started(app, size=(80, 24)) as pilot:
        await pilot.press("s")
        screen = settings(app)
        label = screen.query_one("#treadmill_factor-error", Label)
        assert str(label.render()) == FACTOR_HINT and label.has_class("-hint")
        assert screen.query_one("#treadmill_factor", Input).value == "1"
        screen.query_one("#treadmill_factor", Input).focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "2")
        assert str(label.render()) == "expected a treadmill factor from 0.8 to 1.2, not 2"
        assert not label.has_class("-hint")


async def test_an_unreadable_profile_is_shown_and_never_overwritten(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path, profile=None)
    (tmp_path / "profile.toml").write_text("weight_kg = 'lots'\n")
    app.ctx.reload_profile()
    async with started(app, size=SIZE) as pilot:
        await pilot.press("s")
        screen = settings(app)
        problem = str(screen.query_one("#profile-problem", Static).render())
        assert "cannot be read" in problem and "will not overwrite" in problem
        screen.query_one("#weight_kg", Input).focus()
        await type_text(pilot, "72")
        await pilot.press("ctrl+s")
        assert any("Not saved" in n.message for n in app._notifications)
    assert (tmp_path / "profile.toml").read_text() == "weight_kg = 'lots'\n"


def test_settings_snapshot(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = build(tmp_path)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()  # the first screen comes just after start-up
        await pilot.press("s")
        await type_text(pilot, "x")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_settings_from_a_newer_walkcoach_are_named_once_and_kept(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path, profile=None)
    (tmp_path / "profile.toml").write_text('weight_kg = 81.0\nhandrails = "gripping"\n')
    app.ctx.reload_profile()
    async with started(app, size=SIZE) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert sum("(handrails) are kept" in m for m in messages) == 1
        assert app.ctx.profile.weight_kg == 81.0
        await pilot.press("s", "ctrl+s")
    assert 'handrails = "gripping"' in (tmp_path / "profile.toml").read_text()


@pytest.mark.parametrize(
    ("kg", "unit", "shown"),
    [(80.0, "lb", "176.4"), (72.26, "kg", "72.3"), (90.7185, "lb", "200"), (65.0, "kg", "65")],
)
async def test_the_weight_field_reads_as_home_shows_the_weight(
    tmp_path: Path, kg: float, unit: str, shown: str
) -> None:
    profile = Profile(weight_kg=kg, weight_unit=unit, safety_check=False)  # type: ignore[arg-type]
    app, _, _ = build(tmp_path, profile=profile)
    async with started(app, size=SIZE) as pilot:
        line = str(app.screen.query_one("#profile-line", Static).render())
        assert line.startswith(f"Calories for {shown} {unit}")
        await pilot.press("s")
        assert settings(app).query_one("#weight_kg", Input).value == shown


async def test_age_and_height_are_checked_and_may_be_left_unset(tmp_path: Path) -> None:
    walker = WALKER._replace(age=50, sex="male", height_cm=180.0)
    app, _, _ = build(tmp_path, profile=walker)
    async with started(app, size=SIZE) as pilot:
        await pilot.press("s")
        screen = settings(app)
        screen.query_one("#height_cm", Input).focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "5 ft 7")
        error = str(screen.query_one("#height_cm-error", Label).render())
        assert error == "expected a height in centimetres, such as 172"
        await pilot.press("ctrl+u")
        rest = str(screen.query_one("#settings-rest", Static).render())
        assert "standard resting rate (set height for your own)" in rest
        screen.query_one("#age", Input).focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "12")
        error = str(screen.query_one("#age-error", Label).render())
        assert error == "expected an age from 18 to 100 years, not 12"
        await pilot.press("ctrl+u", "ctrl+s")
        saved = load_profile(tmp_path / "profile.toml")
        assert (saved.age, saved.sex, saved.height_cm) == (None, "male", None)
