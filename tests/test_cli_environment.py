"""Odd environments: a time zone Python cannot use, an output encoding that cannot carry
the plan's name. Each command works, with at most one clear line, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import types
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support import REPO
from tests.support.builders import VALID_PLAN, record_sessions, write_plan
from tests.support.cli import run
from walkcoach.plan import loads
from walkcoach.store.history import History
from walkcoach.store.paths import ENV_VAR

# --- time zones ---------------------------------------------------------------------

UNUSABLE_ZONES = ["UTC+24", "UTC-24", "<+99>-99", "XYZ+24:59:59", "AAA-1BBB-25,M3.2.0,M11.1.0"]
ODD_ZONES = ["Foo/Bar", "", ":/nonexistent", "UTC+23:59", "EST5EDT,M3.2.0,M11.1.0", "Z" * 5000]


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    def set_zone(value: str) -> None:
        monkeypatch.setenv("TZ", value)
        time.tzset()

    yield set_zone
    monkeypatch.undo()  # main() may have set TZ=UTC itself; this puts the old one back
    time.tzset()


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(ENV_VAR, raising=False)
    return tmp_path / "data"


@pytest.mark.parametrize("value", UNUSABLE_ZONES)
def test_a_zone_a_day_or_more_from_utc_falls_back_to_utc_with_one_warning(
    capsys: pytest.CaptureFixture[str], data: Path, zone: Callable[[str], None], value: str
) -> None:
    record_sessions(data / "history.sqlite3", 1)  # started 2026-03-01 07:00 UTC
    zone(value)
    code, out, err = run(capsys, "--data-dir", str(data), "history")
    assert code == 0
    assert "2026-03-01 07:00" in out and "Walk 0" in out
    assert err == (
        f"walkcoach: warning: the time zone TZ={value!r} cannot be used (its offset from "
        "UTC is a day or more); times are in UTC\n"
    )


@pytest.mark.parametrize("value", ODD_ZONES, ids=lambda v: v[:20] or "empty")
def test_odd_but_usable_zones_just_work(
    capsys: pytest.CaptureFixture[str], data: Path, zone: Callable[[str], None], value: str
) -> None:
    record_sessions(data / "history.sqlite3", 1)
    zone(value)
    code, out, err = run(capsys, "--data-dir", str(data), "history")
    assert (code, err) == (0, "")
    assert "Walk 0" in out


def test_an_unexpected_error_under_an_unusable_zone_is_one_line(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    zone: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The error reporter itself used the local time, and failed with a raw traceback.
    from walkcoach.cli import policy
    from walkcoach.store.plans import PlanLibrary

    def explode(self: PlanLibrary) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(PlanLibrary, "entries", explode)
    # The reporter alone: the command itself would have fallen back to UTC first.
    monkeypatch.setattr(policy, "usable_time_zone", lambda: None)
    data.mkdir()
    zone("UTC+24")
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "list")
    assert (code, out) == (1, "")
    assert err.startswith("walkcoach: unexpected error (RuntimeError: boom)")
    assert "Traceback" in (data / "walkcoach-error.log").read_text(encoding="utf-8")


# --- encodings ----------------------------------------------------------------------

NAME = "Żółw 名前 🐢"
ASCII_ONLY = {"PYTHONIOENCODING": "ascii"}
C_LOCALE = {"LC_ALL": "C", "LANG": "C"}  # Python then runs in UTF-8 mode
C_STRICT = {**C_LOCALE, "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}  # ASCII, really
ENVIRONMENTS = {"ascii": ASCII_ONLY, "C": C_LOCALE, "C-strict": C_STRICT}


def program(
    tmp_path: Path, environment: dict[str, str], *argv: str | bytes
) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    env.update(PYTHONPATH=str(REPO), **{ENV_VAR: str(tmp_path / "data")}, **environment)
    return subprocess.run(
        [sys.executable, "-m", "walkcoach", *argv],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def named(tmp_path: Path) -> Path:
    """A plan file and a walk, both with a name no ASCII output can carry as it is."""
    path = write_plan(tmp_path, "turtle.toml", VALID_PLAN.replace("Desk walk", NAME))
    record_sessions(tmp_path / "data" / "history.sqlite3", 1)
    with History(tmp_path / "data" / "history.sqlite3") as history:
        history.start_session(NAME, 70.0, datetime(2026, 3, 2, 7, tzinfo=UTC))
    return path


def ok(done: subprocess.CompletedProcess[bytes], ascii_only: bool) -> bytes:
    assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert done.stdout.isascii() or not ascii_only
    return done.stdout


@pytest.mark.parametrize("environment", list(ENVIRONMENTS.values()), ids=list(ENVIRONMENTS))
def test_every_command_works_when_the_output_cannot_carry_the_name(
    tmp_path: Path, named: Path, environment: dict[str, str]
) -> None:
    ascii_only = environment is not C_LOCALE

    def walkcoach(*argv: str | bytes) -> bytes:
        return ok(program(tmp_path, environment, *argv), ascii_only)

    walkcoach("plans", "check", str(named))
    walkcoach("plans", "import", str(named))
    listing = walkcoach("plans", "list")
    assert ("名前".encode() if not ascii_only else b"\\u540d\\u524d") in listing
    rows = json.loads(walkcoach("plans", "list", "--json"))
    assert NAME in [row["name"] for row in rows]  # the same data, in JSON's escapes
    assert b"Steps" in walkcoach("plans", "show", str(named))
    assert loads(walkcoach("plans", "export", str(named)).decode()).name == NAME
    walkcoach("plans", "export", str(named), "out.toml")
    assert loads((tmp_path / "out.toml").read_text(encoding="utf-8")).name == NAME
    assert b"Walk 0" in walkcoach("history")
    assert b"Walk 0" in walkcoach("history", "--csv")
    walkcoach("history", "--json")
    walkcoach("history", "export", "walks.json")
    assert NAME in (tmp_path / "walks.json").read_text(encoding="utf-8")
    if environment is not C_STRICT:  # there the name itself arrives undecodable
        assert b"Steps" in walkcoach("plans", "show", NAME)
    for argv in (["run", NAME], ["plans", "show", "Nope " + NAME]):
        done = program(tmp_path, environment, *argv)
        assert done.returncode == 1 and done.stderr.startswith(b"walkcoach: ")
        assert b"Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("environment", [{}, ASCII_ONLY], ids=["utf-8", "ascii"])
def test_a_file_name_that_is_not_utf8_is_shown_not_a_crash(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.toml"
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write(VALID_PLAN)
    done = program(tmp_path, environment, "plans", "check", raw)
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    assert b"caf\\udce9.toml: ok (Desk walk)\n" in done.stdout


def test_the_app_starts_with_a_usable_zone_under_an_unusable_one(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    zone: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Home, History and the recap show local times; they get UTC instead of a crash.
    offsets: list[object] = []
    module = types.ModuleType("walkcoach.tui.launch")

    def run_app(*args: object) -> int:
        offsets.append(datetime.now(UTC).astimezone().utcoffset())
        return 0

    module.run_app = run_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "walkcoach.tui.launch", module)
    zone("UTC+24")
    code, _, err = run(capsys, "--data-dir", str(data))
    assert (code, offsets) == (0, [timedelta(0)])
    assert err.startswith("walkcoach: warning: the time zone TZ='UTC+24' cannot be used")
