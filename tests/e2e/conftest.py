"""Fixtures for the end-to-end tests that run the real program in tmux."""

from tests.e2e.tmux import terminal

__all__ = ["terminal"]
