"""The walkcoach command, run in-process (`main([...])`) and as a real program."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import types
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support import REPO
from tests.support.builders import VALID_PLAN, record_sessions, write_plan
from tests.support.cli import run
from walkcoach import __version__, calories
from walkcoach.plan import load, loads, summarize
from walkcoach.resources import seeds_dir
from walkcoach.store.history import SESSION_COLUMNS, History
from walkcoach.store.paths import ENV_VAR, resolve_dirs
from walkcoach.store.plans import PlanLibrary
from walkcoach.store.profile import Profile, save_profile

THREE_PROBLEMS = """\
name = "Broken"

[[steps]]
direction = "sideways"
duration = 2
speed_kmh = 4.0

[[steps]]
repeat = 2
  [[steps.steps]]
  direction = "backward"
  duration = 60
  speed_kmh = 3.0
  colour = "red"
"""


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.delenv(ENV_VAR, raising=False)
    return folder


# --- basics -------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"walkcoach {__version__}\n", "")
    assert __version__ == "0.1.0"


def test_a_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "plans", "frobnicate")
    assert code == 2
    assert "invalid choice" in err


def test_a_weight_out_of_range_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    code, _, err = run(capsys, "--data-dir", str(data), "run", "Quick ten", "--weight", "500")
    assert code == 2
    assert "expected a weight from 20 to 300 kg" in err


@pytest.mark.parametrize("where", ["before", "after"])
def test_data_dir_is_accepted_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str], data: Path, where: str
) -> None:
    write_plan(data / "plans", "mine.toml", VALID_PLAN)
    flag = ["--data-dir", str(data)]
    argv = (
        [*flag, "plans", "list", "--json"]
        if where == "before"
        else ["plans", "list", "--json", *flag]
    )
    code, out, _ = run(capsys, *argv)
    assert code == 0
    users = [row for row in json.loads(out) if row["source"] == "user"]
    assert [(row["name"], row["path"]) for row in users] == [
        ("Desk walk", str(data / "plans" / "mine.toml"))
    ]


def test_the_environment_variable_chooses_the_data_folder(
    capsys: pytest.CaptureFixture[str], data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plan(data / "plans", "mine.toml", VALID_PLAN)
    monkeypatch.setenv(ENV_VAR, str(data))
    code, out, _ = run(capsys, "plans", "list", "--json")
    assert code == 0
    assert "Desk walk" in [row["name"] for row in json.loads(out)]


# --- plans list / show --------------------------------------------------------------


def test_plans_list_json_matches_the_plan_summaries(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "list", "--json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    builtin = [row for row in rows if row["source"] == "built-in"]
    assert len(builtin) >= 5
    for row in builtin:
        assert set(row) == {"name", "source", "path", "total_s", "backward_s", "kcal", "error"}
        summary = summarize(load(Path(row["path"])), 70.0)
        assert row["error"] is None
        assert (row["total_s"], row["backward_s"], row["kcal"]) == (
            summary.total_s,
            summary.backward_s,
            summary.kcal,
        )
    assert not data.exists()  # listing writes nothing


def test_plans_list_uses_the_profiles_weight(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    save_profile(data / "profile.toml", Profile(weight_kg=95.0))
    _, out, _ = run(capsys, "--data-dir", str(data), "plans", "list", "--json")
    first = json.loads(out)[0]
    assert first["kcal"] == summarize(load(Path(first["path"])), 95.0).kcal


def test_plans_list_counts_for_the_walkers_own_rest_and_hold(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    """A woman of 60, 90 kg and 160 cm who grips the rails: her estimate is below the
    standard walker's of the same weight, by her own resting rate and the grip."""
    save_profile(data / "profile.toml", Profile(weight_kg=90.0))
    _, out, _ = run(capsys, "--data-dir", str(data), "plans", "list", "--json")
    standard = json.loads(out)[0]
    her = Profile(weight_kg=90.0, age=60, sex="female", height_cm=160.0, handrail_hold="gripping")
    save_profile(data / "profile.toml", her)
    _, out, _ = run(capsys, "--data-dir", str(data), "plans", "list", "--json")
    first = json.loads(out)[0]
    plan = load(Path(first["path"]))
    rest = calories.resting_rate(her.body)
    assert rest.personal and rest.met == pytest.approx(0.675, abs=0.001)
    assert first["kcal"] == summarize(plan, 90.0, 1.0, "gripping", rest).kcal
    assert first["kcal"] < 0.85 * standard["kcal"]


def test_plans_list_reports_a_broken_plan_and_lists_the_rest(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    write_plan(data / "plans", "broken.toml", THREE_PROBLEMS)
    code, out, _ = run(capsys, "--data-dir", str(data), "plans", "list", "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    assert rows["broken"]["total_s"] is None
    assert "3 problems in the plan" in rows["broken"]["error"]
    assert len(rows) >= 6


def test_plans_list_table_shows_names_literally(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    write_plan(data / "plans", "markup.toml", VALID_PLAN.replace("Desk walk", "[bold red]Mine[/]"))
    code, out, _ = run(capsys, "--data-dir", str(data), "plans", "list")
    assert code == 0
    assert "[bold red]Mine[/]" in out
    assert "kcal (70 kg)" in out
    assert "built-in" in out and "user" in out


def test_plans_show_prints_steps_totals_and_warnings(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    write_plan(data / "plans", "mine.toml", VALID_PLAN.replace("Desk walk", "Desk [i]walk[/i]"))
    code, out, _ = run(capsys, "--data-dir", str(data), "plans", "show", "desk [i]walk[/i]")
    assert code == 0
    assert out.splitlines()[0] == "Desk [i]walk[/i]"
    assert "repeat 2 times" in out
    assert "Warm-up" in out
    assert "5.8 km/h" in out
    assert "11:00" in out  # 5:00 + 2 x (1:00 + 2:00)
    assert f"user plan, {data / 'plans' / 'mine.toml'}" in out
    assert "warning: steps[1].steps[0].speed_kmh" in out


def test_plans_show_of_an_unknown_plan_suggests_a_name(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    name = PlanLibrary(resolve_dirs(data)).entries()[0].name
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "show", name[:-1] + "x")
    assert code == 1
    assert out == ""
    assert err.startswith(f'walkcoach: no plan named "{name[:-1]}x"')
    assert f'did you mean "{name}"' in err
    assert len(err.splitlines()) == 1


# --- plans check / import / export --------------------------------------------------


def test_plans_check_on_a_valid_file_says_ok_and_warns(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    path = write_plan(tmp_path, "desk.toml", VALID_PLAN)
    code, out, _ = run(capsys, "--data-dir", str(data), "plans", "check", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{path}: ok (Desk walk)"
    assert lines[1].startswith("  warning: steps[1].steps[0].speed_kmh: 5.8 km/h backward")


def test_plans_check_lists_every_problem_with_its_path(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    path = write_plan(tmp_path, "broken.toml", THREE_PROBLEMS)
    code, out, _ = run(capsys, "--data-dir", str(data), "plans", "check", str(path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{path}: 3 problems"
    assert [line.split(": ")[1] for line in lines[1:]] == [
        "steps[0].direction",
        "steps[0].duration",
        "steps[1].steps[0].colour",
    ]
    assert all(line.startswith("  error: ") for line in lines[1:])


def test_plans_check_on_a_missing_file_fails_clearly(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "plans", "check", str(tmp_path / "nope.toml"))
    assert code == 1
    assert "cannot be read (No such file or directory)" in out


def test_plans_import_then_export_round_trips(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    source = write_plan(tmp_path, "desk.toml", VALID_PLAN)
    code, out, _ = run(capsys, "--data-dir", str(data), "plans", "import", str(source))
    assert code == 0
    assert out == f'imported "Desk walk" as {data / "plans" / "desk-walk.toml"}\n'
    code, out, _ = run(capsys, "--data-dir", str(data), "plans", "export", "Desk walk")
    assert code == 0
    assert load(source) == loads(out)
    dest = tmp_path / "exported.toml"
    code, out, _ = run(capsys, "--data-dir", str(data), "plans", "export", "desk walk", str(dest))
    assert code == 0
    assert load(dest) == load(source)


def test_plans_import_of_a_duplicate_name_fails_without_replace(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    source = write_plan(tmp_path, "desk.toml", VALID_PLAN)
    assert run(capsys, "--data-dir", str(data), "plans", "import", str(source))[0] == 0
    code, _, err = run(capsys, "--data-dir", str(data), "plans", "import", str(source))
    assert code == 1
    assert err.startswith('walkcoach: you already have a plan named "Desk walk"')
    code, _, _ = run(capsys, "--data-dir", str(data), "plans", "import", str(source), "--replace")
    assert code == 0
    assert sorted(p.name for p in (data / "plans").iterdir()) == ["desk-walk.toml"]


def test_plans_import_of_a_bad_file_prints_every_problem(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    source = write_plan(tmp_path, "broken.toml", THREE_PROBLEMS)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "import", str(source))
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == f"walkcoach: {source}: 3 problems in the plan"
    assert len(lines) == 4
    assert not data.exists()


# --- plans in the walker's units (issue 12 follow-ups) --------------------------------


MPH_WARNING = (
    "  warning: steps[1].steps[0].speed_kmh: 3.6 mph backward is close to a run "
    "(people switch to running backward near 3.7 mph); 3.4 mph or less is safer"
)


def test_plans_show_warns_in_the_walkers_speed_unit(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    save_profile(data / "profile.toml", Profile(speed_unit="mph"))
    write_plan(data / "plans", "mine.toml", VALID_PLAN)
    code, out, _ = run(capsys, "--data-dir", str(data), "plans", "show", "Desk walk")
    assert code == 0
    assert "warning: " + MPH_WARNING.removeprefix("  warning: ") in out
    assert "km/h" not in out


def test_plans_check_warns_in_the_profiles_speed_unit_when_there_is_one(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    path = write_plan(tmp_path, "desk.toml", VALID_PLAN)
    save_profile(data / "profile.toml", Profile(speed_unit="mph"))
    code, out, _ = run(capsys, "--data-dir", str(data), "plans", "check", str(path))
    assert code == 0
    assert out.splitlines() == [f"{path}: ok (Desk walk)", MPH_WARNING]


def test_plans_check_without_a_data_folder_warns_in_kmh_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    path = write_plan(tmp_path, "desk.toml", VALID_PLAN)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "check", str(path))
    assert (code, err) == (0, "")
    assert out.splitlines()[1].startswith("  warning: steps[1].steps[0].speed_kmh: 5.8 km/h")
    assert not data.exists()


@pytest.mark.parametrize(
    ("profile", "note"),
    [
        (Profile(weight_kg=80.0, weight_unit="lb"), "kcal (176.4 lb)"),
        (Profile(weight_kg=72.26, weight_unit="kg"), "kcal (72.3 kg)"),
        (Profile(weight_unit="lb"), "kcal (154.3 lb)"),
    ],
)
def test_plans_list_and_show_give_the_weight_at_one_decimal_in_its_unit(
    capsys: pytest.CaptureFixture[str], data: Path, profile: Profile, note: str
) -> None:
    save_profile(data / "profile.toml", profile)
    _, out, _ = run(capsys, "--data-dir", str(data), "plans", "list")
    assert note in out
    name = PlanLibrary(resolve_dirs(data)).entries()[0].name
    _, out, _ = run(capsys, "--data-dir", str(data), "plans", "show", name)
    assert f"Estimated {note}" in out


@pytest.mark.parametrize("factor", [0.85, 1.15])
def test_plans_list_and_show_estimate_at_the_true_speed_of_the_treadmill_factor(
    capsys: pytest.CaptureFixture[str], data: Path, factor: float
) -> None:
    save_profile(data / "profile.toml", Profile(weight_kg=80.0, treadmill_factor=factor))
    plan = loads(VALID_PLAN)
    write_plan(data / "plans", "mine.toml", VALID_PLAN)
    expected = summarize(plan, 80.0, factor)
    assert expected.kcal != pytest.approx(summarize(plan, 80.0).kcal)
    _, out, _ = run(capsys, "--data-dir", str(data), "plans", "list", "--json")
    row = next(r for r in json.loads(out) if r["name"] == "Desk walk")
    assert row["kcal"] == expected.kcal
    _, out, _ = run(capsys, "--data-dir", str(data), "plans", "show", "Desk walk")
    lines = {line.split("  ")[0]: line.split() for line in out.splitlines()}
    assert lines["Estimated kcal (80 kg)"][-1] == f"{expected.kcal:.0f}"
    total_km = expected.forward_km + expected.backward_km
    assert lines["Total"][-2:] == [f"{total_km:.2f}", "km"]


@pytest.mark.parametrize("replace", [[], ["--replace"]])
def test_plans_import_refuses_a_built_in_plans_name(
    capsys: pytest.CaptureFixture[str], data: Path, replace: list[str]
) -> None:
    builtin = seeds_dir() / "plans" / "quick.toml"
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "import", str(builtin), *replace)
    assert (code, out) == (1, "")
    assert err == (
        'walkcoach: "Quick ten" is the name of a built-in plan; rename the plan in the file\n'
    )
    assert list(data.glob("plans/*.toml")) == []


# --- history ------------------------------------------------------------------------


def test_history_without_sessions(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    assert run(capsys, "--data-dir", str(data), "history") == (0, "No sessions yet.\n", "")
    assert run(capsys, "--data-dir", str(data), "history", "--json") == (0, "[]\n", "")
    assert not data.exists()


def test_history_json_and_csv_carry_every_field_newest_first(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    record_sessions(data / "history.sqlite3", 3)
    code, out, _ = run(capsys, "--data-dir", str(data), "history", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [row["plan_name"] for row in rows] == ["Walk 2", "Walk 1", "Walk 0"]
    assert list(rows[0]) == list(SESSION_COLUMNS)
    assert rows[0]["active_s"] == 120.0
    assert rows[0]["started_at"] == "2026-03-03T07:00:00.000+00:00"

    code, out, _ = run(capsys, "--data-dir", str(data), "history", "--csv")
    assert code == 0
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == list(SESSION_COLUMNS)
    assert [line[1] for line in table[1:]] == ["Walk 2", "Walk 1", "Walk 0"]
    assert float(table[1][SESSION_COLUMNS.index("kcal")]) == pytest.approx(rows[0]["kcal"])


@pytest.mark.parametrize("limit", ["\u0663", "0", "-1", "1.5", "9" * 30, "9" * 5000])
def test_history_limit_takes_only_a_plain_whole_number_in_range(
    capsys: pytest.CaptureFixture[str], data: Path, limit: str
) -> None:
    record_sessions(data / "history.sqlite3", 3)
    code, _, err = run(capsys, "--data-dir", str(data), "history", "--limit", limit)
    assert code == 2
    assert "expected a whole number from 1 to 1,000,000,000" in err
    assert "Traceback" not in err and len(err) < 2000


def test_history_table_shows_the_newest_sessions(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    record_sessions(data / "history.sqlite3", 3)
    code, out, _ = run(capsys, "--data-dir", str(data), "history", "--limit", "2")
    assert code == 0
    assert "Walk 2" in out and "Walk 1" in out and "Walk 0" not in out
    assert "The newest 2 of 3 sessions" in out
    assert "ended early" in out  # the status in words; --json and --csv keep "unfinished"


def test_json_and_csv_cannot_be_asked_together(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    assert run(capsys, "history", "--json", "--csv")[0] == 2


def test_a_corrupt_history_is_one_line_and_left_untouched(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    data.mkdir()
    path = data / "history.sqlite3"
    path.write_bytes(b"not a database " * 200)
    code, out, err = run(capsys, "--data-dir", str(data), "history")
    assert code == 1
    assert out == ""
    assert err.startswith(f"walkcoach: {path}: cannot be used as the session history")
    assert len(err.splitlines()) == 1
    assert path.read_bytes() == b"not a database " * 200


def test_a_corrupt_profile_warns_and_the_command_still_works(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    data.mkdir()
    (data / "profile.toml").write_text("weight_kg = [", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "list", "--json")
    assert code == 0
    assert json.loads(out)
    assert err.startswith(f"walkcoach: warning: {data / 'profile.toml'}: not valid TOML")
    assert err.rstrip().endswith("using the default settings")


# --- run, home and sound-check ------------------------------------------------------


@pytest.fixture
def fake_tui(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    calls: list[tuple[object, ...]] = []
    module = types.ModuleType("walkcoach.tui.launch")

    def run_app(dirs: object, plan: object, weight_kg: object, sound: object, voice: object) -> int:
        calls.append((dirs, plan, weight_kg, sound, voice))
        return 0

    module.run_app = run_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "walkcoach.tui.launch", module)
    return calls


def test_no_command_opens_home(
    capsys: pytest.CaptureFixture[str], data: Path, fake_tui: list[tuple[object, ...]]
) -> None:
    assert run(capsys, "--data-dir", str(data))[0] == 0
    ((dirs, plan, weight, sound, voice),) = fake_tui
    assert dirs.root == data  # type: ignore[attr-defined]
    assert (plan, weight, sound, voice) == (None, None, None, None)


def test_run_passes_the_plan_weight_and_sound(
    capsys: pytest.CaptureFixture[str], data: Path, fake_tui: list[tuple[object, ...]]
) -> None:
    entry = PlanLibrary(resolve_dirs(data)).entries()[0]
    argv = ["run", entry.name, "--weight", "82.5", "--no-sound", "--data-dir", str(data)]
    assert run(capsys, *argv)[0] == 0
    ((_, plan, weight, sound, voice),) = fake_tui
    assert (plan, weight, sound, voice) == (entry.plan, 82.5, False, None)


def test_run_no_voice_keeps_the_tones_for_this_walk(
    capsys: pytest.CaptureFixture[str], data: Path, fake_tui: list[tuple[object, ...]]
) -> None:
    entry = PlanLibrary(resolve_dirs(data)).entries()[0]
    assert run(capsys, "run", entry.name, "--no-voice", "--data-dir", str(data))[0] == 0
    ((_, _, _, sound, voice),) = fake_tui
    assert (sound, voice) == (None, False)


def test_run_of_an_unknown_plan_fails_before_the_tui_starts(
    capsys: pytest.CaptureFixture[str], data: Path, fake_tui: list[tuple[object, ...]]
) -> None:
    code, _, err = run(capsys, "--data-dir", str(data), "run", "No such plan")
    assert code == 1
    assert err.startswith('walkcoach: no plan named "No such plan"')
    assert fake_tui == []


def test_sound_check_runs_the_sound_layers_check(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = types.ModuleType("walkcoach.sound.check")
    module.sound_check = lambda out: out.write("player: bell\n") and 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "walkcoach.sound.check", module)
    assert run(capsys, "sound-check") == (0, "player: bell\n", "")


# --- failures -----------------------------------------------------------------------


def test_an_unexpected_error_is_one_line_and_a_logged_traceback(
    capsys: pytest.CaptureFixture[str], data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(self: PlanLibrary) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(PlanLibrary, "entries", explode)
    data.mkdir()  # the log goes into the data folder when there is one
    code, _, err = run(capsys, "--data-dir", str(data), "plans", "list")
    log = data / "walkcoach-error.log"
    assert code == 1
    assert err == f"walkcoach: unexpected error (RuntimeError: boom); the details are in {log}\n"
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert 'raise RuntimeError("boom")' in text


def test_ctrl_c_exits_130_quietly(
    capsys: pytest.CaptureFixture[str], data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(self: PlanLibrary) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(PlanLibrary, "entries", interrupt)
    assert run(capsys, "--data-dir", str(data), "plans", "list") == (130, "", "")


def test_an_os_error_is_one_line(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    source = write_plan(tmp_path, "desk.toml", VALID_PLAN)
    code, _, err = run(capsys, "--data-dir", str(not_a_folder), "plans", "import", str(source))
    assert code == 1
    assert err.startswith("walkcoach: ")
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


# --- as a real program --------------------------------------------------------------


def walkcoach(*argv: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), ENV_VAR: str(data)}
    return subprocess.run(
        [sys.executable, "-m", "walkcoach", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_program_version(data: Path) -> None:
    done = walkcoach("--version", data=data)
    assert (done.returncode, done.stdout, done.stderr) == (0, "walkcoach 0.1.0\n", "")


def test_program_plans_check_reports_problems_without_a_traceback(
    data: Path, tmp_path: Path
) -> None:
    path = write_plan(tmp_path, "broken.toml", THREE_PROBLEMS)
    done = walkcoach("plans", "check", str(path), data=data)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == f"{path}: 3 problems"
    assert "Traceback" not in done.stderr + done.stdout


def test_program_reports_a_bad_history_in_one_line(data: Path) -> None:
    data.mkdir()
    (data / "history.sqlite3").write_bytes(b"\x00garbage" * 100)
    done = walkcoach("history", "--csv", data=data)
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("walkcoach: ")
    assert "Traceback" not in done.stderr


def test_program_usage_error_exits_2(data: Path) -> None:
    done = walkcoach("no-such-command", data=data)
    assert done.returncode == 2
    assert "usage: walkcoach" in done.stderr
    assert "Traceback" not in done.stderr


def test_program_unknown_plan_exits_1(data: Path) -> None:
    done = walkcoach("plans", "show", "No such plan", data=data)
    assert done.returncode == 1
    assert done.stderr.startswith('walkcoach: no plan named "No such plan"')
    assert "Traceback" not in done.stderr


# --- history: IDs, deleting, damaged rows, one time format ---------------------------


def _history_lines(out: str) -> list[list[str]]:
    return [line.split() for line in out.splitlines()[1:] if line.strip()]


def test_history_shows_the_id_that_export_session_takes(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    record_sessions(data / "history.sqlite3", 3)
    code, out, _ = run(capsys, "--data-dir", str(data), "history")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["ID", "Started", "Plan"]
    rows = _history_lines(out)
    assert [(row[0], row[4]) for row in rows] == [("3", "2"), ("2", "1"), ("1", "0")]
    target = tmp_path / "one.json"
    code, _, _ = run(
        capsys, "--data-dir", str(data), "history", "export", str(target), "--session", "2"
    )
    assert code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["plan_name"] == "Walk 1"


def test_history_times_are_m_ss_and_h_mm_ss_from_an_hour(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    record_sessions(data / "history.sqlite3", 1)
    with sqlite3.connect(data / "history.sqlite3") as conn:
        conn.execute("UPDATE sessions SET active_s = 3700.0, backward_s = 59.2")
    conn.close()
    code, out, _ = run(capsys, "--data-dir", str(data), "history")
    assert code == 0
    ((*_, ended, early, active, backward, _km, _unit, _kcal),) = _history_lines(out)
    assert (ended, early, active, backward) == ("ended", "early", "1:01:40", "1:00")


def test_history_delete_with_yes_deletes_the_walk(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    record_sessions(data / "history.sqlite3", 3)
    code, out, err = run(capsys, "--data-dir", str(data), "history", "delete", "2", "--yes")
    assert (code, err) == (0, "")
    assert out.startswith("deleted session 2, Walk 1 of ")
    assert [row.id for row in History(data / "history.sqlite3").sessions()] == [3, 1]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "left"), [("y\n", [3, 1]), ("\n", [3, 2, 1]), ("", [3, 2, 1])])
def test_history_delete_asks_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    left: list[int],
) -> None:
    record_sessions(data / "history.sqlite3", 3)
    monkeypatch.setattr(sys, "stdin", _Terminal(answer))
    code, _, err = run(capsys, "--data-dir", str(data), "history", "delete", "2")
    assert err.startswith("Delete session 2, Walk 1 of ")
    assert "[y/N]" in err
    assert code == (0 if left == [3, 1] else 1)
    assert [row.id for row in History(data / "history.sqlite3").sessions()] == left


def test_history_delete_without_a_terminal_needs_yes(
    capsys: pytest.CaptureFixture[str], data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_sessions(data / "history.sqlite3", 3)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    code, out, err = run(capsys, "--data-dir", str(data), "history", "delete", "2")
    assert (code, out) == (2, "")
    assert err.startswith("walkcoach: not deleting session 2, Walk 1 of ")
    assert err.rstrip().endswith("there is no terminal to ask on; add --yes")
    assert History(data / "history.sqlite3").count() == 3


def test_history_delete_of_a_missing_session_is_one_line(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    record_sessions(data / "history.sqlite3", 1)
    code, out, err = run(capsys, "--data-dir", str(data), "history", "delete", "7", "--yes")
    assert (code, out) == (1, "")
    assert err == f"walkcoach: {data / 'history.sqlite3'}: there is no session 7\n"


def test_history_leaves_damaged_rows_out_with_a_warning(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    record_sessions(data / "history.sqlite3", 3)
    with sqlite3.connect(data / "history.sqlite3") as conn:
        conn.execute("UPDATE sessions SET started_at = 'garbage' WHERE id = 1")
        conn.execute("UPDATE sessions SET kcal = 9e999 WHERE id = 2")
    conn.close()
    warnings = (
        "walkcoach: warning: left out, damaged: session 1: started_at 'garbage' is not a time\n"
        "walkcoach: warning: left out, damaged: session 2: kcal inf is not from 0 to 100000\n"
    )
    code, out, err = run(capsys, "--data-dir", str(data), "history")
    assert (code, err) == (0, warnings)
    assert [row[0] for row in _history_lines(out)] == ["3"]
    code, out, err = run(capsys, "--data-dir", str(data), "history", "--json")
    assert (code, err) == (0, warnings)
    assert [row["id"] for row in json.loads(out)] == [3]
    code, _, err = run(capsys, "--data-dir", str(data), "history", "delete", "1", "--yes")
    assert (code, err) == (0, "")
    assert History(data / "history.sqlite3").count() == 2


@pytest.mark.parametrize("kind", ["file", "pipe"])
def test_a_data_folder_that_is_a_file_or_a_pipe_is_said_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    # It was read as an empty history ("No sessions yet") or a profile that "cannot be read".
    not_a_folder = tmp_path / "data"
    if kind == "file":
        not_a_folder.write_text("x", encoding="utf-8")
    else:
        os.mkfifo(not_a_folder)
    for argv in (["history"], ["plans", "list"]):
        code, out, err = run(capsys, "--data-dir", str(not_a_folder), *argv)
        assert (code, out) == (1, "")
        assert err == (
            f"walkcoach: the data folder {not_a_folder} (given by --data-dir) is not a folder\n"
        )


# --- history: statuses in words, JSON under any encoding, file names as typed --------


def _sessions_of_every_status(history_path: Path) -> None:
    """Walk 0 ended early, then one finished, one interrupted and one still running."""
    from tests.support.builders import walked

    record_sessions(history_path, 1)
    start = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    with History(history_path) as history:
        for n, status in enumerate(("finished", "interrupted")):
            session_id = history.start_session(status.title(), 70.0, start + timedelta(days=n))
            history.checkpoint(session_id, walked(100), status, start)  # type: ignore[arg-type]
        history.start_session("Running", 70.0, start + timedelta(days=2))


def test_history_table_says_each_status_in_words_json_and_csv_keep_the_stored_value(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    import re

    _sessions_of_every_status(data / "history.sqlite3")
    code, out, err = run(capsys, "--data-dir", str(data), "history")
    assert (code, err) == (0, "")
    shown = [
        (line.split()[3], re.findall(r"running|finished|ended early|interrupted", line))
        for line in out.splitlines()[1:]
    ]
    assert shown == [
        ("Running", ["running"]),
        ("Interrupted", ["interrupted"]),
        ("Finished", ["finished"]),
        ("Walk", ["ended early"]),
    ]
    assert "unfinished" not in out
    code, out, _ = run(capsys, "--data-dir", str(data), "history", "--json")
    assert [r["status"] for r in json.loads(out)] == [
        "running",
        "interrupted",
        "finished",
        "unfinished",
    ]
    code, out, _ = run(capsys, "--data-dir", str(data), "history", "--csv")
    assert [r["status"] for r in csv.DictReader(io.StringIO(out))] == [
        "running",
        "interrupted",
        "finished",
        "unfinished",
    ]


def test_history_json_is_valid_json_when_the_output_is_ascii(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_sessions(data / "history.sqlite3", 1)
    with History(data / "history.sqlite3") as history:
        history.start_session("Café 名前 \U0001f422", 70.0, datetime(2026, 3, 2, 7, tzinfo=UTC))
    monkeypatch.setenv("PYTHONIOENCODING", "ascii")
    done = walkcoach("history", "--json", data=data)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.isascii()
    names = [row["plan_name"] for row in json.loads(done.stdout)]
    assert names == ["Café 名前 \U0001f422", "Walk 0"]


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "the file name is empty; give the name of a file to write"),
        ("walks.csv/", "walks.csv/ names a folder, not a file; give a file name, such as "),
        ("./", "./ is a folder, not a file; give a file name, such as "),
    ],
)
def test_history_export_judges_the_file_name_as_it_was_typed(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
    said: str,
) -> None:
    record_sessions(data / "history.sqlite3", 1)
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    code, out, err = run(capsys, "--data-dir", str(data), "history", "export", typed)
    assert (code, out) == (1, "")
    assert err.startswith(f"walkcoach: {said}") and len(err.splitlines()) == 1
    assert sorted(tmp_path.iterdir()) == before  # nothing written, no folder made


def test_plans_check_of_an_empty_name_or_a_file_named_as_a_folder(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "check", "")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "walkcoach plans check: error: argument FILE: the file name is empty; "
        "give the name of a file"
    )
    path = write_plan(tmp_path, "walk.toml", VALID_PLAN)
    code, out, _ = run(capsys, "--data-dir", str(data), "plans", "check", f"{path}/")
    assert code == 1
    assert out.splitlines()[0] == f"{path}/: 1 problem"  # not "ok": walk.toml is no folder


def test_plans_import_of_an_empty_name_is_a_usage_error_not_the_current_folder(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "import", "")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "walkcoach plans import: error: argument FILE: the file name is empty; "
        "give the name of a file"
    )
