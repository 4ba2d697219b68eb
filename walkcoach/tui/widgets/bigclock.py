"""A countdown (or a belt speed) drawn in block digits that grow to fill the room they are given.

Textual's `Digits` is three rows tall whatever the terminal size; a walker a metre
from the screen is better served by digits that take all the space there is.
"""

from __future__ import annotations

from typing import Final

from rich.segment import Segment
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

GLYPH_ROWS: Final = 5
_FONT: Final[dict[str, tuple[str, ...]]] = {
    "0": ("████", "█  █", "█  █", "█  █", "████"),
    "1": ("  █ ", " ██ ", "  █ ", "  █ ", " ███"),
    "2": ("████", "   █", "████", "█   ", "████"),
    "3": ("████", "   █", " ███", "   █", "████"),
    "4": ("█  █", "█  █", "████", "   █", "   █"),
    "5": ("████", "█   ", "████", "   █", "████"),
    "6": ("████", "█   ", "████", "█  █", "████"),
    "7": ("████", "   █", "  █ ", " █  ", " █  "),
    "8": ("████", "█  █", "████", "█  █", "████"),
    "9": ("████", "█  █", "████", "   █", "████"),
    ":": (" ", "█", " ", "█", " "),
    ".": (" ", " ", " ", " ", "█"),
    " ": ("  ", "  ", "  ", "  ", "  "),
}


def render_rows(value: str, scale: int = 1) -> list[str]:
    """The rows of `value` in the block font, each cell repeated `scale` times."""
    rows = []
    for r in range(GLYPH_ROWS):
        line = " ".join(_FONT.get(ch, _FONT[" "])[r] for ch in value)
        wide = "".join(c * scale for c in line)
        rows.extend([wide] * scale)
    return rows


def natural_width(value: str) -> int:
    return len(render_rows(value)[0])


class BigClock(Widget):
    """Shows `value` (such as "1:23") as large as the widget's size allows.

    Drawn line by line from cached strips: it changes every second for a whole walk, so
    it skips the general text layout that a `Static` would redo each time.
    """

    DEFAULT_CSS = """
    BigClock {
        width: 1fr;
        height: 1fr;
        min-height: 5;
    }
    """

    value: reactive[str] = reactive("", layout=False)

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.value = value
        self._cache_key: tuple[object, ...] = ()
        self._strips: list[Strip] = []

    def best_scale(self) -> int:
        width = natural_width(self.value) or 1
        height, room = self.size.height, self.size.width
        scale = 1
        while (scale + 1) * GLYPH_ROWS <= height and (scale + 1) * width <= room:
            scale += 1
        return scale

    def lines(self) -> list[str]:
        """The text of every row of the widget, the digits centred in it."""
        width, height = self.size.width, self.size.height
        if height < GLYPH_ROWS or width < natural_width(self.value):
            # Too cramped for block digits: plain text still shows the time.
            rows = [self.value[:width]]
        else:
            rows = render_rows(self.value, self.best_scale())
        top = max(0, (height - len(rows)) // 2)
        blank = " " * width
        body = [row.center(width)[:width] for row in rows]
        return ([blank] * top + body + [blank] * height)[:height]

    def render_line(self, y: int) -> Strip:
        style = self.rich_style
        key = (self.value, self.size, style)
        if key != self._cache_key:
            self._cache_key = key
            self._strips = [Strip([Segment(line, style)]) for line in self.lines()]
        return self._strips[y] if y < len(self._strips) else Strip.blank(self.size.width, style)
