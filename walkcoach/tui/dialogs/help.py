"""The keys during a walk, how to follow it by ear and how calories are estimated.

Its figures come from where walkcoach defines them (the engine, the energy model, the
units), so the help says what the walk does.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from walkcoach import energy
from walkcoach.engine import BACK_GRACE_S, PREPARE_BEFORE_S, TICKS_BEFORE_END, TIME_LEFT_MINUTES
from walkcoach.tui.dialogs.base import Dialog
from walkcoach.units import SPEED_STEP
from walkcoach.voice import NUMBERS


def number_word(n: int) -> str:
    """A small whole number as the voice says it: 10 -> "ten"."""
    return NUMBERS[f"n{n}"]


HELP_KEYS = (
    ("space", "pause or resume (said back to you)"),
    ("n", "skip to the next segment"),
    ("b", f"back: restart this segment (the previous one in its first {BACK_GRACE_S:g} s)"),
    (
        "+ / -",
        # One press is one step in the walker's own unit: in km/h, 0.1 km/h.
        f"belt speed up or down by {SPEED_STEP:g}, when your treadmill differs "
        "(the new speed is said)",
    ),
    ("m", "mute or unmute the voice and the tones"),
    ("q", "end the walk (asked first; what you walked is kept)"),
    ("ctrl+z", "pause and put walkcoach in the background; fg brings it back"),
    ("?", "this help"),
)

BY_EAR = (
    f"{number_word(PREPARE_BEFORE_S).capitalize()} seconds before each turn the voice says "
    "the coming direction and the belt speed in the safe order: slow the belt before "
    "turning to walk backward; turn first, then raise the belt, when turning to walk "
    "forward. It says turn now, halfway, "
    f"{' and '.join(number_word(m) for m in TIME_LEFT_MINUTES)} minute left and the end; "
    f"tones or numbers count the last {number_word(len(TICKS_BEFORE_END))} seconds. "
    "Settings: voice on or off, tones or spoken numbers; walkcoach run --no-voice for one "
    "walk."
)


def calories_note() -> str:
    """How calories are estimated, with the energy model's own figures (read from its
    table, so not at import)."""
    t = energy.table()
    backward = f"{t.backward_factor_num:.1f}/{t.backward_factor_den:.1f}"
    return (
        "MET (energy per minute relative to rest) comes from the 2011 Compendium of "
        f"Physical Activities: forward walking by speed, times {backward} walking backward, "
        f"plus 1/{1 / t.grade_coefficient:.0f} MET per km/h for each per cent of incline. "
        "kcal = MET x body weight (kg) x hours, gross calories, from the belt speed you "
        "actually walk."
    )


def key_table(keys: tuple[tuple[str, str], ...]) -> Table:
    """Keys in a column of their own, each description wrapping beside its key."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for key, what in keys:
        table.add_row(key, what)
    return table


class HelpScreen(Dialog[None]):
    BINDINGS = [
        Binding("escape,question_mark,q,enter", "close", "Close", key_display="esc"),
        # Over a walk paused to show the help, closing it goes on with the walk.
        Binding("escape,question_mark,q,enter", "go_on", "Close and go on", key_display="esc"),
    ]

    def __init__(self, paused_for_help: bool = False) -> None:
        """`paused_for_help`: the walk was paused to show this and goes on when it closes."""
        super().__init__()
        self.paused_for_help = paused_for_help

    def compose(self) -> ComposeResult:
        # Taller than a small window: it scrolls (arrows, page keys) inside the screen.
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(Text("Keys during a walk", style="bold"), classes="dialog-title")
            if self.paused_for_help:
                yield Static(
                    Text("The walk is paused while you read: esc goes on with it.", style="bold"),
                    id="help-paused",
                    classes="dialog-title",
                )
            yield Static(key_table(HELP_KEYS), id="help-keys")
            yield Static(Text("Following the walk by ear", style="bold"), classes="help-head")
            yield Static(Text(BY_EAR))
            yield Static(Text("How calories are estimated", style="bold"), classes="help-head")
            yield Static(Text(calories_note()))
            yield Static(Text(energy.table().citation, style="dim"))
            yield Static(Text(self.key_hints(), style="dim"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return not self.paused_for_help
        if action == "go_on":
            return self.paused_for_help
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_go_on(self) -> None:
        """Closes the help; the walk it paused goes on (the session's callback)."""
        self.dismiss(None)
