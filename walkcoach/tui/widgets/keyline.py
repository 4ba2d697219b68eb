"""A one-line footer of the screen's keys, drawn as plain text.

Textual's `Footer` builds a widget per key and restyles them all when it mounts; on
the session screen, which must show its first frame fast and never changes its keys,
one line of text says the same.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
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

    def on_mount(self) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        for binding in self.screen.BINDINGS:
            if isinstance(binding, Binding) and binding.show:
                key = binding.key_display or binding.key.split(",")[0]
                line.append(f" {key} ", style="bold")
                line.append(f"{binding.description} ")
        self.update(line)
