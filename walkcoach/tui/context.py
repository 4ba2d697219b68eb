"""What every screen shares: the data folder, the profile, the clocks and the sound player.

Built once by `make_app`; the CLI passes the real clock and player, tests pass fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from walkcoach.calories import Rest
from walkcoach.errors import WalkcoachError
from walkcoach.plan import Plan, Summary
from walkcoach.store.paths import DataDirs
from walkcoach.store.plans import PlanLibrary
from walkcoach.store.profile import (
    Profile,
    ProfileError,
    load_profile_noting_unknown,
    save_profile,
)
from walkcoach.text import visible
from walkcoach.units import SpeedUnit
from walkcoach.voice import Prompt, VoiceSettings
from walkcoach.walks import WallClock

if TYPE_CHECKING:
    from walkcoach.store.history import History

Clock = Callable[[], float]
"""The monotonic clock walks are timed by, in seconds."""


# The start-up tidy-up of the history runs on the UI thread: it waits this long at most
# for a lock another walkcoach holds, and is skipped when that is not enough.
STARTUP_BUSY_TIMEOUT_S = 0.25
# How much of a profile's unknown settings the start-up warning names.
UNKNOWN_KEYS_SHOWN = 5
UNKNOWN_KEY_CHARS = 40


def unknown_settings_note(unknown: tuple[str, ...]) -> str:
    """The unknown settings of a profile, named in a bounded line: the first few, each
    cut short, and how many more (a profile can hold thousands, or one of 400 KB)."""
    names = [
        key if len(key) <= UNKNOWN_KEY_CHARS else key[: UNKNOWN_KEY_CHARS - 1] + "…"
        for key in unknown[:UNKNOWN_KEYS_SHOWN]
    ]
    more = len(unknown) - len(names)
    return ", ".join(names) + (f" and {more} more" if more else "")


class SoundPlayer(Protocol):
    """What the screens need of a cue player (see walkcoach.sound.CuePlayer)."""

    muted: bool

    @property
    def backend_name(self) -> str: ...

    def play(self, cue: str) -> None: ...

    def say(self, prompt: Prompt) -> None: ...

    def close(self) -> None: ...


class AppContext:
    def __init__(
        self,
        dirs: DataDirs,
        clock: Clock,
        wall_clock: WallClock,
        player: SoundPlayer,
        weight_override: float | None = None,
        sound_override: bool | None = None,
        voice_override: bool | None = None,
    ) -> None:
        self.dirs = dirs
        self.clock = clock
        self.wall_clock = wall_clock
        self.player = player
        self.weight_override = weight_override
        self.sound_override = sound_override
        self.voice_override = voice_override
        self.profile = Profile()
        self.profile_error: str | None = None
        self.profile_warning: str | None = None
        self.library = PlanLibrary(self.dirs)
        self.reload_profile()
        self._history: History | None = None
        self._history_error: str | None = None
        self._history_opened = False
        self.player.muted = not self.sound_on

    @property
    def history(self) -> History | None:
        """The history, opened on first use (not before the first frame is drawn)."""
        self._open_history()
        return self._history

    @property
    def history_error(self) -> str | None:
        self._open_history()
        return self._history_error

    def reload_profile(self) -> None:
        try:
            self.profile, unknown = load_profile_noting_unknown(self.dirs.profile_path)
            self.profile_error = None
            self.profile_warning = None
            if unknown:
                self.profile_warning = visible(
                    f"{self.dirs.profile_path}: settings this walkcoach does not know "
                    f"({unknown_settings_note(unknown)}) are kept as they are; a newer "
                    "walkcoach probably wrote them."
                )
        except ProfileError as exc:
            self.profile = Profile()
            self.profile_error = visible(str(exc))

    def _open_history(self) -> None:
        if self._history_opened:
            return
        self._history_opened = True
        from walkcoach.store.history import History, HistoryError

        path = self.dirs.history_path
        try:
            if path.exists():
                # On the UI thread, so with a short wait for a lock another walkcoach
                # holds; when that is not enough the tidy-up (and the file's upgrade) is
                # left for later: reads already show a dead walkcoach's walks as
                # interrupted, and a walk's recorder writes and retries on its own thread.
                with History(
                    path, busy_timeout_s=STARTUP_BUSY_TIMEOUT_S, wall_clock=self.wall_clock
                ) as tidy:
                    tidy.sessions(limit=1)  # a corrupt file is found now, not mid-walk
                    # Walks left running by a walkcoach that died are stored as
                    # interrupted (their time up to the last checkpoint is kept); live
                    # ones are left alone.
                    tidy.close_interrupted()
        except HistoryError as exc:
            if not exc.busy:
                self._history_error = visible(f"{exc} Sessions will not be saved.")
                return
        except (WalkcoachError, OSError) as exc:
            self._history_error = visible(f"{exc} Sessions will not be saved.")
            return
        self._history = History(path, wall_clock=self.wall_clock)

    @property
    def weight_kg(self) -> float:
        if self.weight_override is not None:
            return self.weight_override
        return self.profile.effective_weight_kg

    @property
    def weight_is_default(self) -> bool:
        return self.weight_override is None and self.profile.weight_kg is None

    @property
    def rest(self) -> Rest:
        """The walker's resting rate (see `Profile.resting_rate`), with this run's weight."""
        return self.profile.resting_rate(self.weight_override)

    def plan_summary(self, plan: Plan) -> Summary:
        """The plan's time, distance and kcal as a walk by this walker counts them."""
        return self.profile.estimate(plan, self.weight_override)

    @property
    def sound_on(self) -> bool:
        return self.profile.sound if self.sound_override is None else self.sound_override

    @property
    def voice_settings(self) -> VoiceSettings:
        """How the coach speaks in a walk: the profile's choices, less the voice when
        `--no-voice` was given."""
        profile = self.profile
        voice = profile.voice if self.voice_override is None else self.voice_override
        return VoiceSettings(profile.speed_unit, voice, profile.countdown)

    @property
    def speed_unit(self) -> SpeedUnit:
        return self.profile.speed_unit

    @property
    def should_ask_weight(self) -> bool:
        """Until the walker has answered: no weight given, none saved, and never left
        unset where asked. A profile without the `weight_skipped` mark counts as
        answered unless it holds remembered export formats: before the mark existed,
        only the question or Settings wrote a profile, while an export can write one
        before the question was ever asked (after `walkcoach run --weight`)."""
        profile = self.profile
        if not self.weight_is_default or profile.weight_skipped:
            return False
        return not self.dirs.profile_path.exists() or profile.export_formats is not None

    def set_weight(self, weight_kg: float | None) -> str | None:
        """Saves the weight (None: keep the default weight, but remember we asked). An
        error message comes back instead of raising."""
        skipped = True if weight_kg is None else None
        return self.save_profile(self.profile._replace(weight_kg=weight_kg, weight_skipped=skipped))

    def save_profile(self, profile: Profile) -> str | None:
        try:
            save_profile(self.dirs.profile_path, profile)
        except (WalkcoachError, OSError) as exc:
            return str(exc)
        self.profile = profile
        return None

    def save_settings(self, profile: Profile) -> str | None:
        """Saves the profile from the settings screen and applies it at once: the sound
        chosen there also mutes or unmutes the player, and wins over --sound/--no-sound."""
        sound_changed = profile.sound != self.profile.sound
        # The weight field left empty there is an answer, as skipping the question is.
        profile = profile._replace(weight_skipped=True if profile.weight_kg is None else None)
        problem = self.save_profile(profile)
        if problem is None:
            if sound_changed:
                self.sound_override = None
            self.player.muted = not self.sound_on
        return problem
