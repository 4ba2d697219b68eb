"""The command line in the fitness world's formats: `history export` to FIT and TCX,
read back by Garmin's FIT SDK, fitdecode, tcxreader and the TCX schema; `plans export`
and `plans import` of FIT workouts, workout text and Zwift workouts; hostile files
refused in one message, with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema
from garmin_fit_sdk import Decoder, Stream
from tcxreader.tcxreader import TCXReader

from tests.support.builders import fill_history
from tests.support.cli import run
from tests.support.fit import fitdecode_laps
from walkcoach.formats import fit_workout
from walkcoach.formats.walk import Walk, from_rows
from walkcoach.plan import load
from walkcoach.resources import seeds_dir
from walkcoach.store.history import History
from walkcoach.store.paths import ENV_VAR, DataDirs

SCHEMA = Path(__file__).parent / "formats" / "data" / "tcx_activity_subset.xsd"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


def walks_of(data: Path) -> dict[int, Walk]:
    """Each walk of the history as the export reads it, by its ID."""
    with History(DataDirs.in_folder(data).history_path) as history:
        return {row.id: from_rows(row, history.segments(row.id)) for row in history.sessions()}


def garmin(path: Path) -> dict[str, list[dict[str, object]]]:
    stream = bytearray(path.read_bytes())
    assert Decoder(Stream.from_byte_array(stream)).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(stream)).read()
    assert errors == []
    return messages


def test_fit_export_writes_one_file_per_walk_read_back_by_two_decoders(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    fill_history(data)
    code, out, err = run(capsys, "--data-dir", str(data), "history", "export", "walks.fit")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "exported 3 sessions, one file each:",
        *(f"  {tmp_path / f'walks-{n}.fit'}" for n in (1, 2, 3)),
    ]
    assert not (tmp_path / "walks.fit").exists()
    for session_id, walk in walks_of(data).items():
        path = tmp_path / f"walks-{session_id}.fit"
        messages = garmin(path)
        (session,) = messages["session_mesgs"]
        assert (session["sport"], session["sub_sport"]) == ("walking", "indoor_walking")
        assert session["total_timer_time"] == pytest.approx(walk.active_s, abs=0.001)
        assert session["total_distance"] == pytest.approx(walk.distance_km * 1000, abs=0.01)
        assert session["total_calories"] == round(walk.kcal)
        laps = walk.laps
        read = messages["lap_mesgs"]
        assert [m["total_elapsed_time"] for m in read] == pytest.approx(
            [lap.seconds for lap in laps], abs=0.001
        )
        assert [m["total_calories"] for m in read] == [round(lap.kcal) for lap in laps]
        assert [m["developer_fields"][0] for m in read] == [lap.direction for lap in laps]  # type: ignore[index]
        decoded = fitdecode_laps(path)
        assert [lap["segment"] for lap in decoded] == [lap.name for lap in laps]
        assert [lap["total_distance"] for lap in decoded] == pytest.approx(
            [lap.distance_km * 1000 for lap in laps], abs=0.01
        )


def test_fit_export_of_one_session_writes_that_file(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    fill_history(data)
    argv = ["--data-dir", str(data), "history", "export", "morning.fit", "--session", "2"]
    assert run(capsys, *argv) == (0, f"exported 1 session to {tmp_path / 'morning.fit'}\n", "")
    (session,) = garmin(tmp_path / "morning.fit")["session_mesgs"]
    assert session["num_laps"] == len(walks_of(data)[2].laps)


def test_tcx_export_holds_every_walk_in_one_file(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    fill_history(data)
    code, out, err = run(capsys, "--data-dir", str(data), "history", "export", "all.tcx")
    assert (code, out, err) == (0, f"exported 3 sessions to {tmp_path / 'all.tcx'}\n", "")
    xmlschema.XMLSchema(SCHEMA).validate(tmp_path / "all.tcx")
    exercise = TCXReader().read(str(tmp_path / "all.tcx"), only_gps=False)
    walks = [walks_of(data)[n] for n in (1, 2, 3)]  # oldest first
    laps = [lap for walk in walks for lap in walk.laps]
    assert len(exercise.laps) == len(laps)
    for read, lap in zip(exercise.laps, laps, strict=True):
        assert read.distance == pytest.approx(lap.distance_km * 1000, abs=0.001)
        assert read.calories == round(lap.kcal)


@pytest.mark.parametrize("typed", ["walks.fit", "walks.tcx"])
def test_an_existing_file_is_never_replaced_without_force(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, typed: str
) -> None:
    fill_history(data)
    there = tmp_path / ("walks-2.fit" if typed.endswith(".fit") else typed)
    there.write_bytes(b"precious")
    code, out, err = run(capsys, "--data-dir", str(data), "history", "export", typed)
    assert (code, out) == (1, "")
    shown = there if typed.endswith(".fit") else typed
    assert err == f"walkcoach: {shown} already exists; add --force to replace it\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", there.name]
    assert there.read_bytes() == b"precious"
    assert run(capsys, "--data-dir", str(data), "history", "export", typed, "--force")[0] == 0
    assert there.read_bytes() != b"precious"


def test_an_empty_history_exports_nothing(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--data-dir", str(data), "history", "export", "w.tcx")
    assert (code, out) == (1, "")
    assert err == "walkcoach: nothing was exported to w.tcx: the history holds no walks\n"
    assert not (tmp_path / "w.tcx").exists()


# --- plans as FIT workouts, workout text and Zwift workouts ---------------------------


@pytest.mark.parametrize("kind", ["fit", "txt"])
def test_a_plan_goes_out_and_comes_back_equal(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, kind: str
) -> None:
    quick = load(seeds_dir() / "plans" / "quick.toml")
    out_file = tmp_path / f"quick-copy.{kind}"
    argv = ["--data-dir", str(data), "plans", "export", "Quick ten", str(out_file)]
    assert run(capsys, *argv) == (0, f"exported to {out_file}\n", "")
    if kind == "fit":
        assert fit_workout.decode_plan(out_file.read_bytes()) == quick
        out_file = out_file.rename(tmp_path / "renamed.fit")
        # A built-in plan's name is taken: the FIT file keeps it, so it is refused.
        code, _, err = run(capsys, "--data-dir", str(data), "plans", "import", str(out_file))
        assert (code, err) == (
            1,
            'walkcoach: "Quick ten" is the name of a built-in plan; rename the plan in the file\n',
        )
        out_file.write_bytes(fit_workout.encode_plan(quick._replace(name="My quick")))
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "import", str(out_file))
    name = "My quick" if kind == "fit" else "quick-copy"  # text names no plan: its file does
    assert (code, err) == (0, "")
    (saved,) = (data / "plans").iterdir()
    assert out == f'imported "{name}" as {saved}\n'
    # Workout text holds the steps only, not the description.
    description = quick.description if kind == "fit" else ""
    assert load(saved) == quick._replace(name=name, description=description)


ZWO = """<workout_file><name>Tempo run</name><sportType>run</sportType><workout>
<Warmup Duration="300" PowerLow="0.7" PowerHigh="0.9"/>
<IntervalsT Repeat="3" OnDuration="60" OffDuration="60" OnPower="1.1" OffPower="0.8"/>
<SteadyState Duration="120" Power="0.8" Cadence="90"/>
</workout></workout_file>
"""


def test_a_zwift_workout_needs_the_reference_speed(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    source = tmp_path / "tempo.zwo"
    source.write_text(ZWO, encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "import", str(source))
    assert (code, out) == (1, "")
    assert err == (
        f"walkcoach: {source}: a Zwift workout gives its paces as shares of a reference "
        "speed; add --reference-speed with your brisk walking speed in km/h, such as "
        "--reference-speed 5.0\n"
    )
    assert not (data / "plans").exists()

    argv = ["--data-dir", str(data), "plans", "import", str(source), "--reference-speed", "5"]
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    saved = data / "plans" / "tempo-run.toml"
    assert out.splitlines() == [
        f'imported "Tempo run" as {saved}',
        "  note: workout_file/workout/Warmup[1]: a ramp from 0.7 to 0.9 is walked at one "
        "speed, their mean",
        "  note: workout_file/workout/SteadyState[3]: not kept: 'Cadence'",
    ]
    plan = load(saved)
    assert plan.steps[0].speed_kmh == 4.0  # type: ignore[union-attr]
    assert [s.speed_kmh for s in plan.steps[1].steps] == [5.5, 4.0]  # type: ignore[union-attr]


def test_the_reference_speed_is_in_the_walkers_unit(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    data.mkdir()
    (data / "profile.toml").write_text('speed_unit = "mph"\n', encoding="utf-8")
    source = tmp_path / "tempo.zwo"
    source.write_text(ZWO, encoding="utf-8")
    argv = ["--data-dir", str(data), "plans", "import", str(source), "--reference-speed", "3"]
    assert run(capsys, *argv)[0] == 0
    plan = load(data / "plans" / "tempo-run.toml")
    assert plan.steps[0].speed_kmh == pytest.approx(0.8 * 3 * 1.609344, abs=0.01)  # type: ignore[union-attr]


HOSTILE = {
    "truncated.fit": fit_workout.encode_plan(load(seeds_dir() / "plans" / "quick.toml"))[:60],
    "huge.fit": b"\x0e" * (200 * 1024),
    "wrong-type.fit": b"not a fit file at all",
    "deep.zwo": ("<a>" * 50_000 + "</a>" * 50_000).encode(),
    "laughs.zwo": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><workout_file>&a;</workout_file>',
    "markup.txt": b"- \x1b]2;pwned\x07 5m 4.5km/h [b]x[/b] 10km\n",
    "utf16.txt": "- 5m 4.5km/h\n".encode("utf-16"),
    "controls.zwo": (
        b"<workout_file><name>\x1b[31m</name><sportType>run</sportType><workout>"
        b'<FreeRide Duration="60"/></workout></workout_file>'
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_refused_plainly_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, name: str
) -> None:
    source = tmp_path / name
    source.write_bytes(HOSTILE[name])
    argv = ["--data-dir", str(data), "plans", "import", str(source), "--reference-speed", "5"]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (1, "")
    assert err.startswith(f"walkcoach: {source}: ")
    assert "Traceback" not in err and "\x1b" not in err and "\x07" not in err
    assert len(err.splitlines()) <= 3  # the head line and its problems, not a dump
    assert not (data / "plans").exists()
