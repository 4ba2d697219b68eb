"""``walkcoach plans``: list, show, check, import and export plans, and how each one
prints."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from walkcoach.cli.output import print_json, print_toml, rich_console
from walkcoach.cli.policy import EXIT_FAILURE, EXIT_OK
from walkcoach.cli.userdata import find_plan, plan_library, read_profile
from walkcoach.errors import WalkcoachError
from walkcoach.outpaths import STDOUT, export_target
from walkcoach.palette import DIRECTION_COLOURS
from walkcoach.plan import PlanError
from walkcoach.store.paths import DataDirs
from walkcoach.text import visible
from walkcoach.units import counted

if TYPE_CHECKING:
    from rich.text import Text
    from rich.tree import Tree

    from walkcoach.plan import Plan, Segment, Step
    from walkcoach.store.plans import PlanEntry
    from walkcoach.store.profile import Profile

DIRECTION_STYLES: Final = {
    direction: f"bold {colour}" for direction, colour in DIRECTION_COLOURS.items()
}


def list_plans(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.units import format_clock

    profile = read_profile(dirs)
    entries = plan_library(dirs).entries()
    rows: list[dict[str, Any]] = []
    for entry in entries:
        summary = profile.estimate(entry.plan) if entry.plan is not None else None
        rows.append(
            {
                "name": entry.name,
                "source": entry.source,
                "path": str(entry.path),
                "total_s": summary.total_s if summary else None,
                "backward_s": summary.backward_s if summary else None,
                "kcal": summary.kcal if summary else None,
                "error": str(entry.error) if entry.error is not None else None,
            }
        )
    if args.json:
        import json

        print_json(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK

    from rich.table import Table
    from rich.text import Text

    console = rich_console()
    if not rows:
        console.print("No plans found.", markup=False)
        return EXIT_OK
    table = Table(title=None, box=None, pad_edge=False)
    table.add_column("Plan", overflow="fold")
    table.add_column("Source")
    table.add_column("Time", justify="right")
    table.add_column("Backward", justify="right")
    table.add_column(f"kcal ({profile.calorie_weight_text})", justify="right")
    for row in rows:
        if row["error"] is not None:
            table.add_row(
                Text(visible(row["name"])), row["source"], Text("cannot be loaded", "red")
            )
            continue
        table.add_row(
            Text(visible(row["name"])),
            row["source"],
            format_clock(row["total_s"]),
            format_clock(row["backward_s"]),
            f"{row['kcal']:.0f}",
        )
    console.print(table)
    broken = [e for e in entries if e.error is not None]
    for entry in broken:
        line = visible(f"{entry.path}: {_first_problem(entry)}")
        console.print(Text(line, "red"), soft_wrap=True)
    return EXIT_OK


def _first_problem(entry: PlanEntry) -> str:
    if entry.error is None or not entry.error.problems:
        return "cannot be loaded"
    count = entry.error.total
    more = f" (and {count - 1} more; run: walkcoach plans check FILE)" if count > 1 else ""
    return f"{entry.error.problems[0]}{more}"


def show_plan(args: argparse.Namespace, dirs: DataDirs) -> int:
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    from walkcoach.plan import plan_warnings
    from walkcoach.units import format_clock, format_distance

    entry = find_plan(dirs, args.name)
    plan = entry.require()
    profile = read_profile(dirs)
    summary = profile.estimate(plan)
    console = rich_console()

    console.print(Text(visible(plan.name), "bold"))
    console.print(Text(visible(f"{entry.source} plan, {entry.path}"), "dim"), soft_wrap=True)
    if plan.description:
        console.print(Text(visible(plan.description, allow="\n")))
    console.print()
    tree = Tree(Text("Steps", "bold"))
    _add_steps(tree, plan.steps, profile)
    console.print(tree)
    console.print()

    totals = Table.grid(padding=(0, 2))
    totals.add_column()
    totals.add_column(justify="right")
    totals.add_column(justify="right")
    totals.add_row(
        "Total",
        format_clock(summary.total_s),
        format_distance(summary.forward_km + summary.backward_km, profile.speed_unit),
    )
    totals.add_row(
        Text("Forward", DIRECTION_STYLES["forward"]),
        format_clock(summary.forward_s),
        format_distance(summary.forward_km, profile.speed_unit),
    )
    totals.add_row(
        Text("Backward", DIRECTION_STYLES["backward"]),
        format_clock(summary.backward_s),
        format_distance(summary.backward_km, profile.speed_unit),
    )
    totals.add_row("Segments", str(summary.segments), "")
    totals.add_row(f"Estimated kcal ({profile.calorie_weight_text})", f"{summary.kcal:.0f}", "")
    console.print(totals)

    warnings = plan_warnings(plan, profile.speed_unit)
    if warnings:
        console.print()
        for warning in warnings:
            console.print(Text(visible(f"warning: {warning}"), "yellow"), soft_wrap=True)
    return EXIT_OK


def _add_steps(tree: Tree, steps: Sequence[Step], profile: Profile) -> None:
    from rich.text import Text

    from walkcoach.plan import Repeat

    for step in steps:
        if isinstance(step, Repeat):
            label = Text(f"repeat {step.times} times", "bold")
            if step.label:
                label.append("  ")
                label.append(visible(step.label))
            _add_steps(tree.add(label), step.steps, profile)
        else:
            tree.add(_segment_text(step, profile))


def _segment_text(segment: Segment, profile: Profile) -> Text:
    from rich.text import Text

    from walkcoach.units import format_clock, format_speed

    text = Text()
    text.append(f"{format_clock(segment.seconds):>7}  ")
    text.append(f"{segment.direction:<8}", DIRECTION_STYLES[segment.direction])
    text.append(f"  {format_speed(segment.speed_kmh, profile.speed_unit)}")
    if segment.incline_pct:
        text.append(f"  {segment.incline_pct:g} % incline")
    if segment.label:
        text.append("  ")
        text.append(visible(segment.label), "italic")
    return text


def check_file(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.plan import load, plan_warnings

    path: Path = args.file
    try:
        plan: Plan = load(path)
    except PlanError as exc:
        # The first problems only (PlanError keeps MAX_PROBLEMS): a file of 100 000
        # unknown keys must not print 100 000 lines.
        print(visible(f"{path}: {counted(exc.total, 'problem')}"))
        for problem in exc.problems:
            print(visible(f"  error: {problem}"))
        for line in exc.more():
            print(line)
        return EXIT_FAILURE
    # The walker's speed unit: the profile is only read (defaults when there is none),
    # so checking a file needs no data folder and creates nothing.
    warnings = plan_warnings(plan, read_profile(dirs).speed_unit)
    print(visible(f"{path}: ok ({plan.name})"))
    for warning in warnings:
        print(visible(f"  warning: {warning}"))
    return EXIT_OK


def import_file(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.formats.files import needs_reference_speed, read_plan_file
    from walkcoach.units import kmh_from, speed_label

    path = Path(args.file).expanduser()
    reference_kmh = None
    if needs_reference_speed(path):
        unit = read_profile(dirs).speed_unit
        if args.reference_speed is None:
            raise WalkcoachError(
                f"{path}: a Zwift workout gives its paces as shares of a reference speed; "
                f"add --reference-speed with your brisk walking speed in {speed_label(unit)}, "
                "such as --reference-speed 5.0"
            )
        reference_kmh = kmh_from(args.reference_speed, unit)
    incoming = read_plan_file(path, reference_kmh)
    entry = plan_library(dirs).import_plan(incoming, replace=args.replace)
    print(visible(f'imported "{entry.name}" as {entry.path}'))
    for note in incoming.notes:
        print(visible(f"  note: {note}"))
    return EXIT_OK


def export_plan(args: argparse.Namespace, dirs: DataDirs) -> int:
    from walkcoach.store.plans import safe_stem

    entry = find_plan(dirs, args.name)
    if args.file is None or args.file == STDOUT:
        print_toml(plan_library(dirs).export(entry))
        return EXIT_OK
    example = f"{safe_stem(entry.name)}.toml"
    dest = export_target(args.file, force=args.force, example=example)
    plan_library(dirs).export(entry, dest)
    print(visible(f"exported to {dest}"))
    return EXIT_OK
