"""Files a person hands walkcoach are read only when they are regular files of a sane size."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walkcoach.store.profile import ProfileError, load_profile
from walkcoach.userfiles import (
    MAX_KEY_PARTS,
    MAX_NESTING,
    MAX_NUMBER_CHARS,
    MAX_TEXT_BYTES,
    NotUtf8,
    TooComplex,
    UnreadableFile,
    check_toml_shape,
    decode_text,
    loads_toml,
    read_regular,
    read_text,
)


def finishes(action: Callable[[], object], seconds: float = 5.0) -> object:
    """Runs `action` in a thread; fails (instead of hanging the suite) if it blocks."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(action())
        except Exception as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "reading blocked"
    return outcome[0]


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(b'name = "x"\n')
    assert read_regular(path) == b'name = "x"\n'


def test_a_fifo_with_no_writer_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "profile.toml"
    os.mkfifo(fifo)
    error = finishes(lambda: read_regular(fifo))
    assert isinstance(error, UnreadableFile)
    assert error.strerror == "a pipe or a device, not a regular file"
    problem = finishes(lambda: load_profile(fifo))
    assert isinstance(problem, ProfileError)
    assert str(problem) == f"{fifo}: cannot be read (a pipe or a device, not a regular file)"


def test_a_device_and_a_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="not a regular file"):
        read_regular(Path(os.devnull))
    with pytest.raises(UnreadableFile, match="a folder"):
        read_regular(tmp_path)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(b"#" * (MAX_TEXT_BYTES + 1))
    with pytest.raises(UnreadableFile, match="too large"):
        read_regular(path)
    path.write_bytes(b"#" * MAX_TEXT_BYTES)
    assert len(read_regular(path)) == MAX_TEXT_BYTES


def test_a_missing_file_is_reported_as_missing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "nothing.toml")


@pytest.mark.parametrize("command", [["plans", "check"], ["plans", "import"], ["run"]])
def test_a_fifo_given_as_a_plan_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "plan.toml"
    os.mkfifo(fifo)
    data = tmp_path / "data"
    data.mkdir()
    (data / "profile.toml").write_text("weight_kg = 70.0\n")
    result = subprocess.run(
        [sys.executable, "-m", "walkcoach", *command, str(fifo), "--data-dir", str(data)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "a pipe or a device, not a regular file" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


# --- text: UTF-8, with or without a byte-order mark ---------------------------------------


def test_utf8_is_read_with_or_without_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(codecs.BOM_UTF8 + 'name = "Rückwärts"\n'.encode())
    assert read_text(path) == 'name = "Rückwärts"\n'
    path.write_bytes('name = "Rückwärts"\n'.encode())
    assert read_text(path) == 'name = "Rückwärts"\n'


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
    ],
)
def test_utf16_and_utf32_are_named_as_such(encoding: str, named: str) -> None:
    with pytest.raises(NotUtf8) as caught:
        decode_text('weight_kg = 70.0\nname = "Walk"\n'.encode(encoding))
    assert str(caught.value) == f"{named} text, not UTF-8; save it as UTF-8"


def test_other_bytes_are_not_text() -> None:
    with pytest.raises(NotUtf8, match=r"^not a text file \(it is not UTF-8\)$"):
        decode_text(b"name = \xff\xfe\xfd")


# --- TOML: refused before parsing when it would cost too much -----------------------------


def refusal(text: str) -> str | None:
    try:
        check_toml_shape(text)
    except TooComplex as exc:
        return str(exc)
    return None


@given(depth=st.integers(1, 200), opening=st.sampled_from(["[", "{a = ["]))
def test_nesting_is_refused_exactly_beyond_the_limit(depth: int, opening: str) -> None:
    text = "x = " + "[" * depth + "]" * depth + "\n"
    expected = None if depth <= MAX_NESTING else "line 1: brackets nested over 32 deep"
    found = refusal(text)
    assert (found is None) == (expected is None)
    if expected is not None:
        assert found is not None and found.startswith(expected)


def test_brackets_dots_and_digits_inside_strings_and_comments_do_not_count() -> None:
    inside = "[" * 100 + "." * 100 + "9" * 500
    text = (
        f'a = "{inside}"\n'
        f"b = '{inside}'\n"
        f'c = """\n{inside}\n"""\n'
        f"d = '''\n{inside}\n'''\n"
        f'e = "escaped \\" {inside}"\n'
        f"# {inside}\n"
        f'"{inside}" = 1\n'
    )
    assert refusal(text) is None
    assert loads_toml(text)["a"] == inside


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a = "x"\n' + ".".join(["k"] * 17) + " = 1\n", "line 2: a key of over 16 dotted parts"),
        ("[" + ".".join(["k"] * 17) + "]\n", "line 1: a key of over 16 dotted parts"),
        ("x = {" + ".".join(["k"] * 17) + " = 1}\n", "line 1: a key of over 16 dotted parts"),
        ('s = """\n\n"""\nx = ' + "1" * 101 + "\n", "line 4: a number over 100 characters"),
        ("x = -" + "1" * 101 + "\n", "line 1: a number over 100 characters"),
        ("x = 1." + "1" * 101 + "\n", "line 1: a number over 100 characters"),
        ("x = 0b" + "1" * 100 + "\n", "line 1: a number over 100 characters"),
        ("x = [" + "1," * 40_001 + "]\n", "line 1: over 40,000 keys and values"),
    ],
    ids=["key", "header", "inline-key", "number", "negative", "fraction", "binary", "values"],
)
def test_what_is_refused_and_on_which_line(text: str, expected: str) -> None:
    found = refusal(text)
    assert found is not None and found.startswith(expected), found


def test_the_largest_accepted_shapes_still_parse() -> None:
    key = ".".join(["k"] * MAX_KEY_PARTS)
    text = (
        f"{key} = {'9' * MAX_NUMBER_CHARS}\n"
        f"x = {'[' * MAX_NESTING}{']' * MAX_NESTING}\n"
        f"y = 0x{'f' * (MAX_NUMBER_CHARS - 2)}\n"
    )
    data = loads_toml(text)
    assert data["y"] == int("f" * 98, 16)
    assert data["x"] != []


def test_nesting_built_from_dotted_keys_in_inline_tables_is_refused_after_parsing() -> None:
    key = ".".join(["k"] * MAX_KEY_PARTS)
    text = f"x = {{{key} = {{{key} = {{{key} = 1}}}}}}\n"
    check_toml_shape(text)  # each part is within its limit...
    with pytest.raises(TooComplex, match="tables nested over 32 deep"):
        loads_toml(text)  # ...but together they nest 48 deep


# Text rich in what the quick look must not mistake for structure, and pieces that
# would be refused were they not inside a string.
REFUSED_OUTSIDE_STRINGS = ["[" * 40, "9" * 150, "k." * 20]
toml_keys = st.text(
    alphabet=st.sampled_from(list("[]{}\"'#.=,\n\r\\ 09xé"))
    | st.characters(exclude_categories=("Cs",)),
    max_size=40,
)
toml_text = toml_keys | st.lists(
    st.sampled_from(['"', "'", "'" * 3, '"' * 3, "\\", "\n", "#", *REFUSED_OUTSIDE_STRINGS]),
    max_size=5,
).map("".join)
toml_values = st.recursive(
    st.integers(-(10**30), 10**30) | st.floats(allow_nan=False) | st.booleans() | toml_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(toml_keys, inner, max_size=4),
    max_leaves=8,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(toml_keys, toml_values, max_size=6), st.booleans())
def test_any_toml_a_writer_makes_within_the_limits_reads_as_the_parser_reads_it(
    data: dict[str, object], multiline: bool
) -> None:
    text = tomli_w.dumps(data, multiline_strings=multiline)
    assert loads_toml(text) == tomllib.loads(text)
