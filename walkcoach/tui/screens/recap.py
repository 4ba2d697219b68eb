"""The recap after a walk, finished or ended early: what it came to, what walking
backward added, MET over the walk, and where it stands in the history.

The figures come from `walkcoach.recap` (pure); this screen lays them out. The walk's
last save may still be under way (walkcoach.recorder): while it cannot be written the
recap says so, and s tries again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Footer, Static

from walkcoach import recap
from walkcoach.errors import WalkcoachError
from walkcoach.palette import DIRECTION_COLOURS
from walkcoach.plan import Plan
from walkcoach.recorder import FINAL_SAVE_WAIT_S, final_status
from walkcoach.store.history import (
    STATUS_LABELS,
    Status,
    result_record,
    result_segments,
    session_export,
)
from walkcoach.text import visible
from walkcoach.tui.context import AppContext
from walkcoach.tui.screens.page import Page
from walkcoach.tui.screens.session import SessionOutcome
from walkcoach.units import counted, format_clock, format_distance
from walkcoach.walks import Activity, WalkTotals

if TYPE_CHECKING:
    from walkcoach.formats.walk import Walk
    from walkcoach.store.history import Damaged, History

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


class RecapScreen(Page[Plan | None]):
    """Dismisses with the plan to walk again (r), or None."""

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

    #recap-saving {
        height: auto;
        margin-bottom: 1;
        color: $warning;
    }
    """

    BINDINGS = [
        Binding("enter", "done", "Done", priority=True),
        Binding("escape", "done", "Done", show=False),
        Binding("r", "repeat", "Repeat"),
        Binding("e", "export", "Export"),
        Binding("s", "save", "Save now"),
        Binding("q", "quit", "Quit"),
    ]

    class SavingChanged(Message):
        """The walk's writer has news: it cannot save the walk, or it has saved it."""

    def __init__(
        self, ctx: AppContext, outcome: SessionOutcome, back_to_shell: bool = False
    ) -> None:
        """`back_to_shell`: the walk was started by `walkcoach run`, and Done (or esc)
        leaves walkcoach with a line saying what was saved, instead of going to Home."""
        super().__init__()
        self.ctx = ctx
        self.outcome = outcome
        self.back_to_shell = back_to_shell
        self.recorder = outcome.recorder
        self.status: Status = self.recorder.status or final_status(outcome.result)
        self.totals = WalkTotals.of(outcome.result)
        started_at = outcome.result.started_at
        assert started_at is not None, "the session screen starts every walk with its time"
        self.started_at = started_at
        self.standing, self.history_note = self._look_up_history()

    def _look_up_history(self) -> tuple[recap.Standing, str | None]:
        """Where the walk stands (from memory: its save may still be under way) and why
        the history is left out."""
        now = self.ctx.wall_clock()
        history, session_id = self.ctx.history, self.recorder.session_id
        note = None
        others: list[Activity] = []
        this: Activity | None = None
        if history is None:
            note = self.ctx.history_error or "This walk was not saved in the history."
        elif not self.recorder.recorded:
            note = "Nothing was walked (it ended in the lead-in), so it is not in the history."
        else:
            # Known in the history by its start, which its recorder stored (its row is left
            # out of `others` by it while its ID is not known yet).
            this = Activity(
                session_id, self.started_at, self.totals.active_s, self.totals.backward_s
            )
            try:
                others = history.activity()  # `standing` leaves this walk's own row out
            except (WalkcoachError, OSError) as exc:
                note = str(exc)
        return recap.standing(others, this, now, None), note

    def compose(self) -> ComposeResult:
        with Vertical(id="recap", classes="page"):
            yield Static(self._title(), id="recap-title", classes="page-title")
            with Horizontal(id="recap-figures"):
                yield Static(self._walk_table(), id="recap-walk")
                yield Static(self._energy_table(), id="recap-energy")
            yield Static(self._standing(), id="recap-standing")
            yield Static(id="recap-saving")
            yield Static(Text("MET over the walk", style="bold"), id="recap-chart-title")
            yield MetChart(recap.met_series(self.outcome.result), id="recap-chart")
        yield Footer()

    def on_mount(self) -> None:
        # Listening first, then showing how it stands: no news falls in between.
        self.recorder.on_change = lambda: self.post_message(self.SavingChanged())
        self._show_saving()

    def on_recap_screen_saving_changed(self, _: SavingChanged) -> None:
        self._show_saving()

    def _show_saving(self) -> None:
        saving = self.query_one("#recap-saving", Static)
        problem = self.recorder.problem
        saving.display = problem is not None
        if problem is not None:
            saving.update(
                Text(
                    f"Not saved yet: {problem}. The walk is kept here and saved as soon as "
                    "the history can be written; s tries again now, e exports it.",
                )
            )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":  # offered while the walk cannot be saved, as it says
            return self.recorder.problem is not None and not self.recorder.saved
        return True

    def _settle(self) -> None:
        """Leaving: a save under way (and not failing) gets a bounded time to land, so
        that Home, the History screen or the end of the program find the walk in it."""
        if self.recorder.problem is None:
            self.recorder.wait(FINAL_SAVE_WAIT_S)

    def on_unmount(self) -> None:
        self.recorder.on_change = None
        self._settle()

    # --- what it shows ---------------------------------------------------------------

    def _title(self) -> Text:
        title = Text(f"{STATUS_LABELS[self.status].capitalize()}: ", style="bold")
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
        planned = len(self.outcome.result.records)
        segments = Text(f"Segments  {t.segments_done} of {planned} done")
        if t.segments_skipped:
            segments.append(f", {t.segments_skipped} skipped")
        # Neither done nor skipped: the walk ended in or before them.
        if left := planned - t.segments_done - t.segments_skipped:
            segments.append(f", {left} left")
        pauses = f"{t.pauses}, {format_clock(t.pause_s)}" if t.pauses else "none"
        return Group(
            table,
            segments,
            Text(f"Pauses    {pauses}"),
            Text(f"Hands     {recap.holds_text(t)}"),
            Text(f"Rest      {recap.rest_text(t.personal)}"),
        )

    def _energy_table(self) -> Group:
        t = self.totals
        table = Table.grid(padding=(0, 2))
        table.add_column(min_width=14)
        table.add_column(justify="right")
        # Whole kcal that add up: 3.8 + 2.5 is shown as 4 + 2 under a total of 6.
        forward, backward = recap.whole_parts([t.kcal_forward, t.kcal_backward])
        table.add_row(Text("kcal", style="bold"), Text(f"{forward + backward}", style="bold"))
        for direction, kcal in (("forward", forward), ("backward", backward)):
            table.add_row(Text(f"  {direction}", DIRECTION_COLOURS[direction]), f"{kcal}")
        table.add_row("  net", f"{round(t.kcal_net)}")
        extra = t.backward_extra_kcal
        table.add_row(
            "Backward added", Text(f"+{extra:.{1 if extra < 10 else 0}f} kcal", style="bold")
        )
        share = Text(f"  +{t.backward_extra_pct:.0f} %", style="bold")
        share.append(" vs. all forward", style="dim")
        # The estimate as it is: a range (what it was counted with is beside it).
        return Group(table, share, Text(recap.estimate_text(t).capitalize()))

    def _standing(self) -> Text:
        if self.history_note:
            return Text(visible(self.history_note), style="yellow")
        s = self.standing
        text = Text("This week ")
        text.append(format_clock(round(s.week_active_s)), style="bold")
        text.append("   Streak ")
        text.append(counted(s.streak_days, "day"), style="bold")
        text.append("   Best backward ")
        text.append(format_clock(round(s.best_backward_s)), style="bold")
        if s.is_backward_best:
            text.append("  NEW BEST", style=f"bold reverse {DIRECTION_COLOURS['backward']}")
        return text

    # --- keys ------------------------------------------------------------------------

    def action_done(self) -> None:
        if self.back_to_shell:
            self._leave_walkcoach(said=True)
            return
        self._settle()
        self.dismiss(None)

    def action_save(self) -> None:
        self.recorder.retry()

    def action_quit(self) -> None:
        """q and ctrl+q: leave walkcoach; asked first while the walk cannot be saved,
        since it is kept only in memory until then."""
        self._leave_walkcoach(said=self.back_to_shell)

    def _leave_walkcoach(self, said: bool) -> None:
        """Every way out of walkcoach from here (q, ctrl+q, and Done after `walkcoach
        run`) asks the same question while the walk is unsaved; `said`: a line after
        the screen is gone says what became of the walk."""

        def leave() -> None:
            self._settle()
            self.app.exit(message=self._farewell() if said else None)

        if self.recorder.saved or self.recorder.problem is None:
            leave()
            return
        from walkcoach.tui.dialogs.confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                leave()

        self.app.push_screen(
            ConfirmDialog(
                "Quit without saving this walk?",
                "The history cannot be written yet, so the walk would be lost; "
                "e exports it to a file first.",
            ),
            answered,
        )

    def _farewell(self) -> Text:
        """What became of the walk, as the shell's last line."""
        recorder = self.recorder
        if recorder.recorded and recorder.saved:
            line, why = Text("Saved in the history: "), ""
        elif recorder.recorded:
            problem = recorder.problem or "its last save was still under way"
            line, why = Text("Not saved in the history: "), f" {problem}."
        else:
            line, why = Text("Not saved in the history: "), f" {self.history_note or ''}"
        line.append(visible(self.outcome.plan.name), style="bold")
        line.append(f", {STATUS_LABELS[self.status]}, {format_clock(self.totals.active_s)} walked.")
        line.append(visible(why.rstrip()))
        return line

    def action_repeat(self) -> None:
        """Walks the plan again: the recap closes with it, for the app to start."""
        self._settle()
        self.dismiss(self.outcome.plan)

    def action_export(self) -> None:
        from walkcoach.tui.dialogs.export import WalkSource, ask_and_export, default_export_name

        name = default_export_name(self.started_at, self.outcome.plan.name)
        source = WalkSource(self._write_export, self._export_walks)
        ask_and_export(self, self.ctx, "this walk", name, source)

    def _saved_walk(self) -> tuple[History, int] | None:
        """The history and the walk's ID in it, once all of it is saved there."""
        history, session_id = self.ctx.history, self.recorder.session_id
        if history is not None and session_id is not None and self.recorder.saved:
            return history, session_id
        return None

    def _export_walks(self) -> tuple[list[Walk], list[Damaged]]:
        """The walk for FIT and TCX: as saved in the history, else from memory."""
        saved = self._saved_walk()
        if saved is not None:
            from walkcoach.formats.files import history_walks

            return history_walks(*saved)
        from walkcoach.formats.walk import from_result

        return [from_result(self.outcome.plan.name, self.started_at, self.outcome.result)], []

    def _write_export(self, path: Path) -> None:
        saved = self._saved_walk()
        if saved is not None:
            history, session_id = saved
            history.export(path, session_id)
            return
        # Not (all) in the history: export what the walk came to from memory.
        from walkcoach.store.atomic import atomic_write_text
        from walkcoach.store.history import export_format

        result = self.outcome.result
        record = result_record(
            self.outcome.plan.name, self.ctx.weight_kg, self.started_at, self.status, result
        )
        segments = result_segments(None, result)
        atomic_write_text(path, session_export(record, segments, export_format(path)))
