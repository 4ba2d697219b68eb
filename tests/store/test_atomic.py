"""Atomic writes: all or nothing, and no temporary files left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from walkcoach.store import atomic
from walkcoach.store.atomic import atomic_write_text


def test_writes_the_text_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "profile.toml"
    atomic_write_text(target, "weight_kg = 70.0\n")
    assert target.read_text(encoding="utf-8") == "weight_kg = 70.0\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profile.toml"]


def test_creates_the_missing_folders_on_write(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "plan.toml"
    atomic_write_text(target, "x")
    assert target.read_text(encoding="utf-8") == "x"


def test_writes_utf8_text_without_translating_newlines(tmp_path: Path) -> None:
    target = tmp_path / "plan.toml"
    atomic_write_text(target, 'name = "Rückwärts ⟲"\n')
    assert target.read_bytes() == 'name = "Rückwärts ⟲"\n'.encode()


def test_a_failed_rename_keeps_the_old_file_and_removes_the_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.toml"
    target.write_text("old", encoding="utf-8")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


def test_a_failed_flush_to_disk_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.toml"
    target.write_text("old", encoding="utf-8")

    def fail(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic.os, "fsync", fail)
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "profile.toml"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    atomic_write_text(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_a_new_file_is_readable_by_others(tmp_path: Path) -> None:
    target = tmp_path / "plan.toml"
    atomic_write_text(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
