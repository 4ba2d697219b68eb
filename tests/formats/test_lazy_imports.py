"""The format modules load their heavy libraries only when a file is written or read,
so that importing them costs walkcoach's start-up nothing measurable."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ["fit_tool", "defusedxml"]
MODULES = [
    "walkcoach.formats.walk",
    "walkcoach.formats.fit_activity",
    "walkcoach.formats.fit_workout",
    "walkcoach.formats.workout_text",
    "walkcoach.formats.zwo",
]


def test_importing_the_formats_loads_no_heavy_library() -> None:
    code = (
        "import sys\n"
        f"for name in {MODULES!r}:\n"
        "    __import__(name)\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
