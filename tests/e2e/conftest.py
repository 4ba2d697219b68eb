"""Fixtures for the end-to-end tests that run the real program in tmux."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.tmux import Terminal, stop_server


@pytest.fixture(scope="session", autouse=True)
def tmux_server() -> Iterator[None]:
    """The test run's own tmux server is ended with the run."""
    yield
    stop_server()


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    """Starts `walkcoach ARGS...` in tmux panes that are closed after the test."""
    started: list[Terminal] = []

    def start(
        *args: str,
        env: dict[str, str] | None = None,
        size: tuple[int, int] = (100, 30),
        under_shell: bool = False,
    ) -> Terminal:
        term = Terminal(args, tmp_path, env, size, under_shell)
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()
