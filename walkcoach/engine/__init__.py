"""The session engine: where a walk is, what is due, and what it has burnt.

Pure and clock-injected. Every method of `Engine` that changes the state takes the
current monotonic time and returns the `Event`s that became due; nothing here counts
timer ticks or sleeps. The screens call `tick(now)` a few times a second and render
`snapshot()`.

Two speeds, one boundary. Every speed the engine hands out (`Snapshot.speed_kmh`, the
events' `speed_kmh`, the coming segment in `Snapshot.next_entry`) is a *belt* speed: the
number the walker reads and sets on the treadmill's console, as plans are written. The
walker's treadmill may read high or low; `treadmill_factor` (the profile's calibration)
turns a belt speed into the *true* speed (true = belt x factor), and only what the walk
produces uses it: MET, kcal and distance (so also the average speed in the results).
The screen and the voice therefore always agree with each other and with the console.

The modules: `machine` (the `Engine` and its stored `phase`), `schedule` (the pure cue
schedule of a segment and the collapsing of a batch of due events), `events`, `phase`,
`correction` and `results` (what a session reports). This package's public surface is
the list below.
"""

from walkcoach.engine.correction import SpeedCorrection
from walkcoach.engine.events import Event, EventKind
from walkcoach.engine.machine import AUTO_PAUSE_GAP_S, BACK_GRACE_S, DEFAULT_LEAD_IN_S, Engine
from walkcoach.engine.phase import Phase
from walkcoach.engine.results import Pause, SegmentRecord, SessionResult, Snapshot
from walkcoach.engine.schedule import (
    HALFWAY_CLEAR_OF_SWITCH_S,
    PREPARE_BEFORE_S,
    PREPARE_EARLIEST_S,
    STALE_AFTER_S,
    TICKS_BEFORE_END,
    TIME_LEFT_CLEAR_OF_HALFWAY_S,
    TIME_LEFT_MINUTES,
)

__all__ = [
    "AUTO_PAUSE_GAP_S",
    "BACK_GRACE_S",
    "DEFAULT_LEAD_IN_S",
    "HALFWAY_CLEAR_OF_SWITCH_S",
    "PREPARE_BEFORE_S",
    "PREPARE_EARLIEST_S",
    "STALE_AFTER_S",
    "TICKS_BEFORE_END",
    "TIME_LEFT_CLEAR_OF_HALFWAY_S",
    "TIME_LEFT_MINUTES",
    "Engine",
    "Event",
    "EventKind",
    "Pause",
    "Phase",
    "SegmentRecord",
    "SessionResult",
    "Snapshot",
    "SpeedCorrection",
]
