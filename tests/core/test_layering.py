"""The functional core never loads Textual or the sound layer."""

from __future__ import annotations

import json
import subprocess
import sys

CORE = [
    "walkcoach.plan",
    "walkcoach.energy",
    "walkcoach.engine",
    "walkcoach.safety",
    "walkcoach.editing",
    "walkcoach.recap",
    "walkcoach.recorder",
    "walkcoach.text",
    "walkcoach.userfiles",
    "walkcoach.outpaths",
    "walkcoach.errorlog",
    "walkcoach.store",
    "walkcoach.store.paths",
    "walkcoach.store.profile",
    "walkcoach.store.plans",
    "walkcoach.store.history",
]


def test_importing_the_core_loads_no_textual_or_sound_module() -> None:
    code = (
        "import importlib, json, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert "walkcoach.engine" in loaded and "walkcoach.store.history" in loaded
    forbidden = [
        m
        for m in loaded
        if m.split(".")[0] in {"textual", "simpleaudio"}
        or m.startswith("walkcoach.sound")
        or m.startswith("walkcoach.tui")
    ]
    assert forbidden == []
