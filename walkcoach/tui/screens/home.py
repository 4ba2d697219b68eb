"""Home: the plan library, with each plan's time, backward minutes and estimated kcal."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from walkcoach import plan as plans
from walkcoach.store.plans import PlanEntry
from walkcoach.tui.context import AppContext
from walkcoach.units import format_clock


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "start", "Start", priority=True),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.entries: list[PlanEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static(Text("walkcoach", style="bold"), id="home-title")
            yield Static(id="profile-line")
            yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
            yield Static(id="plan-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#plans", DataTable)
        table.add_columns("Plan", "Source", "Time", "Backward", "kcal")
        self.reload()
        for problem in (self.ctx.profile_error, self.ctx.history_error):
            if problem:
                self.notify(problem, severity="warning", timeout=10, markup=False)

    def reload(self) -> None:
        self.entries = self.ctx.library.entries()
        table = self.query_one("#plans", DataTable)
        table.clear()
        weight = self.ctx.weight_kg
        for i, entry in enumerate(self.entries):
            if entry.plan is None:
                table.add_row(
                    Text(entry.name),
                    entry.source,
                    Text("cannot be read", style="bold red"),
                    "",
                    "",
                    key=str(i),
                )
                continue
            summary = plans.summarize(entry.plan, weight)
            table.add_row(
                Text(entry.name),
                entry.source,
                Text(format_clock(summary.total_s), justify="right"),
                Text(f"{summary.backward_s / 60:.1f} min", justify="right"),
                Text(f"{summary.kcal:.0f}", justify="right"),
                key=str(i),
            )
        self.update_profile_line()
        self.show_detail()

    def update_profile_line(self) -> None:
        line = Text(f"Calories for {self.ctx.weight_kg:g} kg")
        if self.ctx.weight_is_default:
            line.append("  (weight not set: counting with 70 kg)", style="dim")
        self.query_one("#profile-line", Static).update(line)

    def selected(self) -> PlanEntry | None:
        table = self.query_one("#plans", DataTable)
        if not self.entries or table.cursor_row < 0:
            return None
        return self.entries[min(table.cursor_row, len(self.entries) - 1)]

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        entry = self.selected()
        detail = self.query_one("#plan-detail", Static)
        if entry is None:
            detail.update("")
        elif entry.plan is None:
            detail.update(Text(str(entry.error), style="red"))
        else:
            detail.update(Text(entry.plan.description or "", style="italic"))

    def action_start(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if entry.plan is None:
            self.notify(str(entry.error), severity="error", markup=False)
            return
        from walkcoach.tui.app import WalkcoachApp

        app = self.app
        assert isinstance(app, WalkcoachApp)
        app.begin_session(entry.plan)
