"""A one-line footer of the screen's keys, drawn as plain text.

Textual's `Footer` builds a widget per key and restyles them all when it mounts; on
the session screen, which must show its first frame fast and never changes its keys,
one line of text says the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static


class KeyLine(Static):
    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, bindings: Iterable[BindingType], *, id: str | None = None) -> None:
        """Shows the keys of `bindings` that have `show` set (as the Footer would)."""
        line = Text(no_wrap=True, overflow="ellipsis")
        for binding in bindings:
            if isinstance(binding, Binding) and binding.show:
                key = binding.key_display or binding.key.split(",")[0]
                line.append(f" {key} ", style="bold")
                line.append(f"{binding.description} ")
        super().__init__(line, id=id)
