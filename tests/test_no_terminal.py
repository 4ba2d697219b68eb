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


class FakeTerminal:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("term", ["dumb", "unknown", " DUMB "])
def test_a_dumb_terminal_is_told_the_app_needs_one_that_draws(
    monkeypatch: pytest.MonkeyPatch, term: str
) -> None:
    # Textual would send cursor moves and truecolour escapes to a terminal that shows
    # them as text (Emacs' shell, some IDE consoles).
    from walkcoach.errors import WalkcoachError
    from walkcoach.tui.launch import require_terminal

    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    monkeypatch.setattr(sys, "__stderr__", FakeTerminal())
    monkeypatch.setenv("TERM", term)
    with pytest.raises(WalkcoachError, match=r"needs a terminal that can draw a screen, and TERM="):
        require_terminal()
    monkeypatch.setenv("TERM", "xterm-256color")
    require_terminal()


def test_the_program_on_a_dumb_terminal_is_one_line_and_no_escapes(tmp_path: Path) -> None:
    import os
    import pty

    (tmp_path / "profile.toml").write_text("weight_kg = 70.0\n")
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "dumb", "COLORTERM": "truecolor"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "walkcoach", "--data-dir", str(tmp_path)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            timeout=30,
        )
        output = os.read(master, 65536)
    finally:
        os.close(slave)
        os.close(master)
    assert done.returncode == 1
    assert output.startswith(b"walkcoach: the app needs a terminal that can draw a screen")
    assert b"\x1b" not in output and len(output.splitlines()) == 1


def test_the_screen_is_drawn_in_utf8_whatever_pythons_output_encoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Under PYTHONIOENCODING=ascii every border was drawn as "\u2588" text.
    import io

    from walkcoach.tui.launch import draw_in_utf8

    raw = io.BytesIO()
    screen = io.TextIOWrapper(raw, encoding="ascii", errors="backslashreplace")
    monkeypatch.setattr(sys, "__stderr__", screen)
    draw_in_utf8()
    screen.write("█▀ Quick ten")
    screen.flush()
    assert raw.getvalue().decode("utf-8") == "█▀ Quick ten"
