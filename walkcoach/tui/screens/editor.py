"""The plan editor: renders an `editing.EditHistory` as a table and forwards keys to it.

All editing (what a key does to the plan, undo, the checks) lives in `walkcoach.editing`;
this screen shows the steps, the totals and the plan's problems, opens the forms and
saves through the plan library.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from walkcoach import editing
from walkcoach import plan as plan_module
from walkcoach.editing import Document, EditError, EditHistory, Row
from walkcoach.errors import WalkcoachError
from walkcoach.palette import DIRECTION_COLOURS
from walkcoach.plan import Plan, PlanError, Problem, Repeat, Segment
from walkcoach.store.plans import PlanEntry, taken_message
from walkcoach.text import visible
from walkcoach.tui.context import AppContext
from walkcoach.tui.dialogs.leave import LeaveChoice, LeaveDialog
from walkcoach.tui.dialogs.plan_info import PlanInfoDialog
from walkcoach.tui.dialogs.repeat import RepeatDialog
from walkcoach.tui.dialogs.segment import SegmentDialog
from walkcoach.tui.rowkeys import RowKeys
from walkcoach.tui.widgets.keyfooter import KeyFooter
from walkcoach.tui.widgets.rowtable import RowTable
from walkcoach.units import counted, format_clock, format_distance, format_speed, format_weight

_STEP_INDEX = re.compile(r"steps\[(\d+)\]")
# What a plan file's keys are called on screen: the walker's unit is not the file's.
_FIELD_WORDS = {"speed_kmh": "speed", "speed_mph": "speed", "incline_pct": "incline", "steps": ""}
TABLE_KEEPS_ROWS = 4  # the panel grows into the table down to its header and these rows


def step_number(path: tuple[int, ...]) -> str:
    """How the table numbers a step: (1, 0) -> "2.1"."""
    return ".".join(str(i + 1) for i in path)


def where(problem: Problem) -> str:
    """A problem's place in the words the table uses: "steps[1].steps[0].speed_kmh" ->
    "step 2.1 speed" (the walker may count in mph: the file's key is not named)."""
    indices = [int(i) for i in _STEP_INDEX.findall(problem.path)]
    if not indices:
        return "plan" if problem.path in ("", "steps") else problem.path
    tail = problem.path.rsplit("]", 1)[-1].lstrip(".")
    tail = _FIELD_WORDS.get(tail, tail)
    place = f"step {step_number(tuple(indices))}"
    return f"{place} {tail}" if tail else place


def line_count(text: Text, width: int) -> int:
    """How many lines `text` takes when wrapped to `width`, as a Static wraps it."""
    return len(Content.from_rich_text(text).wrap(width))


class EditorBody(Vertical):
    """The editor's title, table and panel; says when its size changes, since the
    room the panel may take depends on it (the key footer's height, too, changes)."""

    class Resized(Message):
        pass

    def on_resize(self, _: events.Resize) -> None:
        self.post_message(self.Resized())


class EditorScreen(RowKeys, Screen[Path | None]):
    """Dismisses with the plan's file when it was saved at least once, else None."""

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
        /* Sized by the screen (`_panel_room`): every problem shown is shown whole. */
        height: auto;
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
        # Pressed where the footer does not offer them (ROW_KEYS), they say why.
        Binding("enter", "refused('edit')", show=False, priority=True),
        Binding("delete,d", "refused('delete')", show=False),
        Binding("shift+up,ctrl+up", "refused('move', -1)", show=False),
        Binding("shift+down,ctrl+down", "refused('move', 1)", show=False),
        Binding("t", "refused('toggle_direction')", show=False),
        Binding("right_square_bracket,plus", "refused('nudge', 1)", show=False),
        Binding("left_square_bracket,minus", "refused('nudge', -1)", show=False),
    ]

    # The keys that act on the step under the cursor, and the steps they are offered
    # on; elsewhere the footer greys them out (a repeat block has no direction or
    # duration to change, an empty plan nothing to edit, delete or move). Greyed out
    # rather than left out: the footer keeps its place as the cursor moves between
    # segments and blocks, so the table above it never jumps.
    ROW_KEYS = {
        "edit": frozenset({"repeat", "segment"}),
        "delete": frozenset({"repeat", "segment"}),
        "move": frozenset({"repeat", "segment"}),
        "toggle_direction": frozenset({"segment"}),
        "nudge": frozenset({"segment"}),
    }
    GREY_OUT = True

    def __init__(self, ctx: AppContext, plan: Plan, entry: PlanEntry | None = None) -> None:
        """`entry` is the user plan being changed; without it the plan has no file yet
        (a new plan, or a copy) and its first save asks for its name."""
        super().__init__()
        self.ctx = ctx
        self.entry = entry
        self.edits = EditHistory.start(plan, saved=entry is not None)
        self.saved_to: Path | None = None
        self._rows: list[Row] = []

    # --- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with EditorBody(id="editor"):
            yield Static(id="editor-title")
            yield Static(id="editor-description")
            yield RowTable(id="steps", zebra_stripes=True)
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

    def on_editor_body_resized(self, _: EditorBody.Resized) -> None:
        self.render_document()

    @property
    def doc(self) -> Document:
        return self.edits.present

    # --- drawing -------------------------------------------------------------------

    def render_document(self) -> None:
        plan = self.doc.plan
        title = Text("Plan: ", style="bold")
        title.append(visible(plan.name), style="bold")
        if self.edits.dirty:
            title.append("  (unsaved changes)", style="yellow")
        elif self.edits.new:
            title.append("  (new: not saved yet)", style="dim")
        self.query_one("#editor-title", Static).update(title)
        description = Text(
            visible(plan.description, allow="\n") or "(no description: F2 to add one)",
            style="italic dim",
            no_wrap=True,
            overflow="ellipsis",
        )
        self.query_one("#editor-description", Static).update(description)
        found = self._check()
        self._fill_table(found)
        self.render_panel(found)

    def _check(self) -> editing.Findings:
        return editing.check(self.doc.plan, self.ctx.speed_unit)

    def render_panel(self, found: editing.Findings | None = None) -> None:
        self.offer_keys_for_row()
        shown = self._panel(found or self._check())
        self.query_one("#editor-panel", Static).update(shown)

    def _fill_table(self, found: editing.Findings) -> None:
        table = self.query_one("#steps", RowTable)
        self._rows = self.doc.rows()
        table.clear()
        rows = [self._cells(row, found) for row in self._rows]
        # A long label is cut short here (its form shows it whole), never a figure.
        table.fit(rows, 1, table.size.width or self.app.size.width - 2)
        for row, cells in zip(self._rows, rows, strict=True):
            table.add_row(*cells, key=editing.path_text(row.path))
        if self.doc.cursor is not None:
            index = next(i for i, r in enumerate(self._rows) if r.path == self.doc.cursor)
            table.move_cursor(row=index, animate=False)

    def _cells(self, row: Row, found: editing.Findings) -> list[Text]:
        """The table's cells for one step: number (marked x or ! with its problems),
        name, direction, time, speed and incline."""
        unit = self.ctx.speed_unit
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
            seconds = step.times * plan_module.total_seconds(step.steps)
            cells = [mark, name, Text(""), Text(format_clock(seconds), justify="right")]
            cells += [Text(""), Text("")]
        else:
            name = Text(indent)
            name.append(visible(step.label))
            cells = [
                mark,
                name,
                self._direction(step),
                Text(format_clock(step.seconds), justify="right"),
                Text(format_speed(step.speed_kmh, unit), justify="right"),
                Text(f"{round(step.incline_pct, 1):g} %", justify="right"),
            ]
        return cells

    @staticmethod
    def _direction(segment: Segment) -> Text:
        return Text(segment.direction, style=f"bold {DIRECTION_COLOURS[segment.direction]}")

    def _panel_room(self) -> tuple[int, int]:
        """The panel's width and the lines it may fill: what the title, the description,
        the table's header and its first rows leave of the editor's height."""
        box = self.query_one("#editor").content_region
        width = box.width or self.app.size.width - 2
        height = box.height or self.app.size.height - 2
        table = 1 + max(1, min(len(self._rows), TABLE_KEEPS_ROWS))
        return max(20, width), max(3, height - 2 - 1 - table)

    def _totals(self, plan: Plan, width: int) -> Text:
        """The plan's totals, wrapped between figures, never inside one."""
        unit = self.ctx.speed_unit
        weight = self.ctx.weight_kg
        summary = self.ctx.plan_summary(plan)
        kcal = f"{summary.kcal:.0f} kcal ({format_weight(weight, self.ctx.profile.weight_unit)})"
        figures = [
            ("Total", format_clock(summary.total_s)),
            ("Backward", f"{summary.backward_share:.0%}"),
            ("Distance", format_distance(summary.forward_km + summary.backward_km, unit)),
            ("Est.", kcal),
        ]
        text = Text()
        line = 0
        for head, value in figures:
            cells = len(head) + 1 + len(value)
            if line and line + 3 + cells > width:
                text.append("\n")
                line = 0
            elif line:
                text.append("   ")
                line += 3
            text.append(f"{head} ", style="bold")
            text.append(value)
            line += cells
        return text

    def _panel(self, found: editing.Findings) -> Text:
        """The totals, then the problems, each in full: those of the step under the
        cursor first, then those of the whole plan (no step to move to), then the
        errors and the warnings; as many as the room holds, and a count of the others."""
        width, room = self._panel_room()
        text = self._totals(self.doc.plan, width)
        used = line_count(text, width)
        everything = [*found.errors, *found.warnings]
        here = found.problems_at(self.doc.cursor) if self.doc.cursor is not None else []
        whole_plan = [p for p in everything if not _STEP_INDEX.search(p.path)]
        first = [*here, *(p for p in whole_plan if p not in here)]
        ordered = [*first, *(p for p in everything if p not in first)]
        if not ordered:
            text.append("\nNo problems found.", style="dim")
            return text
        blocks: list[Text] = []
        for problem in ordered:
            block = Text()
            if problem in found.errors:
                block.append("Error ", style="bold red")
            else:
                block.append("Warning ", style="bold yellow")
            block.append(f"{where(problem)}: {problem.message}")
            blocks.append(block)
        shown = 0
        while shown < len(blocks):
            need = line_count(blocks[shown], width)
            after = len(blocks) - shown - 1
            reserve = line_count(self._more(ordered[shown + 1 :], found), width) if after else 0
            if shown and used + need + reserve > room:
                break
            used += need
            shown += 1
        for block in blocks[:shown]:
            text.append("\n")
            text.append_text(block)
        if shown < len(blocks):
            text.append("\n")
            text.append_text(self._more(ordered[shown:], found))
        return text

    @staticmethod
    def _more(rest: list[Problem], found: editing.Findings) -> Text:
        errors = sum(1 for p in rest if p in found.errors)
        warnings = len(rest) - errors
        if errors and warnings:
            more = f"{len(rest)} more ({counted(errors, 'error')}, {counted(warnings, 'warning')})"
        else:
            more = counted(len(rest), "more error" if errors else "more warning")
        marks = "x or !" if errors and warnings else ("x" if errors else "!")
        return Text(f"... and {more}: on a step marked {marks} its own come first", style="bold")

    # --- keys ----------------------------------------------------------------------

    def row_kind(self) -> str:
        """What the cursor is on: "none" (the plan has no steps), "repeat" or "segment"."""
        step = self.doc.step()
        return "none" if step is None else "repeat" if isinstance(step, Repeat) else "segment"

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        # The table's cursor now, not the event's row: a rebuild posts stale events.
        row = self.query_one("#steps", DataTable).cursor_row
        if 0 <= row < len(self._rows) and self._rows[row].path != self.doc.cursor:
            self.edits = self.edits.move_cursor(self._rows[row].path)
            self.render_panel()

    def apply(self, operation: Callable[[Document], Document]) -> None:
        try:
            self.edits = self.edits.apply(operation)
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
        self._travel(self.edits.undo)

    def action_redo(self) -> None:
        self._travel(self.edits.redo)

    def _travel(self, step: Callable[[], EditHistory]) -> None:
        try:
            self.edits = step()
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

    def _name_check(self) -> Callable[[str], str | None]:
        """Why a typed name cannot be this plan's (another plan has it), or None.

        The names are read once, when the form opens, not at every key."""
        mine = self.entry.path if self.entry is not None else None
        others = {
            e.name.casefold(): e
            for e in self.ctx.library.entries()
            if e.plan is not None and e.path != mine
        }
        kept = self.entry.name.casefold() if self.entry is not None else None

        def taken(name: str) -> str | None:
            folded = name.casefold()
            other = others.get(folded)
            # A name the plan already had in its file stays its own, even if another
            # plan shares it (two files of one name from an older walkcoach).
            if other is None or folded == kept:
                return None
            return taken_message(other)

        return taken

    def _ask_name(self, title: str, then: Callable[[], None]) -> None:
        plan = self.doc.plan

        def given(result: object) -> None:
            if isinstance(result, tuple):
                name, description = result
                self.apply(lambda doc: editing.rename(doc, name, description))
                then()

        self.app.push_screen(
            PlanInfoDialog(plan.name, plan.description, self._name_check(), title), given
        )

    def action_rename(self) -> None:
        self._ask_name("Name and description", lambda: None)

    def action_save(self) -> None:
        self.save()

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Saves through the library, then calls `then`; refuses (keeping the work)
        while there are errors. A plan without a file is first given its name."""
        errors = editing.check(self.doc.plan).errors
        if errors:
            first = errors[0]
            self.notify(
                f"Not saved: fix {counted(len(errors), 'problem')} first "
                f"({where(first)}: {first.message}). Your changes are kept.",
                severity="error",
                timeout=8,
                markup=False,
            )
            return
        if self.entry is None:
            self._ask_name("Save the new plan as", lambda: self._write(then))
        else:
            self._write(then)

    def _write(self, then: Callable[[], None] | None) -> None:
        plan = self.doc.plan
        try:
            path = self.ctx.library.save(plan, replacing=self.entry)
        except (PlanError, WalkcoachError, OSError) as exc:
            self.notify(visible(f"Not saved: {exc}"), severity="error", timeout=10, markup=False)
            return
        self.entry = PlanEntry(plan.name, "user", path, plan)
        self.edits = self.edits.mark_saved()
        self.saved_to = path
        self.notify(f"Saved to {path}", markup=False)
        self.render_document()
        if then is not None:
            then()

    def action_leave(self) -> None:
        if not self.edits.dirty:
            self.dismiss(self.saved_to)
            return

        def leave() -> None:
            self.dismiss(self.saved_to)

        def chosen(choice: LeaveChoice | None) -> None:
            if choice == "discard":
                leave()
            elif choice == "save":
                self.save(then=leave)

        self.app.push_screen(LeaveDialog(self.doc.plan.name), chosen)
