"""No byte a plan file or the history holds can drive the terminal through the CLI, and
no CSV the CLI writes hands a spreadsheet a formula."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.builders import VALID_PLAN, record_sessions, write_plan
from tests.support.cli import run
from tests.support.sound import make_sound_folders
from walkcoach.cues import CUES
from walkcoach.engine import Engine, SessionResult
from walkcoach.plan import Plan, Segment
from walkcoach.sound import CuePlayer, default_backends, make_player
from walkcoach.sound.check import PlayerFactory, sound_check
from walkcoach.store.history import History
from walkcoach.store.paths import ENV_VAR
from walkcoach.voice import VoiceSettings, sample

ESC, BEL = "\x1b", "\x07"
OSC_52 = f"{ESC}]52;c;aGVsbG8={BEL}"  # writes "hello" into the clipboard (tmux, xterm)
CSI_2J = f"{ESC}[2J"  # clears the screen
OSC_2 = f"{ESC}]2;pwned{BEL}"  # renames the window
HOSTILE = f"Evil {OSC_52}{CSI_2J}{OSC_2}\x9b1m\u202e"
TOML_HOSTILE = r"Evil \u001b]52;c;aGVsbG8=\u0007\u001b[2J\u001b]2;pwned\u0007\u009b1m\u202e"
FORMULA = '=HYPERLINK("http://evil.example/","click")'


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(ENV_VAR, raising=False)
    return tmp_path / "data"


def assert_inert(*outputs: str) -> None:
    for output in outputs:
        for bad in (ESC, BEL, "\x9b", "\u202e"):
            assert bad not in output, repr(output)


def hostile_plan(folder: Path, file_name: str = "evil.toml") -> Path:
    text = VALID_PLAN.replace('"Desk walk"', f'"{TOML_HOSTILE}"')
    text = text.replace('"Warm-up"', f'"{TOML_HOSTILE}"')
    text = text.replace("name = ", f'description = "{TOML_HOSTILE}"\nname = ', 1)
    return write_plan(folder, file_name, text)


def test_plans_check_rejects_and_does_not_echo_control_characters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: Path
) -> None:
    path = hostile_plan(tmp_path)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "check", str(path))
    assert code == 1
    assert "name: contains a control character (U+001B); remove it" in out
    assert "description: contains a control character (U+001B); remove it" in out
    assert "steps[0].label: contains a control character (U+001B); remove it" in out
    assert_inert(out, err)


def test_plans_check_escapes_the_file_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: Path
) -> None:
    path = write_plan(tmp_path, f"{HOSTILE}.toml", VALID_PLAN)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "check", str(path))
    assert code == 0 and r"Evil \x1b]52;c;aGVsbG8=\x07" in out
    assert_inert(out, err)


def test_plans_import_of_a_hostile_file_prints_nothing_raw(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: Path
) -> None:
    path = hostile_plan(tmp_path)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "import", str(path))
    assert code == 1 and "contains a control character (U+001B)" in err
    assert_inert(out, err)
    path = write_plan(tmp_path, f"{HOSTILE}.toml", VALID_PLAN.replace("Desk walk", "Ok\u202e"))
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "import", str(path))
    assert code == 0 and r'imported "Ok\u202e"' in out
    assert_inert(out, err)


def test_plans_list_and_show_escape_names_labels_and_descriptions(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    # An older file (written before the check) or a name that passes it (bidi).
    hostile_plan(data / "plans", f"{HOSTILE}.toml")
    bidi = VALID_PLAN.replace("Desk walk", "Desk \u202ekcab\u200b").replace(
        '"Warm-up"', '"Up\u2066x"'
    )
    write_plan(
        data / "plans", "bidi.toml", bidi.replace("name = ", 'description = "D\u202e"\nname = ', 1)
    )
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "list")
    assert code == 0 and r"Desk \u202ekcab\u200b" in out and r"\x1b" in out
    assert_inert(out, err)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "list", "--json")
    assert code == 0 and "\\u202e" in out
    assert_inert(out, err)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "show", "Desk \u202ekcab\u200b")
    assert code == 0
    assert r"Desk \u202ekcab\u200b" in out and r"Up\u2066x" in out and r"D\u202e" in out
    assert_inert(out, err)
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "show", HOSTILE)
    assert code == 1
    assert_inert(out, err)


def hostile_history(data: Path) -> None:
    record_sessions(data / "history.sqlite3", 1)
    with History(data / "history.sqlite3") as history:
        session_id = history.start_session(HOSTILE, 70.0, datetime(2026, 3, 9, 7, tzinfo=UTC))
        history.start_session(FORMULA, 70.0, datetime(2026, 3, 10, 7, tzinfo=UTC))
    assert session_id


def test_history_table_json_and_csv_escape_what_the_database_holds(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    hostile_history(data)
    code, out, err = run(capsys, "--data-dir", str(data), "history")
    assert code == 0 and r"\x1b" in out  # folded over lines in the table
    assert_inert(out, err)
    code, out, err = run(capsys, "--data-dir", str(data), "history", "--json")
    assert code == 0
    assert_inert(out, err)
    assert [r["plan_name"] for r in json.loads(out)][:2] == [FORMULA, HOSTILE]  # same data
    code, out, err = run(capsys, "--data-dir", str(data), "history", "--csv")
    assert code == 0
    assert_inert(out, err)
    names = [row["plan_name"] for row in csv.DictReader(io.StringIO(out))]
    assert names == [
        "'" + FORMULA,
        r"Evil \x1b]52;c;aGVsbG8=\x07\x1b[2J\x1b]2;pwned\x07\x9b1m\u202e",
        "Walk 0",
    ]


def walk_with_labels(history_path: Path, name: str, label: str) -> None:
    plan = Plan(name, (Segment("forward", 60, 4.0, 0, label), Segment("backward", 60, 3.0)))
    engine = Engine(plan, 70.0, lead_in_s=0)
    engine.start(0.0)
    for t in range(1, 90):
        engine.tick(float(t))
    with History(history_path) as history:
        start = datetime(2026, 3, 10, 7, tzinfo=UTC)
        session_id = history.start_session(name, 70.0, start)
        history.checkpoint(session_id, engine.result(), "unfinished", start)


@pytest.mark.parametrize("session", [None, "2"])
def test_history_export_csv_neutralises_formulas(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, session: str | None
) -> None:
    record_sessions(data / "history.sqlite3", 1)
    walk_with_labels(data / "history.sqlite3", FORMULA, "@SUM(A1:A9)")
    with History(data / "history.sqlite3") as history:
        history.start_session("-1+2", 70.0, datetime(2026, 3, 11, 7, tzinfo=UTC))
    target = tmp_path / "out.csv"
    more = ["--session", session] if session else []
    code, _, err = run(capsys, "--data-dir", str(data), "history", "export", str(target), *more)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    if session is None:
        assert [r["plan_name"] for r in rows] == ["'-1+2", "'" + FORMULA, "Walk 0"]
    else:
        assert [r["plan_name"] for r in rows] == ["'" + FORMULA] * 2
        assert [r["label"] for r in rows] == ["'@SUM(A1:A9)", ""]


# --- colour, the bell and argparse --------------------------------------------------

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colour_codes(output: str) -> list[str]:
    """The SGR sequences in `output` that set a colour (foreground or background)."""
    found = []
    for match in SGR.finditer(output):
        params = [int(p) for p in match.group(1).split(";") if p]
        if any(
            p in (38, 48) or 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107
            for p in params
        ):
            found.append(match.group())
    return found


@pytest.fixture
def colourful(data: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """A terminal that takes truecolour, as rich sees it, and commands that use colour."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    write_plan(data / "plans", "broken.toml", "name = 1\n")  # listed in red
    record_sessions(data / "history.sqlite3", 1)
    base = ["--data-dir", str(data)]
    return [[*base, "plans", "list"], [*base, "plans", "show", "Quick ten"], [*base, "history"]]


def test_the_commands_use_colour_on_a_colour_terminal(
    capsys: pytest.CaptureFixture[str], colourful: list[list[str]]
) -> None:
    # The check below is only worth something if colour shows up without NO_COLOR.
    outputs = [run(capsys, *argv)[1] for argv in colourful]
    assert colour_codes(outputs[0]) and colour_codes(outputs[1])


def test_no_color_takes_every_colour_out(
    capsys: pytest.CaptureFixture[str],
    colourful: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    for argv in colourful:
        code, out, err = run(capsys, *argv)
        assert code == 0 and out
        assert colour_codes(out + err) == []


def test_a_dumb_terminal_gets_no_escape_at_all(
    capsys: pytest.CaptureFixture[str],
    colourful: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TERM", "dumb")
    for argv in colourful:
        code, out, err = run(capsys, *argv)
        assert code == 0 and out
        assert ESC not in out + err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def bell_only_factory(tmp_path: Path, first_notice: str = "") -> PlayerFactory:
    sounds, voice, _ = make_sound_folders(tmp_path, dict.fromkeys(sample_clips(), 0.01))

    def factory(
        *, bell: Callable[[], None] | None = None, notify: Callable[[str], None] | None = None
    ) -> CuePlayer:
        assert bell is not None and notify is not None
        if first_notice:
            notify(first_notice)
        return make_player(
            notify=notify, backends=[default_backends(bell)[-2]], sounds=sounds, voice=voice
        )

    return factory


def sample_clips() -> tuple[str, ...]:
    return sample(VoiceSettings(), 0.0).clips


def test_sound_check_into_a_file_rings_the_bell_on_the_terminal_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `walkcoach sound-check > file`: no BEL in the file, and the bell is still heard.
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    into_a_file = io.StringIO()
    assert sound_check(into_a_file, bell_only_factory(tmp_path), pause_s=0) == 1
    assert BEL not in into_a_file.getvalue()
    assert terminal.getvalue() == BEL * (len(CUES) + 1)


def test_sound_check_with_no_terminal_at_all_writes_no_bell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    out = io.StringIO()
    sound_check(out, bell_only_factory(tmp_path), pause_s=0)
    assert BEL not in out.getvalue() + stderr.getvalue()


def test_sound_check_shows_a_players_message_with_its_escapes_visible(tmp_path: Path) -> None:
    out = io.StringIO()
    sound_check(out, bell_only_factory(tmp_path, f"device {OSC_2} failed"), pause_s=0)
    assert r"device \x1b]2;pwned\x07 failed" in out.getvalue()
    assert_inert(out.getvalue())


def test_usage_errors_show_an_argument_with_escapes_visible(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    code, out, err = run(capsys, "--data-dir", str(data), "plans", "list", OSC_52 + CSI_2J)
    assert (code, out) == (2, "")
    assert r"unrecognized arguments: \x1b]52;c;aGVsbG8=\x07\x1b[2J" in err
    assert_inert(err)


@pytest.mark.parametrize(
    "argv",
    [
        ["x" * 100_000],
        ["plans", "list", "x" * 100_000],
        ["plans", "show", "x" * 100_000],
        ["run", "x" * 100_000],
        ["plans", "export", "Quick ten", "x" * 100_000],
    ],
    ids=["command", "extra", "show", "run", "export"],
)
def test_a_huge_argument_is_not_echoed_whole(
    capsys: pytest.CaptureFixture[str], data: Path, argv: list[str]
) -> None:
    code, out, err = run(capsys, "--data-dir", str(data), *argv)
    assert code in (1, 2) and out == ""
    assert 0 < len(err) < 3000
    assert all(len(line) <= 1100 for line in err.splitlines())


# --- every byte a terminal acts on, for what came since: delete, damage, exports ------

# Below 0x20 but newline and tab, DEL, and C1: what must never reach the terminal raw.
TERMINAL_CONTROLS = frozenset([*range(0x20), 0x7F, *range(0x80, 0xA0)]) - {ord("\n"), ord("\t")}
EVERY_CONTROL = "".join(chr(c) for c in sorted(TERMINAL_CONTROLS))


def assert_no_terminal_controls(*outputs: str) -> None:
    for output in outputs:
        found = sorted({f"U+{ord(c):04X}" for c in output if ord(c) in TERMINAL_CONTROLS})
        assert found == [], repr(output[:400])


@pytest.fixture
def hostile_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose own name holds escapes: every message naming the history
    names it too."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    return tmp_path / f"data {OSC_2}\x9b\x7f"


@pytest.mark.parametrize("answer", ["y\n", "n\n"])
def test_history_delete_asks_and_answers_with_every_name_escaped(
    capsys: pytest.CaptureFixture[str],
    hostile_data: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
) -> None:
    with History(hostile_data / "history.sqlite3") as history:
        session_id = history.start_session(
            HOSTILE + EVERY_CONTROL, 70.0, datetime(2026, 3, 9, 7, tzinfo=UTC)
        )
        history.checkpoint(session_id, walked_a_little(), "finished")
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    code, out, err = run(
        capsys, "--data-dir", str(hostile_data), "history", "delete", str(session_id)
    )
    assert err.startswith(r"Delete session 1, Evil \x1b]52;c;aGVsbG8=\x07")
    assert code == (0 if answer == "y\n" else 1)
    assert_no_terminal_controls(out, err)


def test_history_delete_refusals_and_damaged_walks_are_said_with_escapes(
    capsys: pytest.CaptureFixture[str], hostile_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    with History(hostile_data / "history.sqlite3") as history:
        live = history.start_session(HOSTILE, 70.0, datetime(2026, 3, 9, 7, tzinfo=UTC))
        bad = history.start_session("Bad", 70.0, datetime(2026, 3, 10, 7, tzinfo=UTC))
        history.checkpoint(bad, walked_a_little(), "finished")
    with sqlite3.connect(hostile_data / "history.sqlite3") as conn:
        conn.execute("UPDATE sessions SET started_at = ? WHERE id = ?", (EVERY_CONTROL, bad))
    conn.close()
    base = ["--data-dir", str(hostile_data), "history"]
    outputs = []
    for argv in (
        [*base],  # the damaged row is warned about
        [*base, "--csv"],
        [*base, "--json"],
        [*base, "delete", str(live), "--yes"],  # being walked: refused, the path named
        [*base, "delete", "99", "--yes"],  # no such session
        [*base, "delete", str(bad)],  # no terminal to ask on
    ):
        monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
        code, out, err = run(capsys, *argv)
        outputs.append((code, out, err))
        assert_no_terminal_controls(out, err)
    assert [code for code, _, _ in outputs] == [0, 0, 0, 1, 1, 2]
    assert outputs[0][2].startswith(
        "walkcoach: warning: left out, damaged: session 2: started_at '\\x00\\x01"
    )
    assert r"data \x1b]2;pwned\x07\x9b\x7f" in outputs[3][2]
    assert outputs[5][2].startswith("walkcoach: not deleting session 2 (damaged: started_at ")
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    code, out, err = run(capsys, *base, "delete", str(bad))
    assert code == 0 and err.startswith("Delete session 2 (damaged: started_at ")
    assert_no_terminal_controls(out, err)


def walked_a_little() -> SessionResult:
    plan = Plan("x", (Segment("forward", 60, 4.0),))
    engine = Engine(plan, 70.0, lead_in_s=0)
    engine.start(0.0)
    for t in range(1, 30):
        engine.tick(float(t))
    return engine.result()


HOSTILE_FILE = f"walks {OSC_2}\x9b\x7f\u202e"


@pytest.mark.parametrize(
    "case", ["written", "exists", "missing folder", "folder", "bad extension", "plan"]
)
def test_export_messages_show_a_hostile_file_name_with_escapes(
    capsys: pytest.CaptureFixture[str],
    hostile_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    record_sessions(hostile_data / "history.sqlite3", 1)
    monkeypatch.chdir(tmp_path)
    typed = {
        "written": f"{HOSTILE_FILE}.csv",
        "exists": f"{HOSTILE_FILE}.json",
        "missing folder": f"{HOSTILE_FILE}/walks.csv",
        "folder": f"{HOSTILE_FILE}.d",
        "bad extension": f"{HOSTILE_FILE}.txt",
        "plan": f"{HOSTILE_FILE}.toml",
    }[case]
    if case == "exists":
        (tmp_path / typed).write_text("precious", encoding="utf-8")
    if case == "folder":
        (tmp_path / typed).mkdir()
    if case == "plan":
        argv = ["plans", "export", "Quick ten", typed]
    else:
        argv = ["history", "export", typed]
    code, out, err = run(capsys, "--data-dir", str(hostile_data), *argv)
    assert code == (0 if case in ("written", "plan") else 1), err
    assert r"walks \x1b]2;pwned\x07\x9b\x7f\u202e" in out + err
    assert_no_terminal_controls(out, err)
