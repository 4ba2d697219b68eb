"""Home: the plan library, with each plan's time, backward minutes and estimated kcal.

Also where plans are made, copied, edited, deleted, imported and exported; the editor,
settings and history screens are imported only when asked for, to keep start-up fast.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from walkcoach import plan as plans
from walkcoach.errors import WalkcoachError
from walkcoach.plan import Plan, PlanError
from walkcoach.store.plans import PlanEntry, safe_stem
from walkcoach.text import visible
from walkcoach.tui.context import AppContext
from walkcoach.tui.screens.dialogs import ConfirmDialog
from walkcoach.tui.widgets.keyfooter import KeyFooter
from walkcoach.units import format_clock, kg_to_lb


class HomeScreen(Screen[None]):
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
        Binding("c", "copy", "Copy"),
        Binding("d", "delete", "Delete"),
        Binding("i", "import", "Import"),
        Binding("x", "export", "Export"),
        Binding("h", "history", "History"),
        Binding("s", "settings", "Settings"),
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
        yield KeyFooter(columns=5)

    def on_mount(self) -> None:
        table = self.query_one("#plans", DataTable)
        table.add_columns("Plan", "Source", "Time", "Backward", "kcal")
        self.reload()

    def reload(self, select: Path | None = None) -> None:
        """Lists the library again; `select` puts the cursor on the plan in that file."""
        current = self.selected()
        wanted = select if select is not None else (current.path if current else None)
        self.entries = self.ctx.library.entries()
        table = self.query_one("#plans", DataTable)
        table.clear()
        weight = self.ctx.weight_kg
        for i, entry in enumerate(self.entries):
            if entry.plan is None:
                table.add_row(
                    Text(visible(entry.name)),
                    entry.source,
                    Text("cannot be read", style="bold red"),
                    "",
                    "",
                    key=str(i),
                )
                continue
            summary = plans.summarize(entry.plan, weight)
            table.add_row(
                Text(visible(entry.name)),
                entry.source,
                Text(format_clock(summary.total_s), justify="right"),
                Text(f"{summary.backward_s / 60:.1f} min", justify="right"),
                Text(f"{summary.kcal:.0f}", justify="right"),
                key=str(i),
            )
        paths = [e.path for e in self.entries]
        if wanted in paths:
            table.move_cursor(row=paths.index(wanted), animate=False)
        self.update_profile_line()
        self.show_detail()

    def update_profile_line(self) -> None:
        weight = self.ctx.weight_kg
        if self.ctx.profile.weight_unit == "lb":
            line = Text(f"Calories for {kg_to_lb(weight):.0f} lb")
        else:
            line = Text(f"Calories for {weight:g} kg")
        if self.ctx.weight_is_default:
            line.append("  (weight not set: counting with 70 kg)", style="dim")
        self.query_one("#profile-line", Static).update(line)

    def selected(self) -> PlanEntry | None:
        table = self.query_one("#plans", DataTable)
        if not self.entries or table.cursor_row < 0 or table.row_count == 0:
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
            detail.update(Text(visible(str(entry.error), allow="\n"), style="red"))
        else:
            detail.update(Text(visible(entry.plan.description, allow="\n"), style="italic"))

    def action_start(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if entry.plan is None:
            self.notify(visible(str(entry.error), allow="\n"), severity="error", markup=False)
            return
        from walkcoach.tui.app import WalkcoachApp

        app = self.app
        assert isinstance(app, WalkcoachApp)
        app.begin_session(entry.plan)

    # --- the library -----------------------------------------------------------------

    def _readable(self, entry: PlanEntry, doing: str) -> Plan | None:
        """The entry's plan, or None after saying why a file that does not load is left
        alone."""
        if entry.plan is not None:
            return entry.plan
        first = entry.error.problems[0] if entry.error and entry.error.problems else None
        reason = f" ({first})" if first else ""
        self.notify(
            visible(
                f'Cannot {doing} "{entry.name}": {entry.path} does not load as a plan{reason}. '
                "walkcoach leaves the file untouched; fix it in a text editor or remove it."
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

        def closed(_: bool | None) -> None:
            self.reload()

        self.app.push_screen(EditorScreen(self.ctx, plan, entry), closed)

    def action_new(self) -> None:
        from walkcoach.editing import NEW_PLAN_NAME, new_plan

        taken = {e.name.casefold() for e in self.entries}
        name, number = NEW_PLAN_NAME, 2
        while name.casefold() in taken:
            name, number = f"{NEW_PLAN_NAME} {number}", number + 1
        self.open_editor(new_plan(name), None)

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
                copied = self._copy(entry, self._copy_name(entry.name))
                if copied is not None:
                    self.open_editor(copied.require(), copied)

        self.app.push_screen(
            ConfirmDialog(
                f'"{entry.name}" is a built-in plan. Edit a copy of it?',
                "Built-in plans are never changed; the copy is saved with your plans.",
            ),
            answered,
        )

    def _copy(self, entry: PlanEntry, name: str) -> PlanEntry | None:
        try:
            copied = self.ctx.library.copy(entry, name)
        except (PlanError, WalkcoachError, OSError) as exc:
            self.notify(f"Not copied: {exc}", severity="error", markup=False)
            return None
        self.reload(select=copied.path)
        self.notify(visible(f'Copied to "{copied.name}" ({copied.path.name})'), markup=False)
        return copied

    def action_copy(self) -> None:
        entry = self.selected()
        if entry is None or self._readable(entry, "copy") is None:
            return
        from walkcoach.editing import check_name
        from walkcoach.tui.screens.plan_dialogs import LineDialog

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
        from walkcoach.tui.screens.plan_dialogs import LineDialog

        def submit(text: str) -> str | None:
            if not text.strip():
                return "type the path of a plan file (.toml)"
            return self._import(Path(text.strip()).expanduser())

        self.app.push_screen(
            LineDialog("Import a plan", "", submit, "Path of the plan file (.toml):")
        )

    def _import(self, path: Path, replace: bool = False) -> str | None:
        """Imports the file; an error message (the dialog stays open) or None."""
        try:
            incoming = plans.load(path)
        except PlanError as exc:
            return str(exc)
        same = next(
            (
                e
                for e in self.ctx.library.user_entries()
                if e.plan is not None and e.name.casefold() == incoming.name.casefold()
            ),
            None,
        )
        if same is not None and not replace:

            def answered(yes: bool | None) -> None:
                if yes:
                    error = self._import(path, replace=True)
                    if error:
                        self.notify(error, severity="error", markup=False)

            question = ConfirmDialog(
                f'You already have a plan named "{same.name}". Replace it?',
                f"{same.path} would be replaced by {path}.",
            )
            # Asked once the path dialog (still on top now) has closed itself: pushed
            # from here, its own dismiss would close the question instead.
            self.app.call_later(self.app.push_screen, question, answered)
            return None
        try:
            imported = self.ctx.library.import_file(path, replace=replace)
        except (PlanError, WalkcoachError, OSError) as exc:
            return str(exc)
        self.reload(select=imported.path)
        self.notify(visible(f'Imported "{imported.name}"'), markup=False)
        return None

    def action_export(self) -> None:
        entry = self.selected()
        if entry is None or self._readable(entry, "export") is None:
            return
        from walkcoach.tui.screens.plan_dialogs import LineDialog

        def submit(text: str) -> str | None:
            if not text.strip():
                return "type a file name or path"
            dest = Path(text.strip()).expanduser()
            if dest.exists():
                return f"{dest} already exists; type another name"
            try:
                self.ctx.library.export(entry, dest)
            except (PlanError, WalkcoachError, OSError) as exc:
                return f"Not exported: {exc}"
            self.notify(visible(f'Exported "{entry.name}" to {dest.resolve()}'), markup=False)
            return None

        self.app.push_screen(
            LineDialog(
                f'Export "{entry.name}"',
                f"{safe_stem(entry.name)}.toml",
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
