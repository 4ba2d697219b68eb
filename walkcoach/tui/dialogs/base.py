"""What every dialog shares: a box in the middle of the screen, and its keys said in a
line of hints taken from its bindings."""

from __future__ import annotations

from typing import Final, TypeVar

from textual.actions import parse
from textual.binding import Binding
from textual.screen import ModalScreen

ResultT = TypeVar("ResultT")

# How a hint names a key that a walker would not type as spelled ("escape").
KEY_WORDS: Final = {"escape": "esc"}
HINT_GAP: Final = "     "


def key_words(binding: Binding) -> str:
    """A binding's keys as a hint says them: "y / enter", or its `key_display`."""
    if binding.key_display:
        return binding.key_display
    return " / ".join(KEY_WORDS.get(key, key) for key in binding.key.split(","))


class Dialog(ModalScreen[ResultT]):
    """A modal box in the middle of the screen; every dialog of walkcoach is one."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }

    Dialog .dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }

    Dialog .dialog.form {
        width: 78;
    }

    Dialog .dialog-title, Dialog .check-item {
        margin-bottom: 1;
    }

    Dialog .dialog-keys, Dialog .help-head {
        margin-top: 1;
    }

    Dialog .field-error {
        color: $error;
    }
    """

    def key_hints(self) -> str:
        """The dialog's keys in one line, "y / enter: yes     n / esc: no": each of its
        BINDINGS that `check_action` allows now, by its tooltip (the longer words the
        footer shows on hover) or else its description."""
        hints = []
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            _, action, parameters = parse(binding.action)
            if self.check_action(action, parameters):
                what = binding.tooltip or binding.description.lower()
                hints.append(f"{key_words(binding)}: {what}")
        return HINT_GAP.join(hints)
