"""The question a Zwift workout needs answered before it is read: the walker's reference
speed, which the workout's paces are shares of."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, Static

from walkcoach.text import visible
from walkcoach.tui.dialogs.base import Dialog
from walkcoach.tui.widgets.fields import TextInput
from walkcoach.units import SpeedUnit, kmh_from, speed_label


class ReferenceSpeedDialog(Dialog[float | None]):
    """Asks for the speed a Zwift workout's shares are taken of, in the walker's unit;
    `submit(kmh)` imports with it and returns an error to keep the dialog open with (a
    problem in the file), or None when done. Closes with the speed in km/h."""

    BINDINGS = [
        # Enter in the speed imports; named here for the dialog's line of keys.
        Binding("enter", "submit", "Import", show=False),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self, file_name: str, unit: SpeedUnit, submit: Callable[[float], str | None]
    ) -> None:
        super().__init__()
        self.file_name = file_name
        self.unit = unit
        self.submit = submit

    def compose(self) -> ComposeResult:
        label = speed_label(self.unit)
        with Vertical(classes="dialog", id="reference-speed"):
            yield Static(
                Text(visible(f"Import {self.file_name}"), style="bold"), classes="dialog-title"
            )
            yield Static(
                Text(
                    "A Zwift workout gives its paces as shares of a reference speed. Type "
                    f"your brisk forward walking speed in {label}: a step at 80 % is walked "
                    "at 0.8 times it."
                )
            )
            yield TextInput(placeholder=f"e.g. 5.0 {label}", id="reference")
            yield Label("", id="reference-error", classes="field-error")
            yield Static(Text(self.key_hints(), style="dim"), classes="dialog-keys")
        yield Footer()

    def on_input_changed(self, _: Input.Changed) -> None:
        self.query_one("#reference-error", Label).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Imports at the speed typed; a wrong speed or a problem in the file keeps the
        dialog open, saying it."""
        from walkcoach.formats.zwo import reference_speed

        speed, problem = reference_speed(self.query_one("#reference", Input).value)
        if speed is not None:
            kmh = kmh_from(speed, self.unit)
            problem = self.submit(kmh)
            if problem is None:
                self.dismiss(kmh)
                return
        self.query_one("#reference-error", Label).update(Text(visible(problem or "")))

    def action_cancel(self) -> None:
        self.dismiss(None)
