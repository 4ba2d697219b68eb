"""A one-line footer of the screen's keys, drawn as plain text.

Textual's `Footer` builds a widget per key and restyles them all when it mounts; on
the session screen, which must show its first frame fast and never changes its keys,
one line of text says the same.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widget import Widget


def key_items(bindings: Iterable[BindingType]) -> list[tuple[str, str, str]]:
    """(key, description, action) for each binding that is shown, as the Footer would."""
    items = []
    for binding in bindings:
        if isinstance(binding, Binding) and binding.show:
            key = binding.key_display or binding.key.split(",")[0]
            items.append((key, binding.description, binding.action))
    return items


def key_line(items: list[tuple[str, str, str]], width: int, pinned: Collection[str] = ()) -> Text:
    """The keys that fit in `width` cells, in order; those whose action is `pinned` (such
    as the help that lists them all) are kept at the end whatever the width."""
    pieces = [(f" {key} ", f"{description} ", action) for key, description, action in items]
    last = [piece for piece in pieces if piece[2] in pinned]
    room = width - sum(len(k) + len(d) for k, d, _ in last)
    line = Text(no_wrap=True, overflow="ellipsis")
    for key, description, action in pieces:
        if action in pinned:
            continue
        if len(key) + len(description) > room:
            break
        room -= len(key) + len(description)
        line.append(key, style="bold")
        line.append(description)
    for key, description, _ in last:
        line.append(key, style="bold")
        line.append(description)
    return line


class KeyLine(Widget):
    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(
        self,
        bindings: Iterable[BindingType],
        *,
        pinned: Collection[str] = (),
        id: str | None = None,
    ) -> None:
        """Shows the keys of `bindings` that have `show` set; `pinned` names the actions
        that stay on the line when the window is too narrow for all of them."""
        super().__init__(id=id)
        self.items = key_items(bindings)
        self.pinned = pinned

    def relabel(self, action: str, description: str) -> None:
        """Names what `action`'s key does now (Pause, or Resume while paused)."""
        items = [
            (key, description if act == action else said, act) for key, said, act in self.items
        ]
        if items != self.items:
            self.items = items
            self.refresh()

    def render(self) -> Text:
        return key_line(self.items, self.size.width, self.pinned)
