"""Bad files never produce a traceback and are never changed.

1 000 malformed plan files, each checked by `walkcoach plans check` (in-process, so the
suite stays fast, plus a sample through the real program); a corrupt profile and a
corrupt history, each a clear one-line message with the file left byte for byte.
"""

from __future__ import annotations

import codecs
import os
import random
import re
import subprocess
import sys
import tomllib
import tracemalloc
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from walkcoach import plan as plan_module
from walkcoach import userfiles
from walkcoach.cli import main
from walkcoach.plan import MAX_PROBLEMS, PlanError
from walkcoach.resources import seeds_dir
from walkcoach.store.profile import load_profile
from walkcoach.userfiles import MAX_TEXT_BYTES

SEED_PLANS = sorted((seeds_dir() / "plans").glob("*.toml"))


def mutations(text: str, rng: random.Random) -> str:
    """One damaged version of a valid plan's text."""
    lines = text.splitlines()
    choice = rng.randrange(10)
    if choice == 0:  # cut short anywhere
        return text[: rng.randrange(len(text))]
    if choice == 1:  # a line dropped
        del lines[rng.randrange(len(lines))]
    elif choice == 2:  # a value of the wrong kind
        i = rng.randrange(len(lines))
        if "=" in lines[i]:
            key = lines[i].split("=")[0]
            lines[i] = (
                key
                + "= "
                + rng.choice(
                    ['"fast"', "-3", "1e400", "true", "[1, 2]", "{}", '"99:99"', "0", "nan", '""']
                )
            )
    elif choice == 3:  # random bytes spliced in
        i = rng.randrange(len(text))
        junk = "".join(chr(rng.randrange(1, 0x2FF)) for _ in range(rng.randrange(1, 20)))
        return text[:i] + junk + text[i:]
    elif choice == 4:  # an unknown key
        lines.insert(rng.randrange(len(lines) + 1), f"{rng.choice(['speed', 'colour', 'x'])} = 1")
    elif choice == 5:  # a duplicated table header or key
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
    elif choice == 6:  # brackets broken
        i = rng.randrange(len(lines))
        lines[i] = lines[i].replace("[", "", 1).replace("]]", "]", 1)
    elif choice == 7:  # a huge repeat
        return text.replace("repeat = ", f"repeat = {rng.choice([0, -1, 10**6, 10**30])}  #", 1)
    elif choice == 8:  # not text at all
        return "".join(chr(rng.randrange(0, 256)) for _ in range(rng.randrange(1, 200)))
    else:  # speeds out of range
        return text.replace("speed_kmh = ", f"speed_kmh = {rng.choice([0, 12, -1, 6.5])}  #")
    return "\n".join(lines)


def malformed_files(folder: Path, count: int) -> list[Path]:
    rng = random.Random(20261121)
    texts = [p.read_text() for p in SEED_PLANS]
    files: list[Path] = []
    while len(files) < count:
        text = mutations(rng.choice(texts), rng)
        path = folder / f"bad-{len(files):04d}.toml"
        data = text.encode("utf-8", "surrogatepass")
        if rng.random() < 0.05:
            data = b"\xff\xfe" + data  # not UTF-8
        path.write_bytes(data)
        files.append(path)
    return files


def test_a_thousand_malformed_plans_each_get_a_clear_answer_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = malformed_files(tmp_path, 1000)
    refused = 0
    for path in files:
        before = path.read_bytes()
        code = main(["--data-dir", str(tmp_path / "data"), "plans", "check", str(path)])
        out, err = capsys.readouterr()
        assert code in (0, 1), (path, code, out, err)
        assert "Traceback" not in out + err
        if code == 1:
            refused += 1
            assert "problem" in out + err and path.name in out + err
        assert path.read_bytes() == before
    assert refused >= 700  # most mutations break the plan; the rest must still load


def test_malformed_plans_through_the_real_program(tmp_path: Path) -> None:
    for path in malformed_files(tmp_path, 1000)[::100]:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "walkcoach",
                "--data-dir",
                str(tmp_path / "data"),
                "plans",
                "check",
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode in (0, 1)
        assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("name", "content", "command", "code"),
    [
        # A bad profile is a warning: the command goes on with the default settings.
        ("profile.toml", b"weight_kg = [oops", ["plans", "list"], 0),
        ("profile.toml", b"weight_kg = -4\n", ["plans", "list"], 0),
        ("history.sqlite3", b"SQLite format 3\x00" + b"\x13" * 200, ["history"], 1),
        ("history.sqlite3", bytes(range(256)) * 20, ["history", "--json"], 1),
    ],
    ids=["profile-not-toml", "profile-bad-value", "history-corrupt", "history-not-sqlite"],
)
def test_a_corrupt_file_gets_one_clear_line_and_stays_as_it_was(
    tmp_path: Path, name: str, content: bytes, command: list[str], code: int
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / name).write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-m", "walkcoach", "--data-dir", str(data), *command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == code
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("walkcoach: ") and name in lines[0]
    assert "Traceback" not in done.stdout + done.stderr
    assert (data / name).read_bytes() == content
    assert sorted(p.name for p in data.iterdir()) == [name]


# --- hostile files: every class, every way in ------------------------------------------

VALID_STEPS = '[[steps]]\ndirection = "forward"\nduration = "3:00"\nspeed_kmh = 4.0\n'
VALID = f'name = "Hostile test"\n{VALID_STEPS}'
MAX_OUTPUT = 4000  # characters: a screenful, whatever the file holds


class Hostile(NamedTuple):
    data: bytes
    says: str  # what the answer must contain
    parses: bool = False  # whether the TOML parser may see it at all


def _nested_repeats(depth: int) -> str:
    inner = '{direction = "forward", duration = 60, speed_kmh = 4.0}'
    for _ in range(depth):
        inner = f"{{repeat = 2, steps = [{inner}]}}"
    return f'name = "Deep"\nsteps = [{inner}]\n'


HOSTILE: dict[str, Hostile] = {
    "control-characters": Hostile(
        VALID.replace("Hostile test", "Evil\\u001b]52;c;cm0gLXJmIH4=\\u0007").encode(),
        "name: contains a control character (U+001B); remove it",
        parses=True,
    ),
    "huge-number": Hostile(
        VALID.replace("4.0", "1" * 5000).encode(),
        "line 5: a number over 100 characters long; walkcoach reads at most 100",
    ),
    "huge-hex-number": Hostile(
        VALID.replace("4.0", "0x" + "f" * 400).encode(),
        "line 5: a number over 100 characters long",
    ),
    "deep-arrays": Hostile(
        b'name = "Deep"\nsteps = ' + b"[" * 5000 + b"]" * 5000 + b"\n",
        "line 2: brackets nested over 32 deep; walkcoach reads at most 32 levels",
    ),
    "deep-repeats-1000": Hostile(
        _nested_repeats(1000).encode(), "line 2: brackets nested over 32 deep"
    ),
    "deep-repeats-5000": Hostile(
        _nested_repeats(5000).encode(), "line 2: brackets nested over 32 deep"
    ),
    "deep-dotted-key": Hostile(
        VALID.encode() + b".".join([b"a"] * 20000) + b" = 1\n",
        "line 6: a key of over 16 dotted parts; walkcoach reads at most 16",
    ),
    "utf-16": Hostile(VALID.encode("utf-16"), "UTF-16 text, not UTF-8; save it as UTF-8"),
    "utf-16-without-mark": Hostile(VALID.encode("utf-16-le"), "UTF-16 text, not UTF-8"),
    "too-large": Hostile(
        VALID.encode() + b"#" * (MAX_TEXT_BYTES + 1),
        f"cannot be read (too large to be a walkcoach file: {MAX_TEXT_BYTES // 1024 + 1} KB, "
        f"and at most {MAX_TEXT_BYTES // 1024} KB are read)",
    ),
    "too-many-values": Hostile(
        VALID.encode() + b"x = [" + b"1," * 70_000 + b"1]\n",
        "line 6: over 40,000 keys and values; walkcoach reads at most 40,000",
    ),
    "many-unknown-keys": Hostile(
        VALID.encode() + "".join(f"k{n} = 1\n" for n in range(30_000)).encode(),
        "30000 problems",
        parses=True,
    ),
    "huge-key": Hostile(
        VALID.encode() + b"x" * 400_000 + b" = 1\n",
        "x" * 40 + "... (400,000 characters): unknown key",
        parses=True,
    ),
    "huge-value": Hostile(
        VALID.replace('"forward"', '"' + "f" * 400_000 + '"').encode(),
        "steps[0].direction: '" + "f" * 40 + "'... (400,000 characters) is not a direction",
        parses=True,
    ),
}


def hostile_file(folder: Path, kind: str) -> Path:
    path = folder / f"{kind}.toml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.write_bytes(HOSTILE[kind].data)
    return path


KINDS = [*HOSTILE, "fifo"]
SAYS = {**{k: h.says for k, h in HOSTILE.items()}, "fifo": "a pipe or a device"}
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_bounded_and_clean(text: str) -> None:
    assert len(text) <= MAX_OUTPUT, len(text)
    assert "Traceback" not in text
    assert TERMINAL_CONTROLS.search(text) is None


@pytest.mark.parametrize("kind", KINDS)
def test_plans_check_answers_every_hostile_file_in_a_few_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = hostile_file(tmp_path, kind)
    code = main(["--data-dir", str(tmp_path / "data"), "plans", "check", str(path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.startswith(f"{path}: ")
    assert SAYS[kind] in out
    assert err == ""
    assert_bounded_and_clean(out)


@pytest.mark.parametrize("command", [["plans", "import"], ["plans", "show"], ["run"]])
@pytest.mark.parametrize("kind", KINDS)
def test_import_show_and_run_refuse_every_hostile_file_with_a_clear_first_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, command: list[str]
) -> None:
    path = hostile_file(tmp_path, kind)
    data = tmp_path / "data"
    code = main(["--data-dir", str(data), *command, str(path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    first = err.splitlines()[0]
    assert first.startswith(f"walkcoach: {path}: ")
    assert SAYS[kind] in err
    assert_bounded_and_clean(err)
    assert not (data / "plans").exists()


def test_many_problems_are_counted_and_only_the_first_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile_file(tmp_path, "many-unknown-keys")
    main(["plans", "check", str(path)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{path}: 30000 problems"
    accepted = "direction, duration, incline_pct, label, speed_kmh, speed_mph"
    assert lines[1] == f"  error: steps[0].k0: unknown key; accepted keys here: {accepted}"
    assert len(lines) == 1 + MAX_PROBLEMS + 1
    assert lines[-1] == f"  ... and {30_000 - MAX_PROBLEMS} more"


@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_file_costs_little_memory_and_only_bounded_input_reaches_the_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path = hostile_file(tmp_path, kind)
    parse = tomllib.loads
    parsed: list[int] = []

    def counting_parse(text: str) -> dict[str, Any]:
        parsed.append(len(text))
        return parse(text)

    monkeypatch.setattr(userfiles.tomllib, "loads", counting_parse)
    tracemalloc.start()
    try:
        with pytest.raises(PlanError):
            plan_module.load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20, f"{peak / 2**20:.1f} MB"
    expected_parse = kind in HOSTILE and HOSTILE[kind].parses
    assert bool(parsed) == expected_parse


def test_utf8_with_a_byte_order_mark_is_read_checked_and_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(codecs.BOM_UTF8 + VALID.encode())
    data = tmp_path / "data"
    assert main(["plans", "check", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: ok (Hostile test)")
    assert main(["--data-dir", str(data), "plans", "import", str(path)]) == 0
    copied = data / "plans" / "hostile-test.toml"
    assert copied.read_bytes() == VALID.encode()  # the copy is plain UTF-8
    assert plan_module.load(copied).name == "Hostile test"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"weight_kg = " + b"7" * 5000 + b"\n", "line 1: a number over 100 characters long"),
        (b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n", "line 1: brackets nested over 32 deep"),
        (b".".join([b"a"] * 20000) + b" = 1\n", "line 1: a key of over 16 dotted parts"),
        ("weight_kg = 70.0\n".encode("utf-16"), "UTF-16 text, not UTF-8"),
    ],
    ids=["huge-number", "deep-nesting", "deep-dotted-key", "utf-16"],
)
def test_a_hostile_profile_is_one_warning_line_and_the_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, says: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "profile.toml").write_bytes(content)
    assert main(["--data-dir", str(data), "plans", "list", "--json"]) == 0
    _, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"walkcoach: warning: {data / 'profile.toml'}: {says}")
    assert lines[0].endswith("; using the default settings")
    assert_bounded_and_clean(err)
    assert (data / "profile.toml").read_bytes() == content


def test_a_profile_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_bytes(codecs.BOM_UTF8 + b"weight_kg = 82.5\n")
    assert load_profile(path).weight_kg == 82.5


def test_imports_of_one_name_by_several_programs_at_once_keep_exactly_one(
    tmp_path: Path,
) -> None:
    source = tmp_path / "desk.toml"
    source.write_text(VALID, encoding="utf-8")
    data = tmp_path / "data"
    go = tmp_path / "go"
    # Each program starts, then waits for the others, then imports: all at one moment.
    script = (
        "import os, sys, time\n"
        "from walkcoach.cli import main\n"
        f"while not os.path.exists({str(go)!r}):\n"
        "    time.sleep(0.005)\n"
        f"sys.exit(main(['--data-dir', {str(data)!r}, 'plans', 'import', {str(source)!r}]))\n"
    )
    programs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    go.touch()
    results = [(p.wait(timeout=60), *p.communicate()) for p in programs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 1, 1, 1, 1, 1], results
    for code, out, err in results:
        if code == 0:
            assert out.startswith('imported "Hostile test" as ')
        else:
            assert err.startswith('walkcoach: you already have a plan named "Hostile test"')
    assert [p.name for p in (data / "plans").iterdir()] == ["hostile-test.toml"]


async def test_homes_import_dialog_answers_every_hostile_file_and_stays_usable(
    tmp_path: Path,
) -> None:
    from textual.widgets import Input

    from tests.support.pilot import build, started
    from walkcoach.tui.dialogs.line import LineDialog
    from walkcoach.tui.screens.home import HomeScreen

    app, _, _ = build(tmp_path / "data")
    async with started(app, size=(100, 40)) as pilot:
        await pilot.press("i")
        for kind in KINDS:
            dialog = app.screen
            assert isinstance(dialog, LineDialog), kind
            dialog.query_one("#line", Input).value = str(hostile_file(tmp_path, kind))
            await pilot.press("enter")
            await pilot.pause()
            # The dialog stays open and says what is wrong, in a line or two.
            assert app.screen is dialog, kind
            shown = str(dialog.query_one("#line-error").render())
            assert SAYS[kind] in shown, (kind, shown)
            assert_bounded_and_clean(shown)
        bom = tmp_path / "bom.toml"
        bom.write_bytes(codecs.BOM_UTF8 + VALID.encode())
        app.screen.query_one("#line", Input).value = str(bom)
        await pilot.press("enter")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        entry = home.selected()
        assert entry is not None and entry.name == "Hostile test" and entry.source == "user"
    assert [e.name for e in app.ctx.library.user_entries()] == ["Hostile test"]


def test_hostile_files_among_your_plans_are_listed_as_broken_in_a_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    (data / "plans").mkdir(parents=True)
    for kind in HOSTILE:
        hostile_file(data / "plans", kind)
    assert main(["--data-dir", str(data), "plans", "list"]) == 0
    out, _ = capsys.readouterr()
    broken = [line for line in out.splitlines() if line.startswith(str(data / "plans"))]
    # Each file that does not load gets one line, naming it and its first problem.
    assert len(broken) == len(HOSTILE)
    for kind in HOSTILE:
        line = next(b for b in broken if b.startswith(str(data / "plans" / f"{kind}.toml")))
        assert len(line) <= 400, line
    assert len(out) <= MAX_OUTPUT * 2
    assert "Traceback" not in out
    assert TERMINAL_CONTROLS.search(out) is None
