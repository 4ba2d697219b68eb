"""The keys during a walk, how to follow it by ear and how calories are estimated.

Its figures come from where walkcoach defines them (the engine, the energy model, the
units), so the help says what the walk does.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from walkcoach import energy
from walkcoach.engine import PREPARE_BEFORE_S, TICKS_BEFORE_END, TIME_LEFT_MINUTES
from walkcoach.tui.dialogs.base import Dialog
from walkcoach.voice import NUMBERS


def number_word(n: int) -> str:
    """A small whole number as the voice says it: 10 -> "ten"."""
    return NUMBERS[f"n{n}"]


def help_keys(bindings: Sequence[BindingType]) -> list[tuple[str, str]]:
    """The help's key table from a screen's bindings: each binding with a tooltip is a
    line, its key as shown (neighbours with the same tooltip share one: "+ / -")."""
    rows: list[tuple[str, str]] = []
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.tooltip:
            continue
        key = binding.key_display or binding.key.split(",")[0]
        if rows and rows[-1][1] == binding.tooltip:
            rows[-1] = (f"{rows[-1][0]} / {key}", binding.tooltip)
        else:
            rows.append((key, binding.tooltip))
    return rows


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
        "kcal = MET x body weight (kg) x hours, from the belt speed you actually walk; "
        "resting or gripping the rails lowers it (Berling et al. 2006), and with your age, "
        "sex and height set, your own resting rate replaces the standard one. "
        "Gross kcal is everything you burned during the walk, resting included. "
        "Net kcal is only what the walk added: gross less what you would have burned "
        "sitting still for the same time."
    )


def key_table(keys: Sequence[tuple[str, str]]) -> Table:
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

    def __init__(self, keys: Sequence[tuple[str, str]], paused_for_help: bool = False) -> None:
        """`keys`: the walk's keys and what each does (`help_keys` of its bindings).
        `paused_for_help`: the walk was paused to show this and goes on when it closes."""
        super().__init__()
        self.keys = keys
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
            yield Static(key_table(self.keys), id="help-keys")
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
