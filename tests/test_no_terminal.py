"""Without a terminal the app says so and ends, instead of spinning on a screen no one sees."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("args", [["run", "Quick ten"], []], ids=["run", "home"])
def test_no_terminal_on_any_stream_is_one_line_and_a_quick_exit(
    tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / "profile.toml").write_text("weight_kg = 70.0\n")
    result = subprocess.run(
        [sys.executable, "-m", "walkcoach", "--data-dir", str(tmp_path), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("walkcoach: the app needs a terminal")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "history.sqlite3").exists()  # no walk was started
