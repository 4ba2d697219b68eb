"""A table read row by row, with the keys a list is expected to have.

Textual's `DataTable` gives home and end to the columns (scrolling sideways) even when
its cursor picks whole rows; in a list of plans or steps they go to the first and the
last row, as page up and page down go a page. `fit` keeps every column on screen on a
narrow terminal by cutting the one column of free text (a name, a label) short.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

MIN_FREE_TEXT = 6  # the cut column keeps this many cells however narrow the table


class RowTable(DataTable[Any]):
    BINDINGS = [
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    def __init__(self, **options: Any) -> None:
        options.setdefault("cursor_type", "row")
        super().__init__(**options)

    def fit(self, rows: Sequence[Sequence[Text]], column: int, width: int) -> None:
        """Cuts `rows`' cells in `column` short (with an ellipsis, in place) so that all
        the columns fit in `width` cells, with a vertical scroll bar when it may show."""
        others = 0
        for i, heading in enumerate(self.columns.values()):
            if i != column:
                widest = max((row[i].cell_len for row in rows), default=0)
                others += max(widest, heading.label.cell_len)
        padding = 2 * self.cell_padding * len(self.columns)
        # Room for a scroll bar when the rows may not all show (or the height is unknown).
        overflows = not self.size.height or len(rows) + 1 > self.size.height
        scrollbar = self.styles.scrollbar_size_vertical if overflows else 0
        room = max(MIN_FREE_TEXT, width - others - padding - scrollbar)
        for row in rows:
            if row[column].cell_len > room:
                row[column].truncate(room, overflow="ellipsis")
