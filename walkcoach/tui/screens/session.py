"""The live session: renders the engine's snapshot and forwards keys to it.

No timing logic lives here: a timer asks the engine what is due (`engine.tick(now)`)
when something changes, turns the events into prompts (`walkcoach.voice.Coach`), hands
them to the sound player and redraws what changed.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Vertical
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from walkcoach import calories, safety
from walkcoach.calories import HOLDS
from walkcoach.engine import BACK_GRACE_S, Engine, Event, Phase, SessionResult, Snapshot
from walkcoach.palette import DIRECTION_COLOURS
from walkcoach.plan import Plan, TimelineEntry
from walkcoach.recorder import FINAL_SAVE_WAIT_S, Recorder, final_status
from walkcoach.text import visible
from walkcoach.tui.context import AppContext
from walkcoach.tui.widgets.bigclock import BigClock
from walkcoach.tui.widgets.keyline import KeyLine
from walkcoach.units import (
    SPEED_STEP,
    SpeedUnit,
    format_clock,
    format_speed,
    kmh_to_mph,
    speed_step_kmh,
)
from walkcoach.voice import Coach, Prompt, turn_advice
from walkcoach.walks import WalkTotals

WAKE_MARGIN_S = 0.002  # wake just after a change is due, never just before
FLASH_S = 0.7
FLASH_ALPHA = 0.6
TOO_SMALL = (40, 12)
TOO_SMALL_TEXT = "The window is too small for walkcoach: make it at least 40 x 12."
COMPACT_BELOW = (80, 24)
SPEED_SETTLE_S = 1.2  # + / - presses this far apart are one change: say the speed once


class SessionOutcome(NamedTuple):
    plan: Plan
    result: SessionResult
    recorder: Recorder  # how the walk's saving goes (it may still be under way)


def direction_word(entry: TimelineEntry | None) -> str:
    return entry.segment.direction.upper() if entry else ""


# One press is one step in the walker's own unit: in km/h, 0.1 km/h.
_SPEED_HELP = (
    f"belt speed up or down by {SPEED_STEP:g}, when your treadmill differs (the new speed is said)"
)


class SessionScreen(Screen[SessionOutcome]):
    # $forward, $backward and $paused come from walkcoach/tui/theme.py.
    DEFAULT_CSS = """
    #session {
        padding: 0 1;
    }

    #title {
        height: 1;
    }

    #banner {
        height: 3;
        content-align: center middle;
        text-align: center;
        text-style: bold;
        color: $text;
        background: $panel;
    }

    #banner.-forward {
        background: $forward;
        color: black;
    }

    #banner.-backward {
        background: $backward;
        color: black;
    }

    #banner.-paused {
        background: $paused;
        color: black;
    }

    #banner.-finished {
        background: $accent;
    }

    #countdown {
        height: 1fr;
        min-height: 5;
        text-style: bold;
    }

    #countdown.-forward {
        color: $forward;
    }

    #countdown.-backward {
        color: $backward;
    }

    #countdown.-paused {
        color: $paused;
    }

    #info {
        height: 4;
    }

    #turn-speed {
        display: none;
        text-style: bold;
    }

    #turn-speed.-forward {
        color: $forward;
    }

    #turn-speed.-backward {
        color: $backward;
    }

    SessionScreen.turning #turn-speed {
        display: block;
    }

    #reminder {
        height: 3;
        border: round $warning;
        padding: 0 1;
    }

    #too-small {
        display: none;
    }

    SessionScreen.compact #reminder {
        border: none;
        height: 2;
        padding: 0;
    }

    SessionScreen.compact #banner {
        height: 1;
    }

    SessionScreen.compact.turning #banner {
        height: 2;
    }

    SessionScreen.too-small #session {
        display: none;
    }

    SessionScreen.too-small #too-small {
        display: block;
        content-align: center middle;
        height: 1fr;
    }
    """

    # Each tooltip is the key's line in the help (HelpScreen), so the help lists exactly
    # these keys; + and - share one line.
    BINDINGS = [
        Binding("space", "toggle_pause", "Pause", tooltip="pause or resume (said back to you)"),
        Binding("n", "skip", "Skip", tooltip="skip to the next segment"),
        Binding(
            "b",
            "back",
            "Back",
            tooltip="back: restart this segment "
            f"(the previous one in its first {BACK_GRACE_S:g} s)",
        ),
        Binding("plus,equals_sign", "speed(1)", "+Speed", key_display="+", tooltip=_SPEED_HELP),
        Binding("minus", "speed(-1)", "-Speed", key_display="-", tooltip=_SPEED_HELP),
        Binding("m", "mute", "Mute", tooltip="mute or unmute the voice and the tones"),
        Binding(
            "h",
            "cycle_hold",
            "Hands",
            tooltip="how you hold the rails: hands free, resting or gripping "
            "(said back; counted in kcal)",
        ),
        Binding(
            "q",
            "quit_session",
            "Quit",
            tooltip="end the walk (asked first; what you walked is kept)",
        ),
        Binding(
            "ctrl+z",
            "suspend",
            "Suspend",
            show=False,
            tooltip="pause and put walkcoach in the background; fg brings it back",
        ),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="this help"),
    ]

    def __init__(self, ctx: AppContext, plan: Plan) -> None:
        super().__init__()
        self.ctx = ctx
        self.plan = plan
        self.engine = Engine(
            plan,
            ctx.weight_kg,
            lead_in_s=ctx.profile.lead_in_s,
            treadmill_factor=ctx.profile.treadmill_factor,
            speed_unit=ctx.speed_unit,
            rest=ctx.rest,
            hold=ctx.profile.handrail_hold,
        )
        # The real one starts after the first frame.
        self.recorder = Recorder(None, self.engine, ctx.wall_clock)
        # Each walk starts with the sound as set (m during the last walk does not carry on).
        ctx.player.muted = not ctx.sound_on
        self.coach = Coach(self.engine.timeline, ctx.voice_settings)
        self._belt_kmh = self.engine.snapshot().speed_kmh  # as the walker last heard it
        self._speed_settle_at = 0.0
        self._drawn: dict[str, object] = {}  # what each widget shows now, to skip redraws
        self._ending = False
        self._told_problem: str | None = None  # why the walk is not saved, as last said
        self._asking_to_end = False
        self._wake_timer: Timer | None = None
        self._flash_until = 0.0

    # --- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="session"):
            yield Static(id="title")
            yield Static(id="banner")
            yield BigClock(id="countdown")
            # Speed, next segment, progress and energy: four lines, one widget (each
            # widget is styled and laid out on its own, which the first frame waits for).
            yield Static(id="info")
            yield Static(id="reminder")
        # However narrow the window, the line keeps how to leave and where all keys are.
        yield KeyLine(self.BINDINGS, pinned=("quit_session", "help"), id="keys")

    def on_mount(self) -> None:
        now = self.ctx.clock()
        events = self.engine.start(now, started_at=self.ctx.wall_clock())
        if self.engine.phase is Phase.LEAD_IN:
            self._say(self.coach.start(now, self.engine.seconds_free()))
        self._handle(events)
        self.call_after_refresh(self._start_recording, now)
        self._fit(self.size.width, self.size.height)
        self._show()

    class SavingChanged(Message):
        """The recorder's writer has news: the walk cannot be saved, or can be again."""

    def _start_recording(self, started: float) -> None:
        """The walk goes into the history just after the first frame, not before it,
        written by the recorder's own thread with its own connection."""
        if self.is_ending:
            return
        history = self.ctx.history
        open_store = None
        if history is not None:
            from functools import partial

            from walkcoach.store.history import History

            open_store = partial(History, history.path, wall_clock=self.ctx.wall_clock)
        self.recorder = Recorder(open_store, self.engine, self.ctx.wall_clock)
        # Posting a message is the one thread-safe way in to the screen.
        self.recorder.on_change = lambda: self.post_message(self.SavingChanged())
        self.recorder.begin(started)

    def on_session_screen_saving_changed(self, _: SavingChanged) -> None:
        if self.is_ending:
            return  # the recap says how the saving goes from now on
        problem = self.recorder.problem
        if problem is not None and self._told_problem is None:
            self.notify(
                f"This walk is not saved yet: {problem}. It is kept, and saved as soon "
                "as the history can be written.",
                severity="warning",
                timeout=10,
                markup=False,
            )
        elif problem is None and self._told_problem is not None:
            self.notify("This walk is saved again.", timeout=3)
        self._told_problem = problem
        self.render_state()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        too_small = width < TOO_SMALL[0] or height < TOO_SMALL[1]
        if too_small and not self.query("#too-small"):
            self.mount(Static(TOO_SMALL_TEXT, id="too-small"), before="#keys")
        self.set_class(too_small, "too-small")
        self.set_class(width < COMPACT_BELOW[0] or height < COMPACT_BELOW[1], "compact")

    # --- the loop ------------------------------------------------------------------

    def advance(self) -> None:
        """Moves the engine on to the clock's time, plays what is due and redraws."""
        now = self.ctx.clock()
        self._handle(self.engine.tick(now))
        if self._speed_settle_at and now >= self._speed_settle_at:
            self._speed_settle_at = 0.0
            self._say(self.coach.speed(self._belt_kmh, now, self.engine.seconds_free()))
        self.recorder.checkpoint(now)
        self._show()

    def _show(self) -> None:
        """Redraws, then sleeps until the next thing on screen or in the ear is due."""
        snap = self.render_state()
        if self._wake_timer is not None:
            self._wake_timer.stop()
            self._wake_timer = None
        delay = self._seconds_to_next_change(snap)
        if delay is not None:
            self._wake_timer = self.set_timer(delay + WAKE_MARGIN_S, self.advance)

    def _seconds_to_next_change(self, snap: Snapshot) -> float | None:
        """No fixed refresh rate: the countdown and elapsed time change on whole seconds,
        cues at their due times, the flash at its end; nothing changes while paused."""
        waits: list[float] = []
        if snap.phase in (Phase.LEAD_IN, Phase.RUNNING):
            left = snap.lead_in_left if snap.entry is None else snap.segment_left
            waits += [left % 1.0 or 1.0, 1.0 - snap.elapsed_s % 1.0]
            due = self.engine.seconds_to_next_event()
            if due is not None:
                waits.append(due)
        if self._flash_until:
            waits.append(self._flash_until - self.ctx.clock())
        if self._speed_settle_at:
            waits.append(self._speed_settle_at - self.ctx.clock())
        return max(0.0, min(waits)) if waits else None

    def _say(self, prompt: Prompt | None) -> None:
        if prompt is not None:
            self.ctx.player.say(prompt)

    def _handle(self, events: list[Event]) -> None:
        if events:
            now = self.ctx.clock()
            free_s = self.engine.seconds_free()
            for prompt in self.coach.events(events, self._belt_kmh, now, free_s):
                self._say(prompt)
            self._belt_kmh = self.engine.snapshot().speed_kmh
        for event in events:
            if event.kind == "switch" and event.direction:
                self._flash(event.direction)
            elif event.kind == "auto_pause":
                self.notify(
                    "Paused: the app was not running for a while. Press space to go on.",
                    severity="warning",
                )
        if self.engine.finished and not self.is_ending:
            self._end()

    @property
    def is_ending(self) -> bool:
        return self._ending

    def _flash(self, direction: str) -> None:
        """Repeats the switch cue for the eye; it ends by the session clock, like all else.

        Set as an inline style on one container: a class on the screen would restyle
        every widget on it."""
        colour = Color.parse(DIRECTION_COLOURS[direction]).with_alpha(FLASH_ALPHA)
        self.query_one("#session").styles.background = colour
        self._flash_until = self.ctx.clock() + FLASH_S

    def _end(self) -> None:
        self._ending = True
        result = self.engine.result()
        # Said first: the last redraw takes milliseconds the walker would hear. A walk
        # with every segment skipped reached the end but is not "done".
        finished = final_status(result) == "finished"
        totals = WalkTotals.of(result)
        self._say(self.coach.end(finished, totals.active_s, totals.kcal, self.ctx.clock()))
        self.recorder.end()  # hands the walk to the writer; the recap follows its saving
        self.render_state()
        self.dismiss(SessionOutcome(self.plan, result, self.recorder))

    # --- drawing -------------------------------------------------------------------

    def render_state(self) -> Snapshot:
        if self._flash_until and self.ctx.clock() >= self._flash_until:
            self._flash_until = 0.0
            self.query_one("#session").styles.clear_rule("background")
        snap = self.engine.snapshot()
        unit = self.ctx.speed_unit
        self._update("title", self._title(snap))
        coming = self.turn_coming(snap)
        self._update_banner(snap, coming)
        self._update("countdown", self._countdown(snap))
        info = (
            self._target(snap, unit),
            self._next(snap, unit, self.size.width - 2),
            self._times(snap, self.size.width - 2),
            self._energy(snap),
        )
        self._update("info", Text("\n").join(info))
        self._update("reminder", self._reminder(snap, unit))
        self._update_turn_call(coming, unit)
        return snap

    def _update(self, widget_id: str, content: Text | str) -> None:
        """Redraws a widget only when what it shows has changed."""
        key = content.plain + str(content.spans) if isinstance(content, Text) else content
        if self._drawn.get(widget_id) == key:
            return
        self._drawn[widget_id] = key
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, BigClock):
            widget.value = str(content)
        else:
            assert isinstance(widget, Static)
            # Every text line has a fixed size (see DEFAULT_CSS): no relayout needed.
            widget.update(content, layout=False)

    def _update_banner(self, snap: Snapshot, coming: TimelineEntry | None) -> None:
        banner = self.query_one("#banner", Static)
        if snap.phase is Phase.PAUSED:
            state, text = "paused", "PAUSED  ·  space to go on"
            if snap.auto_paused:
                text = "PAUSED (app was stopped)  ·  space to go on"
        elif snap.phase is Phase.FINISHED:
            state, text = "finished", "WELL DONE"
        elif snap.entry is None:
            state, text = "lead-in", f"GET READY  ·  {direction_word(snap.next_entry)} FIRST"
        else:
            state = snap.entry.segment.direction
            text = direction_word(snap.entry)
        banner_state = state
        if coming is not None and snap.entry is not None:
            # Two lines in the coming direction's colour (the turn is the news), the
            # order to do things in below; the countdown keeps the current colour.
            banner_state = coming.segment.direction
            advice = turn_advice(coming.segment, snap.speed_kmh, self.ctx.speed_unit)
            text = (
                f"{direction_word(snap.entry)} NOW  ·  {direction_word(coming)} NEXT\n"
                f"{advice.upper()}"
            )
        if self._drawn.get("banner-state") != (state, banner_state):
            self._drawn["banner-state"] = (state, banner_state)
            countdown = self.query_one("#countdown")
            for name in ("paused", "finished", "lead-in", "forward", "backward"):
                banner.set_class(name == banner_state, f"-{name}")
                countdown.set_class(name == state, f"-{name}")
            self.set_class(state == "paused", "paused")
            keys = self.query_one("#keys", KeyLine)
            keys.relabel("toggle_pause", "Resume" if state == "paused" else "Pause")
        self._update("banner", text)

    @staticmethod
    def turn_coming(snap: Snapshot) -> TimelineEntry | None:
        """The turn within the warning time, while walking (a pause says so instead)."""
        return safety.turn_coming(snap) if snap.phase is Phase.RUNNING else None

    def _update_turn_call(self, coming: TimelineEntry | None, unit: SpeedUnit) -> None:
        """Before a turn the belt speed to set is drawn as large as the countdown, in the
        coming direction's colour, so it can be read from the treadmill (the banner
        names the direction and the order: slow down first, or turn first)."""
        self.set_class(coming is not None, "turning")
        if coming is None:
            return
        if not self.query("#turn-speed"):
            self.mount(BigClock(id="turn-speed"), after="#countdown")
        clock = self.query_one("#turn-speed", BigClock)
        speed = coming.segment.speed_kmh
        clock.value = f"{kmh_to_mph(speed) if unit == 'mph' else speed:.1f}"
        for direction in ("forward", "backward"):
            clock.set_class(direction == coming.segment.direction, f"-{direction}")

    def _title(self, snap: Snapshot) -> Text:
        title = Text()
        # Text(name, style=) would bolden the whole line.
        title.append(visible(self.plan.name), style="bold")
        if self._told_problem is not None:
            title.append("   ")
            title.append("NOT SAVED YET · retrying", style="bold black on yellow")
        if snap.entry is not None:
            title.append(f"   segment {snap.entry.position + 1} of {snap.segment_count}")
            for done, of in snap.entry.rounds:
                title.append(f"   round {done} of {of}")
            if snap.entry.segment.label:
                title.append("   ")
                title.append(visible(snap.entry.segment.label), style="italic")
        if self.ctx.player.muted:
            title.append("   MUTED", style="bold reverse")
        return title

    def _countdown(self, snap: Snapshot) -> str:
        if snap.entry is None and snap.phase is not Phase.FINISHED:
            return format_clock(snap.lead_in_left)
        return format_clock(snap.segment_left)

    def _target(self, snap: Snapshot, unit: SpeedUnit) -> Text:
        segment = snap.segment or (snap.next_entry.segment if snap.next_entry else None)
        if segment is None:
            return Text("")
        text = Text("Speed ")
        speed = snap.speed_kmh if snap.segment else segment.speed_kmh
        text.append(format_speed(speed, unit), style="bold")
        planned = format_speed(segment.speed_kmh, unit)
        if snap.segment and format_speed(snap.speed_kmh, unit) != planned:
            text.append(f" (plan {planned})", style="dim")
        text.append("   Incline ")
        text.append(f"{segment.incline_pct:g} %", style="bold")
        # How the walker holds the rails (h changes it): the calories count it.
        text.append("   Hands ")
        text.append(snap.hold, style="bold")
        return text

    def _next(self, snap: Snapshot, unit: SpeedUnit, width: int) -> Text:
        """The coming segment at the speed to set, and the walker's corrections in force
        for the rest of the walk (when the line has room for them)."""
        nxt = snap.next_entry if snap.entry is not None else None
        if nxt is None:
            return Text("Next: finish" if snap.entry is not None else "")
        text = Text("Next ")
        text.append(direction_word(nxt), style=f"bold {DIRECTION_COLOURS[nxt.segment.direction]}")
        text.append(
            f" {format_clock(nxt.segment.seconds)} at {format_speed(nxt.segment.speed_kmh, unit)}"
        )
        corrected = self._corrections(snap)
        if corrected.plain and len(text) + len(corrected) <= width:
            text.append_text(corrected)
        return text

    @staticmethod
    def _corrections(snap: Snapshot) -> Text:
        """The + / - corrections the later segments of each direction are walked with,
        as "adjusted: backward +4 %" (see `walkcoach.engine.SpeedCorrection`)."""
        text = Text()
        for i, (direction, percent) in enumerate(snap.correction.in_force()):
            text.append(", " if i else "   adjusted: ")
            text.append(direction, style=f"bold {DIRECTION_COLOURS[direction]}")
            text.append(f" {percent:+d} %", style="bold")
        return text

    def _times(self, snap: Snapshot, width: int) -> Text:
        """The whole walk's progress as a bar, then the percentage, elapsed and left."""
        times = (
            f"{snap.progress:4.0%}   Elapsed {format_clock(int(snap.elapsed_s))}   "
            f"Left {format_clock(snap.remaining_s)}"
        )
        room = max(0, width - len(times) - 2)
        done = round(snap.progress * room)
        line = Text()
        line.append("━" * done, style="bold")
        line.append("━" * (room - done), style="dim")
        line.append("  " + times)
        return line

    def _energy(self, snap: Snapshot) -> Text:
        text = Text("kcal ")
        text.append(f"{snap.kcal:.0f}", style="bold")
        text.append(f"   forward {snap.kcal_forward:.0f}   backward {snap.kcal_backward:.0f}")
        if snap.entry is not None:
            # For a walker with their own resting rate: the walk as a multiple of it.
            rest = self.engine.rest
            text.append("   your MET " if rest.personal else "   MET ")
            text.append(f"{calories.corrected_met(snap.met, rest):.1f}", style="bold")
        if self.ctx.weight_is_default:
            weight = self.ctx.profile.calorie_weight_text
            text.append(f"   (for {weight}: weight not set)", style="dim")
        return text

    def _reminder(self, snap: Snapshot, unit: SpeedUnit) -> Text:
        reminder = safety.choose(snap, unit)
        if reminder is None:
            return Text("")
        return Text(reminder.text, style="bold" if reminder.urgent else "")

    # --- keys ----------------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        now = self.ctx.clock()
        was_paused = self.engine.phase is Phase.PAUSED
        self._handle(self.engine.toggle_pause(now))
        # Said back: the key may have been pressed while facing away from the screen.
        if self.engine.phase is Phase.PAUSED and not was_paused:
            self._say(self.coach.pause(now))
        elif was_paused and self.engine.phase is not Phase.PAUSED:
            snap = self.engine.snapshot()
            free_s = self.engine.seconds_free()
            self._say(self.coach.resume(snap.segment, snap.speed_kmh, now, free_s))
        self._show()

    def action_skip(self) -> None:
        self._handle(self.engine.skip(self.ctx.clock()))
        self._show()

    def action_back(self) -> None:
        self._handle(self.engine.back(self.ctx.clock()))
        self._show()

    def action_speed(self, steps: int) -> None:
        delta = steps * speed_step_kmh(self.ctx.speed_unit)
        now = self.ctx.clock()
        self._handle(self.engine.adjust_speed(now, delta))
        snap = self.engine.snapshot()
        if snap.segment is not None:
            self._belt_kmh = snap.speed_kmh
            self._speed_settle_at = now + SPEED_SETTLE_S
        self._show()

    def action_cycle_hold(self) -> None:
        """h: the next way of holding the handrails (free, resting, gripping), said back;
        the calories count it from now."""
        now = self.ctx.clock()
        if self.engine.finished:
            return
        hold = HOLDS[(HOLDS.index(self.engine.hold) + 1) % len(HOLDS)]
        self._handle(self.engine.set_hold(now, hold))
        self._say(self.coach.hold(hold, now, self.engine.seconds_free()))
        self._show()

    def action_mute(self) -> None:
        self.ctx.player.muted = not self.ctx.player.muted
        self.notify("Sound off" if self.ctx.player.muted else "Sound on", timeout=2)
        self.render_state()

    def action_help(self) -> None:
        """The help covers the countdown: a walk in progress is paused while it is open
        (the help says so) and goes on when it closes."""
        from walkcoach.tui.dialogs.help import HelpScreen, help_keys  # not needed to walk

        paused_for_help = self.engine.phase in (Phase.LEAD_IN, Phase.RUNNING)
        if paused_for_help:
            self.action_toggle_pause()

        def closed(_: None) -> None:
            if paused_for_help and not self.is_ending and self.engine.phase is Phase.PAUSED:
                self.action_toggle_pause()

        self.app.push_screen(HelpScreen(help_keys(self.BINDINGS), paused_for_help), closed)

    def action_quit_session(self) -> None:
        """q, and every other way out of a walk (the app sends ctrl+q here): asks first,
        in a low box that leaves the countdown in sight (the walker is still walking);
        yes saves the walk and shows the recap."""
        from walkcoach.tui.dialogs.end_walk import EndWalkDialog

        if self.is_ending or self._asking_to_end:
            return
        self._asking_to_end = True

        def answered(yes: bool | None) -> None:
            self._asking_to_end = False
            if yes and not self.is_ending:
                self.engine.stop(self.ctx.clock())
                # Asked over the help (ctrl+q): the walk's end is shown from the top.
                while self.app.screen is not self:
                    self.app.screen.dismiss()
                self._end()

        walking = self.engine.phase in (Phase.LEAD_IN, Phase.RUNNING)
        self.app.push_screen(EndWalkDialog(walking), answered)

    def action_suspend(self) -> None:
        """ctrl+z: pauses the walk, saves it as it stands and puts walkcoach in the
        background; `fg` brings it back, still paused. Nothing is said: the process
        stops at once, and a clip would hang mid-word until then."""
        now = self.ctx.clock()
        if self.engine.phase in (Phase.LEAD_IN, Phase.RUNNING):
            self._handle(self.engine.pause(now))
            self._show()
        self.recorder.checkpoint(now, force=True)
        self.recorder.wait(FINAL_SAVE_WAIT_S)  # written by another thread: land it first
        self.app.action_suspend_process()

    def save_now(self) -> None:
        """Saves the session as it stands, as interrupted (used when the app is asked to
        stop); waits a bounded time for the save, since the process may end right after."""
        if not self.is_ending:
            self.engine.stop(self.ctx.clock())
            self._ending = True
            self.recorder.end(interrupted=True)
            self.recorder.wait(FINAL_SAVE_WAIT_S)
