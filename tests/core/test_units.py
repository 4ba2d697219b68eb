"""The number formats every part of walkcoach shares."""

from __future__ import annotations

from walkcoach.units import counted


def test_counted_is_plural_unless_there_is_one() -> None:
    assert counted(0, "walk") == "0 walks"
    assert counted(1, "problem") == "1 problem"
    assert counted(3, "more warning") == "3 more warnings"
