"""Where walkcoach keeps its files: --data-dir, then the environment, then platformdirs."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from walkcoach.store.paths import ENV_VAR, DataDirs, resolve_dirs


@pytest.fixture
def platform_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    config, data = tmp_path / "platform-config", tmp_path / "platform-data"
    monkeypatch.setattr(platformdirs, "user_config_dir", lambda *a, **k: str(config))
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(data))
    monkeypatch.delenv(ENV_VAR, raising=False)
    return config, data


def test_the_flag_wins_over_the_environment_and_platformdirs(
    tmp_path: Path, platform_dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env"))
    dirs = resolve_dirs(tmp_path / "from-flag")
    assert dirs == DataDirs(
        root=tmp_path / "from-flag",
        profile_path=tmp_path / "from-flag" / "profile.toml",
        plans_dir=tmp_path / "from-flag" / "plans",
        history_path=tmp_path / "from-flag" / "history.sqlite3",
        origin="flag",
    )


def test_the_environment_wins_over_platformdirs(
    tmp_path: Path, platform_dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env"))
    dirs = resolve_dirs(None)
    assert dirs.origin == "env"
    assert dirs.root == tmp_path / "from-env"
    assert dirs.profile_path == tmp_path / "from-env" / "profile.toml"
    assert dirs.history_path == tmp_path / "from-env" / "history.sqlite3"


def test_platformdirs_keep_the_profile_in_config_and_the_rest_in_data(
    platform_dirs: tuple[Path, Path],
) -> None:
    config, data = platform_dirs
    dirs = resolve_dirs(None)
    assert dirs.origin == "platform"
    assert dirs.profile_path == config / "profile.toml"
    assert dirs.plans_dir == data / "plans"
    assert dirs.history_path == data / "history.sqlite3"
    assert dirs.root == data


def test_an_empty_environment_variable_is_ignored(
    platform_dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, "")
    assert resolve_dirs(None).origin == "platform"


def test_a_relative_flag_becomes_an_absolute_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_dirs("data").root == tmp_path / "data"


def test_resolving_creates_no_folder(tmp_path: Path) -> None:
    dirs = resolve_dirs(tmp_path / "not-yet")
    assert not dirs.root.exists()


def test_the_error_log_lives_in_the_data_folder(tmp_path: Path) -> None:
    assert resolve_dirs(tmp_path).error_log_path.parent == tmp_path
