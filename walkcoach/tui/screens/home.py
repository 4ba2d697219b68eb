"""Home: the plan library, with each plan's time, backward minutes and estimated kcal.

Also where plans are made, copied, edited, deleted, imported and exported; the editor,
settings and history screens are imported only when asked for, to keep start-up fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from walkcoach.errors import WalkcoachError
from walkcoach.plan import Plan, PlanError
from walkcoach.recap import rest_text
from walkcoach.store.plans import PlanEntry, safe_stem
from walkcoach.text import visible
from walkcoach.tui.context import AppContext
from walkcoach.tui.dialogs.confirm import ConfirmDialog
from walkcoach.tui.messages import StartWalk
from walkcoach.tui.rowkeys import RowKeys
from walkcoach.tui.widgets.keyfooter import KeyFooter
from walkcoach.tui.widgets.rowtable import RowTable
from walkcoach.units import counted, format_clock, format_weight

if TYPE_CHECKING:
    from walkcoach.formats.files import Incoming

IMPORT_FORMATS: Final = ".toml, .fit, .txt or .zwo"
"""What Home imports, by the file's extension (`walkcoach.formats.files`)."""
NOTES_SHOWN: Final = 5  # of what an import could not keep, the rest counted
NOTES_TIMEOUT_S: Final = 15.0  # long enough to read them

# What a refused file is, in a few words for its row, by the words of the refusal
# (walkcoach.userfiles): looked for in this order.
_REFUSED_AS: Final = (
    ("cannot be read", "cannot be read"),
    ("UTF-16", "UTF-16, not UTF-8"),
    ("UTF-32", "UTF-32, not UTF-8"),
    ("not a text file", "not a text file"),
    ("too large", "too large"),
    ("nested over", "nested too deep"),
    ("dotted parts", "keys too deep"),
    ("characters long", "number too long"),
    ("keys and values", "too many values"),
)


def refusal(entry: PlanEntry) -> str | None:
    """Why the file as a whole was refused before it could be read as a plan (it cannot
    be read, is not UTF-8 text, is too large or too deeply nested), in the refusal's own
    words; None for a file read as TOML, with errors in it (a TOML syntax error is one)."""
    if entry.error is None or not entry.error.problems:
        return "cannot be read"
    problems = entry.error.problems
    if entry.error.total != 1 or len(problems) != 1 or problems[0].path:
        return None
    message = problems[0].message
    return None if message.startswith("not valid TOML") else message


def unreadable(entry: PlanEntry) -> bool:
    """The file itself could not be read (as opposed to read, with errors in it)."""
    return refusal(entry) is not None


def trouble(entry: PlanEntry) -> str:
    """What keeps a listed plan from loading, in a few words for its row."""
    refused = refusal(entry)
    if refused is not None:
        return next((words for mark, words in _REFUSED_AS if mark in refused), "cannot be used")
    assert entry.error is not None
    return counted(entry.error.total, "error")


def how_to_fix(entry: PlanEntry) -> str:
    """What is wrong with a plan file that does not load, and what to do about it."""
    refused = refusal(entry)
    if refused is not None:
        if refused.startswith("cannot be read"):
            return f"{entry.path} {refused}: check that it is a plan file you may read."
        return f"{entry.path}: {refused}."
    assert entry.error is not None
    problems, many = entry.error.problems, entry.error.total > 1
    # What to do first: the problem itself may be long, and the end of it may be cut.
    return (
        f"This plan file has {trouble(entry)}: fix it in a text editor; "
        f'"walkcoach plans check {entry.path}" lists {"them" if many else "it"}. '
        f"{'The first' if many else 'It'}: {problems[0]}"
    )


class HomeScreen(RowKeys, Screen[None]):
    DEFAULT_CSS = """
    #home {
        padding: 0 1;
    }

    #home-title {
        text-style: bold;
        color: $accent;
    }

    #profile-line {
        margin-bottom: 1;
    }

    #plans {
        height: 1fr;
    }

    #plan-detail {
        height: auto;
        max-height: 4;
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding("enter", "start", "Start", key_display="⏎", priority=True),
        Binding("n", "new", "New"),
        Binding("e", "edit", "Edit"),
        Binding("e", "edit_copy", "Edit a copy"),  # on a built-in plan, instead of Edit
        Binding("c", "copy", "Copy"),
        Binding("d", "delete", "Delete"),
        Binding("i", "import", "Import"),
        Binding("x", "export", "Export"),
        Binding("h", "history", "History"),
        Binding("s", "settings", "Settings"),
        Binding("q", "app.quit", "Quit"),
        # A row key the footer leaves out (ROW_KEYS) still says, when pressed, why it
        # does nothing on that row.
        Binding("enter", "refused('start')", show=False, priority=True),
        Binding("e", "refused('edit')", show=False),
        Binding("c", "refused('copy')", show=False),
        Binding("d", "refused('delete')", show=False),
        Binding("x", "refused('export')", show=False),
    ]

    # The keys that act on the plan under the cursor, and the rows they are offered on
    # (a row's kind: "user", "built-in", or "damaged" for a file that does not load).
    # Elsewhere the footer leaves them out, and the key only says why: a built-in plan
    # is never deleted, and a plan that does not load is fixed in a text editor.
    ROW_KEYS = {
        "start": frozenset({"user", "built-in"}),
        "edit": frozenset({"user"}),
        "edit_copy": frozenset({"built-in"}),
        "copy": frozenset({"user", "built-in"}),
        "delete": frozenset({"user"}),
        "export": frozenset({"user", "built-in"}),
    }

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.entries: list[PlanEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static(Text("walkcoach", style="bold"), id="home-title")
            yield Static(id="profile-line")
            yield RowTable(id="plans", zebra_stripes=True)
            yield Static(id="plan-detail")
        yield KeyFooter(columns=5)

    def on_mount(self) -> None:
        table = self.query_one("#plans", DataTable)
        table.add_columns("Plan", "Source", "Time", "Backward", "kcal")
        self.reload()

    def reload(self, select: Path | None = None) -> None:
        """Lists the library again; `select` puts the cursor on the plan in that file.

        Without it the cursor stays on its plan, or on its row when that plan is gone.
        """
        current = self.selected()
        wanted = select if select is not None else (current.path if current else None)
        row = self.query_one("#plans", DataTable).cursor_row
        self.entries = self.ctx.library.entries()
        self.fill_table()
        table = self.query_one("#plans", DataTable)
        paths = [e.path for e in self.entries]
        if wanted in paths:
            table.move_cursor(row=paths.index(wanted), animate=False)
        elif paths:
            table.move_cursor(row=min(max(row, 0), len(paths) - 1), animate=False)
        self.update_profile_line()
        self.show_detail()
        self.offer_keys_for_row()

    def fill_table(self) -> None:
        """The plans as rows; a long name is cut short to keep the figures on screen."""
        table = self.query_one("#plans", RowTable)
        row = table.cursor_row
        table.clear()
        rows: list[list[Text]] = []
        for entry in self.entries:
            if entry.plan is None:
                rows.append(
                    [
                        Text(visible(entry.name)),
                        Text(entry.source),
                        Text(trouble(entry), style="bold red"),
                        Text(""),
                        Text(""),
                    ]
                )
                continue
            summary = self.ctx.plan_summary(entry.plan)
            rows.append(
                [
                    Text(visible(entry.name)),
                    Text(entry.source),
                    Text(format_clock(summary.total_s), justify="right"),
                    Text(format_clock(summary.backward_s), justify="right"),
                    Text(f"{summary.kcal:.0f}", justify="right"),
                ]
            )
        table.fit(rows, 0, table.size.width or self.app.size.width - 2)
        for i, cells in enumerate(rows):
            table.add_row(*cells, key=str(i))
        table.move_cursor(row=row, animate=False)

    def on_resize(self, _: events.Resize) -> None:
        self.call_after_refresh(self.fill_table)

    def update_profile_line(self) -> None:
        profile = self.ctx.profile
        weight = format_weight(self.ctx.weight_kg, profile.weight_unit)
        line = Text(f"Calories for {weight}, {rest_text(self.ctx.rest.personal)}")
        if profile.handrail_hold != "free":
            line.append(f", hands {profile.handrail_hold}")
        if self.ctx.weight_is_default:
            line.append("  ")
            line.append("(weight not set: s for Settings)", style="dim")
        self.query_one("#profile-line", Static).update(line)

    def selected(self) -> PlanEntry | None:
        table = self.query_one("#plans", DataTable)
        if not self.entries or table.cursor_row < 0 or table.row_count == 0:
            return None
        return self.entries[min(table.cursor_row, len(self.entries) - 1)]

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self.show_detail()
        self.offer_keys_for_row()

    # --- the footer: the keys the row under the cursor allows (RowKeys) -------------

    def row_kind(self) -> str:
        """The row under the cursor: "none", "damaged" (does not load), "built-in", "user"."""
        entry = self.selected() if self.is_mounted else None
        if entry is None:
            return "none"
        if entry.plan is None:
            return "damaged"
        return "user" if entry.editable else "built-in"

    def show_detail(self) -> None:
        entry = self.selected()
        detail = self.query_one("#plan-detail", Static)
        if entry is None:
            detail.update("")
        elif entry.plan is None:
            detail.update(Text(visible(how_to_fix(entry)), style="red"))
        else:
            detail.update(Text(visible(entry.plan.description, allow="\n"), style="italic"))

    def action_start(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if entry.plan is None:
            self.notify(visible(how_to_fix(entry)), severity="error", timeout=10, markup=False)
            return
        self.post_message(StartWalk(entry.plan))

    # --- the library -----------------------------------------------------------------

    def _readable(self, entry: PlanEntry, doing: str) -> Plan | None:
        """The entry's plan, or None after saying why a file that does not load is left
        alone."""
        if entry.plan is not None:
            return entry.plan
        self.notify(
            visible(
                f'Cannot {doing} "{entry.name}": {how_to_fix(entry)} '
                "walkcoach leaves the file untouched."
            ),
            severity="error",
            timeout=10,
            markup=False,
        )
        return None

    def _copy_name(self, name: str) -> str:
        taken = {e.name.casefold() for e in self.entries}
        candidate = f"{name} (copy)"
        number = 2
        while candidate.casefold() in taken:
            candidate = f"{name} (copy {number})"
            number += 1
        return candidate

    def open_editor(self, plan: Plan, entry: PlanEntry | None) -> None:
        from walkcoach.tui.screens.editor import EditorScreen

        def closed(saved_to: Path | None) -> None:
            self.reload(select=saved_to)

        self.app.push_screen(EditorScreen(self.ctx, plan, entry), closed)

    def action_new(self) -> None:
        from walkcoach.editing import NEW_PLAN_NAME, new_plan

        taken = {e.name.casefold() for e in self.entries}
        name, number = NEW_PLAN_NAME, 2
        while name.casefold() in taken:
            name, number = f"{NEW_PLAN_NAME} {number}", number + 1
        self.open_editor(new_plan(name), None)

    def action_edit_copy(self) -> None:
        self.action_edit()  # a built-in plan: asks, then edits an unsaved copy

    def action_edit(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        plan = self._readable(entry, "edit")
        if plan is None:
            return
        if entry.editable:
            self.open_editor(plan, entry)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                # Only a save makes the copy a file: leaving without one leaves nothing.
                self.open_editor(plan._replace(name=self._copy_name(entry.name)), None)

        self.app.push_screen(
            ConfirmDialog(
                f'"{entry.name}" is a built-in plan. Edit a copy of it?',
                "Built-in plans are never changed; the copy is saved with your plans "
                "when you save it.",
            ),
            answered,
        )

    def action_copy(self) -> None:
        entry = self.selected()
        if entry is None or self._readable(entry, "copy") is None:
            return
        from walkcoach.editing import check_name
        from walkcoach.tui.dialogs.line import LineDialog

        def submit(text: str) -> str | None:
            name, error = check_name(text)
            if error or name is None:
                return error
            try:
                copied = self.ctx.library.copy(entry, name)
            except (PlanError, WalkcoachError, OSError) as exc:
                return str(exc)
            self.reload(select=copied.path)
            return None

        self.app.push_screen(
            LineDialog(f'Copy "{entry.name}"', self._copy_name(entry.name), submit, "New name:")
        )

    def action_delete(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if not entry.editable:
            self.notify(
                f'"{entry.name}" is a built-in plan and cannot be deleted; '
                "only your own plans can.",
                severity="warning",
                markup=False,
            )
            return
        if self._readable(entry, "delete") is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.ctx.library.delete(entry)
            except (WalkcoachError, OSError) as exc:
                self.notify(f"Not deleted: {exc}", severity="error", markup=False)
                return
            self.reload()
            self.notify(visible(f'Deleted "{entry.name}"'), markup=False)

        self.app.push_screen(
            ConfirmDialog(f'Delete "{entry.name}"?', f"This removes {entry.path}."), answered
        )

    def action_import(self) -> None:
        from walkcoach.tui.dialogs.line import LineDialog

        def submit(text: str) -> str | None:
            if not text.strip():
                return f"type the path of a plan file ({IMPORT_FORMATS})"
            from walkcoach.formats.files import needs_reference_speed

            path = Path(text.strip()).expanduser()
            if needs_reference_speed(path):
                # Asked once the path dialog (still on top now) has closed itself.
                self.app.call_later(self._ask_reference_speed, path)
                return None
            return self._import(path)

        self.app.push_screen(
            LineDialog("Import a plan", "", submit, f"Path of the plan file ({IMPORT_FORMATS}):")
        )

    def _ask_reference_speed(self, path: Path) -> None:
        """A Zwift workout is read at shares of the walker's speed: asked for first."""
        from walkcoach.tui.dialogs.reference_speed import ReferenceSpeedDialog

        def submit(kmh: float) -> str | None:
            return self._import(path, reference_kmh=kmh)

        self.app.push_screen(ReferenceSpeedDialog(path.name, self.ctx.speed_unit, submit))

    def _import(
        self, path: Path, replace: bool = False, reference_kmh: float | None = None
    ) -> str | None:
        """Imports the file, by its extension a plan, a FIT workout, workout text or a
        Zwift workout; an error message (the dialog stays open) or None."""
        from walkcoach.formats.files import read_plan_file

        try:
            incoming = read_plan_file(path, reference_kmh)
        except PlanError as exc:
            return exc.one_line()
        name = incoming.plan.name
        same = next(
            (
                e
                for e in self.ctx.library.user_entries()
                if e.plan is not None and e.name.casefold() == name.casefold()
            ),
            None,
        )
        if same is not None and not replace:

            def answered(yes: bool | None) -> None:
                if yes:
                    error = self._add(incoming, replace=True)
                    if error:
                        self.notify(visible(error), severity="error", markup=False)

            question = ConfirmDialog(
                f'You already have a plan named "{same.name}". Replace it?',
                f"{same.path} would be replaced by {path}.",
            )
            # Asked once the path dialog (still on top now) has closed itself: pushed
            # from here, its own dismiss would close the question instead.
            self.app.call_later(self.app.push_screen, question, answered)
            return None
        return self._add(incoming, replace)

    def _add(self, incoming: Incoming, replace: bool) -> str | None:
        """Adds the plan read to the user's plans and says so, with what of the file
        could not be kept; an error message or None."""
        try:
            imported = self.ctx.library.import_plan(incoming, replace=replace)
        except PlanError as exc:
            return exc.one_line()
        except (WalkcoachError, OSError) as exc:
            return str(exc)
        self.reload(select=imported.path)
        done = f'Imported "{imported.name}"'
        notes = [str(note) for note in incoming.notes]
        if not notes:
            self.notify(visible(done), markup=False)
            return None
        if len(notes) > NOTES_SHOWN:
            notes[NOTES_SHOWN:] = [f"and {len(notes) - NOTES_SHOWN} more"]
        self.notify(
            visible(f"{done}; not kept as it was:\n" + "\n".join(notes), allow="\n"),
            severity="warning",
            markup=False,
            timeout=NOTES_TIMEOUT_S,
        )
        return None

    def action_export(self) -> None:
        entry = self.selected()
        if entry is None or self._readable(entry, "export") is None:
            return
        from walkcoach.outpaths import export_target
        from walkcoach.tui.dialogs.line import LineDialog

        example = f"{safe_stem(entry.name)}.toml"

        def export(dest: Path) -> str | None:
            try:
                self.ctx.library.export(entry, dest)
            except (PlanError, WalkcoachError, OSError) as exc:
                return f"Not exported: {exc}"
            self.notify(visible(f'Exported "{entry.name}" to {dest}'), markup=False)
            return None

        def submit(text: str) -> str | None:
            if not text.strip():
                return "type a file name or path"
            try:  # as every export: no folder made, a folder called one (outpaths)
                dest = export_target(text.strip(), force=True, example=example)
            except WalkcoachError as exc:
                return str(exc)
            if not (dest.exists() or dest.is_symlink()):
                return export(dest)

            def answered(yes: bool | None) -> None:
                if not yes:
                    self.notify("Not exported; nothing was replaced.", markup=False)
                elif error := export(dest):
                    self.notify(visible(error), severity="error", markup=False)

            question = ConfirmDialog(
                f"{dest.name} already exists. Replace it?",
                f'{dest} would be replaced by the plan "{entry.name}".',
            )
            # Asked once the path dialog (still on top now) has closed itself.
            self.app.call_later(self.app.push_screen, question, answered)
            return None

        self.app.push_screen(
            LineDialog(
                f'Export "{entry.name}"',
                example,
                submit,
                f"File to write (relative to {Path.cwd()}):",
            )
        )

    def action_settings(self) -> None:
        from walkcoach.tui.screens.settings import SettingsScreen

        def closed(_: object) -> None:
            self.reload()

        self.app.push_screen(SettingsScreen(self.ctx), closed)

    def action_history(self) -> None:
        from walkcoach.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.ctx))
