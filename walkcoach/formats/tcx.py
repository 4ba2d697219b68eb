"""Walks as a TCX file (Garmin's Training Center XML, schema TrainingCenterDatabase v2),
the older activity format Strava, Garmin Connect and most training logs also import.

Sport "Other" (the schema knows only Running, Biking and Other), no positions. Each lap
is one walked segment: start time, elapsed time, distance, calories, a two-point track
(its start and end, with the distance so far), its name in the lap's notes and its
average speed in Garmin's ActivityExtension v2 ``LX/AvgSpeed``. TCX has no incline and
no time zone: times are UTC. Several walks fit in one file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Final

from walkcoach.formats.walk import Walk
from walkcoach.text import printable

NAMESPACE: Final = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
EXTENSION_NAMESPACE: Final = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
MAX_CALORIES: Final = 65535  # the schema's xsd:unsignedShort


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _add(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    element.text = text
    return element


def _activity(parent: ET.Element, walk: Walk) -> None:
    activity = ET.SubElement(parent, f"{{{NAMESPACE}}}Activity", Sport="Other")
    _add(activity, "Id", _time(walk.started_at))
    distance_m = 0.0
    for lap, start in zip(walk.laps, walk.lap_starts(), strict=True):
        element = ET.SubElement(activity, f"{{{NAMESPACE}}}Lap", StartTime=_time(start))
        _add(element, "TotalTimeSeconds", _number(lap.seconds))
        _add(element, "DistanceMeters", _number(lap.distance_km * 1000))
        _add(element, "Calories", str(min(round(lap.kcal), MAX_CALORIES)))
        _add(element, "Intensity", "Active")
        _add(element, "TriggerMethod", "Manual")
        track = _add(element, "Track", "")
        track.text = None
        for moment, metres in (
            (start, distance_m),
            (start + timedelta(seconds=lap.seconds), distance_m + lap.distance_km * 1000),
        ):
            point = _add(track, "Trackpoint", "")
            point.text = None
            _add(point, "Time", _time(moment))
            _add(point, "DistanceMeters", _number(metres))
        distance_m += lap.distance_km * 1000
        _add(element, "Notes", printable(lap.name))
        extensions = _add(element, "Extensions", "")
        extensions.text = None
        lx = ET.SubElement(extensions, f"{{{EXTENSION_NAMESPACE}}}LX")
        speed = ET.SubElement(lx, f"{{{EXTENSION_NAMESPACE}}}AvgSpeed")
        speed.text = _number(lap.speed_kmh / 3.6)
    _add(activity, "Notes", printable(f"walkcoach: {walk.plan_name}, treadmill walking"))


def encode_walks(walks: Iterable[Walk]) -> str:
    """The walks as one TCX document, one activity each (a walk needs at least one lap:
    the schema wants one per activity, so walks without any are left out)."""
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("ax", EXTENSION_NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}TrainingCenterDatabase")
    activities = ET.SubElement(root, f"{{{NAMESPACE}}}Activities")
    for walk in walks:
        if walk.laps:
            _activity(activities, walk)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
