"""History: past walks newest first, one walk's segments, deleting a walk, and export to
CSV and JSON. A damaged row of the history is listed as damaged (it can be deleted) and
left out of everything else.

Also home to the export dialog the recap uses: an export writes NAME.csv and NAME.json
side by side (atomically), NAME typed or a default in the current folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Label, Static

from walkcoach.errors import WalkcoachError
from walkcoach.store.history import EXPORT_FORMATS, Damaged, Exported, SessionRow
from walkcoach.text import visible
from walkcoach.tui.context import AppContext
from walkcoach.tui.screens.dialogs import ConfirmDialog, Dialog
from walkcoach.tui.screens.page import Page
from walkcoach.tui.theme import DIRECTION_COLOURS
from walkcoach.units import counted, format_clock, format_distance, format_speed

STATUS_STYLES = {"finished": "", "unfinished": "yellow", "running": "bold", "damaged": "red"}


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


def export_both(screen: Widget, typed: str, write: Callable[[Path], object]) -> None:
    """Writes NAME.csv and NAME.json through `write(path)` and says how it went."""
    paths = export_paths(typed)
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
            yield Input(value=self.default_name, id="export-name")
            yield Label("", id="export-error", classes="field-error")
            yield Static(Text("enter: export     esc: cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#export-error", Label).update("type a file name")
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
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[SessionRow | Damaged] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="history", classes="page"):
            yield Static(Text("History", style="bold"), id="history-title", classes="page-title")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield Static(id="history-note")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_column("Date")
        table.add_column("Plan")
        table.add_column("Status")
        for label in ("Active", "Backward", "kcal"):
            table.add_column(Text(label, justify="right"))
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#sessions", DataTable)
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
                Text(visible(row.status), style=STATUS_STYLES.get(row.status, "")),
                Text(format_clock(row.active_s), justify="right"),
                Text(format_clock(row.backward_s), justify="right"),
                Text(f"{row.kcal:.0f}", justify="right"),
                key=str(row.id),
            )
        for bad in damaged:
            table.add_row(
                Text(visible(bad.what), style="dim"),
                Text(visible(bad.problem), style="dim"),
                Text("damaged", style=STATUS_STYLES["damaged"]),
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
        table = self.query_one("#sessions", DataTable)
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
        position = self.query_one("#sessions", DataTable).cursor_row

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                history.delete(session_id)
            except (WalkcoachError, OSError) as exc:
                self.notify(visible(f"Not deleted: {exc}"), severity="error", markup=False)
                return
            self.reload()
            table = self.query_one("#sessions", DataTable)
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
                export_both(self, typed, history.export)

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
            yield DataTable(id="segments", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def _title(self) -> Text:
        title = Text(visible(self.row.plan_name), style="bold")
        title.append(f"   {self.row.started_at.astimezone():%a %Y-%m-%d %H:%M}   ")
        title.append(visible(self.row.status), style=STATUS_STYLES.get(self.row.status, ""))
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
        table = self.query_one("#segments", DataTable)
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
                export_both(self, typed, lambda path: history.export(path, session_id))

        name = default_export_name(self.row.started_at, self.row.plan_name)
        self.app.push_screen(ExportDialog("this walk", name), chosen)

    def action_close(self) -> None:
        self.dismiss(None)
