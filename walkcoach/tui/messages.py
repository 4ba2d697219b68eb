"""What the screens tell the app: they post these, and the app acts on them."""

from __future__ import annotations

from textual.message import Message

from walkcoach.plan import Plan


class StartWalk(Message):
    """The walker chose to walk `plan` (Home's enter): the safety check, then the walk."""

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan
