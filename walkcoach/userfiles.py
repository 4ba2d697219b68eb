"""Reading a file a person hands walkcoach, without trusting what is in it.

A FIFO, a device or a huge file named as a plan or profile must not hang walkcoach or
fill its memory: only regular files are read, and only up to a size no plan or profile
comes near. The text must be UTF-8 (a byte-order mark is allowed); UTF-16 is named as
such. Its TOML is parsed only after a quick look has found nothing that would make the
parser slow, hungry or recursive: brackets nested deep, keys of many dotted parts,
numbers of thousands of digits. Every refusal says what was found and where.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import tomllib
from itertools import accumulate, islice
from pathlib import Path
from typing import Any, Final

MAX_TEXT_BYTES: Final = 512 * 1024
"""The largest plan or profile walkcoach reads: a 4-hour plan of 5-second segments, the
longest there can be, is about a third of this."""

MAX_NESTING: Final = 32
"""The deepest nesting of arrays and tables read. A plan uses fewer than a dozen levels
even written inline; Python's TOML parser recurses once per level and gives up near
a thousand."""

MAX_KEY_PARTS: Final = 16
"""The most dotted parts in one key or table header (``a.b.c`` has three). The parser's
work grows with the square of this: 20 000 parts took over 6 s and 1.6 GB."""

MAX_ITEMS: Final = 40_000
"""The most keys, values, arrays and tables read. A 4-hour plan of 5-second segments
has about 20 000; the parser takes about a second for 100 000 on a slow machine."""

MAX_NUMBER_CHARS: Final = 100
"""The longest number read (a bare key of digits counts as one). Python refuses to
convert integers of over 4 300 digits, and no setting needs more than a few digits."""


class UnreadableFile(OSError):
    """Not a regular file, or too large; `strerror` says which, in a person's words."""


class NotUtf8(ValueError):
    """Bytes that are not UTF-8 text; the message says what they seem to be instead."""


class TooComplex(ValueError):
    """TOML text refused before (or instead of) parsing; the message says why and where."""


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
                f"too large to be a walkcoach file: {-(-info.st_size // 1024)} KB, and at most "
                f"{limit // 1024} KB are read",
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
            raise UnreadableFile(0, f"too large to be a walkcoach file: over {limit // 1024} KB")
        return data
    finally:
        os.close(fd)


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> str:
    """The text of `path` (`read_regular`, then `decode_text`)."""
    return decode_text(read_regular(path, limit))


# UTF-32's little-endian mark starts with UTF-16's, so it is looked for first.
_WIDE_MARKS: Final = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode_text(data: bytes) -> str:
    """`data` as UTF-8 text, without the byte-order mark some editors put first.

    `NotUtf8` otherwise, naming UTF-16 and UTF-32 (with or without their mark) when the
    bytes look like them, so the person knows how to save the file instead.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    wide = next((name for mark, name in _WIDE_MARKS if data.startswith(mark)), None)
    if wide is None and b"\x00" in data[:4096]:
        # No TOML text holds a NUL byte; ASCII written as UTF-16 has one in every pair.
        sample = data[:4096]
        if max(sample[0::2].count(0), sample[1::2].count(0)) * 4 >= len(sample):
            wide = "UTF-16"
    if wide is not None:
        raise NotUtf8(f"{wide} text, not UTF-8; save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotUtf8("not a text file (it is not UTF-8)") from None


# --- TOML ------------------------------------------------------------------------------

# Comments and strings, in TOML's own terms: each ends where the parser would end it (or
# at the end of the text, when it is not closed: the parser then stops there too). The
# quantifiers are possessive, so no text makes the search backtrack.
_QUOTED: Final = re.compile(
    r"""
      \#[^\n]*+
    | \"\"\"(?:[^"\\]|\\[\s\S]|"(?!""))*+(?:\"\"\"(?:""?)?)?
    | '''(?:[^']|'(?!''))*+(?:'''(?:''?)?)?
    | "(?:[^"\\\n]|\\.)*+"?
    | '[^'\n]*+'?
    """,
    re.VERBOSE,
)
_NOT_BRACKET: Final = re.compile(r"[^\[\]{}]++")
_BRACKET: Final = re.compile(r"[\[\]{}]")
_DEPTH_STEP: Final = {"[": 1, "{": 1, "]": -1, "}": -1}
# A key with too many dotted parts: its dots all lie between two of "=,[]{}" or line
# breaks (a value has at most one dot). Anchored after such a break, so it is linear.
_DEEP_KEY: Final = re.compile(
    rf"(?:^|(?<=[=,\[\]{{}}\n]))(?:[^=,\[\]{{}}\n.]*+\.){{{MAX_KEY_PARTS}}}"
)
# A number starts with a digit (a sign or a decimal point ends the run before it); the
# digits of hexadecimal, octal and binary numbers and underscores are part of the run.
_LONG_NUMBER: Final = re.compile(rf"(?<![0-9A-Za-z_])[0-9][0-9A-Za-z_]{{{MAX_NUMBER_CHARS}}}")
# Each key, value, array and table costs the parser a few microseconds; every one of
# them comes with one of these characters.
_ITEM: Final = re.compile(r"[=,\[{]")


def _shape_problem(code: str) -> tuple[int, str] | None:
    """Where and why `code` (TOML with its strings and comments taken out) is refused."""
    brackets = _NOT_BRACKET.sub("", code)
    if brackets and max(accumulate(map(_DEPTH_STEP.__getitem__, brackets))) > MAX_NESTING:
        depth = 0
        for match in _BRACKET.finditer(code):
            depth += _DEPTH_STEP[match.group()]
            if depth > MAX_NESTING:
                return match.start(), (
                    f"brackets nested over {MAX_NESTING} deep; walkcoach reads at most "
                    f"{MAX_NESTING} levels"
                )
    key = _DEEP_KEY.search(code)
    if key is not None:
        return key.start(), (
            f"a key of over {MAX_KEY_PARTS} dotted parts; walkcoach reads at most {MAX_KEY_PARTS}"
        )
    number = _LONG_NUMBER.search(code)
    if number is not None:
        return number.start(), (
            f"a number over {MAX_NUMBER_CHARS} characters long; walkcoach reads at most "
            f"{MAX_NUMBER_CHARS}"
        )
    items = sum(code.count(c) for c in "=,[{")
    if items > MAX_ITEMS:
        beyond = next(islice(_ITEM.finditer(code), MAX_ITEMS, None))
        return beyond.start(), (
            f"over {MAX_ITEMS:,} keys and values; walkcoach reads at most {MAX_ITEMS:,}"
        )
    return None


def _line_of(text: str, position: int) -> int:
    """The line of `text` that holds `position` of its `_QUOTED.sub("S", text)`."""
    shift = 0  # how much longer the text is than the code up to here
    for match in _QUOTED.finditer(text):
        if match.start() - shift >= position:
            break
        shift += len(match.group()) - 1
    return text.count("\n", 0, position + shift) + 1


def check_toml_shape(text: str) -> None:
    """`TooComplex` if parsing `text` could cost more than a plan or profile ever needs:
    over `MAX_TEXT_BYTES`, brackets nested over `MAX_NESTING` deep, a key of over
    `MAX_KEY_PARTS` dotted parts, a number of over `MAX_NUMBER_CHARS` characters or over
    `MAX_ITEMS` keys and values. The message names the line.

    Linear in the text, and mostly regular expressions: no parsing.
    """
    if len(text) > MAX_TEXT_BYTES:
        raise TooComplex(f"too large to be a walkcoach file: over {MAX_TEXT_BYTES // 1024} KB")
    # Strings and comments are taken out first (each becomes an "S"): what is left is
    # the structure the parser will build.
    found = _shape_problem(_QUOTED.sub("S", text))
    if found is not None:
        position, what = found
        raise TooComplex(f"line {_line_of(text, position)}: {what}")


def loads_toml(text: str) -> dict[str, Any]:
    """`tomllib.loads(text)` for text from a person: `TooComplex` when `check_toml_shape`
    refuses it (or nesting made of dotted keys inside inline tables goes deeper than
    `MAX_NESTING`), `tomllib.TOMLDecodeError` when it is not valid TOML."""
    check_toml_shape(text)
    try:
        data = tomllib.loads(text)
    except RecursionError:  # not reachable after the check; kept as a last guard
        raise TooComplex(f"nested over {MAX_NESTING} deep; walkcoach reads no deeper") from None
    if _depth(data) > MAX_NESTING:
        raise TooComplex(f"tables nested over {MAX_NESTING} deep; walkcoach reads no deeper")
    return data


def _depth(data: dict[str, Any]) -> int:
    """How deep arrays and tables nest inside a parsed document (without recursing)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1) for value in data.values()]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                break
            stack.extend((child, depth + 1) for child in item)
    return deepest
