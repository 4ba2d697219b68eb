"""Footer keys that follow the kind of row under a table's cursor.

A screen lists, in ROW_KEYS, the actions that act on the row under the cursor and the
kinds of row they are offered on; `row_kind` says what the cursor is on. Elsewhere the
footer hides those keys or, with GREY_OUT, greys them out (they keep their place, so
the footer does not jump as the cursor moves). Each such key also has a hidden
`refused('action')` binding: pressed where it is not offered, the action itself says
why it does nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar


class RowKeys:
    """Mixed into a Screen (before it): its `check_action` offers the row keys."""

    ROW_KEYS: ClassVar[Mapping[str, frozenset[str]]] = {}
    GREY_OUT: ClassVar[bool] = False
    _keys_for: str | None = None  # the kind of row the footer's keys are for now

    if TYPE_CHECKING:

        def refresh_bindings(self) -> None: ...

    def row_kind(self) -> str:
        """The kind of row under the cursor ("none" when there is none)."""
        raise NotImplementedError

    def offer_keys_for_row(self) -> None:
        """Redraws the footer when the cursor is on another kind of row (only then)."""
        kind = self.row_kind()
        if kind != self._keys_for:
            self._keys_for = kind
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "refused":
            return self.row_kind() not in self.ROW_KEYS[str(parameters[0])]
        if action not in self.ROW_KEYS or self.row_kind() in self.ROW_KEYS[action]:
            return True
        return None if self.GREY_OUT else False

    def action_refused(self, action: str, *arguments: object) -> None:
        """A row key pressed where the footer does not offer it: its own action says
        why it does nothing here."""
        getattr(self, f"action_{action}")(*arguments)
