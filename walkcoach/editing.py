"""The plan editor's model: a document (a plan and a cursor), edits and an undo history.

Plain Python, no Textual: the editor screen renders an `EditHistory`, forwards keys to the
operations here and shows what `check` finds. Every operation returns a new `Document`
(nothing is changed in place), or raises `EditError` with a sentence for the user when it
does not apply where the cursor is. The form checks (`check_duration`, `check_speed`, ...)
turn what the user typed into plan values and hold them to the plan file's own rules
(`walkcoach.planrules`), with the same message per field.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final, TypeVar

from walkcoach import planrules as rules
from walkcoach.plan import (
    DURATION_HINT,
    Plan,
    Problem,
    Repeat,
    Segment,
    Step,
    parse_duration,
    plan_errors,
    plan_warnings,
)
from walkcoach.planrules import DIRECTION_HINT, DIRECTIONS, MIN_SEGMENT_S, REPEAT_HINT, Direction
from walkcoach.units import SpeedUnit, format_clock, kmh_from, speed_in

T = TypeVar("T")

StepPath = tuple[int, ...]
"""Where a step is: (2,) is the third top-level step, (2, 0) the first step of that block."""

# The one place for what a new step looks like.
DEFAULT_SECONDS: Final = 120
DEFAULT_SPEED_KMH: Final[Mapping[Direction, float]] = {"forward": 4.0, "backward": 2.5}
DEFAULT_REPEAT: Final = 2
NEW_PLAN_NAME: Final = "New plan"
NUDGE_S: Final = 15
UNDO_LIMIT: Final = 200


class EditError(ValueError):
    """An edit that does not apply where the cursor is; the message says why."""


def new_segment(direction: Direction = "forward") -> Segment:
    return Segment(direction, DEFAULT_SECONDS, DEFAULT_SPEED_KMH[direction])


def new_block() -> Repeat:
    return Repeat(DEFAULT_REPEAT, (new_segment(),))


def new_plan(name: str = NEW_PLAN_NAME) -> Plan:
    return Plan(name, ())


# --- the document ------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the editor's table: a step, where it is and how deep it sits."""

    path: StepPath
    step: Step

    @property
    def depth(self) -> int:
        return len(self.path) - 1


@dataclass(frozen=True)
class Document:
    plan: Plan
    cursor: StepPath | None = None

    @classmethod
    def of(cls, plan: Plan) -> Document:
        return cls(plan, (0,) if plan.steps else None)

    def rows(self) -> list[Row]:
        return list(_rows(self.plan.steps, ()))

    def step(self, path: StepPath | None = None) -> Step | None:
        where = self.cursor if path is None else path
        if where is None:
            return None
        return step_at(self.plan.steps, where)

    def with_steps(self, steps: tuple[Step, ...], cursor: StepPath | None) -> Document:
        return Document(self.plan._replace(steps=steps), cursor)

    def at(self, cursor: StepPath | None) -> Document:
        """The same plan with the cursor on `cursor` (a path that exists, or None)."""
        if cursor is not None:
            step_at(self.plan.steps, cursor)  # IndexError for a path that is not there
        return Document(self.plan, cursor)


def _rows(steps: Sequence[Step], parent: StepPath) -> list[Row]:
    found: list[Row] = []
    for i, step in enumerate(steps):
        path = (*parent, i)
        found.append(Row(path, step))
        if isinstance(step, Repeat):
            found.extend(_rows(step.steps, path))
    return found


def step_at(steps: Sequence[Step], path: StepPath) -> Step:
    if not path:
        raise IndexError("an empty path names no step")
    step = steps[path[0]]
    if len(path) == 1:
        return step
    if not isinstance(step, Repeat):
        raise IndexError(f"step {path[0]} is not a repeat block")
    return step_at(step.steps, path[1:])


def path_text(path: StepPath) -> str:
    """The path as plan problems name it: (1, 0) -> "steps[1].steps[0]"."""
    return ".".join(f"steps[{i}]" for i in path)


def _edit_children(
    steps: tuple[Step, ...], parent: StepPath, edit: Callable[[tuple[Step, ...]], tuple[Step, ...]]
) -> tuple[Step, ...]:
    """`steps` with the list of children at `parent` (() for the top level) edited."""
    if not parent:
        return edit(steps)
    i, rest = parent[0], parent[1:]
    block = steps[i]
    if not isinstance(block, Repeat):
        raise IndexError(f"step {i} is not a repeat block")
    changed = block._replace(steps=_edit_children(block.steps, rest, edit))
    return (*steps[:i], changed, *steps[i + 1 :])


def _children(steps: tuple[Step, ...], parent: StepPath) -> tuple[Step, ...]:
    if not parent:
        return steps
    block = step_at(steps, parent)
    assert isinstance(block, Repeat)
    return block.steps


def _insert(steps: tuple[Step, ...], parent: StepPath, index: int, step: Step) -> tuple[Step, ...]:
    return _edit_children(steps, parent, lambda kids: (*kids[:index], step, *kids[index:]))


def _remove(steps: tuple[Step, ...], path: StepPath) -> tuple[Step, ...]:
    parent, i = path[:-1], path[-1]
    return _edit_children(steps, parent, lambda kids: (*kids[:i], *kids[i + 1 :]))


def _require_cursor(doc: Document, what: str) -> StepPath:
    if doc.cursor is None:
        raise EditError(f"The plan has no steps yet: press a to add a segment, then {what}.")
    return doc.cursor


def _require_segment(doc: Document, what: str) -> tuple[StepPath, Segment]:
    path = _require_cursor(doc, what)
    step = step_at(doc.plan.steps, path)
    if not isinstance(step, Segment):
        raise EditError(f"A repeat block has no {what}: move to one of its segments.")
    return path, step


# --- operations --------------------------------------------------------------------


def add_segment(doc: Document, segment: Segment | None = None) -> Document:
    """A new segment after the cursor; on a repeat block, at the end of that block."""
    new = segment or new_segment()
    steps = doc.plan.steps
    if doc.cursor is None:
        return doc.with_steps((*steps, new), (len(steps),))
    current = step_at(steps, doc.cursor)
    if isinstance(current, Repeat):
        at = (*doc.cursor, len(current.steps))
    else:
        at = (*doc.cursor[:-1], doc.cursor[-1] + 1)
    return doc.with_steps(_insert(steps, at[:-1], at[-1], new), at)


def add_block(doc: Document) -> Document:
    """A new repeat block (one default segment) after the cursor, at the cursor's level."""
    steps = doc.plan.steps
    if doc.cursor is None:
        return doc.with_steps((*steps, new_block()), (len(steps),))
    at = (*doc.cursor[:-1], doc.cursor[-1] + 1)
    nesting = rules.nesting_problem(len(at) - 1)
    if nesting is not None:
        raise EditError(f"{nesting[0].upper()}{nesting[1:]}.")
    return doc.with_steps(_insert(steps, at[:-1], at[-1], new_block()), at)


def delete(doc: Document) -> Document:
    """Removes the step under the cursor (a block goes with its segments)."""
    path = _require_cursor(doc, "delete")
    steps = _remove(doc.plan.steps, path)
    parent, i = path[:-1], path[-1]
    left = len(_children(steps, parent))
    cursor: StepPath | None = (*parent, min(i, left - 1)) if left else parent or None
    return doc.with_steps(steps, cursor)


def move(doc: Document, delta: int) -> Document:
    """Moves the step under the cursor up (-1) or down (+1) among its neighbours; at the
    edge of a repeat block it moves out of the block."""
    path = _require_cursor(doc, "move it")
    parent, i = path[:-1], path[-1]
    steps = doc.plan.steps
    step = step_at(steps, path)
    j = i + delta
    if 0 <= j < len(_children(steps, parent)):
        moved = _insert(_remove(steps, path), parent, j, step)
        return doc.with_steps(moved, (*parent, j))
    if not parent:
        raise EditError(f"The step is already at the {'top' if delta < 0 else 'bottom'}.")
    outer, block_index = parent[:-1], parent[-1]
    target = block_index if delta < 0 else block_index + 1
    moved = _insert(_remove(steps, path), outer, target, step)
    return doc.with_steps(moved, (*outer, target))


def toggle_direction(doc: Document) -> Document:
    """Forward becomes backward and back; a speed the new direction does not accept
    becomes that direction's default speed."""
    path, segment = _require_segment(doc, "direction")
    direction: Direction = "backward" if segment.direction == "forward" else "forward"
    speed = segment.speed_kmh
    if rules.speed_problem(speed, "kmh", direction) is not None:
        speed = DEFAULT_SPEED_KMH[direction]
    return replace_step(doc, segment._replace(direction=direction, speed_kmh=speed), path)


def nudge(doc: Document, seconds: int) -> Document:
    """Adds (or takes) time from the segment under the cursor, never below the minimum."""
    path, segment = _require_segment(doc, "duration")
    longer = max(MIN_SEGMENT_S, segment.seconds + seconds)
    return replace_step(doc, segment._replace(seconds=longer), path)


def replace_step(doc: Document, step: Step, path: StepPath | None = None) -> Document:
    where = path if path is not None else _require_cursor(doc, "edit it")
    parent, i = where[:-1], where[-1]
    steps = _edit_children(doc.plan.steps, parent, lambda kids: (*kids[:i], step, *kids[i + 1 :]))
    return doc.with_steps(steps, where)


def rename(doc: Document, name: str, description: str | None = None) -> Document:
    """The plan with a new name (and description, when given); its steps as they were."""
    kept = doc.plan.description if description is None else description
    return Document(doc.plan._replace(name=name, description=kept), doc.cursor)


# --- undo and redo -----------------------------------------------------------------


@dataclass(frozen=True)
class EditHistory:
    """The document now, the ones before it (for undo) and after it (for redo), the
    plan as it was last saved or first opened (for "unsaved changes"), and whether it
    was ever saved (a new plan, or a copy, that has no file yet)."""

    present: Document
    past: tuple[Document, ...] = ()
    future: tuple[Document, ...] = ()
    saved: Plan | None = None
    new: bool = False

    @classmethod
    def start(cls, plan: Plan, saved: bool = True) -> EditHistory:
        """`saved` false: the plan has no file yet. Left untouched it has no unsaved
        changes either: leaving it loses nothing."""
        return cls(Document.of(plan), saved=plan, new=not saved)

    @property
    def plan(self) -> Plan:
        return self.present.plan

    @property
    def dirty(self) -> bool:
        return self.present.plan != self.saved

    def apply(self, operation: Callable[[Document], Document]) -> EditHistory:
        """The history after `operation`; `EditError` passes through untouched."""
        return self.push(operation(self.present))

    def push(self, doc: Document) -> EditHistory:
        if doc.plan == self.present.plan:
            return replace(self, present=doc)  # only the cursor moved: nothing to undo
        past = (*self.past, self.present)[-UNDO_LIMIT:]
        return replace(self, present=doc, past=past, future=())

    def move_cursor(self, cursor: StepPath | None) -> EditHistory:
        return replace(self, present=self.present.at(cursor))

    def undo(self) -> EditHistory:
        if not self.past:
            raise EditError("Nothing to undo.")
        return replace(
            self,
            present=self.past[-1],
            past=self.past[:-1],
            future=(self.present, *self.future),
        )

    def redo(self) -> EditHistory:
        if not self.future:
            raise EditError("Nothing to redo.")
        return replace(
            self,
            present=self.future[0],
            past=(*self.past, self.present),
            future=self.future[1:],
        )

    def mark_saved(self) -> EditHistory:
        return replace(self, saved=self.present.plan, new=False)


# --- checking the plan ---------------------------------------------------------------


@dataclass(frozen=True)
class Findings:
    """What `check` found in a plan: its errors and its warnings."""

    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]

    def problems_at(self, path: StepPath) -> list[Problem]:
        """The errors and warnings about the step at `path` (or inside it)."""
        here = path_text(path)
        return [
            p
            for p in (*self.errors, *self.warnings)
            if p.path == here or p.path.startswith(here + ".")
        ]


def check(plan: Plan, unit: SpeedUnit = "kmh") -> Findings:
    """What `walkcoach plans check` would say about the plan, saved as it is now; the
    warnings tell speeds in `unit`."""
    return Findings(tuple(plan_errors(plan)), tuple(plan_warnings(plan, unit)))


# --- form fields: what the user typed, checked ----------------------------------------


def check_direction(text: str) -> tuple[Direction | None, str | None]:
    word = text.strip().lower()
    for direction in DIRECTIONS:
        if word and direction.startswith(word):
            return direction, None
    return None, DIRECTION_HINT


def check_duration(text: str) -> tuple[int | None, str | None]:
    try:
        seconds = parse_duration(text)
    except ValueError:
        return None, f"expected {DURATION_HINT}"
    return _checked(seconds, rules.seconds_problem(seconds))


def speed_text(kmh: float, unit: SpeedUnit) -> str:
    """A speed as the form shows it: in `unit`, one decimal."""
    return f"{speed_in(kmh, unit):.1f}"


def check_speed(
    text: str, direction: Direction, unit: SpeedUnit
) -> tuple[float | None, str | None]:
    """A typed speed in `unit`, as km/h."""
    number = _parse_number(text)
    if number is None:
        return None, f"expected a number: {rules.speed_range(direction, unit)}"
    return _checked(kmh_from(number, unit), rules.speed_problem(number, unit, direction))


def check_incline(text: str) -> tuple[float | None, str | None]:
    number = 0.0 if not text.strip() else _parse_number(text)
    if number is None:
        return None, rules.INCLINE_HINT
    return _checked(number, rules.incline_problem(number))


def check_label(text: str) -> tuple[str | None, str | None]:
    return _checked(text.strip(), rules.label_problem(text))


def check_repeat(text: str) -> tuple[int | None, str | None]:
    stripped = text.strip()
    if not stripped.isdigit():
        return None, REPEAT_HINT
    return _checked(int(stripped), rules.repeat_problem(int(stripped)))


def check_name(text: str) -> tuple[str | None, str | None]:
    name = text.strip()
    return _checked(name, rules.name_problem(name))


def check_description(text: str) -> tuple[str | None, str | None]:
    return _checked(text.strip(), rules.description_problem(text))


def _checked(value: T, problem: str | None) -> tuple[T | None, str | None]:
    """A form field's answer: the value when the rule found no problem, else the problem."""
    return (None, problem) if problem is not None else (value, None)


def _parse_number(text: str) -> float | None:
    try:
        number = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class SegmentForm:
    """A segment as the form shows it: text for each field, speed in the walker's unit."""

    direction: str
    duration: str
    speed: str
    incline: str
    label: str

    @classmethod
    def of(cls, segment: Segment, unit: SpeedUnit) -> SegmentForm:
        return cls(
            segment.direction,
            format_clock(segment.seconds),
            speed_text(segment.speed_kmh, unit),
            f"{segment.incline_pct:g}",
            segment.label,
        )

    def errors(self, unit: SpeedUnit, original: Segment | None = None) -> dict[str, str]:
        """Each field's message (only fields with a problem)."""
        found: dict[str, str] = {}
        direction, error = check_direction(self.direction)
        if error:
            found["direction"] = error
        _, error = check_duration(self.duration)
        if error:
            found["duration"] = error
        _, error = self._speed(direction or "forward", unit, original)
        if error:
            found["speed"] = error
        _, error = check_incline(self.incline)
        if error:
            found["incline"] = error
        _, error = check_label(self.label)
        if error:
            found["label"] = error
        return found

    def segment(self, unit: SpeedUnit, original: Segment | None = None) -> Segment | None:
        """The segment the form describes, or None while a field has a problem."""
        if self.errors(unit, original):
            return None
        direction, _ = check_direction(self.direction)
        seconds, _ = check_duration(self.duration)
        assert direction is not None
        speed, _ = self._speed(direction, unit, original)
        incline, _ = check_incline(self.incline)
        label, _ = check_label(self.label)
        assert seconds is not None and speed is not None and incline is not None
        return Segment(direction, seconds, speed, incline, label or "")

    def _speed(
        self, direction: Direction, unit: SpeedUnit, original: Segment | None
    ) -> tuple[float | None, str | None]:
        """The typed speed in km/h. A speed left as shown keeps the original's exact
        value (no drift through rounding or a change of unit), even one the form's
        one-decimal limits leave out (0.5 km/h shows as 0.3 mph)."""
        if (
            original is not None
            and self.speed.strip() == speed_text(original.speed_kmh, unit)
            and rules.speed_problem(original.speed_kmh, "kmh", direction) is None
        ):
            return original.speed_kmh, None
        return check_speed(self.speed, direction, unit)
