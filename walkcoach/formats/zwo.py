"""Zwift running workouts (.zwo files) read as walking plans.

A Zwift run workout gives each step's pace as a share of the runner's threshold pace
("Power" 0.8 is 80 % of it), so the walker's own reference speed turns shares into
speeds: speed = share x reference. Mapped: SteadyState (a segment), IntervalsT (a repeat
block of its on and off steps), and Warmup, Cooldown and Ramp (a segment at the mean of
the ramp's two speeds, noted). Everything else is reported: elements that have no speed
(FreeRide, MaxEffort, unknown ones) stop the import; attributes that a walking plan has
no place for (cadence, text events and such) are listed as notes, so nothing is dropped
unsaid. Steps walk forward. The XML is read with defusedxml, which refuses DTDs and
entity expansion, after a size check.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from typing import Any, Final, NamedTuple

from walkcoach.formats.limits import MAX_FILE_BYTES, MAX_STEPS, shown
from walkcoach.formats.places import parse_at
from walkcoach.plan import Plan, PlanError, Problem

_RAMPS: Final = frozenset({"Warmup", "Cooldown", "Ramp"})
_USED: Final[dict[str, frozenset[str]]] = {
    "SteadyState": frozenset({"Duration", "Power", "PowerLow", "PowerHigh"}),
    "IntervalsT": frozenset(
        ["Repeat", "OnDuration", "OffDuration", "OnPower", "OffPower"]
        + [f"Power{on}{end}" for on in ("On", "Off") for end in ("Low", "High")]
    ),
    **dict.fromkeys(_RAMPS, frozenset({"Duration", "PowerLow", "PowerHigh", "Power"})),
}
_HEAD: Final = frozenset({"name", "description", "sportType", "author", "tags", "workout"})
MAX_REFERENCE_SPEED: Final = 20.0
"""Far above any walking speed, in km/h or mph; the speeds made of it are still checked
as every plan's are."""


def reference_speed(typed: str) -> tuple[float | None, str | None]:
    """A reference speed as the walker types it (in their unit, "5" or "5,5"):
    ``(speed, None)`` or ``(None, what is wrong)``."""
    try:
        speed = float(typed.strip().replace(",", "."))
    except ValueError:
        speed = math.nan
    if not 0 < speed <= MAX_REFERENCE_SPEED:  # not a number fails this too
        return None, f"expected a speed above 0 and at most {MAX_REFERENCE_SPEED:g}, such as 5.0"
    return speed, None


class Imported(NamedTuple):
    """A plan read from another tool's file, and what of the file it could not keep."""

    plan: Plan
    notes: tuple[Problem, ...]


class _Bad(Exception):
    """One element that cannot be mapped (internal: collected into `PlanError`)."""


def _number(element: ET.Element, names: tuple[str, ...], path: str) -> float:
    for name in names:
        text = element.get(name)
        if text is None:
            continue
        try:
            value = float(text)
        except ValueError:
            raise _Bad(f"{path}@{name}: {shown(text)} is not a number") from None
        if not math.isfinite(value) or value <= 0:
            raise _Bad(f"{path}@{name}: {shown(text)} is not a positive number")
        return value
    raise _Bad(f"{path}: missing {' or '.join(names)}")


def _segment(seconds: float, share: float, reference_kmh: float) -> dict[str, Any]:
    return {
        "direction": "forward",
        "duration": round(seconds),
        "speed_kmh": round(share * reference_kmh, 2),
    }


def _ramp_share(element: ET.Element, path: str, notes: list[Problem], on: str = "") -> float:
    """The share a step walks at: its Power, or the mean of its PowerLow and PowerHigh
    (a ramp walked at one speed, noted)."""
    if on:
        names = (f"{on}Power",), (f"Power{on}Low",), (f"Power{on}High",)
    else:
        names = ("Power",), ("PowerLow",), ("PowerHigh",)
    if element.get(names[0][0]) is not None:
        return _number(element, names[0], path)
    low, high = _number(element, names[1], path), _number(element, names[2], path)
    if low != high:
        notes.append(
            Problem(path, f"a ramp from {low:g} to {high:g} is walked at one speed, their mean")
        )
    return (low + high) / 2


def _step(
    element: ET.Element, path: str, reference_kmh: float, notes: list[Problem]
) -> dict[str, Any]:
    tag = element.tag
    if tag not in _USED:
        raise _Bad(f"{path}: {shown(str(tag))} has no speed a walk can take")
    unused = sorted(set(element.attrib) - _USED[tag])
    if unused:
        notes.append(Problem(path, f"not kept: {', '.join(shown(a) for a in unused[:5])}"))
    events = len(list(element))
    if events:
        notes.append(Problem(path, f"not kept: {events} text event(s) or other child elements"))
    if tag == "IntervalsT":
        times = _number(element, ("Repeat",), path)
        if not times.is_integer():
            raise _Bad(f"{path}@Repeat: {times:g} is not a whole number")
        on = _segment(
            _number(element, ("OnDuration",), path),
            _ramp_share(element, path, notes, "On"),
            reference_kmh,
        )
        off = _segment(
            _number(element, ("OffDuration",), path),
            _ramp_share(element, path, notes, "Off"),
            reference_kmh,
        )
        return {"repeat": int(times), "steps": [on, off]}
    share = _ramp_share(element, path, notes)
    return _segment(_number(element, ("Duration",), path), share, reference_kmh)


def _root(text: str, source: str) -> ET.Element:
    import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped]
    from defusedxml import DefusedXmlException

    if len(text) > MAX_FILE_BYTES:
        raise PlanError(
            [Problem("", f"is {len(text):,} characters; a workout has at most {MAX_FILE_BYTES:,}")],
            source,
        )
    try:
        root: ET.Element = SafeET.fromstring(text, forbid_dtd=True)
    except ET.ParseError as exc:
        raise PlanError([Problem("", f"not well-formed XML ({exc})")], source) from None
    except DefusedXmlException:
        raise PlanError(
            [Problem("", "holds a DTD or entities, which a workout file never needs")], source
        ) from None
    return root


def loads(text: str, reference_kmh: float, name: str = "", source: str = "") -> Imported:
    """The plan a Zwift running workout describes, walked at shares of `reference_kmh`
    (the walker's brisk forward speed); `name` is used when the file names none.
    `PlanError` with element paths for anything that cannot be mapped."""
    root = _root(text, source)
    problems: list[Problem] = []
    notes: list[Problem] = []
    if root.tag != "workout_file":
        raise PlanError([Problem(shown(str(root.tag)), "not a Zwift workout_file")], source)
    for child in root:
        if child.tag not in _HEAD:
            notes.append(Problem(f"workout_file/{shown(str(child.tag))}", "not kept"))
    sport = (root.findtext("sportType") or "").strip()
    if sport != "run":
        problems.append(
            Problem("workout_file/sportType", f"{shown(sport)}: only run workouts map to walking")
        )
    workout = root.find("workout")
    elements = list(workout) if workout is not None else []
    if not elements:
        problems.append(Problem("workout_file/workout", "missing or empty"))
    if len(elements) > MAX_STEPS:
        problems.append(
            Problem("workout_file/workout", f"{len(elements):,} steps; at most {MAX_STEPS} read")
        )
    if problems:
        raise PlanError(problems, source)

    steps: list[dict[str, Any]] = []
    where: dict[str, str] = {}
    for index, element in enumerate(elements, start=1):
        path = f"workout_file/workout/{shown(str(element.tag))[1:-1]}[{index}]"
        try:
            step = _step(element, path, reference_kmh, notes)
        except _Bad as exc:
            path_, _, message = str(exc).partition(": ")
            problems.append(Problem(path_, message))
            continue
        where[f"steps[{len(steps)}]"] = path
        steps.append(step)
    if problems:
        raise PlanError(problems, source)
    data: dict[str, Any] = {
        "name": (root.findtext("name") or "").strip() or name,
        "steps": steps,
    }
    description = (root.findtext("description") or "").strip()
    if description:
        data["description"] = description
    return Imported(parse_at(data, where, source), tuple(notes))
