"""Files a person hands walkcoach are read only when they are regular files of a sane size."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from walkcoach.store.profile import ProfileError, load_profile
from walkcoach.userfiles import MAX_TEXT_BYTES, UnreadableFile, read_regular


def finishes(action: Callable[[], object], seconds: float = 5.0) -> object:
    """Runs `action` in a thread; fails (instead of hanging the suite) if it blocks."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(action())
        except Exception as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "reading blocked"
    return outcome[0]


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(b'name = "x"\n')
    assert read_regular(path) == b'name = "x"\n'


def test_a_fifo_with_no_writer_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "profile.toml"
    os.mkfifo(fifo)
    error = finishes(lambda: read_regular(fifo))
    assert isinstance(error, UnreadableFile)
    assert error.strerror == "a pipe or a device, not a regular file"
    problem = finishes(lambda: load_profile(fifo))
    assert isinstance(problem, ProfileError)
    assert str(problem) == f"{fifo}: cannot be read (a pipe or a device, not a regular file)"


def test_a_device_and_a_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="not a regular file"):
        read_regular(Path(os.devnull))
    with pytest.raises(UnreadableFile, match="a folder"):
        read_regular(tmp_path)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(b"#" * (MAX_TEXT_BYTES + 1))
    with pytest.raises(UnreadableFile, match="too large"):
        read_regular(path)
    path.write_bytes(b"#" * MAX_TEXT_BYTES)
    assert len(read_regular(path)) == MAX_TEXT_BYTES


def test_a_missing_file_is_reported_as_missing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "nothing.toml")


@pytest.mark.parametrize("command", [["plans", "check"], ["plans", "import"], ["run"]])
def test_a_fifo_given_as_a_plan_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "plan.toml"
    os.mkfifo(fifo)
    data = tmp_path / "data"
    data.mkdir()
    (data / "profile.toml").write_text("weight_kg = 70.0\n")
    result = subprocess.run(
        [sys.executable, "-m", "walkcoach", *command, str(fifo), "--data-dir", str(data)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "a pipe or a device, not a regular file" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
