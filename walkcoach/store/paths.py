"""The folders walkcoach keeps its files in, and how the user chooses them.

``--data-dir DIR`` wins, then the ``WALKCOACH_DATA_DIR`` environment variable, then the
platform's user folders (platformdirs: the config folder for the profile, the data folder
for plans and history). Nothing here creates a folder: writers do that on first write.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final, Literal, NamedTuple

APP_NAME: Final = "walkcoach"
ENV_VAR: Final = "WALKCOACH_DATA_DIR"
PROFILE_FILE: Final = "profile.toml"
PLANS_FOLDER: Final = "plans"
HISTORY_FILE: Final = "history.sqlite3"
ERROR_LOG_FILE: Final = "walkcoach-error.log"

Origin = Literal["flag", "env", "platform"]


class DataDirs(NamedTuple):
    """Where the profile, the user's plans and the history live."""

    root: Path
    profile_path: Path
    plans_dir: Path
    history_path: Path
    origin: Origin = "platform"

    @property
    def error_log_path(self) -> Path:
        """Where an unexpected error's traceback is written."""
        return self.root / ERROR_LOG_FILE

    @classmethod
    def in_folder(cls, folder: str | Path, origin: Origin = "flag") -> DataDirs:
        """Everything in one folder, as ``--data-dir`` asks."""
        root = Path(folder).expanduser().absolute()
        return cls(
            root=root,
            profile_path=root / PROFILE_FILE,
            plans_dir=root / PLANS_FOLDER,
            history_path=root / HISTORY_FILE,
            origin=origin,
        )


def resolve_dirs(data_dir: str | Path | None = None) -> DataDirs:
    """The folders to use: `data_dir` (the ``--data-dir`` flag) if given, then the
    environment variable, then the platform's user folders."""
    if data_dir is not None and str(data_dir) != "":
        return DataDirs.in_folder(data_dir, "flag")
    from_env = os.environ.get(ENV_VAR, "")
    if from_env:
        return DataDirs.in_folder(from_env, "env")
    import platformdirs

    config = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return DataDirs(
        root=data,
        profile_path=config / PROFILE_FILE,
        plans_dir=data / PLANS_FOLDER,
        history_path=data / HISTORY_FILE,
        origin="platform",
    )
