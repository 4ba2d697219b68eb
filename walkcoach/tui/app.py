"""The Textual app and its factory, `make_app`: the CLI passes the real clock and sound
player, tests pass fakes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

from walkcoach.plan import Plan
from walkcoach.store.paths import DataDirs
from walkcoach.tui.context import AppContext, Clock, SoundPlayer
from walkcoach.tui.screens.session import SessionOutcome, SessionScreen
from walkcoach.tui.theme import CSS_VARIABLES

if TYPE_CHECKING:
    from walkcoach.tui.screens.home import HomeScreen


class WalkcoachApp(App[int]):
    # Each screen, dialog and widget carries its own styles (DEFAULT_CSS), so a start
    # parses only the styles of what it shows: a walk started from the command line
    # never reads Home's, the editor's or the dialogs'.
    TITLE = "walkcoach"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, ctx: AppContext, start_plan: Plan | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.start_plan = start_plan
        self.last_outcome: SessionOutcome | None = None
        self.home: HomeScreen | None = None

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(CSS_VARIABLES)

    def on_mount(self) -> None:
        # The first screen is pushed once the app's own start-up batch is over: pushed
        # during it, the screen is laid out and rendered once for nothing (the batch
        # holds the paint back) and then waits for the next screen-update tick.
        self.call_later(self._first_screen)

    def _first_screen(self) -> None:
        self.call_after_refresh(self._report_unreadable_files)
        if self.ctx.should_ask_weight:
            from walkcoach.tui.screens.dialogs import WeightDialog

            self.show_home()
            self.push_screen(WeightDialog(self.ctx.profile.weight_unit), self._weight_given)
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

        def checked(ready: bool | None) -> None:
            if ready:
                self._open_session(plan)
            else:
                self.show_home()

        from walkcoach.tui.screens.dialogs import SafetyCheckDialog

        self.push_screen(SafetyCheckDialog(plan.name), checked)

    def _open_session(self, plan: Plan) -> None:
        self.push_screen(SessionScreen(self.ctx, plan), self._session_ended)

    def _session_ended(self, outcome: SessionOutcome | None) -> None:
        """The recap follows every walk that ended (finished or quit), over Home."""
        if outcome is None:
            return
        self.last_outcome = outcome
        self.show_home()
        from walkcoach.tui.screens.recap import RecapScreen

        self.push_screen(RecapScreen(self.ctx, outcome))

    def save_running_session(self) -> None:
        """Keeps a walk in progress when the app is told to stop (quit, SIGTERM, SIGHUP)."""
        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen):
                screen.save_now()

    def on_unmount(self) -> None:
        self.save_running_session()
        self.ctx.player.close()


def make_app(
    dirs: DataDirs,
    clock: Clock,
    player: SoundPlayer,
    *,
    start_plan: Plan | None = None,
    weight_kg: float | None = None,
    sound: bool | None = None,
    voice: bool | None = None,
) -> WalkcoachApp:
    """Builds the app from a data folder, a monotonic clock and a sound player."""
    ctx = AppContext(
        dirs,
        clock,
        player,
        weight_override=weight_kg,
        sound_override=sound,
        voice_override=voice,
    )
    return WalkcoachApp(ctx, start_plan)
