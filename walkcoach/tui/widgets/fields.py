"""One line of a form: what the field is, the field, and its message beside it.

Used by the plan forms and the settings screen; the error label's id is
``{name}-error``.
"""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widgets import Input, Label, Select


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
