"""History: past walks newest first, one walk's segments, deleting a walk, and export to
CSV, JSON, FIT and TCX (`walkcoach.tui.dialogs.export`). A damaged row of the history is
listed as damaged (it can be deleted) and left out of everything else.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from walkcoach.errors import WalkcoachError
from walkcoach.palette import DIRECTION_COLOURS
from walkcoach.store.history import STATUS_LABELS, Damaged, SessionRow
from walkcoach.text import visible
from walkcoach.tui.context import AppContext
from walkcoach.tui.dialogs.confirm import ConfirmDialog
from walkcoach.tui.dialogs.export import WalkSource, ask_and_export, default_export_name
from walkcoach.tui.rowkeys import RowKeys
from walkcoach.tui.screens.page import Page
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


def damaged_note(damaged: list[Damaged]) -> str:
    """What a screen says about the damaged rows it left out: the first, and how many."""
    if not damaged:
        return ""
    more = f" and {len(damaged) - 1} more" if len(damaged) > 1 else ""
    return f"Left out as damaged: {damaged[0]}{more}."


class HistoryScreen(RowKeys, Page[None]):
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

    # The keys that act on the walk under the cursor, and the rows they are offered on;
    # pressed elsewhere they say why: damaged, or nothing to export.
    ROW_KEYS = {
        "open": frozenset({"walk"}),  # a damaged row has no segments to show
        "delete": frozenset({"walk", "damaged"}),
        "export_all": frozenset({"walk", "damaged"}),
    }

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[SessionRow | Damaged] = []

    # --- the footer: the keys the row under the cursor allows (RowKeys) -------------

    def row_kind(self) -> str:
        """The row under the cursor: "none" (no walks), "damaged" (unreadable) or "walk"."""
        if not self.is_mounted or not self.rows:
            return "none"
        return "damaged" if isinstance(self.selected(), Damaged) else "walk"

    def on_data_table_row_highlighted(self, _: RowTable.RowHighlighted) -> None:
        self.offer_keys_for_row()

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

        from walkcoach.formats.files import history_walks

        source = WalkSource(history.export, lambda: history_walks(history), one_each=True)
        ask_and_export(self, self.ctx, "all walks", default_export_name(None, "history"), source)

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
        from walkcoach.formats.files import history_walks

        session_id = self.row.id
        source = WalkSource(
            lambda path: history.export(path, session_id),
            lambda: history_walks(history, session_id),
        )
        name = default_export_name(self.row.started_at, self.row.plan_name)
        ask_and_export(self, self.ctx, "this walk", name, source)

    def action_close(self) -> None:
        self.dismiss(None)
