"""Bad files never produce a traceback and are never changed.

1 000 malformed plan files, each checked by `walkcoach plans check` (in-process, so the
suite stays fast, plus a sample through the real program); a corrupt profile and a
corrupt history, each a clear one-line message with the file left byte for byte.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from walkcoach.cli import main
from walkcoach.resources import seeds_dir

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
