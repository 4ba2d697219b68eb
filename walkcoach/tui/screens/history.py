"""History: past walks newest first, one walk's segments, deleting a walk, and export to
CSV and JSON. A damaged row of the history is listed as damaged (it can be deleted) and
left out of everything else.

Also home to the export dialog the recap uses: an export writes NAME.csv and NAME.json
side by side (atomically), NAME typed or a default in the current folder. As every export
does (`walkcoach.outpaths`), it never creates a missing folder, calls a folder given as
NAME a folder, and replaces an existing file only when the walker says yes.
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
from textual.widgets import Footer, Input, Label, Static

from walkcoach.errors import WalkcoachError
from walkcoach.outpaths import export_target
from walkcoach.store.history import (
    EXPORT_FORMATS,
    STATUS_LABELS,
    Damaged,
    Exported,
    SessionRow,
)
from walkcoach.text import visible
from walkcoach.tui.context import AppContext
from walkcoach.tui.screens.dialogs import ConfirmDialog, Dialog
from walkcoach.tui.screens.page import Page
from walkcoach.tui.theme import DIRECTION_COLOURS
from walkcoach.tui.widgets.fields import TextInput
from walkcoach.tui.widgets.rowtable import RowTable
from walkcoach.units import counted, format_clock, format_distance, format_speed

# By stored status (and "damaged" for a row that cannot be read); shown as STATUS_LABELS.
STATUS_STYLES = {
    "finished": "",
    "unfinished": "yellow",
    "interrupted": "magenta",
    "running": "bold",
    "damaged": "red",
}


_LABELS: dict[str, str] = {str(status): label for status, label in STATUS_LABELS.items()}


def status_text(status: str) -> Text:
    """A walk's status as the walker reads it ("ended early", not "unfinished"), styled."""
    return Text(visible(_LABELS.get(status, status)), style=STATUS_STYLES.get(status, ""))


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


def damaged_note(damaged: list[Damaged]) -> str:
    """What a screen says about the damaged rows it left out: the first, and how many."""
    if not damaged:
        return ""
    more = f" and {len(damaged) - 1} more" if len(damaged) > 1 else ""
    return f"Left out as damaged: {damaged[0]}{more}."


class ExportDialog(Dialog[str | None]):
    """Asks where to export; enter writes NAME.csv and NAME.json, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

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
            yield Static(Text("enter: export     esc: cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#export-error", Label).update("type a file name")
            return
        try:
            export_targets(event.value, example=self.default_name)
        except WalkcoachError as exc:  # a folder, or one that is missing: the dialog stays
            self.query_one("#export-error", Label).update(Text(visible(str(exc))))
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HistoryScreen(Page[None]):
    """Every walk, newest first; enter opens one, d deletes one, x exports them all."""

    DEFAULT_CSS = """
    #sessions {
        height: 1fr;
    }

    #history-note {
        height: auto;
    }
    """

    BINDINGS = [
        Binding("enter", "open", "Segments", priority=True),
        Binding("d,delete", "delete", "Delete"),
        Binding("x", "export_all", "Export all"),
        Binding("escape,q", "close", "Back"),
        # Pressed where the footer does not offer them, they say why they do nothing.
        Binding("enter", "refused('open')", show=False, priority=True),
        Binding("x", "refused('export_all')", show=False),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[SessionRow | Damaged] = []
        self._keys_for: str | None = None  # the kind of row the footer's keys are for

    # --- the footer: the keys the row under the cursor allows ------------------------

    def _row_kind(self) -> str:
        """The row under the cursor: "none" (no walks), "damaged" (unreadable) or "walk"."""
        if not self.is_mounted or not self.rows:
            return "none"
        return "damaged" if isinstance(self.selected(), Damaged) else "walk"

    def on_data_table_row_highlighted(self, _: RowTable.RowHighlighted) -> None:
        kind = self._row_kind()
        if kind != self._keys_for:  # the footer is redrawn only when it changes
            self._keys_for = kind
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        offered = {
            "open": ("walk",),  # a damaged row has no segments to show
            "delete": ("walk", "damaged"),
            "export_all": ("walk", "damaged"),
        }
        if action == "refused":
            return self._row_kind() not in offered[str(parameters[0])]
        return action not in offered or self._row_kind() in offered[action]

    def action_refused(self, action: str) -> None:
        getattr(self, f"action_{action}")()  # says why: damaged, or nothing to export

    def compose(self) -> ComposeResult:
        with Vertical(id="history", classes="page"):
            yield Static(Text("History", style="bold"), id="history-title", classes="page-title")
            yield RowTable(id="sessions", zebra_stripes=True)
            yield Static(id="history-note")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", RowTable)
        table.add_column("Date")
        table.add_column("Plan")
        table.add_column("Status")
        for label in ("Active", "Backward", "kcal"):
            table.add_column(Text(label, justify="right"))
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#sessions", RowTable)
        table.clear()
        note = self.query_one("#history-note", Static)
        if self.ctx.history is None:
            note.update(Text(self.ctx.history_error or "There is no history.", style="red"))
            self.rows = []
            return
        try:
            sessions, damaged = self.ctx.history.read_sessions()
        except (WalkcoachError, OSError) as exc:
            note.update(Text(visible(str(exc)), style="red"))
            self.rows = []
            return
        self.rows = [*sessions, *damaged]
        for row in sessions:
            table.add_row(
                f"{row.started_at.astimezone():%a %Y-%m-%d %H:%M}",
                Text(visible(row.plan_name)),
                status_text(row.status),
                Text(format_clock(row.active_s), justify="right"),
                Text(format_clock(row.backward_s), justify="right"),
                Text(f"{row.kcal:.0f}", justify="right"),
                key=str(row.id),
            )
        for bad in damaged:
            table.add_row(
                Text(visible(bad.what), style="dim"),
                Text(visible(bad.problem), style="dim"),
                status_text("damaged"),
                "",
                "",
                "",
                key=f"damaged {bad.session_id}",
            )
        text = Text(counted(len(sessions), "walk") if sessions else "No walks yet.")
        if damaged:
            text.append(
                f"  {counted(len(damaged), 'damaged row')} left out of everything; d deletes one.",
                style="red",
            )
        note.update(text)

    def selected(self) -> SessionRow | Damaged | None:
        table = self.query_one("#sessions", RowTable)
        if not self.rows or table.cursor_row < 0:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def action_open(self) -> None:
        row = self.selected()
        if isinstance(row, Damaged):
            self.notify(visible(f"Damaged: {row}"), severity="warning", markup=False)
        elif row is not None:
            self.app.push_screen(SessionDetailScreen(self.ctx, row))

    def action_delete(self) -> None:
        row, history = self.selected(), self.ctx.history
        if row is None or history is None:
            return
        if isinstance(row, Damaged):
            session_id, what = row.session_id, f"{row.what}, which is damaged"
        else:
            session_id = row.id
            what = (
                f"{row.plan_name}, {row.started_at.astimezone():%a %Y-%m-%d %H:%M}, "
                f"{format_clock(row.active_s)} active"
            )
        if session_id is None:
            return
        position = self.query_one("#sessions", RowTable).cursor_row

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                history.delete(session_id)
            except (WalkcoachError, OSError) as exc:
                self.notify(visible(f"Not deleted: {exc}"), severity="error", markup=False)
                return
            self.reload()
            table = self.query_one("#sessions", RowTable)
            if table.row_count:
                table.move_cursor(row=min(position, table.row_count - 1))
            self.notify("Walk deleted.", markup=False)

        self.app.push_screen(
            ConfirmDialog("Delete this walk?", f"{what}\nIt cannot be brought back."),
            answered,
        )

    def action_export_all(self) -> None:
        history = self.ctx.history
        if history is None or not self.rows:
            self.notify("There is nothing to export.", severity="warning")
            return

        def chosen(typed: str | None) -> None:
            if typed:
                export_both(self, typed, history.export, "the export of all walks")

        self.app.push_screen(
            ExportDialog("all walks", default_export_name(None, "history")), chosen
        )

    def action_close(self) -> None:
        self.dismiss(None)


class SessionDetailScreen(Page[None]):
    """One walk: its totals and every segment, planned against done."""

    DEFAULT_CSS = """
    #segments {
        height: 1fr;
    }

    #detail-summary {
        height: auto;
        margin-bottom: 1;
    }
    """

    BINDINGS = [
        Binding("e", "export", "Export"),
        Binding("escape,q", "close", "Back"),
    ]

    def __init__(self, ctx: AppContext, row: SessionRow) -> None:
        super().__init__()
        self.ctx = ctx
        self.row = row

    def compose(self) -> ComposeResult:
        with Vertical(id="session-detail", classes="page"):
            yield Static(self._title(), id="detail-title", classes="page-title")
            yield Static(self._summary(), id="detail-summary")
            yield RowTable(id="segments", zebra_stripes=True)
        yield Footer()

    def _title(self) -> Text:
        title = Text(visible(self.row.plan_name), style="bold")
        title.append(f"   {self.row.started_at.astimezone():%a %Y-%m-%d %H:%M}   ")
        title.append_text(status_text(self.row.status))
        return title

    def _summary(self) -> Text:
        row, unit = self.row, self.ctx.speed_unit
        return Text(
            f"Active {format_clock(row.active_s)}   "
            f"forward {format_clock(row.forward_s)} {format_distance(row.forward_km, unit)}   "
            f"backward {format_clock(row.backward_s)} {format_distance(row.backward_km, unit)}   "
            f"{row.kcal:.0f} kcal   pauses {row.pauses} ({format_clock(row.pause_s)})"
        )

    def on_mount(self) -> None:
        table = self.query_one("#segments", RowTable)
        table.add_column(Text("#", justify="right"))
        table.add_column("Direction")
        table.add_column("Label")
        for label in ("Planned", "Walked", "Speed", "Incline", "kcal"):
            table.add_column(Text(label, justify="right"))
        table.add_column("")
        history = self.ctx.history
        try:
            segments, damaged = (
                history.read_segments(self.row.id) if history is not None else ([], [])
            )
        except (WalkcoachError, OSError) as exc:
            self.notify(visible(str(exc)), severity="error", markup=False)
            segments, damaged = [], []
        if damaged:
            self.notify(visible(damaged_note(damaged)), severity="warning", markup=False)
        unit = self.ctx.speed_unit
        for s in segments:
            state = "skipped" if s.skipped else "done" if s.completed else ""
            table.add_row(
                Text(str(s.idx + 1), justify="right"),
                Text(s.direction, style=f"bold {DIRECTION_COLOURS[s.direction]}"),
                Text(visible(s.label)),
                Text(format_clock(s.planned_s), justify="right"),
                Text(format_clock(s.actual_s), justify="right"),
                Text(format_speed(s.actual_speed_kmh, unit), justify="right"),
                Text(f"{s.incline_pct:g} %", justify="right"),
                Text(f"{s.kcal:.1f}", justify="right"),
                Text(state, style="yellow" if s.skipped else "dim"),
            )

    def action_export(self) -> None:
        history = self.ctx.history
        if history is None:
            return
        session_id = self.row.id

        def chosen(typed: str | None) -> None:
            if typed:
                export_both(
                    self,
                    typed,
                    lambda path: history.export(path, session_id),
                    "the export of this walk",
                )

        name = default_export_name(self.row.started_at, self.row.plan_name)
        self.app.push_screen(ExportDialog("this walk", name), chosen)

    def action_close(self) -> None:
        self.dismiss(None)
