"""What the coach says, and when it may say it (pure).

The walker faces away from the screen for every backward segment, so each moment that
matters becomes a `Prompt`: a closed list of clip names (rendered offline into
`assets/voice/`, see tools/make_voice.py), optionally opened by a cue tone. This module
only decides the words; the sound layer splices the clips and plays them.

A prompt is made of parts, most important first. The player may cut a prompt short at a
part boundary so that it ends before its deadline (the next countdown tick or turn): a
late prompt is cut to its first words, never delayed past the moment it announces.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Final, Literal, NamedTuple

from walkcoach.calories import Hold
from walkcoach.cues import Cue
from walkcoach.plan import Segment, TimelineEntry
from walkcoach.planrules import Direction
from walkcoach.units import SpeedUnit, format_speed, kmh_to_mph

if TYPE_CHECKING:
    from walkcoach.engine import Event

PromptKind = Literal[
    "lead_in",
    "prepare",
    "switch",
    "tick",
    "halfway",
    "time_left",
    "pause",
    "resume",
    "speed",
    "hold",
    "finish",
    "sample",
]
Countdown = Literal["tones", "words"]
COUNTDOWNS: Final[tuple[Countdown, ...]] = ("tones", "words")

PRIORITY: Final[Mapping[PromptKind, int]] = {
    "finish": 6,
    "switch": 5,
    "tick": 4,
    "lead_in": 3,
    "prepare": 3,
    "pause": 2,
    "resume": 2,
    "speed": 2,
    "hold": 2,
    "halfway": 1,
    "time_left": 1,
    "sample": 1,
}
"""Which prompt wins when two meet: a higher one replaces a lower one, queued or playing."""

TOPIC: Final[Mapping[PromptKind, str]] = {
    "pause": "pause",
    "resume": "pause",
    "speed": "speed",
    "hold": "hold",
}
"""Prompts about the same thing: the newer one replaces the older at once (the walker
pressed the key again; only the state now matters)."""


# Each clip's name and the text the synthesizer renders for it. The spelling is for the
# synthesizer ("kilometers"); what the screen shows comes from elsewhere.
PHRASES: Final[Mapping[str, str]] = {
    "get_ready": "Get ready.",
    "first_forward": "First, walk forward.",
    "first_backward": "First, walk backward.",
    "set_the_belt_to": "Set the belt to",
    "start_forward": "Start walking forward.",
    "start_backward": "Start walking backward.",
    "backward_next": "Backward next.",
    "forward_next": "Forward next.",
    "slow_the_belt_to": "Slow the belt to",
    "then_turn_around": "then turn around.",
    "turn_at_this_speed": "Turn around at this speed,",
    "then_raise_the_belt_to": "then raise the belt to",
    "keep_the_speed": "Keep the speed, and turn around.",
    "turn_now": "Turn now.",
    "walk_forward": "Walk forward.",
    "walk_backward": "Walk backward.",
    "raise_the_belt_to": "Raise the belt to",
    "next_segment": "Next segment.",
    "speed": "Speed",
    "incline": "Incline",
    "percent": "percent.",
    # "Hold the rails" was misheard by the offline recognizer in every run; "Hands on
    # the rails" was not.
    "form_reminder": "Hands on the rails. Short steps, and keep your back straight.",
    # How the walker holds the handrails, said back when they change it (the calories
    # count it).
    "hands_free": "Hands free.",
    "hands_resting": "Hands resting.",
    "gripping_the_rails": "Gripping the rails.",
    "halfway": "Halfway there.",
    "five_minutes_left": "Five minutes left.",
    "one_minute_left": "One minute left.",
    "paused": "Walk paused.",
    "resuming": "Resuming.",
    "walk_done": "Walk done.",
    "walk_ended_early": "Walk ended early.",
    "minutes_walked": "minutes walked.",
    "minute_walked": "minute walked.",
    # What treadmills say, and clearer than flite's "kilocalories" (it swallows the "cal").
    "calories": "calories.",
    "calorie": "calorie.",
    "kmh": "kilometers per hour.",
    "mph": "miles per hour.",
    "point": "point",
    "hundred": "hundred",
    "thousand": "thousand",
    "sample": "This is the walk coach voice.",
}

_ONES: Final = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS: Final = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

NUMBERS: Final[Mapping[str, str]] = {
    **{f"n{i}": word for i, word in enumerate(_ONES)},
    **{f"n{(i + 2) * 10}": word for i, word in enumerate(_TENS)},
}

VOCABULARY: Final[Mapping[str, str]] = {**PHRASES, **NUMBERS}
"""Every clip the coach can ask for, by name, with the text it says."""

# One clip for each of the engine's TIME_LEFT_MINUTES (a test checks they agree).
_TIME_LEFT_CLIPS: Final[Mapping[int, str]] = {5: "five_minutes_left", 1: "one_minute_left"}


class Prompt(NamedTuple):
    """One thing to say: an optional opening tone, then the clips, part by part."""

    kind: PromptKind
    parts: tuple[tuple[str, ...], ...]
    earcon: Cue | None = None
    due: float = 0.0  # the clock time it is about
    deadline: float | None = None  # it must have ended by then; None: no limit

    @property
    def priority(self) -> int:
        return PRIORITY[self.kind]

    @property
    def topic(self) -> str | None:
        return TOPIC.get(self.kind)

    @property
    def clips(self) -> tuple[str, ...]:
        return tuple(clip for part in self.parts for clip in part)

    @property
    def text(self) -> str:
        """What it says, as plain words (for tests, logs and the sound check)."""
        return spoken_text(self.clips)


class VoiceSettings(NamedTuple):
    """How the coach speaks: in which unit, at all, and how it counts the last seconds."""

    unit: SpeedUnit = "kmh"
    voice: bool = True
    countdown: Countdown = "tones"


def spoken_text(clips: Iterable[str]) -> str:
    words = " ".join(VOCABULARY[clip].rstrip(".,") for clip in clips)
    return words


# --- numbers -------------------------------------------------------------------------


def number_clips(n: int) -> tuple[str, ...]:
    """A whole number as clip names: 212 -> two hundred twelve (American style, no "and")."""
    if n < 0:
        raise ValueError(f"no words for a negative number ({n})")
    if n < 20:
        return (f"n{n}",)
    if n < 100:
        tens, ones = divmod(n, 10)
        return (f"n{tens * 10}",) + ((f"n{ones}",) if ones else ())
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return (f"n{hundreds}", "hundred") + (number_clips(rest) if rest else ())
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        return (*number_clips(thousands), "thousand") + (number_clips(rest) if rest else ())
    raise ValueError(f"no words for numbers this large ({n})")


def decimal_clips(value: float) -> tuple[str, ...]:
    """A number to one decimal as the screen shows it: 2.5 -> two point five, 3.0 -> three."""
    whole, tenth = f"{max(0.0, value):.1f}".split(".")
    clips = number_clips(int(whole))
    return clips + (("point", f"n{tenth}") if tenth != "0" else ())


def speed_value(kmh: float, unit: SpeedUnit) -> float:
    return kmh_to_mph(kmh) if unit == "mph" else kmh


def speed_clips(kmh: float, unit: SpeedUnit) -> tuple[str, ...]:
    """A belt speed in the walker's unit, as their treadmill shows it (one decimal)."""
    return decimal_clips(speed_value(kmh, unit))


def same_speed(a_kmh: float, b_kmh: float, unit: SpeedUnit) -> bool:
    """Whether the two speeds read the same on the walker's treadmill (to one decimal)."""
    return f"{speed_value(a_kmh, unit):.1f}" == f"{speed_value(b_kmh, unit):.1f}"


TurnOrder = Literal["keep", "slow_first", "turn_first"]


def turn_order(coming_kmh: float, belt_kmh: float, unit: SpeedUnit) -> TurnOrder:
    """The safe order for a new belt speed around a turn: slower, slow the belt first and
    then turn; faster, turn at the speed the belt is on and raise it after; the same as
    the treadmill shows it, keep it. The voice, the written call and the reminders all
    follow this one rule."""
    if same_speed(coming_kmh, belt_kmh, unit):
        return "keep"
    return "slow_first" if coming_kmh < belt_kmh else "turn_first"


def _walk(direction: Direction) -> str:
    return "walk_backward" if direction == "backward" else "walk_forward"


# --- the prompts ---------------------------------------------------------------------


def lead_in(first: Segment, settings: VoiceSettings, due: float, deadline: float | None) -> Prompt:
    """Get ready: the first direction and its belt speed (with the unit, said once here)."""
    first_clip = "first_backward" if first.direction == "backward" else "first_forward"
    parts: list[tuple[str, ...]] = [
        ("get_ready",),
        (first_clip,),
        ("set_the_belt_to", *speed_clips(first.speed_kmh, settings.unit), settings.unit),
    ]
    return _spoken("lead_in", parts, None, settings, due, deadline)


def prepare(
    coming: Segment,
    belt_kmh: float,
    settings: VoiceSettings,
    due: float,
    deadline: float | None,
) -> Prompt:
    """Before a change of direction: which way, and the belt speed in the safe order.

    Slower: slow the belt first, then turn. Faster: turn at the slow speed, then raise
    the belt. The walker never turns round on a belt that is about to be sped up.
    """
    unit = settings.unit
    parts: list[tuple[str, ...]] = [
        ("backward_next",) if coming.direction == "backward" else ("forward_next",)
    ]
    order = turn_order(coming.speed_kmh, belt_kmh, unit)
    if order == "keep":
        parts.append(("keep_the_speed",))
    elif order == "slow_first":
        parts += [("slow_the_belt_to", *speed_clips(coming.speed_kmh, unit)), ("then_turn_around",)]
    else:
        parts += [
            ("turn_at_this_speed",),
            ("then_raise_the_belt_to", *speed_clips(coming.speed_kmh, unit)),
        ]
    return _spoken("prepare", parts, "prepare", settings, due, deadline)


def switch(
    cue: Cue,
    segment: Segment,
    previous: Segment | None,
    belt_kmh: float,
    first_backward: bool,
    settings: VoiceSettings,
    due: float,
    deadline: float | None,
) -> Prompt:
    """At a segment's start: turn now and the direction; in the same direction, what changed.

    `previous` is None for the first segment (straight after the lead-in). `belt_kmh` is
    the belt speed just before the switch; a faster new speed is said after the turn.
    """
    unit = settings.unit
    parts: list[tuple[str, ...]] = []
    if previous is None:
        # Repeats the lead-in's speed: a short lead-in may have cut it.
        start = "start_backward" if segment.direction == "backward" else "start_forward"
        parts += [(start,), ("speed", *speed_clips(segment.speed_kmh, unit))]
    elif previous.direction != segment.direction:
        parts += [("turn_now",), (_walk(segment.direction),)]
    else:
        parts.append(("next_segment",))
    faster = turn_order(segment.speed_kmh, belt_kmh, unit) == "turn_first"
    if previous is not None and previous.direction != segment.direction:
        if faster:
            parts.append(("raise_the_belt_to", *speed_clips(segment.speed_kmh, unit)))
    elif previous is not None and not same_speed(segment.speed_kmh, belt_kmh, unit):
        parts.append(("speed", *speed_clips(segment.speed_kmh, unit)))
    if previous is not None and abs(previous.incline_pct - segment.incline_pct) >= 0.05:
        parts.append(("incline", *decimal_clips(segment.incline_pct), "percent"))
    if first_backward and segment.direction == "backward":
        parts.append(("form_reminder",))
    return _spoken("switch", parts, cue, settings, due, deadline)


def tick(seconds_left: int, settings: VoiceSettings, due: float) -> Prompt:
    """One of the last three seconds: the tick tone, or the number spoken."""
    if settings.voice and settings.countdown == "words":
        return Prompt("tick", (number_clips(seconds_left),), None, due, due + 1.0)
    return Prompt("tick", (), "tick", due, due + 1.0)


def halfway(settings: VoiceSettings, due: float, deadline: float | None) -> Prompt:
    return _spoken("halfway", [("halfway",)], "halfway", settings, due, deadline)


def time_left(
    minutes: int, settings: VoiceSettings, due: float, deadline: float | None
) -> Prompt | None:
    """Five minutes, one minute left in the walk: words only (there is no tone for it)."""
    clip = _TIME_LEFT_CLIPS.get(minutes)
    if clip is None or not settings.voice:
        return None
    return Prompt("time_left", ((clip,),), None, due, deadline)


def paused(settings: VoiceSettings, due: float) -> Prompt | None:
    return Prompt("pause", (("paused",),), None, due, None) if settings.voice else None


def resumed(
    segment: Segment | None,
    belt_kmh: float,
    settings: VoiceSettings,
    due: float,
    deadline: float | None,
) -> Prompt | None:
    """Going on after a pause, with the direction and belt speed to walk at."""
    if not settings.voice:
        return None
    parts: list[tuple[str, ...]] = [("resuming",)]
    if segment is not None:
        parts += [(_walk(segment.direction),), ("speed", *speed_clips(belt_kmh, settings.unit))]
    return Prompt("resume", tuple(parts), None, due, deadline)


def speed_set(
    belt_kmh: float, settings: VoiceSettings, due: float, deadline: float | None
) -> Prompt | None:
    """The belt speed after + / -, said once the presses have settled."""
    if not settings.voice:
        return None
    return Prompt("speed", (("speed", *speed_clips(belt_kmh, settings.unit)),), None, due, deadline)


_HOLD_CLIPS: Final[Mapping[Hold, str]] = {
    "free": "hands_free",
    "resting": "hands_resting",
    "gripping": "gripping_the_rails",
}


def hold_set(
    hold: Hold, settings: VoiceSettings, due: float, deadline: float | None
) -> Prompt | None:
    """The handrail hold the walker just chose (h during a walk)."""
    if not settings.voice:
        return None
    return Prompt("hold", ((_HOLD_CLIPS[hold],),), None, due, deadline)


def finish(
    finished: bool, active_s: float, kcal: float, settings: VoiceSettings, due: float
) -> Prompt:
    """The end: walk done (or ended early), the minutes walked and the kcal (said as
    "calories", as treadmills say it)."""
    minutes = round(active_s / 60)
    whole_kcal = round(kcal)
    parts: list[tuple[str, ...]] = [
        ("walk_done",) if finished else ("walk_ended_early",),
        (*number_clips(minutes), "minute_walked" if minutes == 1 else "minutes_walked"),
        (*number_clips(whole_kcal), "calorie" if whole_kcal == 1 else "calories"),
    ]
    return _spoken("finish", parts, "finish" if finished else None, settings, due, None)


def sample(settings: VoiceSettings, due: float) -> Prompt:
    """What `walkcoach sound-check` says: the voice, then a real turn call."""
    coming = Segment("backward", 60, 2.5)
    turn = prepare(coming, 4.5, settings._replace(voice=True), due, None)
    return Prompt("sample", (("sample",), *turn.parts), "prepare", due, None)


def _spoken(
    kind: PromptKind,
    parts: list[tuple[str, ...]],
    earcon: Cue | None,
    settings: VoiceSettings,
    due: float,
    deadline: float | None,
) -> Prompt:
    """The prompt with its words, or only its tone when the voice is off."""
    words = tuple(parts) if settings.voice else ()
    return Prompt(kind, words, earcon, due, deadline)


def missing_clips(prompts: Iterable[Prompt], available: Iterable[str]) -> Iterator[str]:
    """The clip names the prompts ask for that are not among `available`."""
    have = set(available)
    seen: set[str] = set()
    for prompt in prompts:
        for clip in prompt.clips:
            if clip not in have and clip not in seen:
                seen.add(clip)
                yield clip


def turn_advice(coming: Segment, belt_kmh: float, unit: SpeedUnit) -> str:
    """The turn call in writing, in the same safe order as `prepare` says it."""
    target = format_speed(coming.speed_kmh, unit)
    order = turn_order(coming.speed_kmh, belt_kmh, unit)
    if order == "keep":
        return f"keep {target} and turn around"
    if order == "slow_first":
        return f"slow the belt to {target}, then turn around"
    return f"turn around at this speed, then raise the belt to {target}"


class Coach:
    """Turns one walk's engine events into prompts, remembering what it has said.

    The screen hands it each batch of events with the belt speed just before them and
    how long the engine leaves free for talking (`Engine.seconds_free`); it returns the
    prompts to play, each with its deadline. The belt speed a turn call or a switch
    names is the event's (`Event.speed_kmh`: the plan's with the walker's correction),
    the number the screen shows for the same segment, never the plan's own.
    """

    def __init__(self, timeline: Sequence[TimelineEntry], settings: VoiceSettings) -> None:
        self.timeline = tuple(timeline)
        self.settings = settings
        self._backward_seen = False

    def _deadline(self, now: float, free_s: float | None) -> float | None:
        return None if free_s is None else now + free_s

    def start(self, now: float, free_s: float | None) -> Prompt:
        return lead_in(self.timeline[0].segment, self.settings, now, self._deadline(now, free_s))

    def events(
        self, events: Iterable[Event], belt_kmh: float, now: float, free_s: float | None
    ) -> list[Prompt]:
        prompts: list[Prompt] = []
        deadline = self._deadline(now, free_s)
        for event in events:
            prompt = self._one(event, belt_kmh, deadline)
            if prompt is not None:
                prompts.append(prompt)
        return prompts

    def _one(self, event: Event, belt_kmh: float, deadline: float | None) -> Prompt | None:
        settings = self.settings
        if event.kind == "tick" and event.cue is not None:
            return tick(event.seconds_left, settings, event.due)
        if event.kind == "prepare" and event.cue is not None and event.position is not None:
            coming = self._as_walked(event.position, event.speed_kmh)
            return prepare(coming, belt_kmh, settings, event.due, deadline)
        if event.kind == "switch" and event.cue is not None and event.position is not None:
            segment = self._as_walked(event.position, event.speed_kmh)
            previous = self.timeline[event.position - 1].segment if event.position else None
            first_backward = segment.direction == "backward" and not self._backward_seen
            if segment.direction == "backward":
                self._backward_seen = True
            return switch(
                event.cue,
                segment,
                previous,
                belt_kmh,
                first_backward,
                settings,
                event.due,
                deadline,
            )
        if event.kind == "halfway" and event.cue is not None:
            return halfway(settings, event.due, deadline)
        if event.kind == "time_left":
            return time_left(event.seconds_left // 60, settings, event.due, deadline)
        if event.kind == "auto_pause":
            return paused(settings, event.due)
        return None  # finish is said with the walk's totals, by `end`

    def _as_walked(self, position: int, speed_kmh: float | None) -> Segment:
        """Segment `position` at the belt speed the engine set for it (when it says)."""
        segment = self.timeline[position].segment
        return segment if speed_kmh is None else segment._replace(speed_kmh=speed_kmh)

    def pause(self, now: float) -> Prompt | None:
        return paused(self.settings, now)

    def resume(
        self, segment: Segment | None, belt_kmh: float, now: float, free_s: float | None
    ) -> Prompt | None:
        return resumed(segment, belt_kmh, self.settings, now, self._deadline(now, free_s))

    def speed(self, belt_kmh: float, now: float, free_s: float | None) -> Prompt | None:
        return speed_set(belt_kmh, self.settings, now, self._deadline(now, free_s))

    def hold(self, hold: Hold, now: float, free_s: float | None) -> Prompt | None:
        return hold_set(hold, self.settings, now, self._deadline(now, free_s))

    def end(self, finished: bool, active_s: float, kcal: float, now: float) -> Prompt:
        return finish(finished, active_s, kcal, self.settings, now)
