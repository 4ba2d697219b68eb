"""Where an export may write: a file the person named, never one they did not mean.

An export replaces a file only when asked (``--force``), never creates a missing folder,
and a folder, a device or a pipe named as the file is refused by what it is, before
anything is written. Writing a temporary file beside a device and renaming it over the
device (what an atomic write does) would otherwise replace ``/dev/null`` itself.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from walkcoach.errors import WalkcoachError

STDOUT = "-"
"""The file name that means standard output, as for most commands."""
_SEPARATORS = tuple({"/", os.sep, os.altsep or os.sep})


def export_target(typed: str | Path, *, force: bool = False, example: str = "") -> Path:
    """The path to write an export to, for the file name `typed` as the person gave it.

    Raises `WalkcoachError` (one sentence) when it names a folder, something that is not
    a regular file, an existing file without `force`, or a file in a folder that does not
    exist. `example` (say ``quick-ten.toml``) is the file name suggested when a folder is
    given. The path comes back absolute, its ``~`` expanded. A file that appears between
    this check and the write is still replaced.
    """
    raw = os.fspath(typed)
    if raw.strip() == "":
        raise WalkcoachError("the file name is empty; give the name of a file to write")
    if "\0" in raw:
        raise WalkcoachError("the file name holds a NUL character, which no file name can")
    path = Path(os.path.expanduser(raw))  # "~nobody-known" stays as it is
    try:
        info: os.stat_result | None = path.stat()
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise WalkcoachError(f"{path.parent} is not a folder") from None
    is_folder = info is not None and stat.S_ISDIR(info.st_mode)
    if is_folder or raw.endswith(_SEPARATORS):
        message = f"{raw} {'is' if is_folder else 'names'} a folder, not a file"
        if example:
            message += f"; give a file name, such as {path / example}"
        raise WalkcoachError(message)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise WalkcoachError(
            f"{raw} is a device or a pipe, not a regular file; exports are written only to "
            "regular files"
        )
    if (info is not None or path.is_symlink()) and not force:
        raise WalkcoachError(f"{raw} already exists; add --force to replace it")
    if info is None and not path.parent.is_dir():
        if path.parent.exists():
            raise WalkcoachError(f"{path.parent} is not a folder")
        raise WalkcoachError(f"the folder {path.parent} does not exist; create it first")
    return path.absolute()
