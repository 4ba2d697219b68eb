"""Small modal dialogs: confirm, first-run weight, pre-walk safety check, help."""

from __future__ import annotations

from typing import TypeVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from walkcoach import energy
from walkcoach.safety import reminders
from walkcoach.store.profile import validate_field
from walkcoach.text import visible
from walkcoach.tui.widgets.fields import TextInput

ResultT = TypeVar("ResultT")


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


class ConfirmDialog(Dialog[bool]):
    """A yes/no question; y or enter says yes, n or escape says no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", priority=True),
        Binding("n,escape", "answer(False)", "No", priority=True),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(visible(self.question), style="bold"), classes="dialog-title")
            if self.detail:
                yield Static(Text(visible(self.detail, allow="\n")))
            yield Static(Text("y / enter: yes     n / esc: no", style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


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


class WeightDialog(Dialog[float | None]):
    """Asks for the walker's weight once, for calorie estimates; escape skips."""

    BINDINGS = [Binding("escape", "skip", "Skip (use 70 kg)")]

    def __init__(self, unit: str = "kg") -> None:
        super().__init__()
        self.unit = unit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Your weight", style="bold"), classes="dialog-title")
            yield Static(
                "Calories depend on body weight. Type yours and press enter, "
                "or press escape to skip: walkcoach will count with 70 kg until you set it."
            )
            yield TextInput(placeholder=f"e.g. 72 {self.unit} or 160 lb", id="weight")
            yield Label("", id="weight-error", classes="field-error")
        yield Footer()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#weight-error", Label).update(self._check(event.value)[1] or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value, error = self._check(event.value)
        if error is None and value is not None:
            self.dismiss(value)
        else:
            self.query_one("#weight-error", Label).update(error or "type a weight")

    def _check(self, text: str) -> tuple[float | None, str | None]:
        from walkcoach.store.profile import Profile

        if not text.strip():
            return None, None
        value, error = validate_field("weight_kg", text, Profile(weight_unit=self.unit))  # type: ignore[arg-type]
        return (float(value) if isinstance(value, int | float) else None), error

    def action_skip(self) -> None:
        self.dismiss(None)


class SafetyCheckDialog(Dialog[bool]):
    """The short check before a walk; enter starts, escape goes back to where the walk
    was chosen: Home, or the shell for `walkcoach run`."""

    BINDINGS = [
        Binding("enter", "answer(True)", "Ready: start", priority=True),
        Binding("escape", "answer(False)", "Not yet"),
        # After `walkcoach run`, the same answer leaves walkcoach: the footer says so.
        Binding("escape", "leave_walkcoach", "Leave walkcoach"),
    ]

    def __init__(self, plan_name: str, back_to_shell: bool = False) -> None:
        super().__init__()
        self.plan_name = plan_name
        self.back_to_shell = back_to_shell

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="safety-check"):
            title = Text("Before you start ")
            title.append(visible(self.plan_name), style="bold")
            yield Static(title, classes="dialog-title")
            for item in reminders().checklist:
                yield Static(Text(f"[ ] {item}"), classes="check-item")
            later = "not yet, leave walkcoach" if self.back_to_shell else "not yet"
            yield Static(
                Text(f"enter: all done, start the walk     esc: {later}", style="bold"),
                classes="dialog-keys",
            )
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == (False,):
            return not self.back_to_shell
        if action == "leave_walkcoach":
            return self.back_to_shell
        return True

    def action_answer(self, ready: bool) -> None:
        self.dismiss(ready)

    def action_leave_walkcoach(self) -> None:
        self.dismiss(False)


HELP_KEYS = (
    ("space", "pause or resume (said back to you)"),
    ("n", "skip to the next segment"),
    ("b", "back: restart this segment (the previous one in its first 3 s)"),
    ("+ / -", "belt speed up or down by 0.1, when your treadmill differs (the new speed is said)"),
    ("m", "mute or unmute the voice and the tones"),
    ("q", "end the walk (asked first; what you walked is kept)"),
    ("ctrl+z", "pause and put walkcoach in the background; fg brings it back"),
    ("?", "this help"),
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
    BINDINGS = [Binding("escape,question_mark,q,enter", "close", "Close")]

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
            yield Static(
                Text(
                    "Ten seconds before each turn the voice says the coming direction and "
                    "the belt speed in the safe order: slow the belt before turning to walk "
                    "backward; turn first, then raise the belt, when turning to walk forward. "
                    "It says turn now, halfway, five and one minute left and the end; tones "
                    "or numbers count the last three seconds. Settings: voice on or off, "
                    "tones or spoken numbers; walkcoach run --no-voice for one walk."
                )
            )
            yield Static(Text("How calories are estimated", style="bold"), classes="help-head")
            yield Static(
                Text(
                    "MET (energy per minute relative to rest) comes from the 2011 Compendium "
                    "of Physical Activities: forward walking by speed, times 6.0/4.3 walking "
                    "backward, plus 1/14 MET per km/h for each per cent of incline. "
                    "kcal = MET x body weight (kg) x hours, gross calories, from the belt "
                    "speed you actually walk."
                )
            )
            yield Static(Text(energy.table().citation, style="dim"))
            yield Static(
                Text("esc: close" + (" and go on" if self.paused_for_help else ""), style="dim")
            )

    def action_close(self) -> None:
        self.dismiss(None)
