"""Textual's Linux terminal driver, made safe against a bare SIGSTOP and SIGCONT.

Textual restarts its terminal mode on every SIGCONT, as if the app had suspended itself
with ctrl+z. After a SIGSTOP from outside (`kill -STOP`, a debugger, a laptop's job
control) nothing was suspended, so the restart would start a second input thread and a
second output thread: keys go astray and the app can hang when it exits. Here a SIGCONT
restarts the terminal only after the app's own SIGTSTP (ctrl+z) suspended it. After any
other stop the running threads are kept and only the terminal is set up again: the
shell that took it back meanwhile left it in cooked mode, echoing keys, with its own
lines written over the screen. The walk notices the stop by its clock and pauses (see
walkcoach.engine).
"""

from __future__ import annotations

import os
import termios
import tty
from typing import Any

from textual import constants
from textual.drivers.linux_driver import (
    KITTY_DISAMBIGUATE_ESCAPE_CODES,
    KITTY_REPORT_ALL_KEYS,
    KITTY_REPORT_ASSOCIATED_TEXT,
    LinuxDriver,
)

SUSPENDED_NOTE = "walkcoach is in the background, any walk paused: type fg to go back to it."
# Set again after a stop, as Textual's start_application_mode sets them: the alternate
# screen (cleared of the shell's lines), cursor hidden, focus events.
SCREEN_MODES = "\x1b[?1049h\x1b[2J\x1b[?25l\x1b[?1004h"
KITTY_FLAGS = KITTY_DISAMBIGUATE_ESCAPE_CODES | KITTY_REPORT_ALL_KEYS | KITTY_REPORT_ASSOCIATED_TEXT


class StopSafeDriver(LinuxDriver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._suspended_by_us = False  # set before the parent installs the handlers
        super().__init__(*args, **kwargs)  # Driver.__init__ sets self._loop, the running loop

    def suspend_application_mode(self) -> None:
        super().suspend_application_mode()
        if self._suspended_by_us and self._file is not None:  # None only without a stderr
            # Left on the shell's screen, above its "Stopped" line: how to come back.
            self._file.write(SUSPENDED_NOTE + "\n")
            self._file.flush()

    def _sigtstp_application(self, *args: Any) -> None:
        self._suspended_by_us = True
        super()._sigtstp_application(*args)

    def _sigcont_application(self, *args: Any) -> None:
        if self._suspended_by_us:
            self._suspended_by_us = False
            super()._sigcont_application(*args)
        elif self._writer_thread is not None:
            # A signal handler can interrupt the loop in the middle of its own work: the
            # terminal is set up again from the loop, between its tasks.
            self._loop.call_soon_threadsafe(self._restore_terminal)

    def _restore_terminal(self) -> None:
        """Raw mode, the screen and input modes again, then a full redraw, for a process
        continued after a stop it did not ask for."""
        if self._writer_thread is None or not os.isatty(self.fileno):
            return
        try:
            if os.tcgetpgrp(self.fileno) != os.getpgrp():
                return  # continued in the background (`bg`); `fg` continues it again
            attrs = termios.tcgetattr(self.fileno)
            attrs[tty.LFLAG] = self._patch_lflag(attrs[tty.LFLAG])
            attrs[tty.IFLAG] = self._patch_iflag(attrs[tty.IFLAG])
            attrs[tty.CC][termios.VMIN] = 1
            termios.tcsetattr(self.fileno, termios.TCSANOW, attrs)
        except (OSError, termios.error):
            return
        self.write(SCREEN_MODES)
        if not constants.DISABLE_KITTY_KEY:
            self.write(f"\x1b[>{KITTY_FLAGS}u")
        self._enable_mouse_support()
        if self._mouse_pixels:
            self._enable_mouse_pixels()
        self._enable_bracketed_paste()
        if self._in_band_window_resize:
            self._enable_in_band_window_resize()
        self._disable_line_wrap()
        self.flush()
        self._app.post_message(self.SignalResume())
