"""Personal calories as the walker meets them: h during a walk, the MET for their own
resting rate, the recap's estimate with its range, net kcal and the holds used, and the
first-run prompt's optional answers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Label, Static

from tests.support.pilot import SHORT, WALKER, build, started, text_of, type_text, walk, walk_on
from walkcoach import calories, energy
from walkcoach.store.history import History
from walkcoach.store.paths import DataDirs
from walkcoach.store.profile import Profile
from walkcoach.tui.dialogs.weight import PersonalAnswers, WeightDialog
from walkcoach.tui.screens.home import HomeScreen
from walkcoach.tui.screens.recap import RecapScreen
from walkcoach.tui.screens.session import SessionScreen

# The README's walker: a woman of 60, 90 kg, 160 cm.
WOMAN = WALKER._replace(weight_kg=90.0, age=60, sex="female", height_cm=160.0)


def shown(screen: object, widget_id: str) -> str:
    """What a Static shows, as plain text (Rich tables rendered wide)."""
    content = screen.query_one(f"#{widget_id}", Static).content  # type: ignore[attr-defined]
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def test_h_cycles_the_hold_says_it_and_counts_it(tmp_path: Path) -> None:
    app, clock, player = build(tmp_path, plan=SHORT)
    async with started(app) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await walk(pilot, clock, 5 + 10)  # lead-in, then 10 s of the first segment
        assert "Hands free" in text_of(screen, "target")
        await pilot.press("h")
        assert "Hands resting" in text_of(screen, "target")
        assert (player.prompts[-1].kind, player.prompts[-1].text) == ("hold", "Hands resting")
        await walk(pilot, clock, 5)
        await pilot.press("h")
        assert "Hands gripping" in text_of(screen, "target")
        assert player.prompts[-1].text == "Gripping the rails"
        await walk(pilot, clock, 4)
        await pilot.press("h")
        assert player.prompts[-1].text == "Hands free"
        held = screen.engine.result().seconds_by_hold
        assert held == pytest.approx({"free": 10, "resting": 5, "gripping": 4})
        # 4.8 km/h level is 3.5 MET: 80 kg x (10 + 5 x 0.94 + 4 x 0.82) s / 3600
        kcal = energy.kcal(3.5, 80, 10 + 5 * 0.94 + 4 * 0.82)
        assert screen.engine.snapshot().kcal == pytest.approx(kcal)


async def test_the_usual_hold_comes_from_the_profile(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT, profile=WALKER._replace(handrail_hold="gripping"))
    async with started(app) as pilot:
        await walk(pilot, clock, 5 + 1)
        assert "Hands gripping" in text_of(app.screen, "target")
        await pilot.press("h")  # gripping -> free: round again
        assert "Hands free" in text_of(app.screen, "target")


async def test_a_walker_with_their_own_resting_rate_sees_their_met(tmp_path: Path) -> None:
    app, clock, _ = build(tmp_path, plan=SHORT, profile=WOMAN)
    async with started(app) as pilot:
        await walk(pilot, clock, 5 + 1)
        # 3.5 MET x 3.5 / 2.362965 ml/kg/min = 5.18 of her own resting rate
        assert "your MET 5.2" in text_of(app.screen, "energy")
    standard, clock, _ = build(tmp_path / "other", plan=SHORT)
    async with started(standard) as pilot:
        await walk(pilot, clock, 5 + 1)
        assert "   MET 3.5" in text_of(standard.screen, "energy")


async def test_the_recap_shows_the_range_net_kcal_the_holds_and_the_rest(
    tmp_path: Path,
) -> None:
    app, _, _ = build(tmp_path, plan=SHORT, profile=WOMAN)
    async with started(app, size=(100, 30)) as pilot:
        await walk_on(pilot, 5 + 10)
        await pilot.press("h", "h")  # gripping from 0:10 to the end (1:10)
        await walk_on(pilot, 60 + 1)
        screen = app.screen
        assert isinstance(screen, RecapScreen)
        t = screen.totals
        assert t.personal and t.kcal_low < t.kcal < t.kcal_high
        # Net is gross less her resting kcal over the 70 s walked.
        resting = calories.resting_kcal(calories.resting_rate(WOMAN.body), 90, 70)
        assert t.kcal_net == pytest.approx(t.kcal - resting)
        energy_text = shown(screen, "recap-energy")
        low, high = round(t.kcal_low), round(t.kcal_high)
        assert low < high  # ranged, and said so:
        assert f"About {round(t.kcal)} kcal (" in energy_text
        [net] = [line.split() for line in energy_text.splitlines() if "net" in line]
        assert net == ["net", f"{round(t.kcal_net)}"]
        walk_text = shown(screen, "recap-walk")
        assert "Hands     gripping 1:00, free 0:10" in walk_text
        assert "Rest      your resting rate" in walk_text
        assert screen.recorder.wait(30)
    with History(DataDirs.in_folder(tmp_path).history_path) as history:
        [row] = history.sessions()
    assert row.figures() == pytest.approx(t.figures())
    assert (row.hold_free_s, row.hold_resting_s, row.hold_gripping_s) == pytest.approx((10, 0, 60))


async def test_the_first_run_prompt_takes_the_optional_answers_with_the_weight(
    tmp_path: Path,
) -> None:
    app, _, _ = build(tmp_path)
    saved: list[PersonalAnswers] = []
    weights: list[float | None] = []

    def save(answers: PersonalAnswers) -> None:
        saved.append(answers)

    async with started(app, size=(80, 24)) as pilot:
        app.push_screen(WeightDialog("kg", save_personal=save), weights.append)
        await pilot.pause()
        dialog = app.screen
        await type_text(pilot, "90")
        await pilot.press("tab")  # age
        await type_text(pilot, "6")
        assert "expected an age from 18 to 100 years, not 6" in str(
            dialog.query_one("#age-error", Label).render()
        )
        await type_text(pilot, "0")
        await pilot.press("tab", "enter", "down", "enter")  # sex: female
        await pilot.press("tab")  # height
        await type_text(pilot, "160")
        await pilot.press("tab", "enter", "down", "down", "enter")  # hands: gripping
        await pilot.press("shift+tab", "enter")  # enter in a field saves
        await pilot.pause()
        assert saved == [PersonalAnswers(60, "female", 160.0, "gripping")]
        assert weights == [90.0]
    assert saved[0].applied_to(WALKER._replace(weight_kg=90.0)).body == WOMAN.body


async def test_the_first_run_prompt_leaves_the_optional_answers_unset(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path)
    saved: list[PersonalAnswers] = []
    weights: list[float | None] = []
    async with started(app, size=(80, 24)) as pilot:
        app.push_screen(WeightDialog("kg", save_personal=saved.append), weights.append)
        await pilot.pause()
        await pilot.press("enter")  # the weight is still required
        assert not weights
        await type_text(pilot, "72")
        await pilot.press("enter")
        assert saved == [PersonalAnswers()] and weights == [72.0]
        app.push_screen(WeightDialog("kg", save_personal=saved.append), weights.append)
        await pilot.pause()
        await pilot.press("escape")  # one key skips it all
        assert saved == [PersonalAnswers()] and weights == [72.0, None]


async def test_the_first_run_saves_the_optional_answers_with_the_weight(tmp_path: Path) -> None:
    """The whole first run through the app: the answers reach the profile file, and a
    second start asks nothing."""
    app, _, _ = build(tmp_path, profile=None)
    async with started(app, size=(80, 24)) as pilot:
        assert isinstance(app.screen, WeightDialog)
        await type_text(pilot, "90")
        await pilot.press("tab")
        await type_text(pilot, "60")
        await pilot.press("tab", "enter", "down", "enter")  # sex: female
        await pilot.press("tab")
        await type_text(pilot, "160")
        await pilot.press("tab", "enter", "down", "enter")  # hands: resting
        await pilot.press("shift+tab", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, WeightDialog)
    profile = app.ctx.profile
    assert (profile.weight_kg, profile.age, profile.sex, profile.height_cm) == (
        90.0,
        60,
        "female",
        160.0,
    )
    assert profile.handrail_hold == "resting"
    assert calories.resting_rate(profile.body).personal
    again, _, _ = build(tmp_path, profile=None)
    async with started(again, size=(80, 24)):
        assert not isinstance(again.screen, WeightDialog)
        assert again.ctx.profile.age == 60


@pytest.mark.parametrize(
    ("profile", "weight_kg", "line"),
    [
        (WALKER, None, "Calories for 80 kg, standard resting rate"),
        (WOMAN, None, "Calories for 90 kg, your resting rate"),
        (
            WOMAN._replace(handrail_hold="gripping"),
            None,
            "Calories for 90 kg, your resting rate, hands gripping",
        ),
        # --weight for one run counts with her own rate at that weight.
        (WOMAN, 100.0, "Calories for 100 kg, your resting rate"),
        # Age unset: the standard rate, whatever else is known.
        (
            WOMAN._replace(age=None, handrail_hold="resting"),
            None,
            "Calories for 90 kg, standard resting rate, hands resting",
        ),
    ],
)
async def test_home_says_which_resting_rate_and_hold_its_estimates_count_with(
    tmp_path: Path, profile: Profile, weight_kg: float | None, line: str
) -> None:
    app, _, _ = build(tmp_path, profile=profile, weight_kg=weight_kg)
    async with app.run_test():
        assert isinstance(app.screen, HomeScreen)
        assert shown(app.screen, "profile-line").strip() == line
