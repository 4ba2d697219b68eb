"""Runs a program in a real terminal: a tmux pane, read with capture-pane.

The program is started with `exec`, so the pane's pid is the program's own: tests can
signal it, and /proc tells its CPU time and peak memory. `Terminal` runs walkcoach, its
pane kept open after it exits so its last screen can be read; the end-to-end tests use it,
and the benchmarks (bench/tmux_runs.py) use `Pane` for walkcoach and its peers. Every pane
is on a tmux server of this process's own, ended by `stop_server()`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

STARTS = 3  # attempts at starting a tmux session
SOCKET = f"walkcoach-tests-{os.getpid()}"
"""A tmux server of this test run's own (`tmux -L`): a server the user or another program
already runs can neither disturb the tests nor be disturbed by them."""
TMUX = ("tmux", "-L", SOCKET)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Pane:
    def __init__(
        self,
        argv: Sequence[str],
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        size: tuple[int, int] = (100, 30),
        under_shell: bool = False,
        remain_on_exit: bool = False,
    ) -> None:
        """`under_shell` keeps a shell between tmux and the program: tmux resumes a
        stopped pane process at once, so a SIGSTOP test needs the program one level down.
        `remain_on_exit` keeps the pane, and its last screen, once the program has ended."""
        self.name = f"walkcoach-test-{uuid.uuid4().hex[:8]}"
        exports = "".join(f"{key}={shlex.quote(value)} " for key, value in (env or {}).items())
        # Test runners export COLUMNS and LINES, which would pin the program's idea of
        # the terminal size; a real terminal has neither.
        program = f"env -u COLUMNS -u LINES {exports}{shlex.join(argv)}"
        command = f"{program}; exit $?" if under_shell else f"exec {program}"
        start = [*TMUX, "new-session", "-d", "-s", self.name, "-x", str(size[0])]
        start += ["-y", str(size[1]), command]
        for attempt in range(STARTS):
            self.started = time.monotonic()
            # The tmux server exits with its last session; a session started while it
            # is on its way out fails, and is simply started again.
            started = subprocess.run(start, capture_output=True, text=True, cwd=cwd)
            if started.returncode == 0:
                break
            if attempt == STARTS - 1:
                raise AssertionError(f"tmux could not start {argv}: {started.stderr.strip()}")
            time.sleep(0.2)
        if remain_on_exit:
            self._tmux("set-window-option", "-t", self.name, "remain-on-exit", "on")
        pane = int(self._tmux("display-message", "-p", "-t", self.name, "#{pane_pid}"))
        self.pid = self._only_child(pane) if under_shell else pane
        self._zombie_status: int | None = None

    @staticmethod
    def _only_child(parent: int, timeout: float = 5) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == parent:
                    return int(stat.parent.name)
            time.sleep(0.05)
        raise AssertionError(f"no child of pid {parent} appeared")

    @staticmethod
    def _tmux(*args: str, cwd: Path | None = None) -> str:
        out = subprocess.run([*TMUX, *args], capture_output=True, text=True, check=False, cwd=cwd)
        return out.stdout.strip()

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, seen: Callable[[str], bool], timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if seen(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{screen}")

    def seconds_until(self, seen: Callable[[str], bool], timeout: float = 30.0) -> float:
        """Seconds from the pane's start until `seen(screen)` first holds (for timing)."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if seen(self.screen()):
                return time.monotonic() - self.started
            time.sleep(0.005)
        raise TimeoutError(f"{self.name}: never showed what was expected:\n{self.screen()}")

    def cpu_seconds(self) -> float:
        """User and system time the program has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        utime, stime = int(fields[11]), int(fields[12])
        return (utime + stime) / CLOCK_TICKS

    def peak_rss_kib(self) -> int:
        """The program's peak resident set (VmHWM)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise RuntimeError("no VmHWM")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def resize(self, width: int, height: int) -> None:
        self._tmux("resize-window", "-t", self.name, "-x", str(width), "-y", str(height))

    def alive(self) -> bool:
        """Running (a zombie that tmux has not reaped yet counts as gone)."""
        try:
            stat = Path(f"/proc/{self.pid}/stat").read_text()
        except FileNotFoundError:
            return False
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z":
            self._zombie_status = _wait_status(int(fields[-1]))
            return False
        return True

    def _pane(self) -> tuple[bool, int | None]:
        """Whether the program has ended, and how: its exit status, or minus the signal
        that killed it."""
        fields = "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}"
        answer = self._tmux("display-message", "-p", "-t", self.name, fields)
        dead, status, signum = [*answer.split("|"), "", ""][:3]
        if status.strip():
            return dead == "1", int(status)
        return dead == "1", -int(signum) if signum.strip() else None

    def exit_status(self, timeout: float = 3) -> int | None:
        """The program's exit status once it has ended (minus the signal that killed it;
        None while it runs). tmux can mark a pane dead when its terminal closes, a moment
        before it has the status, so a dead pane is asked again until it has one."""
        deadline = time.monotonic() + timeout
        dead, status = self._pane()
        while dead and status is None and time.monotonic() < deadline:
            time.sleep(0.05)
            self.alive()  # a zombie tmux has not reaped yet still holds its status
            dead, status = self._pane()
        return status if status is not None else self._zombie_status

    def wait_gone(self, timeout: float = 10) -> None:
        """Until the program has ended and tmux has seen its pane die."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive() and self._pane()[0]:
                return
            time.sleep(0.05)
        raise AssertionError(
            f"walkcoach (pid {self.pid}) is still running; the screen was:\n{self.screen()}"
        )

    def close(self) -> None:
        self._tmux("kill-session", "-t", self.name)


class Terminal(Pane):
    """`walkcoach ARGS...` (run by this Python) in a pane that stays after it exits."""

    def __init__(
        self,
        args: Sequence[str],
        cwd: Path,
        env: dict[str, str] | None = None,
        size: tuple[int, int] = (100, 30),
        under_shell: bool = False,
    ) -> None:
        walkcoach = [sys.executable, "-m", "walkcoach", *args]
        super().__init__(walkcoach, cwd, env, size, under_shell, remain_on_exit=True)


def _wait_status(code: int) -> int:
    """A raw wait status (the last field of /proc/PID/stat) as an exit status, or minus
    the signal that ended the process."""
    return -(code & 0x7F) if code & 0x7F else code >> 8


def stop_server() -> None:
    """Ends this test run's tmux server (it would also end with its last session)."""
    subprocess.run([*TMUX, "kill-server"], capture_output=True, check=False)
    folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
    (folder / SOCKET).unlink(missing_ok=True)


def walker_data(folder: Path, lead_in_s: int = 5) -> Path:
    """A data folder whose profile skips the first-run questions and the safety check."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "profile.toml").write_text(
        f"weight_kg = 70.0\nsafety_check = false\nlead_in_s = {lead_in_s}\n"
    )
    return folder
