"""Atomic writes: all or nothing, and no temporary files left behind."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest

from walkcoach.errors import WalkcoachError
from walkcoach.store import atomic
from walkcoach.store.atomic import atomic_create_text, atomic_write_text, folder_lock


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


# --- creating a file that must be new ----------------------------------------------------


def test_create_writes_a_new_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "plans" / "desk.toml"
    atomic_create_text(target, 'name = "Desk"\n')
    assert target.read_text(encoding="utf-8") == 'name = "Desk"\n'
    assert sorted(p.name for p in target.parent.iterdir()) == ["desk.toml"]


@pytest.mark.parametrize("kind", ["file", "dangling link"])
def test_create_never_replaces_what_has_the_name(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "desk.toml"
    if kind == "file":
        target.write_text("theirs", encoding="utf-8")
    else:
        target.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        atomic_create_text(target, "mine")
    if kind == "file":
        assert target.read_text(encoding="utf-8") == "theirs"
    else:
        assert target.is_symlink() and not (tmp_path / "nowhere").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk.toml"]


def test_of_many_creates_of_one_name_at_once_exactly_one_succeeds(tmp_path: Path) -> None:
    target = tmp_path / "desk.toml"
    gate = threading.Barrier(8)
    outcomes: list[str] = []

    def create(n: int) -> None:
        gate.wait()
        try:
            atomic_create_text(target, f"writer {n}")
        except FileExistsError:
            outcomes.append("refused")
        else:
            outcomes.append(f"writer {n}")

    workers = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    winners = [o for o in outcomes if o != "refused"]
    assert len(winners) == 1 and outcomes.count("refused") == 7
    assert target.read_text(encoding="utf-8") == winners[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk.toml"]


def test_without_hard_links_create_still_refuses_a_taken_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(atomic.os, "link", no_links)
    target = tmp_path / "desk.toml"
    atomic_create_text(target, "mine")
    assert target.read_text(encoding="utf-8") == "mine"
    with pytest.raises(FileExistsError):
        atomic_create_text(target, "second")
    assert target.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk.toml"]


# --- the folder lock ---------------------------------------------------------------------


def test_the_folder_lock_lets_one_holder_in_at_a_time_and_leaves_no_file(tmp_path: Path) -> None:
    inside = 0
    most = 0
    count_lock = threading.Lock()
    gate = threading.Barrier(6)

    def hold() -> None:
        nonlocal inside, most
        gate.wait()
        for _ in range(5):
            with folder_lock(tmp_path / "plans"):
                with count_lock:
                    inside += 1
                    most = max(most, inside)
                os.sched_yield()
                with count_lock:
                    inside -= 1

    workers = [threading.Thread(target=hold) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert most == 1
    assert list((tmp_path / "plans").iterdir()) == []


def test_a_lock_held_too_long_is_a_clear_error(tmp_path: Path) -> None:
    with (
        folder_lock(tmp_path),
        pytest.raises(WalkcoachError, match="another walkcoach has been writing in"),
        folder_lock(tmp_path, wait_s=0.05),
    ):
        pass
