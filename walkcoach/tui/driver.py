"""Textual's Linux terminal driver, made safe against a bare SIGSTOP and SIGCONT.

Textual restarts its terminal mode on every SIGCONT, as if the app had suspended itself
with ctrl+z. After a SIGSTOP from outside (`kill -STOP`, a debugger, a laptop's job
control) nothing was suspended, so the restart starts a second input thread and a second
output thread: keys go astray and the app can hang when it exits. Here a SIGCONT restarts
the terminal only after the app's own SIGTSTP suspended it. The walk itself notices the
stop by its clock and pauses (see walkcoach.engine).
"""

from __future__ import annotations

from typing import Any

from textual.drivers.linux_driver import LinuxDriver


class StopSafeDriver(LinuxDriver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._suspended_by_us = False  # set before the parent installs the handlers
        super().__init__(*args, **kwargs)

    def _sigtstp_application(self, *args: Any) -> None:
        self._suspended_by_us = True
        super()._sigtstp_application(*args)

    def _sigcont_application(self, *args: Any) -> None:
        if self._suspended_by_us:
            self._suspended_by_us = False
            super()._sigcont_application(*args)
