"""Fixtures for the end-to-end tests that run the real program in tmux."""

from collections.abc import Iterator

import pytest

from tests.e2e.tmux import stop_server, terminal

__all__ = ["terminal", "tmux_server"]


@pytest.fixture(scope="session", autouse=True)
def tmux_server() -> Iterator[None]:
    """The test run's own tmux server is ended with the run."""
    yield
    stop_server()
