"""Plan rules applied to an imported plan, each problem told at its place in the file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from walkcoach.plan import Plan, PlanError, Problem, parse_plan


def parse_at(data: Mapping[str, Any], places: Mapping[str, str], source: str = "") -> Plan:
    """`parse_plan` of `data`; a problem at a step's plan path (``steps[1].speed_kmh``)
    is told at the place `places` gives for that step or the block holding it ("line 4",
    an element path, a FIT message), with the plan path after it."""
    try:
        return parse_plan(data, source)
    except PlanError as exc:
        raise PlanError([_placed(p, places) for p in exc.problems], source, exc.total) from None


def _placed(problem: Problem, places: Mapping[str, str]) -> Problem:
    path = problem.path
    while path:
        if path in places:
            return Problem(places[path], f"{problem.path}: {problem.message}")
        path = path.rpartition(".")[0]
    return problem
