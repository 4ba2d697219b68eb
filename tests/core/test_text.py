"""Text from files and the history cannot drive the terminal, nor a spreadsheet."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walkcoach import editing
from walkcoach.plan import PlanError, loads
from walkcoach.text import control_character, csv_cell, json_visible, printable, visible

ESC, BEL = "\x1b", "\x07"
OSC_52 = f"{ESC}]52;c;aGVsbG8={BEL}"  # writes "hello" into the clipboard (tmux, xterm)
CSI_2J = f"{ESC}[2J"  # clears the screen
HOSTILE = f"Evil {OSC_52}{CSI_2J}{ESC}]2;pwned{BEL}\x9b31m\u202ecba\u200b"
HIDDEN = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}
HIDDEN |= {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x2060, 0xFEFF}


def unsafe(char: str, allow: str = "") -> bool:
    code = ord(char)
    if char in allow:
        return False
    return code < 0x20 or 0x7F <= code <= 0x9F or code in HIDDEN


@given(st.text())
def test_visible_leaves_no_control_bidi_or_zero_width_character(text: str) -> None:
    shown = visible(text)
    assert not any(unsafe(c) for c in shown)
    # Every safe character is still there, in order, and nothing else is lost.
    rest = iter(shown)
    assert all(c in rest for c in text if not unsafe(c))
    assert len(shown) >= len(text)


@given(st.text())
def test_printable_drops_exactly_what_visible_escapes(text: str) -> None:
    kept = printable(text)
    assert kept == "".join(c for c in text if not unsafe(c))
    assert visible(kept) == kept


@given(st.text())
def test_visible_keeps_only_the_allowed_line_breaks(text: str) -> None:
    shown = visible(text, allow="\n")
    assert not any(unsafe(c, allow="\n") for c in shown)
    assert shown.count("\n") == text.count("\n")


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf"))))
def test_plain_text_comes_back_unchanged(text: str) -> None:
    assert visible(text) == text
    assert visible(text, allow="\n") == text


def test_escapes_are_readable() -> None:
    assert visible(HOSTILE) == (
        r"Evil \x1b]52;c;aGVsbG8=\x07\x1b[2J\x1b]2;pwned\x07\x9b31m\u202ecba\u200b"
    )
    assert visible("a\tb\nc") == r"a\x09b\x0ac"
    assert visible("a\tb\nc", allow="\t\n") == "a\tb\nc"


@given(st.dictionaries(st.text(), st.text()))
def test_json_visible_is_the_same_data_with_nothing_unsafe(data: dict[str, str]) -> None:
    text = json_visible(json.dumps(data, indent=2, ensure_ascii=False))
    assert not any(unsafe(c, allow="\n") for c in text)
    assert json.loads(text) == data


def test_control_character_finds_the_first_one() -> None:
    assert control_character("plain\ttext") is None
    assert control_character(HOSTILE) == ESC
    assert control_character("x\x7f") == "\x7f"
    assert control_character("x\x85") == "\x85"
    assert control_character("a\nb", allow="\t\n") is None
    assert control_character("\u202e") is None  # shown escaped, but no control


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://e","x")', '\'=HYPERLINK("http://e","x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Walk = fun", "Walk = fun"),
        ("", ""),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_csv_cell_neutralises_formulas(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


PLAN = """\
format = 1
name = "NAME"
description = "DESCRIPTION"

[[steps]]
label = "LABEL"
direction = "forward"
duration = 60
speed_kmh = 4.0

[[steps]]
repeat = 2
label = "BLOCK"
  [[steps.steps]]
  direction = "backward"
  duration = 30
  speed_kmh = 3.0
"""


@pytest.mark.parametrize(
    ("field", "path"),
    [
        ("NAME", "name"),
        ("DESCRIPTION", "description"),
        ("LABEL", "steps[0].label"),
        ("BLOCK", "steps[1].label"),
    ],
)
@pytest.mark.parametrize(
    ("escape", "code"),
    [(r"\u001b", "001B"), (r"\u0007", "0007"), (r"\u009b", "009B"), (r"\u007f", "007F")],
)
def test_plan_text_with_a_control_character_is_rejected(
    field: str, path: str, escape: str, code: str
) -> None:
    text = PLAN.replace(field, f"Evil {escape}]52;c;aGk=")
    with pytest.raises(PlanError) as caught:
        loads(text)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: contains a control character (U+{code}); remove it"
    ]


def test_plan_text_may_hold_tabs_and_a_description_line_breaks() -> None:
    text = PLAN.replace("NAME", r"Tab\there").replace("DESCRIPTION", r"Two\nlines")
    plan = loads(text)
    assert plan.name == "Tab\there" and plan.description == "Two\nlines"
    with pytest.raises(PlanError, match=r"name: contains a control character \(U\+000A\)"):
        loads(PLAN.replace("NAME", r"Two\nlines"))


def test_the_editor_form_uses_the_same_rules() -> None:
    for check in (editing.check_name, editing.check_label, editing.check_description):
        value, error = check(f"Evil {CSI_2J}")
        assert value is None
        assert error == "contains a control character (U+001B); remove it"
    assert editing.check_name("Tab\there") == ("Tab\there", None)
    assert editing.check_description("Two\nlines") == ("Two\nlines", None)
    form = dataclasses.replace(editing.SegmentForm.of(editing.new_segment(), "kmh"), label="x\a")
    assert form.errors("kmh")["label"] == "contains a control character (U+0007); remove it"
