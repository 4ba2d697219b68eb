"""One line of a form: what the field is, the field, and its message beside it.

Used by the plan forms and the settings screen; the error label's id is
``{name}-error``.
"""

from __future__ import annotations

from typing import Any

from textual.containers import Horizontal
from textual.widgets import Input, Label, Select

from walkcoach.text import printable, visible


class TextInput(Input):
    """A text field that never holds a character a terminal would act on: what is typed
    or pasted is kept without control, bidi and zero-width characters (Textual inserts
    a paste as it comes), and a starting value shows any as visible escapes."""

    def __init__(self, value: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(None if value is None else visible(value), *args, **kwargs)

    def insert(self, text: str, index: int) -> None:
        super().insert(printable(text), index)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(printable(text), start, end)


class FieldRow(Horizontal):
    DEFAULT_CSS = """
    FieldRow {
        height: auto;
        margin-bottom: 1;
    }

    FieldRow .field-caption {
        width: 14;
    }

    FieldRow Input, FieldRow Select {
        width: 20;
    }

    FieldRow .field-error {
        width: 1fr;
        margin-left: 2;
        color: $error;
    }

    /* The field being typed in is tinted, even while its value is wrong (the message
       beside it says so): an invalid compact Input's own tint would hide the focus. */
    FieldRow Input:focus, FieldRow Input.-invalid:focus {
        background-tint: $accent 25%;
    }
    """

    def __init__(self, caption: str, field: Input | Select[str], name: str) -> None:
        super().__init__(
            Label(caption, classes="field-caption"),
            field,
            Label("", id=f"{name}-error", classes="field-error"),
        )
