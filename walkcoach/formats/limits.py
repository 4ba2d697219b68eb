"""The bounds every importer keeps to, so a hostile file costs little time and memory."""

from __future__ import annotations

from typing import Final

from walkcoach.userfiles import MAX_TEXT_BYTES

MAX_FILE_BYTES: Final = MAX_TEXT_BYTES
"""The largest workout text read: the plan files' bound."""
MAX_FIT_BYTES: Final = 64 * 1024
"""The largest FIT workout read: 1 000 steps take about 46 KiB, and decoding FIT in
Python takes about 20 microseconds a byte."""
MAX_STEPS: Final = 1000
"""The most steps (lines, elements or FIT steps) read from one workout."""
MAX_SHOWN: Final = 40
"""The most characters of a file's text echoed in a problem."""


def shown(text: str) -> str:
    """Text from a file as a problem quotes it: cut to `MAX_SHOWN` characters, controls
    escaped."""
    from walkcoach.text import visible

    cut = text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]}..."
    return repr(visible(cut))
