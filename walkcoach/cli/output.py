"""Printing for the commands: a Rich console for tables, and JSON and TOML escaped so
that no terminal acts on them and any output encoding carries them."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from walkcoach.text import json_visible

if TYPE_CHECKING:
    from rich.console import Console


def rich_console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def print_json(document: str) -> None:
    """JSON as ``json.dumps(..., ensure_ascii=False)`` writes it, printed as the same
    JSON that no terminal acts on and any output encoding carries: characters a terminal
    acts on, and any other the output cannot encode, become ``\\uXXXX`` escapes."""
    print(_fit_stdout(json_visible(document), _json_escape))


def print_toml(document: str) -> None:
    """A plan's TOML (from `plan.dumps`), printed like `print_json`. Outside its basic
    strings it is ASCII, and those strings take the same ``\\uXXXX`` escapes as JSON."""
    sys.stdout.write(_fit_stdout(json_visible(document), _toml_escape))


def _fit_stdout(text: str, escape: Callable[[str], str]) -> str:
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "".join(char if char.isascii() else escape(char) for char in text)
    return text


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes the rest as a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _toml_escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
