"""The error log: bounded, rotated, and written only where a data folder already is."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.builders import VALID_PLAN, write_plan
from tests.support.cli import run
from walkcoach import plan as plan_module
from walkcoach.errorlog import (
    MAX_ENTRY_CHARS,
    MAX_LOG_BYTES,
    append_entry,
    bounded_entry,
    log_candidates,
)
from walkcoach.store.paths import ENV_VAR, DataDirs
from walkcoach.store.plans import PlanLibrary


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.delenv(ENV_VAR, raising=False)
    return folder


def user_log(temp_folder: Path) -> Path:
    return temp_folder / f"walkcoach-error-{os.getuid()}.log"


def test_plans_check_creates_no_data_folder_for_its_error_log(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    temp_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(path: Path, *args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(plan_module, "load", explode)
    data = tmp_path / "data"
    path = write_plan(tmp_path, "desk.toml", VALID_PLAN)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "check", str(path))
    log = user_log(temp_folder)
    assert (code, out) == (1, "")
    assert err == f"walkcoach: unexpected error (RuntimeError: boom); the details are in {log}\n"
    assert not data.exists()
    assert 'raise RuntimeError("boom")' in log.read_text(encoding="utf-8")


def test_the_log_is_in_the_data_folder_only_when_that_exists(tmp_path: Path) -> None:
    dirs = DataDirs.in_folder(tmp_path / "data")
    assert dirs.error_log_path not in log_candidates(dirs)
    (tmp_path / "data").mkdir()
    assert log_candidates(dirs)[0] == dirs.error_log_path
    assert log_candidates(None)[0].parent == Path(tempfile.gettempdir())


def test_fifty_four_large_errors_leave_two_bounded_logs(tmp_path: Path) -> None:
    # 54 tracebacks of ~120 KB each made a 6 MB log.
    log = tmp_path / "walkcoach-error.log"
    for n in range(54):
        append_entry(log, f"--- entry {n}\n" + "x" * 120_000 + f"\nend of {n}\n")
    assert log.stat().st_size <= MAX_LOG_BYTES
    old = log.with_name(log.name + ".1")
    assert old.stat().st_size <= MAX_LOG_BYTES
    assert sorted(p.name for p in tmp_path.iterdir()) == [log.name, old.name]
    text = log.read_text(encoding="utf-8")
    assert text.startswith("--- entry ") and text.endswith("end of 53\n")
    assert "characters left out" in text


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(min_value=0, max_value=3 * MAX_ENTRY_CHARS), max_size=40))
def test_the_logs_never_pass_twice_the_cap_and_keep_the_newest_entry(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "walkcoach-error.log"
        for n, size in enumerate(sizes):
            append_entry(log, f"<{n}>" + "é" * size, max_bytes=64 * 1024)
        files = list(Path(folder).iterdir())
        assert len(files) <= 2
        assert all(f.stat().st_size <= 64 * 1024 + 2 * MAX_ENTRY_CHARS + 100 for f in files)
        if sizes:
            assert f"<{len(sizes) - 1}>" in log.read_text(encoding="utf-8")


def test_an_entry_keeps_its_head_and_tail() -> None:
    entry = "argv=['plans', 'list']\n" + "y" * (2 * MAX_ENTRY_CHARS) + "\nRuntimeError: boom\n"
    cut = bounded_entry(entry)
    assert len(cut) < MAX_ENTRY_CHARS + 100
    assert cut.startswith("argv=['plans', 'list']") and cut.endswith("RuntimeError: boom\n")
    assert bounded_entry("short") == "short"


def test_a_link_or_a_pipe_at_the_log_name_is_not_written_through(tmp_path: Path) -> None:
    # The temporary folder is shared: another user could place a link to your files.
    victim = tmp_path / "victim"
    victim.write_text("keep\n", encoding="utf-8")
    link = tmp_path / "link.log"
    link.symlink_to(victim)
    with pytest.raises(OSError):
        append_entry(link, "entry\n")
    assert victim.read_text(encoding="utf-8") == "keep\n"
    pipe = tmp_path / "pipe.log"
    os.mkfifo(pipe)
    with pytest.raises(OSError):
        append_entry(pipe, "entry\n")  # and it does not block waiting for a reader


def test_when_no_log_can_be_written_the_line_says_so(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    temp_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(path: Path, *args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(plan_module, "load", explode)
    os.mkfifo(user_log(temp_folder))
    path = write_plan(tmp_path, "desk.toml", VALID_PLAN)
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "none"), "plans", "check", str(path))
    assert code == 1
    assert err == (
        "walkcoach: unexpected error (RuntimeError: boom); the details could not be "
        "written to a log\n"
    )


def test_repeated_errors_through_the_command_keep_the_log_bounded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(self: PlanLibrary) -> None:
        raise RuntimeError("boom " + "z" * 120_000)

    monkeypatch.setattr(PlanLibrary, "entries", explode)
    data = tmp_path / "data"
    data.mkdir()
    for _ in range(54):
        code, _, err = run(capsys, "--data-dir", str(data), "plans", "list")
        assert code == 1 and len(err) < 600  # the one line does not echo 120 KB either
    logs = sorted(data.glob("walkcoach-error.log*"))
    assert [p.name for p in logs] == ["walkcoach-error.log", "walkcoach-error.log.1"]
    assert all(p.stat().st_size <= MAX_LOG_BYTES for p in logs)
