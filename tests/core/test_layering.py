"""The functional core never loads Textual or the sound layer."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

SHELL = {"walkcoach.cli", "walkcoach.tui", "walkcoach.sound", "walkcoach.__main__"}
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def core_modules() -> list[str]:
    """Every module of the package but the shell: the functional core."""
    import walkcoach

    found = pkgutil.walk_packages(walkcoach.__path__, "walkcoach.")
    return sorted(info.name for info in found if not any(info.name.startswith(s) for s in SHELL))


CORE = core_modules()


def test_the_static_contract_names_every_top_level_core_module() -> None:
    """import-linter's "core" contract lists its modules by hand: a new core module
    left out of it would go unchecked, so the list must equal the package's."""
    contracts = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
    (core,) = [c for c in contracts if c["id"] == "core"]
    top_level = sorted({".".join(name.split(".")[:2]) for name in CORE})
    assert sorted(core["source_modules"]) == top_level
    assert "walkcoach.calories" in top_level and "walkcoach.store" in top_level


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


def test_no_screen_or_dialog_loads_the_app() -> None:
    """Screens talk up with messages and results (the app pushes them and acts on what
    they say): importing every screen and dialog leaves the app module unloaded."""
    code = (
        "import importlib, json, pkgutil, sys\n"
        "import walkcoach.tui.dialogs, walkcoach.tui.screens\n"
        "names = []\n"
        "for package in (walkcoach.tui.screens, walkcoach.tui.dialogs):\n"
        "    for info in pkgutil.iter_modules(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "        names.append(info.name)\n"
        "print(json.dumps([names, 'walkcoach.tui.app' in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    names, app_loaded = json.loads(out.stdout)
    assert "walkcoach.tui.screens.home" in names and "walkcoach.tui.dialogs.help" in names
    assert not app_loaded
