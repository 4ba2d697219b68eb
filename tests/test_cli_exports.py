"""Exports write only the file the person named: never over one without --force, never
into a folder that does not exist, and never over a folder or a device."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.builders import record_sessions
from tests.support.cli import run
from walkcoach.errors import WalkcoachError
from walkcoach.outpaths import export_target
from walkcoach.plan import loads
from walkcoach.store.paths import ENV_VAR

PLAN = "Quick ten"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


def export(capsys: pytest.CaptureFixture[str], data: Path, *more: str) -> tuple[int, str, str]:
    return run(capsys, "--data-dir", str(data), "plans", "export", PLAN, *more)


def test_an_existing_file_is_replaced_only_with_force(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    target = tmp_path / "mine.toml"
    target.write_text("precious\n", encoding="utf-8")

    code, out, err = export(capsys, data, str(target))
    assert (code, out) == (1, "")
    assert err == f"walkcoach: {target} already exists; add --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "precious\n"

    code, out, err = export(capsys, data, str(target), "--force")
    assert (code, out, err) == (0, f"exported to {target}\n", "")
    assert loads(target.read_text(encoding="utf-8")).name == PLAN


def test_a_missing_folder_is_named_and_not_created(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    target = tmp_path / "no" / "such" / "folder" / "quick.toml"
    code, out, err = export(capsys, data, str(target), "--force")
    assert (code, out) == (1, "")
    assert err == f"walkcoach: the folder {target.parent} does not exist; create it first\n"
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("typed", ["adir", "adir.toml", "adir/", "adir.toml/"])
def test_a_folder_given_as_the_file_is_called_a_folder(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, typed: str
) -> None:
    (tmp_path / "adir").mkdir()
    (tmp_path / "adir.toml").mkdir()
    code, out, err = export(capsys, data, typed, "--force")
    assert (code, out) == (1, "")
    verb = "is" if (tmp_path / typed).is_dir() else "names"
    example = Path(typed).expanduser() / "quick-ten.toml"
    assert err == (
        f"walkcoach: {typed} {verb} a folder, not a file; give a file name, such as {example}\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "adir.toml"]


def test_a_device_or_pipe_is_never_replaced(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    # As root, an atomic write renamed its temporary file over /dev/null itself.
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    code, out, err = export(capsys, data, str(pipe), "--force")
    assert (code, out) == (1, "")
    assert err == (
        f"walkcoach: {pipe} is a device or a pipe, not a regular file; exports are "
        "written only to regular files\n"
    )
    assert pipe.is_fifo()


def test_a_file_under_a_file_is_refused(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    code, _, err = export(capsys, data, str(tmp_path / "notes.txt" / "quick.toml"))
    assert (code, err) == (1, f"walkcoach: {tmp_path / 'notes.txt'} is not a folder\n")


def test_an_empty_file_name_is_refused(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, err = export(capsys, data, "")
    assert (code, out) == (1, "")
    assert err == "walkcoach: the file name is empty; give the name of a file to write\n"


def test_a_dash_or_no_file_writes_the_plan_to_stdout(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    code, out, err = export(capsys, data, "-")
    assert (code, err) == (0, "")
    assert loads(out).name == PLAN
    assert export(capsys, data)[1] == out
    assert not (tmp_path / "-").exists()


def test_the_plan_on_stdout_is_the_same_toml_with_no_byte_a_terminal_acts_on(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    # Bidi overrides and zero-width characters pass validation; TOML holds them raw.
    plans = data / "plans"
    plans.mkdir(parents=True)
    name = "Desk \u202ekcab\u200b"
    (plans / "bidi.toml").write_text(
        f'format = 1\nname = "{name}"\n[[steps]]\ndirection = "forward"\n'
        'duration = 60\nspeed_kmh = 4.0\nlabel = "x\\u2066y"\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "export", "bidi")
    assert (code, err) == (0, "")
    assert not {"\u202e", "\u200b", "\u2066"} & set(out)
    plan = loads(out)
    assert plan.name == name and plan.steps[0].label == "x\u2066y"


@pytest.mark.parametrize("command", ["run", "show"])
def test_a_folder_given_as_a_plan_is_called_a_folder(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, command: str
) -> None:
    (tmp_path / "dir.toml").mkdir()
    argv = ["run", "dir.toml"] if command == "run" else ["plans", "show", "dir.toml"]
    code, out, err = run(capsys, "--data-dir", str(data), *argv)
    assert (code, out) == (1, "")
    assert err == "walkcoach: dir.toml is a folder, not a plan; give a plan name or a plan file\n"


@settings(max_examples=150, deadline=None)
@given(typed=st.text(max_size=30), force=st.booleans())
def test_export_target_accepts_only_a_new_or_forced_regular_file_in_an_existing_folder(
    typed: str, force: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "taken.toml").write_text("x", encoding="utf-8")
        (root / "sub").mkdir()
        before = sorted(root.rglob("*"))
        cwd = Path.cwd()
        os.chdir(root)
        try:
            path = export_target(typed, force=force)
        except (WalkcoachError, OSError):
            path = None  # refused, with a sentence
        finally:
            os.chdir(cwd)
        assert sorted(root.rglob("*")) == before  # nothing created, not even a folder
        if path is not None:
            assert path.is_absolute() and path.parent.is_dir()
            assert not path.exists() or (force and path.is_file())


def history_export(
    capsys: pytest.CaptureFixture[str], data: Path, *more: str
) -> tuple[int, str, str]:
    return run(capsys, "--data-dir", str(data), "history", "export", *more)


def test_history_export_refuses_an_existing_file_without_force(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    record_sessions(data / "history.sqlite3", 2)
    target = tmp_path / "walks.csv"
    target.write_text("precious\n", encoding="utf-8")
    code, out, err = history_export(capsys, data, str(target))
    assert (code, out) == (1, "")
    assert err == f"walkcoach: {target} already exists; add --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "precious\n"
    code, out, _ = history_export(capsys, data, str(target), "--force")
    assert (code, out) == (0, f"exported 2 sessions to {target}\n")
    assert target.read_text(encoding="utf-8").startswith("id,")


@pytest.mark.parametrize("typed", ["dir.csv", "no/such/walks.json"])
def test_history_export_names_a_folder_or_a_missing_one(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, typed: str
) -> None:
    record_sessions(data / "history.sqlite3", 1)
    (tmp_path / "dir.csv").mkdir()
    code, out, err = history_export(capsys, data, typed)
    assert (code, out) == (1, "")
    if typed == "dir.csv":
        assert err == (
            "walkcoach: dir.csv is a folder, not a file; give a file name, such as "
            "dir.csv/walkcoach-history.csv\n"
        )
    else:
        assert err == "walkcoach: the folder no/such does not exist; create it first\n"
    assert not (tmp_path / "no").exists()
