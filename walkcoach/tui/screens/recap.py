"""The recap after a walk, finished or ended early: what it came to, what walking
backward added, MET over the walk, and where it stands in the history.

The figures come from `walkcoach.recap` (pure); this screen lays them out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Footer, Static

from walkcoach import recap
from walkcoach.errors import WalkcoachError
from walkcoach.store.history import (
    Activity,
    Status,
    result_record,
    result_segments,
    session_export,
)
from walkcoach.text import visible
from walkcoach.tui.context import AppContext
from walkcoach.tui.screens.page import Page
from walkcoach.tui.screens.session import SessionOutcome
from walkcoach.tui.theme import DIRECTION_COLOURS
from walkcoach.units import counted, format_clock, format_distance

AXIS_WIDTH = 4  # "8.0 " beside the chart's top row


class MetChart(Widget):
    """MET over the walk: one column per slice of time, coloured by direction."""

    def __init__(self, series: list[recap.Bar], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.series = series

    def render(self) -> RenderableType:
        width = max(0, self.size.width - AXIS_WIDTH)
        height = max(1, self.size.height - 1)  # the last row is the time axis
        columns = recap.chart_columns(self.series, width)
        if not columns:
            return Text("Nothing walked.", style="dim")
        top = recap.chart_top(self.series)
        rows = recap.block_rows([c.met for c in columns], top, height)
        text = Text()
        for y, row in enumerate(rows):
            axis = f"{top:>3}" if y == 0 else "  0" if y == height - 1 else ""
            text.append(f"{axis:<{AXIS_WIDTH - 1}} ", style="dim")
            for x, cell in enumerate(row):
                text.append(cell, style=DIRECTION_COLOURS[columns[x].direction])
            text.append("\n")
        end = format_clock(sum(bar.seconds for bar in self.series))
        text.append(" " * AXIS_WIDTH + "0:00" + end.rjust(width - 4), style="dim")
        return text


class RecapScreen(Page[None]):
    DEFAULT_CSS = """
    #recap-figures {
        height: auto;
        margin-bottom: 1;
    }

    #recap-walk {
        width: 1fr;
        height: auto;
    }

    #recap-energy {
        width: auto;
        height: auto;
    }

    #recap-chart-title {
        height: 1;
    }

    #recap-chart {
        height: 1fr;
        min-height: 3;
    }

    #recap-standing {
        height: auto;
        margin-bottom: 1;
    }
    """

    BINDINGS = [
        Binding("enter", "done", "Done", priority=True),
        Binding("r", "repeat", "Repeat"),
        Binding("e", "export", "Export"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, ctx: AppContext, outcome: SessionOutcome) -> None:
        super().__init__()
        self.ctx = ctx
        self.outcome = outcome
        self.totals = recap.totals(outcome.result)
        self.started_at, self.standing, self.history_note = self._look_up_history()

    def _look_up_history(self) -> tuple[datetime, recap.Standing, str | None]:
        """When the walk started, where it stands, and why the history is left out."""
        now = datetime.now(UTC)
        history, session_id = self.ctx.history, self.outcome.session_id
        result = self.outcome.result
        note = None
        others: list[Activity] = []
        started_at = now
        if history is None or session_id is None:
            note = self.ctx.history_error or "This walk was not saved in the history."
        else:
            try:
                activity = history.activity()
            except (WalkcoachError, OSError) as exc:
                note = str(exc)
            else:
                others = [a for a in activity if a.session_id != session_id]
                started_at = next(
                    (a.started_at for a in activity if a.session_id == session_id), now
                )
        this = Activity(session_id, started_at, result.active_s, result.seconds("backward"))
        return started_at, recap.standing(others, this, now, None), note

    def compose(self) -> ComposeResult:
        with Vertical(id="recap", classes="page"):
            yield Static(self._title(), id="recap-title", classes="page-title")
            with Horizontal(id="recap-figures"):
                yield Static(self._walk_table(), id="recap-walk")
                yield Static(self._energy_table(), id="recap-energy")
            yield Static(self._standing(), id="recap-standing")
            yield Static(Text("MET over the walk", style="bold"), id="recap-chart-title")
            yield MetChart(
                recap.met_series(self.outcome.result, self.ctx.weight_kg), id="recap-chart"
            )
        yield Footer()

    # --- what it shows ---------------------------------------------------------------

    def _title(self) -> Text:
        finished = self.outcome.result.finished
        title = Text("Finished: " if finished else "Ended early: ", style="bold")
        title.append(visible(self.outcome.plan.name), style="bold")
        title.append(f"   {self.started_at.astimezone():%a %d %b %H:%M}", style="dim")
        return title

    def _walk_table(self) -> Group:
        t, unit = self.totals, self.ctx.speed_unit
        table = Table.grid(padding=(0, 2))
        table.add_column(min_width=8)
        table.add_column(justify="right")
        table.add_column(justify="right")
        table.add_row(Text("Active", style="bold"), Text(format_clock(t.active_s), "bold"), "")
        for direction, seconds, km in (
            ("forward", t.forward_s, t.forward_km),
            ("backward", t.backward_s, t.backward_km),
        ):
            table.add_row(
                Text(direction.capitalize(), style=f"bold {DIRECTION_COLOURS[direction]}"),
                format_clock(seconds),
                format_distance(km, unit),
            )
        segments = Text(f"Segments  {t.done} of {t.segments} done")
        if t.skipped:
            segments.append(f", {t.skipped} skipped")
        if t.left:
            segments.append(f", {t.left} left")
        pauses = f"{t.pauses}, {format_clock(t.pause_s)}" if t.pauses else "none"
        return Group(table, segments, Text(f"Pauses    {pauses}"))

    def _energy_table(self) -> Group:
        t = self.totals
        table = Table.grid(padding=(0, 2))
        table.add_column(min_width=14)
        table.add_column(justify="right")
        table.add_row(Text("kcal", style="bold"), Text(f"{t.kcal:.0f}", style="bold"))
        for direction, kcal in (("forward", t.kcal_forward), ("backward", t.kcal_backward)):
            table.add_row(Text(f"  {direction}", DIRECTION_COLOURS[direction]), f"{kcal:.0f}")
        extra = t.backward_extra_kcal
        table.add_row(
            "Backward added", Text(f"+{extra:.{1 if extra < 10 else 0}f} kcal", style="bold")
        )
        share = Text(f"  +{t.backward_extra_pct:.0f} %", style="bold")
        share.append(" vs. all forward", style="dim")
        return Group(table, share)

    def _standing(self) -> Text:
        if self.history_note:
            return Text(self.history_note, style="yellow")
        s = self.standing
        text = Text("This week ")
        text.append(f"{s.week_active_s / 60:.0f} min", style="bold")
        text.append("   Streak ")
        text.append(counted(s.streak_days, "day"), style="bold")
        text.append("   Best backward ")
        text.append(f"{s.best_backward_s / 60:.1f} min", style="bold")
        if s.is_backward_best:
            text.append("  NEW BEST", style=f"bold reverse {DIRECTION_COLOURS['backward']}")
        return text

    # --- keys ------------------------------------------------------------------------

    def action_done(self) -> None:
        self.dismiss(None)

    def action_repeat(self) -> None:
        from walkcoach.tui.app import WalkcoachApp

        app = self.app
        assert isinstance(app, WalkcoachApp)
        self.dismiss(None)
        app.begin_session(self.outcome.plan)

    def action_export(self) -> None:
        from walkcoach.tui.screens.history import ExportDialog, default_export_name, export_both

        def chosen(typed: str | None) -> None:
            if typed:
                export_both(self, typed, self._write_export)

        name = default_export_name(self.started_at, self.outcome.plan.name)
        self.app.push_screen(ExportDialog("this walk", name), chosen)

    def _write_export(self, path: Path) -> None:
        history, session_id = self.ctx.history, self.outcome.session_id
        if history is not None and session_id is not None:
            history.export(path, session_id)
            return
        # Not in the history: export what the walk came to from the result itself.
        from walkcoach.store.atomic import atomic_write_text
        from walkcoach.store.history import export_format

        result = self.outcome.result
        status: Status = "finished" if result.finished else "unfinished"
        record = result_record(
            self.outcome.plan.name, self.ctx.weight_kg, self.started_at, status, result
        )
        segments = result_segments(None, result)
        atomic_write_text(path, session_export(record, segments, export_format(path)))
