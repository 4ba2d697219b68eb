"""Text from files and the history shown safely: no character of it may drive a terminal.

Plan files are checked (`control_character`), but older files and the history database
may hold anything, so every place that shows a plan name, label, description or history
row passes it through `visible` first: control characters, bidi overrides and isolates and
zero-width characters come out as escapes (``\\x1b``, ``\\u202e``) a reader can see. CSV
cells go through `csv_cell` so a spreadsheet never reads them as a formula.
"""

from __future__ import annotations

from typing import Final

# C0 controls, DEL and C1 controls: what terminals act on (ESC, BEL, CSI, OSC, ...).
_CONTROLS: Final = frozenset([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)])
# Bidi embeddings, overrides and isolates, zero-width characters and the Unicode line and
# paragraph separators: harmless to a terminal's state, but they hide or reorder text.
_INVISIBLE: Final = frozenset(
    [
        *range(0x200B, 0x2010),  # zero-width space, joiners, LRM, RLM
        0x2028,  # line separator
        0x2029,  # paragraph separator
        *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
        0x2060,  # word joiner
        *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
        0xFEFF,  # zero-width no-break space (BOM)
    ]
)
_ESCAPES: Final[dict[int, str]] = {
    code: (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in sorted(_CONTROLS | _INVISIBLE)
}
# Characters that make a spreadsheet read a CSV cell as a formula (OWASP's list).
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _table(allow: str) -> dict[int, str]:
    if not allow:
        return _ESCAPES
    kept = {ord(c) for c in allow}
    return {code: escape for code, escape in _ESCAPES.items() if code not in kept}


_TABLES: dict[str, dict[int, str]] = {}


def visible(text: str, allow: str = "") -> str:
    """`text` with every control, bidi and zero-width character written as an escape
    (ESC as ``\\x1b``, RLO as ``\\u202e``); characters in `allow` (say ``"\\n"``) are kept.
    Text without such characters comes back unchanged."""
    table = _TABLES.get(allow)
    if table is None:
        table = _TABLES.setdefault(allow, _table(allow))
    return text.translate(table)


_DROPPED: Final[dict[int, None]] = dict.fromkeys(_ESCAPES)


def printable(text: str) -> str:
    """`text` without the characters `visible` escapes (controls, bidi and zero-width
    characters): what a text field keeps of a paste."""
    return text.translate(_DROPPED)


def control_character(text: str, allow: str = "\t") -> str | None:
    """The first control character (C0, DEL or C1) in `text` that is not in `allow`, or
    None when there is none."""
    for char in text:
        if ord(char) in _CONTROLS and char not in allow:
            return char
    return None


def control_problem(text: str, allow: str = "\t") -> str | None:
    """What is wrong with `text` if it holds a control character, for a validation
    message; None when it holds none."""
    char = control_character(text, allow)
    if char is None:
        return None
    return f"contains a control character (U+{ord(char):04X}); remove it"


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: text starting with =, +, -, @, tab or
    carriage return gets a leading ``'``; everything else is returned as it is."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


# json.dumps escapes C0 inside strings itself; its own line breaks stay.
_JSON_ESCAPES: Final[dict[int, str]] = {
    code: f"\\u{code:04x}" for code in _ESCAPES if code != ord("\n")
}


def json_visible(document: str) -> str:
    """JSON text (as ``json.dumps`` writes it) with every character `visible` escapes
    written as a JSON ``\\uXXXX`` escape: the same data, safe on a terminal. Such
    characters can only stand inside JSON strings, where the escape means the same."""
    return document.translate(_JSON_ESCAPES)
