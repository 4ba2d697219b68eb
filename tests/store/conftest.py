"""Fixtures the history tests share."""

from tests.support.disk import small_disk

__all__ = ["small_disk"]
