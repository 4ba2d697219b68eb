"""Reading a file a person hands walkcoach, without trusting what kind of file it is.

A FIFO, a device or a huge file named as a plan or profile must not hang walkcoach or
fill its memory: only regular files are read, and only up to a size no plan or profile
comes near.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Final

MAX_TEXT_BYTES: Final = 512 * 1024
"""The largest plan or profile walkcoach reads: a 4-hour plan of 5-second segments, the
longest there can be, is about a third of this."""


class UnreadableFile(OSError):
    """Not a regular file, or too large; `strerror` says which, in a person's words."""


def read_regular(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of `path`, if it is a regular file of at most `limit` bytes.

    Opened without blocking (a FIFO with no writer would otherwise wait for ever), then
    checked on the open descriptor, so the file cannot be swapped between check and read.
    Raises `FileNotFoundError` and other `OSError`s as `open` does, `UnreadableFile` for
    anything that is not a regular file or is larger than `limit`.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise UnreadableFile(0, "a folder, not a file")
            raise UnreadableFile(0, "a pipe or a device, not a regular file")
        if info.st_size > limit:
            raise UnreadableFile(
                0,
                f"too large to be a walkcoach file ({info.st_size // 1024} KB; at most "
                f"{limit // 1024} KB are read)",
            )
        chunks = []
        left = limit + 1  # one byte more than allowed shows a file that grew meanwhile
        while left > 0:
            chunk = os.read(fd, min(left, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise UnreadableFile(0, f"too large to be a walkcoach file (over {limit // 1024} KB)")
        return data
    finally:
        os.close(fd)
