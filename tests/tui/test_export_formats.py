"""The export dialog's formats (CSV, JSON, FIT, TCX, the last ones picked remembered),
and Home's import of FIT workouts, workout text and Zwift workouts (the reference speed
asked first)."""

from __future__ import annotations

from pathlib import Path

import pytest
from garmin_fit_sdk import Decoder, Stream
from tcxreader.tcxreader import TCXReader
from textual.pilot import Pilot
from textual.widgets import Input, Label, SelectionList

from tests.support.builders import fill_history
from tests.support.pilot import SHORT, build, started, type_text, walk_on
from walkcoach.formats import fit_workout, workout_text
from walkcoach.plan import Plan, Repeat, Segment
from walkcoach.store.profile import load_profile
from walkcoach.tui.dialogs.confirm import ConfirmDialog
from walkcoach.tui.dialogs.export import ExportDialog
from walkcoach.tui.dialogs.line import LineDialog
from walkcoach.tui.dialogs.reference_speed import ReferenceSpeedDialog
from walkcoach.tui.screens.history import HistoryScreen
from walkcoach.tui.screens.home import HomeScreen
from walkcoach.tui.screens.recap import RecapScreen

SIZE = (100, 40)


def fit_laps(path: Path) -> list[dict[str, object]]:
    """The laps of a FIT activity as Garmin's own SDK reads them, without errors."""
    messages, errors = Decoder(Stream.from_byte_array(bytearray(path.read_bytes()))).read()
    assert errors == []
    laps: list[dict[str, object]] = messages["lap_mesgs"]
    return laps


def notes(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


async def pick(pilot: Pilot[int], typed: str, formats: set[str]) -> None:
    """In the export dialog: `typed` as NAME, `formats` picked (tab to the list, then
    down and space as needed), enter."""
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    dialog.query_one(Input).value = typed
    await pilot.press("tab")
    listing = dialog.query_one(SelectionList)
    assert dialog.focused is listing
    for index, fmt in enumerate(("csv", "json", "fit", "tcx")):
        if index:
            await pilot.press("down")
        if (fmt in formats) != (fmt in listing.selected):
            await pilot.press("space")
    assert set(listing.selected) == formats
    await pilot.press("enter")
    await pilot.pause()


async def test_the_recap_exports_fit_and_tcx_and_remembers_them(tmp_path: Path) -> None:
    app, _, _ = build(tmp_path / "data", plan=SHORT)
    async with started(app, size=SIZE) as pilot:
        await walk_on(pilot, 5 + 70 + 1)
        assert isinstance(app.screen, RecapScreen)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one(SelectionList).selected == ["csv", "json"]  # by default
        await pick(pilot, str(tmp_path / "walk"), {"fit", "tcx"})
        assert isinstance(app.screen, RecapScreen)
        assert notes(app) == [f"Exported {tmp_path / 'walk.fit'} and walk.tcx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "walk.fit", "walk.tcx"]
    laps = fit_laps(tmp_path / "walk.fit")
    assert [lap["total_elapsed_time"] for lap in laps] == [20, 15, 10, 15, 10]
    assert [lap["developer_fields"][0] for lap in laps] == [  # type: ignore[index]
        "forward", "backward", "forward", "backward", "forward",
    ]  # fmt: skip
    exercise = TCXReader().read(str(tmp_path / "walk.tcx"), only_gps=False)
    seconds = [(lap.trackpoints[-1].time - lap.trackpoints[0].time) for lap in exercise.laps]
    assert [round(s.total_seconds()) for s in seconds] == [20, 15, 10, 15, 10]
    assert load_profile(tmp_path / "data" / "profile.toml").export_formats == ("fit", "tcx")


async def test_the_formats_picked_last_are_offered_next_time(tmp_path: Path) -> None:
    fill_history(tmp_path / "data")
    app, _, _ = build(tmp_path / "data")
    async with started(app, size=SIZE) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        await pilot.press("enter", "e")
        await pick(pilot, str(tmp_path / "one"), {"json", "tcx"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "one.json", "one.tcx"]

    again, _, _ = build(tmp_path / "data", profile=None)  # the profile as it was left
    async with started(again, size=SIZE) as pilot:
        again.push_screen(HistoryScreen(again.ctx))
        await pilot.pause()
        await pilot.press("x")
        dialog = again.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one(SelectionList).selected == ["json", "tcx"]


async def test_all_walks_give_one_tcx_and_a_fit_file_each(tmp_path: Path) -> None:
    fill_history(tmp_path / "data")
    app, _, _ = build(tmp_path / "data")
    async with started(app, size=SIZE) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        await pilot.press("x")
        await pick(pilot, str(tmp_path / "walks.fit"), {"fit", "tcx"})
        assert notes(app) == [
            f"Exported {tmp_path / 'walks-1.fit'}, walks-2.fit, walks-3.fit and 1 more"
        ]
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["data", "walks-1.fit", "walks-2.fit", "walks-3.fit", "walks.tcx"]
    assert [len(fit_laps(tmp_path / f"walks-{n}.fit")) for n in (1, 2, 3)] == [3, 5, 5]
    text = (tmp_path / "walks.tcx").read_text(encoding="utf-8")
    assert text.count("<Activity ") == 3


async def test_a_fit_file_of_one_walk_there_already_is_asked_about(tmp_path: Path) -> None:
    fill_history(tmp_path / "data")
    (tmp_path / "walks-2.fit").write_bytes(b"precious")
    app, _, _ = build(tmp_path / "data")
    async with started(app, size=SIZE) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        await pilot.press("x")
        await pick(pilot, str(tmp_path / "walks"), {"fit"})
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert question.question == "walks-2.fit already exists. Replace it?"
        await pilot.press("n")
        await pilot.pause()
        assert notes(app) == ["Not exported; nothing was replaced."]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "walks-2.fit"]
    assert (tmp_path / "walks-2.fit").read_bytes() == b"precious"


async def test_no_format_picked_keeps_the_dialog_open(tmp_path: Path) -> None:
    fill_history(tmp_path / "data")
    app, _, _ = build(tmp_path / "data")
    async with started(app, size=SIZE) as pilot:
        app.push_screen(HistoryScreen(app.ctx))
        await pilot.pause()
        await pilot.press("x")
        await pick(pilot, str(tmp_path / "walks"), set())
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        error = str(dialog.query_one("#export-error", Label).render())
        assert error == "pick a format (tab to the list, then space)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


# --- Home's import, by the file's extension ---------------------------------------

PLAN = Plan(
    "Shared intervals",
    (
        Segment("forward", 120, 4.5, 0, "Warm-up"),
        Repeat(3, (Segment("backward", 45, 2.5, 1.5), Segment("forward", 75, 5.0))),
    ),
)
ZWO = """<workout_file><name>Tempo run</name><sportType>run</sportType><workout>
<Warmup Duration="300" PowerLow="0.7" PowerHigh="0.9"/>
<SteadyState Duration="120" Power="0.8" Cadence="90"/>
</workout></workout_file>
"""


async def import_path(pilot: Pilot[int], path: Path) -> None:
    await pilot.press("i")
    await type_text(pilot, str(path))
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("kind", ["fit", "txt"])
async def test_home_imports_a_fit_workout_and_workout_text(tmp_path: Path, kind: str) -> None:
    source = tmp_path / f"shared-intervals.{kind}"
    if kind == "fit":
        source.write_bytes(fit_workout.encode_plan(PLAN))
    else:
        source.write_text(workout_text.dumps(PLAN), encoding="utf-8")
    app, _, _ = build(tmp_path / "data")
    async with started(app, size=SIZE) as pilot:
        await import_path(pilot, source)
        home = app.screen
        assert isinstance(home, HomeScreen)
        entry = home.selected()
        assert entry is not None and entry.source == "user"
    name = PLAN.name if kind == "fit" else "shared-intervals"  # text names no plan
    assert entry.plan == PLAN._replace(name=name)
    assert notes(app) == [f'Imported "{name}"']


async def test_a_bad_workout_file_keeps_the_dialog_open_with_its_line(tmp_path: Path) -> None:
    source = tmp_path / "bad.txt"
    source.write_text("- 5m 4.5km/h\n- 10km 5km/h\n", encoding="utf-8")
    app, _, _ = build(tmp_path / "data")
    async with started(app, size=SIZE) as pilot:
        await import_path(pilot, source)
        dialog = app.screen
        assert isinstance(dialog, LineDialog)
        error = str(dialog.query_one("#line-error").render())
        assert error.startswith(f"{source}: 2 problems in the plan, the first: line 2: ")
        assert "'10km' is a distance" in error
    assert not (tmp_path / "data" / "plans").exists() or not any(
        (tmp_path / "data" / "plans").iterdir()
    )


async def test_a_zwift_workout_asks_for_the_reference_speed_and_shows_the_notes(
    tmp_path: Path,
) -> None:
    source = tmp_path / "tempo.zwo"
    source.write_text(ZWO, encoding="utf-8")
    app, _, _ = build(tmp_path / "data")
    async with started(app, size=SIZE) as pilot:
        await import_path(pilot, source)
        dialog = app.screen
        assert isinstance(dialog, ReferenceSpeedDialog)
        await type_text(pilot, "fast")
        await pilot.press("enter")
        error = str(dialog.query_one("#reference-error", Label).render())
        assert error == "expected a speed above 0 and at most 20, such as 5.0"
        await pilot.press("ctrl+u")
        await type_text(pilot, "5")
        await pilot.press("enter")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        entry = home.selected()
    assert entry is not None and entry.plan is not None
    assert entry.name == "Tempo run"
    assert [s.speed_kmh for s in entry.plan.steps] == [4.0, 4.0]  # type: ignore[union-attr]
    (said,) = notes(app)
    assert said.startswith('Imported "Tempo run"; not kept as it was:\n')
    assert "a ramp from 0.7 to 0.9" in said and "not kept: 'Cadence'" in said


async def test_a_zwift_workout_walkcoach_cannot_walk_keeps_the_speed_dialog_open(
    tmp_path: Path,
) -> None:
    source = tmp_path / "ride.zwo"
    source.write_text(ZWO.replace(">run<", ">bike<"), encoding="utf-8")
    app, _, _ = build(tmp_path / "data")
    async with started(app, size=SIZE) as pilot:
        await import_path(pilot, source)
        await type_text(pilot, "5")
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, ReferenceSpeedDialog)
        error = str(dialog.query_one("#reference-error", Label).render())
        assert "only run workouts map to walking" in error
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
