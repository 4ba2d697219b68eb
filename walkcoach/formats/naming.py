"""How a step or lap is named in other tools: its direction first, then its label."""

from __future__ import annotations

from typing import Final

from walkcoach.planrules import DIRECTIONS, Direction

SEPARATOR: Final = ": "


def step_name(direction: Direction, label: str = "") -> str:
    """ "Forward", or "Backward: Recovery" when the step has a label."""
    word = direction.capitalize()
    return f"{word}{SEPARATOR}{label}" if label else word


def read_step_name(name: str) -> tuple[Direction, str] | None:
    """The direction and label a `step_name` holds; None when it starts with neither
    direction."""
    word, _, label = name.partition(SEPARATOR)
    for direction in DIRECTIONS:
        if word.strip().lower() == direction:
            return direction, label
    return None
