"""Textual's footer laid out in columns over several rows, as many columns as fit.

Home and the editor have more keys than one line of 80 columns holds; in a narrow
window they take more rows rather than cutting keys off.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Footer


def columns_that_fit(widths: list[int], most: int, room: int) -> int:
    """How many grid columns (at most `most`) the cells of `widths`, laid out row by
    row, fit in `room` cells; each column is as wide as its widest cell. At least 1."""
    for columns in range(min(most, len(widths)), 1, -1):
        needed = sum(max(widths[start::columns]) for start in range(columns))
        if needed <= room:
            return columns
    return 1


class KeyFooter(Footer):
    DEFAULT_CSS = """
    KeyFooter {
        layout: grid;
        grid-columns: auto;
        grid-rows: 1;
        height: 2;
    }

    KeyFooter FooterKey {
        margin: 0;
    }
    """

    def __init__(self, columns: int) -> None:
        """Up to `columns` keys a row."""
        super().__init__()
        self.columns = columns
        self._widths: list[int] = []

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        # A key's cell (Footer's FooterKey): the key with a space each side, then the
        # description and a space.
        self._widths = [
            len(key.key_display) + len(key.description) + 3
            for key in keys
            if hasattr(key, "key_display") and hasattr(key, "description")
        ]
        self._fit(self.size.width)
        yield from keys

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        if not self._widths:
            return
        most = min(self.columns, len(self._widths))
        columns = columns_that_fit(self._widths, most, width) if width else most
        self.styles.grid_size_columns = columns
        self.styles.height = -(-len(self._widths) // columns)
