"""The plan editor: renders an `editing.History` as a table and forwards keys to it.

All editing (what a key does to the plan, undo, the checks) lives in `walkcoach.editing`;
this screen shows the steps, the totals and the plan's problems, opens the forms and
saves through the plan library.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from walkcoach import editing
from walkcoach import plan as plans
from walkcoach.editing import Document, EditError, History, Row
from walkcoach.errors import WalkcoachError
from walkcoach.plan import Plan, PlanError, Problem, Repeat, Segment
from walkcoach.store.plans import PlanEntry
from walkcoach.text import visible
from walkcoach.tui.context import AppContext
from walkcoach.tui.screens.plan_dialogs import (
    LeaveChoice,
    LeaveDialog,
    PlanInfoDialog,
    RepeatDialog,
    SegmentDialog,
)
from walkcoach.tui.theme import DIRECTION_COLOURS
from walkcoach.tui.widgets.keyfooter import KeyFooter
from walkcoach.units import counted, format_clock, format_distance, format_speed

_STEP_INDEX = re.compile(r"steps\[(\d+)\]")
PANEL_PROBLEMS = 5  # problem lines below the totals; more are counted on the last one


def step_number(path: tuple[int, ...]) -> str:
    """How the table numbers a step: (1, 0) -> "2.1"."""
    return ".".join(str(i + 1) for i in path)


def where(problem: Problem) -> str:
    """A problem's place in the words the table uses: "steps[1].steps[0].speed_kmh" ->
    "step 2.1 speed_kmh"."""
    indices = [int(i) for i in _STEP_INDEX.findall(problem.path)]
    if not indices:
        return "plan" if problem.path in ("", "steps") else problem.path
    tail = problem.path.rsplit("]", 1)[-1].lstrip(".")
    place = f"step {step_number(tuple(indices))}"
    return f"{place} {tail}" if tail else place


class EditorScreen(Screen[bool]):
    """Dismisses with True when the plan was saved at least once."""

    DEFAULT_CSS = """
    #editor {
        padding: 0 1;
    }

    #editor-title, #editor-description {
        height: 1;
    }

    #steps {
        height: 1fr;
    }

    #editor-panel {
        height: auto;
        max-height: 7;  /* the border, the totals and PANEL_PROBLEMS lines */
        /* One row a line: a wrapped message would push the ones after it out. */
        text-wrap: nowrap;
        text-overflow: ellipsis;
        border-top: solid $primary 50%;
    }
    """

    BINDINGS = [
        Binding("enter", "edit", "Edit", key_display="⏎", priority=True),
        Binding("a", "add_segment", "Segment"),
        Binding("r", "add_block", "Repeat"),
        Binding("delete,d", "delete", "Delete", key_display="d"),
        Binding("shift+up,ctrl+up", "move(-1)", "Up", key_display="⇧↑"),
        Binding("shift+down,ctrl+down", "move(1)", "Down", key_display="⇧↓"),
        Binding("t", "toggle_direction", "Direction"),
        Binding("right_square_bracket,plus", "nudge(1)", "+15s", key_display="]"),
        Binding("left_square_bracket,minus", "nudge(-1)", "-15s", key_display="["),
        Binding("u,ctrl+z", "undo", "Undo", key_display="u"),
        Binding("ctrl+y", "redo", "Redo", key_display="^y"),
        Binding("ctrl+s", "save", "Save", key_display="^s"),
        Binding("f2,ctrl+r", "rename", "Name", key_display="F2"),
        Binding("escape", "leave", "Back", key_display="esc"),
    ]

    def __init__(self, ctx: AppContext, plan: Plan, entry: PlanEntry | None = None) -> None:
        """`entry` is the user plan being changed; without it the first save makes a new
        file (a new plan, or a copy)."""
        super().__init__()
        self.ctx = ctx
        self.entry = entry
        self.history = History.start(plan, saved=entry is not None)
        self.saved_once = False
        self._rows: list[Row] = []

    # --- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="editor"):
            yield Static(id="editor-title")
            yield Static(id="editor-description")
            yield DataTable(id="steps", cursor_type="row", zebra_stripes=True)
            yield Static(id="editor-panel")
        yield KeyFooter(columns=7)

    def on_mount(self) -> None:
        table = self.query_one("#steps", DataTable)
        table.add_column("#", key="number")
        table.add_column("Step", key="step")
        table.add_column("Direction", key="direction")
        table.add_column(Text("Time", justify="right"), key="time")
        table.add_column(Text("Speed", justify="right"), key="speed")
        table.add_column(Text("Incline", justify="right"), key="incline")
        self.render_document()

    @property
    def doc(self) -> Document:
        return self.history.present

    # --- drawing -------------------------------------------------------------------

    def render_document(self) -> None:
        plan = self.doc.plan
        found = editing.check(plan)
        title = Text("Plan: ", style="bold")
        title.append(visible(plan.name), style="bold")
        if self.history.dirty:
            title.append("  (unsaved changes)", style="yellow")
        self.query_one("#editor-title", Static).update(title)
        description = Text(
            visible(plan.description, allow="\n") or "(no description: F2 to add one)",
            style="italic dim",
            no_wrap=True,
            overflow="ellipsis",
        )
        self.query_one("#editor-description", Static).update(description)
        self._fill_table(found)
        self.query_one("#editor-panel", Static).update(self._panel(plan, found))

    def _fill_table(self, found: editing.Check) -> None:
        table = self.query_one("#steps", DataTable)
        self._rows = self.doc.rows()
        table.clear()
        unit = self.ctx.speed_unit
        for row in self._rows:
            problems = found.problems_at(row.path)
            mark = Text(step_number(row.path))
            if any(p in found.errors for p in problems):
                mark.append(" x", style="bold red")
            elif problems:
                mark.append(" !", style="bold yellow")
            indent = "│ " * row.depth
            step = row.step
            if isinstance(step, Repeat):
                name = Text(indent)
                name.append(f"Repeat x{step.times}", style="bold")
                if step.label:
                    name.append("  ")
                    name.append(visible(step.label))
                if not step.steps:
                    name.append("  (empty: press a to add)", style="dim")
                seconds = step.times * plans.total_seconds(step.steps)
                cells = [mark, name, Text(""), Text(format_clock(seconds), justify="right")]
                cells += [Text(""), Text("")]
            else:
                name = Text(indent)
                name.append(visible(step.label))
                cells = [
                    mark,
                    name,
                    self._direction(step),
                    Text(plans.format_duration(step.seconds), justify="right"),
                    Text(format_speed(step.speed_kmh, unit), justify="right"),
                    Text(f"{step.incline_pct:g} %", justify="right"),
                ]
            table.add_row(*cells, key=editing.path_text(row.path))
        if self.doc.cursor is not None:
            index = next(i for i, r in enumerate(self._rows) if r.path == self.doc.cursor)
            table.move_cursor(row=index, animate=False)

    @staticmethod
    def _direction(segment: Segment) -> Text:
        return Text(segment.direction, style=f"bold {DIRECTION_COLOURS[segment.direction]}")

    def _panel(self, plan: Plan, found: editing.Check) -> Text:
        unit = self.ctx.speed_unit
        weight = self.ctx.weight_kg
        summary = plans.summarize(plan, weight)
        text = Text()
        text.append("Total ", style="bold")
        text.append(format_clock(summary.total_s))
        text.append("   Backward ", style="bold")
        text.append(f"{summary.backward_share:.0%}")
        text.append("   Distance ", style="bold")
        text.append(format_distance(summary.forward_km + summary.backward_km, unit))
        text.append("   Est. ", style="bold")
        text.append(f"{summary.kcal:.0f} kcal ({weight:g} kg)")
        problems = [("Error ", "bold red", p) for p in found.errors]
        problems += [("Warning ", "bold yellow", p) for p in found.warnings]
        shown = problems if len(problems) <= PANEL_PROBLEMS else problems[: PANEL_PROBLEMS - 1]
        for kind, style, problem in shown:
            text.append(f"\n{kind}", style=style)
            text.append(f"{where(problem)}: {problem.message}")
        if len(shown) < len(problems):
            rest = len(problems) - len(shown)
            errors = max(0, len(found.errors) - len(shown))  # errors are listed first
            warnings = rest - errors
            if errors and warnings:
                more = f"{rest} more ({counted(errors, 'error')}, {counted(warnings, 'warning')})"
            else:
                more = counted(rest, "more error" if errors else "more warning")
            text.append(
                f"\n... and {more}; the steps with problems are marked x or ! in the table",
                style="bold",
            )
        if not problems:
            text.append("\nNo problems found.", style="dim")
        return text

    # --- keys ----------------------------------------------------------------------

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        # The table's cursor now, not the event's row: a rebuild posts stale events.
        row = self.query_one("#steps", DataTable).cursor_row
        if 0 <= row < len(self._rows) and self._rows[row].path != self.doc.cursor:
            self.history = self.history.move_cursor(self._rows[row].path)

    def apply(self, operation: Callable[[Document], Document]) -> None:
        try:
            self.history = self.history.apply(operation)
        except EditError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.render_document()

    def action_add_segment(self) -> None:
        self.apply(editing.add_segment)

    def action_add_block(self) -> None:
        self.apply(editing.add_block)

    def action_delete(self) -> None:
        self.apply(editing.delete)

    def action_move(self, delta: int) -> None:
        self.apply(lambda doc: editing.move(doc, delta))

    def action_toggle_direction(self) -> None:
        self.apply(editing.toggle_direction)

    def action_nudge(self, sign: int) -> None:
        self.apply(lambda doc: editing.nudge(doc, sign * editing.NUDGE_S))

    def action_undo(self) -> None:
        self._travel(self.history.undo)

    def action_redo(self) -> None:
        self._travel(self.history.redo)

    def _travel(self, step: Callable[[], History]) -> None:
        try:
            self.history = step()
        except EditError as exc:
            self.notify(str(exc), severity="information", markup=False)
            return
        self.render_document()

    def action_edit(self) -> None:
        step = self.doc.step()
        if step is None:
            self.notify("The plan has no steps yet: press a to add a segment.", markup=False)
            return
        where_now = self.doc.cursor

        def edited(new: object) -> None:
            if isinstance(new, Segment | Repeat):
                self.apply(lambda doc: editing.replace_step(doc, new, where_now))

        if isinstance(step, Repeat):
            self.app.push_screen(RepeatDialog(step), edited)
        else:
            title = f"Step {step_number(where_now or (0,))}"
            self.app.push_screen(SegmentDialog(step, self.ctx.speed_unit, title), edited)

    def action_rename(self) -> None:
        plan = self.doc.plan

        def renamed(result: object) -> None:
            if isinstance(result, tuple):
                name, description = result
                self.apply(lambda doc: editing.rename(doc, name, description))

        self.app.push_screen(PlanInfoDialog(plan.name, plan.description), renamed)

    def action_save(self) -> None:
        self.save()

    def save(self) -> bool:
        """Saves through the library; refuses (keeping the work) while there are errors."""
        plan = self.doc.plan
        errors = editing.check(plan).errors
        if errors:
            first = errors[0]
            self.notify(
                f"Not saved: fix {counted(len(errors), 'problem')} first "
                f"({where(first)}: {first.message}). Your changes are kept.",
                severity="error",
                timeout=8,
                markup=False,
            )
            return False
        try:
            path = self.ctx.library.save(plan, replacing=self.entry)
        except (PlanError, WalkcoachError, OSError) as exc:
            self.notify(visible(f"Not saved: {exc}"), severity="error", timeout=10, markup=False)
            return False
        self.entry = PlanEntry(plan.name, "user", path, plan)
        self.history = self.history.mark_saved()
        self.saved_once = True
        self.notify(f"Saved to {path}", markup=False)
        self.render_document()
        return True

    def action_leave(self) -> None:
        if not self.history.dirty:
            self.dismiss(self.saved_once)
            return

        def chosen(choice: LeaveChoice | None) -> None:
            if choice == "discard" or (choice == "save" and self.save()):
                self.dismiss(self.saved_once)

        self.app.push_screen(LeaveDialog(self.doc.plan.name), chosen)
