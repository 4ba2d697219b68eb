"""The question before a walk ends early."""

from __future__ import annotations

from walkcoach.tui.dialogs.confirm import ConfirmDialog


class EndWalkDialog(ConfirmDialog):
    """The question before a walk ends early: a low box at the bottom, over the figures,
    so that the direction and the countdown above stay in sight while the walk goes on."""

    DEFAULT_CSS = """
    EndWalkDialog {
        align: center bottom;
        background: $background 20%;
    }

    EndWalkDialog .dialog {
        border: round $accent;
        padding: 0 1;
    }

    EndWalkDialog .dialog-title {
        margin-bottom: 0;
    }
    """

    def __init__(self, walking: bool = True) -> None:
        """`walking`: the walk is running (not paused) while the question is asked."""
        kept = "What you walked so far is kept"
        super().__init__(
            "End this walk now?",
            f"{kept}; the walk goes on until you answer." if walking else f"{kept}.",
        )
