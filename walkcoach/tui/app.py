"""The Textual app and its factory, `make_app`: the CLI passes the real clock and sound
player, tests pass fakes (and a wall clock of their own)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from rich.console import RenderableType
from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from walkcoach.plan import Plan
from walkcoach.store.paths import DataDirs
from walkcoach.text import visible
from walkcoach.tui.context import AppContext, Clock, SoundPlayer
from walkcoach.tui.messages import StartWalk
from walkcoach.tui.screens.session import SessionOutcome, SessionScreen
from walkcoach.tui.theme import CSS_VARIABLES
from walkcoach.walks import WallClock, utc_now

if TYPE_CHECKING:
    from walkcoach.tui.dialogs.weight import PersonalAnswers
    from walkcoach.tui.screens.home import HomeScreen


@runtime_checkable
class LeavesAfterAsking(Protocol):
    """A screen whose esc asks about unsaved work before it leaves (`action_leave`)."""

    def action_leave(self) -> None: ...


class WalkcoachApp(App[int]):
    # Each screen, dialog and widget carries its own styles (DEFAULT_CSS), so a start
    # parses only the styles of what it shows: a walk started from the command line
    # never reads Home's, the editor's or the dialogs'.
    TITLE = "walkcoach"
    ENABLE_COMMAND_PALETTE = False
    # Textual's own ctrl+q (quit) and ctrl+c (how to quit) stay, made walk-aware below.
    BINDINGS = [Binding("ctrl+z", "suspend_process", "Suspend", show=False)]

    def __init__(self, ctx: AppContext, start_plan: Plan | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.start_plan = start_plan
        # The plan given to `walkcoach run`: "not yet" at its safety check goes back to
        # the shell, since Home may not list it (a plan file is not in the library).
        self.command_line_plan = start_plan
        # Every walk of this run: one the history could not take yet is kept in memory
        # (its recorder keeps trying), and quitting asks before it is lost.
        self.outcomes: list[SessionOutcome] = []
        self.home: HomeScreen | None = None

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(CSS_VARIABLES)

    def on_mount(self) -> None:
        self.app_resume_signal.subscribe(self, self._redraw_after_resume)
        # The first screen is pushed once the app's own start-up batch is over: pushed
        # during it, the screen is laid out and rendered once for nothing (the batch
        # holds the paint back) and then waits for the next screen-update tick.
        self.call_later(self._first_screen)

    def _first_screen(self) -> None:
        self.call_after_refresh(self._report_unreadable_files)
        if self.ctx.should_ask_weight:
            from walkcoach.tui.dialogs.weight import WeightDialog

            self.show_home()
            dialog = WeightDialog(self.ctx.profile.weight_unit, save_personal=self._personal_given)
            self.push_screen(dialog, self._weight_given)
        elif self.start_plan is not None:
            # `walkcoach run`: straight to the walk; Home is built when it ends.
            self.begin_session(self.start_plan)
        else:
            self.show_home()

    def _report_unreadable_files(self) -> None:
        """Said once at start, whichever screen comes first (Home or, for `run`, the walk);
        after the first frame, so opening the history does not delay it."""
        for problem in (self.ctx.profile_error, self.ctx.profile_warning, self.ctx.history_error):
            if problem:
                self.notify(problem, severity="warning", timeout=10, markup=False)

    def show_home(self) -> HomeScreen:
        """Home, at the bottom of the stack: built on first use, refreshed after."""
        if self.home is None:
            from walkcoach.tui.screens.home import HomeScreen  # not needed to start a walk

            self.home = HomeScreen(self.ctx)
            self.push_screen(self.home)
        else:
            self.home.reload()
        return self.home

    def _personal_given(self, answers: PersonalAnswers) -> str | None:
        """The first run's optional answers (age, sex, height, hands), saved."""
        return self.ctx.save_profile(answers.applied_to(self.ctx.profile))

    def _weight_given(self, weight_kg: float | None) -> None:
        problem = self.ctx.set_weight(weight_kg)
        if problem:
            self.notify(problem, severity="error", markup=False)
        self.show_home()
        if self.start_plan is not None:
            self.begin_session(self.start_plan)

    def begin_session(self, plan: Plan) -> None:
        """The safety check (unless turned off), then the session."""
        self.start_plan = None
        if not self.ctx.profile.safety_check:
            self._open_session(plan)
            return

        back_to_shell = plan is self.command_line_plan

        def checked(ready: bool | None) -> None:
            if ready:
                self._open_session(plan)
            elif back_to_shell:
                message = Text("Not started: ")
                message.append(visible(plan.name), style="bold")
                message.append(". Run it again when you are ready.")
                self.exit(0, message=message)
            else:
                self.show_home()

        from walkcoach.tui.dialogs.safety_check import SafetyCheckDialog

        self.push_screen(SafetyCheckDialog(plan.name, back_to_shell), checked)

    def _open_session(self, plan: Plan) -> None:
        self.push_screen(SessionScreen(self.ctx, plan), self._session_ended)

    def _session_ended(self, outcome: SessionOutcome | None) -> None:
        """The recap follows every walk that ended (finished or quit), over Home."""
        if outcome is None:
            return
        self.outcomes.append(outcome)
        self.show_home()
        from walkcoach.tui.screens.recap import RecapScreen

        # After `walkcoach run`, Done goes back to the shell: Home may not list the plan.
        back_to_shell = outcome.plan is self.command_line_plan
        self.push_screen(RecapScreen(self.ctx, outcome, back_to_shell), self._recap_closed)

    def _recap_closed(self, again: Plan | None) -> None:
        """The recap's r closes it with the plan to walk again."""
        if again is not None:
            self.begin_session(again)

    def on_start_walk(self, message: StartWalk) -> None:
        self.begin_session(message.plan)

    def walk_in_progress(self) -> SessionScreen | None:
        """The walk under way, if any (under dialogs too), and not already ending."""
        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen) and not screen.is_ending:
                return screen
        return None

    async def action_quit(self) -> None:
        """ctrl+q anywhere, q on Home and the recap. During a walk it is the walk's own
        q: the same question, then the walk saved and its recap. Over work that can be
        unsaved (the editor, Settings) it first leaves as esc does, asking about unsaved
        changes; keeping on editing stays. No key loses a walk or an edit."""
        walk = self.walk_in_progress()
        if walk is not None:
            walk.action_quit_session()
            return
        from walkcoach.tui.screens.recap import RecapScreen

        # A slice, not reversed(): mypy keeps its items typed as screens.
        for screen in self.screen_stack[::-1]:
            if isinstance(screen, RecapScreen):
                # The recap's own q: asked first while its walk cannot be saved.
                recap: RecapScreen = screen  # stays a RecapScreen through the `is` below
                while self.screen is not recap:  # a dialog over it: cancelled
                    self.screen.dismiss(None)
                recap.action_quit()
                return
            if isinstance(screen, LeavesAfterAsking):
                self._leave_then_quit(screen, screen.action_leave)
                return
        if any(unsaved(outcome) for outcome in self.outcomes):
            self._ask_then_quit()
            return
        self.exit()

    def _ask_then_quit(self) -> None:
        """A walk of this run is still not in the history (its recap is closed)."""
        from walkcoach.tui.dialogs.confirm import ConfirmDialog

        question = "Quit without saving this walk?"
        if isinstance(self.screen, ConfirmDialog) and self.screen.question == question:
            return  # asked already: ctrl+q again does not stack a second one

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(
            ConfirmDialog(
                question,
                "The history still cannot be written, so your last walk would be lost; "
                "walkcoach keeps trying while it is open.",
            ),
            answered,
        )

    def _leave_then_quit(self, screen: Screen[object], leave: Callable[[], None]) -> None:
        """`leave` is the screen's `action_leave` (see LeavesAfterAsking)."""
        while self.screen is not screen:  # a dialog over it: cancelled, as its esc would
            self.screen.dismiss(None)
        leave()
        if screen not in self.screen_stack:
            self.call_later(self.action_quit)
            return

        def answered(active: Screen[object]) -> None:
            # The question is answered when its screen is back on top (or gone); what the
            # answer does runs just after, so the outcome is read once it has.
            if active is screen or screen not in self.screen_stack:
                self.screen_change_signal.unsubscribe(self)
                self.call_after_refresh(quit_if_left)

        def quit_if_left() -> None:
            if screen not in self.screen_stack:
                self.call_later(self.action_quit)

        self.screen_change_signal.subscribe(self, answered)

    def action_help_quit(self) -> None:
        """ctrl+c, pressed by habit to leave: says how."""
        if self.walk_in_progress() is None:
            super().action_help_quit()
            return
        self.notify(
            "To end the walk, press q: you are asked first, and what you walked is kept.",
            title="Do you want to stop?",
            markup=False,
        )

    def _redraw_after_resume(self, _: App[int]) -> None:
        """Back from the background (ctrl+z then fg, or a SIGSTOP then SIGCONT): the
        terminal shows whatever the shell wrote meanwhile, so everything is drawn again."""
        self.screen.refresh(layout=True)

    def exit(
        self,
        result: int | None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        # Every way out saves a walk in progress first: once the app is shutting down,
        # its screens are gone before `on_unmount`.
        self.save_running_session()
        super().exit(result, return_code, message)

    def save_running_session(self) -> None:
        """Keeps a walk in progress when the app is told to stop (quit, SIGTERM, SIGHUP)."""
        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen):
                screen.save_now()

    def on_unmount(self) -> None:
        self.save_running_session()
        self.ctx.player.close()


def unsaved(outcome: SessionOutcome) -> bool:
    """The walk is held only in memory: its last write to the history failed."""
    recorder = outcome.recorder
    return not recorder.saved and recorder.problem is not None


def make_app(
    dirs: DataDirs,
    clock: Clock,
    player: SoundPlayer,
    *,
    wall_clock: WallClock = utc_now,
    start_plan: Plan | None = None,
    weight_kg: float | None = None,
    sound: bool | None = None,
    voice: bool | None = None,
) -> WalkcoachApp:
    """Builds the app from a data folder, a monotonic clock and a sound player;
    `wall_clock` gives the time of day (the real one unless a test fixes it)."""
    ctx = AppContext(
        dirs,
        clock,
        wall_clock,
        player,
        weight_override=weight_kg,
        sound_override=sound,
        voice_override=voice,
    )
    return WalkcoachApp(ctx, start_plan)
