"""Exporting walks: the dialog that asks where, and the writing it leads to.

An export writes NAME.csv and NAME.json side by side (atomically), NAME typed or a
default in the current folder. As every export does (`walkcoach.outpaths`), it never
creates a missing folder, calls a folder given as NAME a folder, and replaces an
existing file only when the walker says yes. Used by the history and the recap.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from walkcoach.errors import WalkcoachError
from walkcoach.outpaths import export_target
from walkcoach.store.history import EXPORT_FORMATS, Damaged, Exported
from walkcoach.text import visible
from walkcoach.tui.dialogs.base import Dialog
from walkcoach.tui.dialogs.confirm import ConfirmDialog
from walkcoach.tui.widgets.fields import TextInput
from walkcoach.units import counted


def default_export_name(started_at: datetime | None, what: str) -> str:
    """walkcoach-2026-03-01-0730-retro-intervals: when and what, safe as a file name."""
    slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")[:40] or "walk"
    when = f"{started_at.astimezone():%Y-%m-%d-%H%M}-" if started_at else ""
    return f"walkcoach-{when}{slug}"


def export_paths(typed: str) -> list[Path]:
    """NAME.csv and NAME.json for what was typed (a .csv or .json ending is dropped)."""
    path = Path(typed.strip()).expanduser()
    if path.suffix.lower().lstrip(".") in EXPORT_FORMATS:
        path = path.with_suffix("")
    return [path.with_name(f"{path.name}.{fmt}") for fmt in EXPORT_FORMATS]


def export_targets(typed: str, example: str = "") -> list[Path]:
    """NAME.csv and NAME.json, checked as every export is (`outpaths.export_target`, an
    existing file allowed: the caller asks first); `WalkcoachError` (one sentence) when
    NAME is empty or a folder, or its folder is missing. `example` is the name suggested
    when a folder is given."""
    name = typed.strip()
    if not name or name.endswith(("/", os.sep)) or Path(os.path.expanduser(name)).is_dir():
        export_target(name, force=True, example=example)  # says what is wrong with it
    return [export_target(path, force=True) for path in export_paths(name)]


def existing(paths: list[Path]) -> list[Path]:
    return [path for path in paths if path.exists() or path.is_symlink()]


def replace_question(paths: list[Path], what: str) -> ConfirmDialog:
    """The question "NAME already exists. Replace it?" for the files of `paths`."""
    names = " and ".join(path.name for path in paths)
    verb, it = ("already exist", "them") if len(paths) > 1 else ("already exists", "it")
    places = ", ".join(str(path) for path in paths)
    return ConfirmDialog(f"{names} {verb}. Replace {it}?", f"{places} would be replaced by {what}.")


def export_both(
    screen: Widget, typed: str, write: Callable[[Path], object], what: str = "the export"
) -> None:
    """Writes NAME.csv and NAME.json through `write(path)` and says how it went; asks
    first when one of them is already there, and writes nothing unless told yes."""
    try:
        paths = export_targets(typed)
    except WalkcoachError as exc:
        screen.notify(visible(f"Not exported: {exc}"), severity="error", markup=False)
        return
    there = existing(paths)
    if not there:
        _write_both(screen, paths, write)
        return

    def answered(yes: bool | None) -> None:
        if yes:
            _write_both(screen, paths, write)
        else:
            screen.notify("Not exported; nothing was replaced.", markup=False)

    screen.app.push_screen(replace_question(there, what), answered)


def _write_both(screen: Widget, paths: list[Path], write: Callable[[Path], object]) -> None:
    left_out: set[Damaged] = set()
    try:
        for path in paths:
            written = write(path)
            if isinstance(written, Exported):
                left_out.update(written.damaged)
    except (WalkcoachError, OSError) as exc:
        screen.notify(visible(f"Not exported: {exc}"), severity="error", markup=False)
        return
    done = f"Exported {paths[0]} and {paths[1].name}"
    if left_out:
        done += f"; left out {counted(len(left_out), 'damaged row')}"
    screen.notify(visible(done), markup=False, severity="warning" if left_out else "information")


class ExportDialog(Dialog[str | None]):
    """Asks where to export; enter writes NAME.csv and NAME.json, escape cancels."""

    BINDINGS = [
        # Enter in the name exports; named here for the dialog's line of keys.
        Binding("enter", "submit", "Export", show=False),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, what: str, default_name: str) -> None:
        super().__init__()
        self.what = what
        self.default_name = default_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export"):
            yield Static(Text(f"Export {self.what}", style="bold"), classes="dialog-title")
            yield Static(
                Text("Writes NAME.csv and NAME.json (in the current folder unless you type one).")
            )
            yield TextInput(value=self.default_name, id="export-name")
            yield Label("", id="export-error", classes="field-error")
            yield Static(Text(self.key_hints(), style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        """Closes with the name typed, unless it is empty, a folder or in one that is
        missing: then the dialog stays, saying so."""
        typed = self.query_one("#export-name", Input).value
        if not typed.strip():
            self.query_one("#export-error", Label).update("type a file name")
            return
        try:
            export_targets(typed, example=self.default_name)
        except WalkcoachError as exc:
            self.query_one("#export-error", Label).update(Text(visible(str(exc))))
            return
        self.dismiss(typed)

    def action_cancel(self) -> None:
        self.dismiss(None)
