"""Exporting walks: the dialog that asks where and in which formats, and the writing it
leads to.

An export writes NAME.csv, NAME.json, NAME.fit and NAME.tcx, those of the formats the
walker picks (the last ones picked are remembered in the profile), NAME typed or a
default in the current folder, each file atomically. A FIT activity holds one walk, so
an export of many walks writes NAME-ID.fit for each. As every export does
(`walkcoach.outpaths`), it never creates a missing folder, calls a folder given as NAME
a folder, and replaces an existing file only when the walker says yes. Used by the
history and the recap.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, SelectionList, Static

from walkcoach.errors import WalkcoachError
from walkcoach.outpaths import export_target
from walkcoach.store.history import Damaged, Exported
from walkcoach.store.profile import DEFAULT_WALK_FORMATS, WALK_FORMATS, WalkFormat
from walkcoach.text import visible
from walkcoach.tui.context import AppContext
from walkcoach.tui.dialogs.base import Dialog
from walkcoach.tui.dialogs.confirm import ConfirmDialog
from walkcoach.tui.widgets.fields import TextInput
from walkcoach.units import counted

if TYPE_CHECKING:
    from walkcoach.formats.walk import Walk

FORMAT_NAMES: Final[dict[WalkFormat, str]] = {
    "csv": "CSV, a row per walk or segment, for spreadsheets",
    "json": "JSON, every figure of every segment",
    "fit": "FIT activity, for Garmin Connect, Strava and watches",
    "tcx": "TCX activity, for Strava and training logs",
}
FILES_NAMED: Final = 3  # a message names this many files, and counts the rest


class WalkSource(NamedTuple):
    """The walks an export writes: `table(path)` writes them as CSV or JSON (by the
    extension), `walks()` gives them and the damaged rows left out for FIT and TCX, and
    `one_each` says they are many, so that each gets a FIT file of its own."""

    table: Callable[[Path], object]
    walks: Callable[[], tuple[Sequence[Walk], Sequence[Damaged]]]
    one_each: bool = False


class ExportChoice(NamedTuple):
    """What the dialog closes with: NAME as typed and the formats picked."""

    name: str
    formats: tuple[WalkFormat, ...]


def default_export_name(started_at: datetime | None, what: str) -> str:
    """walkcoach-2026-03-01-0730-retro-intervals: when and what, safe as a file name."""
    slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")[:40] or "walk"
    when = f"{started_at.astimezone():%Y-%m-%d-%H%M}-" if started_at else ""
    return f"walkcoach-{when}{slug}"


def export_paths(typed: str, formats: Sequence[WalkFormat] = DEFAULT_WALK_FORMATS) -> list[Path]:
    """NAME.csv, NAME.json and so on, one for each of `formats`, for what was typed (an
    ending naming one of the formats is dropped)."""
    path = Path(typed.strip()).expanduser()
    if path.suffix.lower().lstrip(".") in WALK_FORMATS:
        path = path.with_suffix("")
    return [path.with_name(f"{path.name}.{fmt}") for fmt in formats]


def export_targets(
    typed: str, example: str = "", formats: Sequence[WalkFormat] = DEFAULT_WALK_FORMATS
) -> list[Path]:
    """`export_paths`, checked as every export is (`outpaths.export_target`, an existing
    file allowed: the caller asks first); `WalkcoachError` (one sentence) when NAME is
    empty or a folder, or its folder is missing. `example` is the name suggested when a
    folder is given."""
    name = typed.strip()
    if not name or name.endswith(("/", os.sep)) or Path(os.path.expanduser(name)).is_dir():
        export_target(name, force=True, example=example)  # says what is wrong with it
    return [export_target(path, force=True) for path in export_paths(name, formats)]


def existing(paths: list[Path]) -> list[Path]:
    return [path for path in paths if path.exists() or path.is_symlink()]


def _named(paths: Sequence[Path]) -> str:
    """ "a.csv and a.json", "a.csv, a.json and a.fit", or the first few and how many more."""
    names = [path.name for path in paths]
    if len(names) > FILES_NAMED:
        return f"{', '.join(names[:FILES_NAMED])} and {len(names) - FILES_NAMED} more"
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def replace_question(paths: list[Path], what: str) -> ConfirmDialog:
    """The question "NAME already exists. Replace it?" for the files of `paths`."""
    verb, it = ("already exist", "them") if len(paths) > 1 else ("already exists", "it")
    places = ", ".join(str(path) for path in paths[:FILES_NAMED])
    if len(paths) > FILES_NAMED:
        places += f" and {len(paths) - FILES_NAMED} more"
    return ConfirmDialog(
        f"{_named(paths)} {verb}. Replace {it}?", f"{places} would be replaced by {what}."
    )


Files = list[tuple[Path, str | bytes | None]]
"""The files an export writes and what each holds; None: a table `WalkSource.table`
writes."""


def _files(
    typed: str, formats: Sequence[WalkFormat], source: WalkSource
) -> tuple[Files, set[Damaged]]:
    """Every file the export of `source` in `formats` writes, each checked as the name
    typed is, and the damaged rows its walks left out."""
    from walkcoach.formats.files import walk_contents

    files: Files = []
    left_out: set[Damaged] = set()
    walks: Sequence[Walk] | None = None
    for path in export_targets(typed, formats=formats):
        if path.suffix.lstrip(".") in ("csv", "json"):
            files.append((path, None))
            continue
        if walks is None:
            walks, damaged = source.walks()
            left_out.update(damaged)
        files += walk_contents(walks, path, source.one_each)
    for path, _ in files:
        export_target(path, force=True)  # a walk's own FIT file, too
    return files, left_out


def export_walks(
    screen: Widget,
    typed: str,
    formats: Sequence[WalkFormat],
    source: WalkSource,
    what: str = "the export",
) -> None:
    """Writes the walks of `source` in each of `formats` at NAME (`typed`) and says how
    it went; asks first when a file is already there, and writes nothing unless told
    yes."""
    try:
        files, left_out = _files(typed, formats, source)
    except (WalkcoachError, OSError) as exc:
        screen.notify(visible(f"Not exported: {exc}"), severity="error", markup=False)
        return
    if not files:
        screen.notify("Not exported: no time was walked.", severity="warning", markup=False)
        return
    there = existing([path for path, _ in files])
    if not there:
        _write_all(screen, files, source, left_out)
        return

    def answered(yes: bool | None) -> None:
        if yes:
            _write_all(screen, files, source, left_out)
        else:
            screen.notify("Not exported; nothing was replaced.", markup=False)

    screen.app.push_screen(replace_question(there, what), answered)


def _write_all(screen: Widget, files: Files, source: WalkSource, left_out: set[Damaged]) -> None:
    from walkcoach.formats.files import write_file

    try:
        for path, content in files:
            if content is None:
                written = source.table(path)
                if isinstance(written, Exported):
                    left_out.update(written.damaged)
            else:
                write_file(path, content)
    except (WalkcoachError, OSError) as exc:
        screen.notify(visible(f"Not exported: {exc}"), severity="error", markup=False)
        return
    paths = [path for path, _ in files]
    done = f"Exported {paths[0].parent / _named(paths)}"
    if left_out:
        done += f"; left out {counted(len(left_out), 'damaged row')}"
    screen.notify(visible(done), markup=False, severity="warning" if left_out else "information")


def ask_and_export(
    screen: Widget, ctx: AppContext, what: str, default_name: str, source: WalkSource
) -> None:
    """The export dialog for `what` ("this walk"), then the export it asks for; the
    formats picked are remembered in the profile for the next export."""

    def chosen(choice: ExportChoice | None) -> None:
        if choice is None:
            return
        if choice.formats != remembered_formats(ctx):
            problem = ctx.save_profile(ctx.profile._replace(export_formats=choice.formats))
            if problem:
                screen.notify(
                    visible(f"The formats picked are not remembered: {problem}"),
                    severity="warning",
                    markup=False,
                )
        export_walks(screen, choice.name, choice.formats, source, f"the export of {what}")

    screen.app.push_screen(ExportDialog(what, default_name, remembered_formats(ctx)), chosen)


def remembered_formats(ctx: AppContext) -> tuple[WalkFormat, ...]:
    return ctx.profile.export_formats or DEFAULT_WALK_FORMATS


class FormatList(SelectionList[WalkFormat]):
    """The formats to export in: space picks or drops one, and enter exports, as it does
    in the name (in a plain list it would pick too)."""

    BINDINGS = [Binding("enter", "screen.submit", "Export", show=False)]


class ExportDialog(Dialog[ExportChoice | None]):
    """Asks where to export and in which formats; enter writes NAME.csv, NAME.json and
    so on for the formats picked, escape cancels."""

    DEFAULT_CSS = """
    ExportDialog #formats-hint {
        margin-top: 1;
    }

    ExportDialog #export-formats {
        height: auto;
        border: none;
        padding: 0;
    }
    """

    BINDINGS = [
        # Enter in the name or the list exports; named here for the dialog's line of keys.
        Binding("enter", "submit", "Export", show=False),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        what: str,
        default_name: str,
        formats: Sequence[WalkFormat] = DEFAULT_WALK_FORMATS,
    ) -> None:
        super().__init__()
        self.what = what
        self.default_name = default_name
        self.formats = tuple(formats)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export"):
            yield Static(Text(f"Export {self.what}", style="bold"), classes="dialog-title")
            yield Static(
                Text(
                    "Writes NAME.csv, NAME.json, ... in the formats picked (in the current "
                    "folder unless you type one)."
                )
            )
            yield TextInput(value=self.default_name, id="export-name")
            yield Label("", id="export-error", classes="field-error")
            yield Static(
                Text("Formats (tab to them; space picks or drops one):"), id="formats-hint"
            )
            yield FormatList(
                *(
                    (f".{fmt}  {FORMAT_NAMES[fmt]}", fmt, fmt in self.formats)
                    for fmt in WALK_FORMATS
                ),
                id="export-formats",
            )
            yield Static(Text(self.key_hints(), style="dim"), classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def picked(self) -> tuple[WalkFormat, ...]:
        """The formats picked, in the list's order."""
        chosen = set(self.query_one("#export-formats", FormatList).selected)
        return tuple(fmt for fmt in WALK_FORMATS if fmt in chosen)

    def action_submit(self) -> None:
        """Closes with the name typed and the formats picked, unless the name is empty,
        a folder or in one that is missing, or no format is picked: then the dialog
        stays, saying so."""
        typed = self.query_one("#export-name", Input).value
        error = self.query_one("#export-error", Label)
        formats = self.picked()
        if not typed.strip():
            error.update("type a file name")
            return
        if not formats:
            error.update("pick a format (tab to the list, then space)")
            return
        try:
            export_targets(typed, example=self.default_name, formats=formats)
        except WalkcoachError as exc:
            error.update(Text(visible(str(exc))))
            return
        self.dismiss(ExportChoice(typed, formats))

    def action_cancel(self) -> None:
        self.dismiss(None)
