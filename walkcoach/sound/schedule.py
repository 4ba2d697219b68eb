"""Which prompt plays next, which one waits, and which one is dropped (pure).

The player holds at most one stream playing and a short queue. The rules:

- a newer prompt with a higher priority than the one playing interrupts it, and so does
  one about the same topic (the walker pressed pause again: only the latest state counts);
- a newer prompt replaces every queued one of lower or equal priority, so the queue is
  always in strictly falling priority, oldest first, and its head is what plays next;
- a prompt starts cut to the parts that end by its deadline, or not at all: it is never
  started so late that it talks over the moment it announces;
- a countdown tick (or a bare tone from `play`) that cannot start soon after it was due
  is dropped: a late tick misleads more than a missing one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final, NamedTuple

from walkcoach.cues import Cue
from walkcoach.voice import Prompt, PromptKind

TICK_LATE_S: Final = 0.35
"""A countdown tick that would start later than this after its due time is dropped."""

TONE_KINDS: Final[dict[str, PromptKind]] = {
    "tick": "tick",
    "prepare": "prepare",
    "to_backward": "switch",
    "to_forward": "switch",
    "next": "switch",
    "halfway": "halfway",
    "finish": "finish",
}
"""The prompt each cue opens, so a bare tone from `play(cue)` gets that prompt's priority."""


class Entry(NamedTuple):
    """A prompt waiting to play, with the latest time it may still start (None: any)."""

    prompt: Prompt
    start_by: float | None = None


class Start(NamedTuple):
    """The decision to start `entry` now with its first `parts_kept` parts."""

    entry: Entry
    parts_kept: int


def tone(cue: Cue, due: float) -> Prompt:
    """A prompt that is only `cue`'s tone, due at `due` (what `play(cue)` plays)."""
    return Prompt(TONE_KINDS[cue], (), cue, due, None)


def entry_for(prompt: Prompt, start_by: float | None = None) -> Entry:
    """The queue entry for `prompt`: ticks must start within TICK_LATE_S of their due."""
    if prompt.kind == "tick":
        late = prompt.due + TICK_LATE_S
        start_by = late if start_by is None else min(start_by, late)
    return Entry(prompt, start_by)


def interrupts(new: Prompt, playing: Prompt | None) -> bool:
    """Whether `new` cuts `playing` short: a higher priority, or the same topic."""
    if playing is None:
        return False
    if new.priority > playing.priority:
        return True
    return new.topic is not None and new.topic == playing.topic


def enqueue(queue: Sequence[Entry], new: Entry) -> tuple[Entry, ...]:
    """The queue once `new` has arrived: it drops every entry it outranks or equals."""
    priority = new.prompt.priority
    return (*(entry for entry in queue if entry.prompt.priority > priority), new)


def choose(
    queue: Sequence[Entry], now: float, fit: Callable[[Prompt, float], int | None]
) -> tuple[Start | None, tuple[Entry, ...], tuple[Entry, ...]]:
    """What starts at `now`: (the start or None, the queue left, the entries dropped).

    `fit(prompt, now)` says how many parts of a prompt end by its deadline (None: not
    even its tone). Entries are tried from the head; one that is too late is dropped
    and the next is tried.
    """
    dropped: list[Entry] = []
    for index, entry in enumerate(queue):
        if entry.start_by is not None and now > entry.start_by:
            dropped.append(entry)
            continue
        kept = fit(entry.prompt, now)
        if kept is None:
            dropped.append(entry)
            continue
        return Start(entry, kept), tuple(queue[index + 1 :]), tuple(dropped)
    return None, (), tuple(dropped)
