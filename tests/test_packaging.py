"""A normal (non-editable) install carries the seeds and the cue sounds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("walkcoach-*.whl")
    return built


def test_the_wheel_ships_seeds_and_sounds(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "walkcoach/_shipped/seeds/met.toml" in names
    assert "walkcoach/_shipped/seeds/reminders.toml" in names
    assert "walkcoach/_shipped/seeds/plans/back-care.toml" in names
    assert "walkcoach/_shipped/assets/sounds/to_backward.wav" in names


def test_an_installed_copy_finds_the_built_in_plans_from_another_folder(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "WALKCOACH_DATA_DIR": str(tmp_path / "d")}
    out = subprocess.run(
        [sys.executable, "-m", "walkcoach", "plans", "list", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    listed = json.loads(out.stdout)
    assert {p["name"] for p in listed} >= {"Back-care walk", "Quick ten"}
    where = subprocess.run(
        [sys.executable, "-c", "import walkcoach.resources as r; print(r.seeds_dir())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(str(target))
