"""Plans as workout text in the form intervals.icu documents for its workout builder.

A step is a line starting with "-": a direction word, a label in double quotes (or
plain words without digits), a duration, a speed and an optional incline::

    Warm-up
    - forward 5m 4.5km/h

    Main set 4x
    - backward "Retro 1" 1m 3km/h 2% incline
    - forward 2m 5.5km/h

Any other line heads a section; a heading ending in "Nx" makes the steps under it, up
to the next blank line or heading, a repeat block (intervals.icu has no nested repeats).
Durations are "1h", "5m", "30s", "1m30s", "1m30", 5', 1'30", 30" or "2:30"; speeds are
km/h, kph or mph. A step without a direction word
walks forward. Anything else with a digit in it, and a heading that holds a step's
duration or speed, is reported with its line number, never guessed. The text carries
the steps only: the plan's name comes from the caller (the file's name), nested repeat
blocks are written out in full inside their outer block, and a double quote in a label
is written as a single one.
"""

from __future__ import annotations

import re
from typing import Any, Final

from walkcoach.formats.limits import MAX_FILE_BYTES, MAX_STEPS, shown
from walkcoach.formats.places import parse_at
from walkcoach.plan import (
    Plan,
    PlanError,
    Problem,
    Repeat,
    Segment,
    iter_segments,
)
from walkcoach.planrules import DIRECTIONS, MAX_REPEAT

_DURATION: Final = re.compile(
    r"^(?:(?:\d{1,3}h)?(?:\d{1,4}m)?(?:\d{1,5}s)?|\d{1,4}m\d{1,2}|\d{1,4}:\d\d(?::\d\d)?"
    r"|\d{1,4}'(?:\d{1,2}\")?|\d{1,5}\")$"
)
_SPEED: Final = re.compile(r"^(\d{1,3}(?:\.\d{1,20})?)(km/h|kph|mph)$", re.IGNORECASE)
_SPACED_UNIT: Final = re.compile(r"(\d)\s+(km/h|kph|mph)\b", re.IGNORECASE)
_DISTANCE: Final = re.compile(r"^\d{1,6}(?:\.\d{1,6})?(?:km|mi|mtr)$", re.IGNORECASE)
_INCLINE: Final = re.compile(r"^(\d{1,3}(?:\.\d{1,3})?)%$")
_INCLINE_WORDS: Final = ("incline", "grade")
_REPEAT_HEADING: Final = re.compile(r"^(.*?)\s*\b(\d+)x$", re.IGNORECASE)
_TOKENS: Final = re.compile(r'"[^"]*"|\S+')
QUOTE: Final = '"'
"""What closes a label; a label's own double quotes are written as single ones."""


def _duration_text(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n]
    return "".join(parts) or "0s"


def _number_text(value: float) -> str:
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def _step_line(segment: Segment) -> str:
    words = ["-", segment.direction]
    if segment.label:
        label = segment.label.replace(QUOTE, "'")
        words.append(f"{QUOTE}{label}{QUOTE}")
    words += [_duration_text(segment.seconds), f"{_number_text(segment.speed_kmh)}km/h"]
    if segment.incline_pct:
        words += [f"{_number_text(segment.incline_pct)}%", "incline"]
    return " ".join(words)


def dumps(plan: Plan) -> str:
    """The plan's steps as workout text that `loads` reads back into equal steps (nested
    repeat blocks unrolled inside the outermost one)."""
    lines: list[str] = []
    for step in plan.steps:
        if isinstance(step, Repeat):
            if lines:
                lines.append("")
            lines.append(f"{step.label} {step.times}x".strip())
            lines += [_step_line(segment) for segment, _ in iter_segments(step.steps)]
            lines.append("")
        else:
            lines.append(_step_line(step))
    return "\n".join(lines).strip("\n") + "\n"


class _Reader:
    """The plan data of workout text, with the line each step came from."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.steps: list[dict[str, Any]] = []
        self.block: list[dict[str, Any]] | None = None
        self.lines: dict[str, str] = {}  # plan path of a step -> "line N"
        self.count = 0

    def problem(self, number: int, message: str) -> None:
        self.problems.append(Problem(f"line {number}", message))

    def heading(self, number: int, text: str) -> None:
        self.block = None
        repeat = _REPEAT_HEADING.match(text)
        if repeat is None:
            if any(_SPEED.match(t) or _DURATION.match(t) for t in text.split()):
                self.problem(number, f"{shown(text)} reads like a step: start a step with '- '")
            return  # a section title only
        label, times = repeat.groups()
        if not self.counted(number):
            return
        if len(times) > len(str(MAX_REPEAT)):
            self.problem(number, f"{shown(times)}x: a block repeats at most {MAX_REPEAT} times")
            return
        block: dict[str, Any] = {"repeat": int(times)}
        if label:
            block["label"] = label
        self.block = block["steps"] = []
        self.lines[f"steps[{len(self.steps)}]"] = f"line {number}"
        self.steps.append(block)

    def counted(self, number: int) -> bool:
        """Whether one more step or block is read; past `MAX_STEPS` none is."""
        self.count += 1
        if self.count == MAX_STEPS + 1:
            self.problem(number, f"more than {MAX_STEPS} steps; that is all a plan reads")
        return self.count <= MAX_STEPS

    def step(self, number: int, text: str) -> None:
        if not self.counted(number):
            return
        data = self.segment(number, text)
        if data is None:
            return
        if self.block is None:
            self.lines[f"steps[{len(self.steps)}]"] = f"line {number}"
            self.steps.append(data)
        else:
            index = len(self.steps) - 1
            self.lines[f"steps[{index}].steps[{len(self.block)}]"] = f"line {number}"
            self.block.append(data)

    def segment(self, number: int, text: str) -> dict[str, Any] | None:
        data: dict[str, Any] = {}
        label: list[str] = []
        tokens = _TOKENS.findall(_SPACED_UNIT.sub(r"\1\2", text))
        found = len(self.problems)
        for index, token in enumerate(tokens):
            if index and _INCLINE.match(tokens[index - 1]) and token.lower() in _INCLINE_WORDS:
                continue  # the word of an incline: "2% incline"
            if token.startswith('"') and token.endswith('"') and len(token) > 1:
                label.append(token[1:-1])
            elif token.lower() in DIRECTIONS and "direction" not in data:
                data["direction"] = token.lower()
            elif _DURATION.match(token) and any(c.isdigit() for c in token):
                self.once(number, data, "duration", _duration_value(token), token)
            elif speed := _SPEED.match(token):
                key = "speed_mph" if speed.group(2).lower() == "mph" else "speed_kmh"
                self.once(number, data, key, float(speed.group(1)), token)
            elif incline := _INCLINE.match(token):
                if tokens[index + 1 : index + 2] and tokens[index + 1].lower() in _INCLINE_WORDS:
                    self.once(number, data, "incline_pct", float(incline.group(1)), token)
                else:
                    self.problem(
                        number,
                        f"{shown(token)} without 'incline' after it is a share of another "
                        "target (power, pace); walkcoach needs a speed",
                    )
            elif _DISTANCE.match(token):
                self.problem(number, f"{shown(token)} is a distance; walkcoach steps last a time")
            elif any(c.isdigit() for c in token) or token.startswith('"'):
                self.problem(
                    number,
                    f"{shown(token)} is not a duration (5m), a speed (4.5km/h) "
                    "or an incline (2% incline)",
                )
            else:
                label.append(token)
        for key, example in (("duration", "5m"), ("speed", "4.5km/h")):
            if not any(k.startswith(key) for k in data):
                self.problem(number, f"the step has no {key} (such as {example})")
        if len(self.problems) > found:
            return None
        data.setdefault("direction", "forward")
        if label:
            data["label"] = " ".join(label)
        return data

    def once(self, number: int, data: dict[str, Any], key: str, value: object, token: str) -> None:
        if key in data or (key.startswith("speed") and any(k.startswith("speed") for k in data)):
            self.problem(number, f"{shown(token)}: the step already has a {key.split('_')[0]}")
        else:
            data[key] = value


def _duration_value(token: str) -> str:
    """The token as `walkcoach.plan.parse_duration` reads it: "1m30" and 1'30" are
    "1m30s", 5' is "5m", 30" is "30s"."""
    token = token.replace("'", "m").replace(QUOTE, "s")
    return f"{token}s" if re.fullmatch(r"\d+m\d+", token) else token


def loads(text: str, name: str, source: str = "") -> Plan:
    """A plan named `name` from workout text; `PlanError` with line numbers."""
    if len(text) > MAX_FILE_BYTES:
        raise PlanError(
            [Problem("", f"is {len(text):,} characters; a workout has at most {MAX_FILE_BYTES:,}")],
            source,
        )
    reader = _Reader()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            reader.block = None
        elif line.startswith("-"):
            reader.step(number, line[1:])
        else:
            reader.heading(number, line)
    if not reader.count and not reader.problems:
        reader.problems.append(Problem("", "no steps: a step is a line such as '- 5m 4.5km/h'"))
    if reader.problems:
        raise PlanError(reader.problems, source, len(reader.problems))
    return parse_at({"name": name, "steps": reader.steps}, reader.lines, source)
