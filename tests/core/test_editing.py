"""The editor's model: a plan and a cursor, edits that return a new document, undo/redo."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walkcoach import editing
from walkcoach.editing import (
    Document,
    EditError,
    EditHistory,
    SegmentForm,
    add_block,
    add_segment,
    check,
    delete,
    move,
    new_segment,
    nudge,
    toggle_direction,
)
from walkcoach.plan import Plan, PlanError, Repeat, Segment, dumps, loads
from walkcoach.planrules import MAX_NESTING, MIN_SEGMENT_S, speed_limits

WARM = Segment("forward", 300, 4.0, 0, "Warm-up")
BACK = Segment("backward", 60, 3.0)
FAST = Segment("forward", 120, 5.0)
PLAN = Plan("Test", (WARM, Repeat(3, (BACK, FAST)), Segment("forward", 180, 4.0)))


def doc_at(*path: int) -> Document:
    return Document(PLAN, path)


def test_a_new_segment_has_the_defaults() -> None:
    assert new_segment() == Segment("forward", 120, 4.0, 0.0, "")


def test_adding_to_an_empty_plan_puts_the_cursor_on_the_new_segment() -> None:
    doc = add_segment(Document.of(Plan("New", ())))
    assert doc.plan.steps == (new_segment(),)
    assert doc.cursor == (0,)


def test_add_segment_inserts_after_the_cursor() -> None:
    doc = add_segment(doc_at(0))
    assert doc.plan.steps[1] == new_segment()
    assert doc.cursor == (1,)
    assert isinstance(doc.plan.steps[2], Repeat)


def test_add_segment_on_a_block_appends_to_the_block() -> None:
    doc = add_segment(doc_at(1))
    block = doc.plan.steps[1]
    assert isinstance(block, Repeat)
    assert block.steps == (BACK, FAST, new_segment())
    assert doc.cursor == (1, 2)


def test_add_segment_on_a_child_adds_inside_the_block_after_it() -> None:
    doc = add_segment(doc_at(1, 0))
    block = doc.plan.steps[1]
    assert isinstance(block, Repeat)
    assert block.steps == (BACK, new_segment(), FAST)
    assert doc.cursor == (1, 1)


def test_add_block_inserts_a_block_with_one_default_segment() -> None:
    doc = add_block(doc_at(0))
    assert doc.plan.steps[1] == Repeat(editing.DEFAULT_REPEAT, (new_segment(),))
    assert doc.cursor == (1,)


def test_blocks_do_not_nest_deeper_than_the_format_allows() -> None:
    doc = Document.of(Plan("Deep", ()))
    doc = add_block(doc)
    for _ in range(MAX_NESTING - 1):
        doc = add_block(doc.at((*doc.cursor, 0)))  # type: ignore[misc]
    with pytest.raises(EditError, match="nest"):
        add_block(doc.at((*doc.cursor, 0)))  # type: ignore[misc]


def test_delete_moves_the_cursor_to_the_next_step_then_the_previous() -> None:
    doc = delete(doc_at(0))
    assert doc.plan.steps[0] == PLAN.steps[1]
    assert doc.cursor == (0,)
    doc = delete(doc_at(2))
    assert doc.cursor == (1,)


def test_deleting_the_last_child_leaves_the_cursor_on_its_block() -> None:
    doc = delete(delete(doc_at(1, 1)))
    assert doc.plan.steps[1] == Repeat(3, ())
    assert doc.cursor == (1,)
    assert any("steps[1].steps" in p.path for p in check(doc.plan).errors)


def test_deleting_everything_leaves_no_cursor() -> None:
    doc = Document.of(Plan("One", (WARM,)))
    doc = delete(doc)
    assert doc.plan.steps == () and doc.cursor is None
    with pytest.raises(EditError, match="no steps"):
        delete(doc)


def test_move_swaps_with_the_neighbour() -> None:
    doc = move(doc_at(1, 1), -1)
    block = doc.plan.steps[1]
    assert isinstance(block, Repeat)
    assert block.steps == (FAST, BACK)
    assert doc.cursor == (1, 0)


def test_a_block_moves_whole() -> None:
    doc = move(doc_at(1), -1)
    assert doc.plan.steps == (PLAN.steps[1], WARM, PLAN.steps[2])
    assert doc.cursor == (0,)


def test_moving_past_the_edge_of_a_block_takes_the_step_out() -> None:
    doc = move(doc_at(1, 0), -1)
    assert doc.plan.steps[1] == BACK
    assert doc.plan.steps[2] == Repeat(3, (FAST,))
    assert doc.cursor == (1,)
    doc = move(doc_at(1, 1), +1)
    assert doc.plan.steps[2] == FAST
    assert doc.cursor == (2,)


def test_moving_past_the_top_is_refused() -> None:
    with pytest.raises(EditError, match="top"):
        move(doc_at(0), -1)


def test_toggle_keeps_a_speed_the_other_direction_accepts() -> None:
    doc = toggle_direction(doc_at(0))
    assert doc.plan.steps[0] == Segment("backward", 300, 4.0, 0, "Warm-up")


def test_toggle_to_backward_replaces_a_speed_too_fast_for_backward() -> None:
    doc = toggle_direction(Document.of(Plan("Fast", (Segment("forward", 60, 7.0),))))
    assert doc.plan.steps[0] == Segment("backward", 60, editing.DEFAULT_SPEED_KMH["backward"])


def test_toggle_on_a_block_says_why_not() -> None:
    with pytest.raises(EditError, match="repeat block"):
        toggle_direction(doc_at(1))


def test_nudge_adds_and_takes_fifteen_seconds_never_below_the_minimum() -> None:
    doc = nudge(doc_at(1, 0), editing.NUDGE_S)
    assert doc.step() == Segment("backward", 75, 3.0)
    short = Document.of(Plan("Short", (Segment("forward", 10, 4.0),)))
    assert nudge(short, -editing.NUDGE_S).step() == Segment("forward", MIN_SEGMENT_S, 4.0)


def test_rename_keeps_the_steps() -> None:
    doc = editing.rename(doc_at(0), "Other", "new words")
    assert doc.plan == Plan("Other", PLAN.steps, "new words")


def test_rows_list_blocks_then_their_children() -> None:
    rows = doc_at(0).rows()
    assert [r.path for r in rows] == [(0,), (1,), (1, 0), (1, 1), (2,)]
    assert [r.depth for r in rows] == [0, 0, 1, 1, 0]


def test_check_reports_a_session_over_four_hours() -> None:
    long = Plan("Long", (Repeat(50, (Segment("forward", 300, 4.0),)),))
    errors = check(long).errors
    assert [p.path for p in errors] == ["steps"]
    assert "4:00:00" in errors[0].message


def test_problems_are_found_by_the_step_they_are_about() -> None:
    plan = Plan("Risky", (WARM, Repeat(2, (Segment("backward", 60, 5.8),))))
    found = check(plan).problems_at((1,))
    assert len(found) == 1 and "close to a run" in found[0].message
    assert check(plan).problems_at((0,)) == []


# --- undo and redo ------------------------------------------------------------------


def test_undo_and_redo_walk_back_and_forth_through_several_edits() -> None:
    history = EditHistory.start(PLAN)
    first = history.apply(lambda d: add_segment(d.at((0,))))
    second = first.apply(toggle_direction)
    third = second.apply(lambda d: nudge(d, 15))
    assert third.dirty
    back = third.undo().undo().undo()
    assert back.plan == PLAN and not back.dirty
    assert back.redo().redo().plan == second.plan
    with pytest.raises(EditError, match="undo"):
        back.undo()


def test_a_new_edit_after_undo_drops_the_redo_steps() -> None:
    history = EditHistory.start(PLAN).apply(delete).undo().apply(lambda d: nudge(d, 15))
    with pytest.raises(EditError, match="redo"):
        history.redo()


def test_moving_the_cursor_is_not_an_edit() -> None:
    history = EditHistory.start(PLAN).move_cursor((1, 0))
    assert history.past == () and history.present.cursor == (1, 0)


def test_an_untouched_new_plan_has_nothing_to_lose_but_is_new_until_saved() -> None:
    history = EditHistory.start(editing.new_plan(), saved=False)
    assert history.new and not history.dirty
    changed = history.apply(add_segment)
    assert changed.new and changed.dirty
    assert changed.undo().new and not changed.undo().dirty
    saved = changed.mark_saved()
    assert not saved.new and not saved.dirty


# --- form fields ----------------------------------------------------------------------


def test_form_speed_is_typed_in_the_walkers_unit() -> None:
    form = SegmentForm("backward", "1:30", "2", "1.5", "Back")
    made = form.segment("mph")
    assert made is not None
    assert made.speed_kmh == pytest.approx(3.218688)
    assert made == Segment("backward", 90, made.speed_kmh, 1.5, "Back")


def test_a_speed_left_as_shown_keeps_its_exact_value() -> None:
    original = Segment("forward", 60, 4.0)
    form = SegmentForm.of(original, "mph")
    assert form.speed == "2.5"
    assert form.segment("mph", original) == original


@pytest.mark.parametrize("direction", ["forward", "backward"])
def test_a_speed_left_as_shown_is_no_error_even_below_the_one_decimal_limit(
    direction: str,
) -> None:
    slowest = Segment(direction, 60, 0.5)  # type: ignore[arg-type]
    form = SegmentForm.of(slowest, "mph")
    assert form.speed == "0.3"  # 0.31 mph; typed, 0.3 mph would be under 0.5 km/h
    assert form.errors("mph", slowest) == {}
    assert form.segment("mph", slowest) == slowest
    assert form.errors("mph")["speed"] == f"walking {direction}: 0.4 to " + (
        "5.5 mph" if direction == "forward" else "3.7 mph"
    )


def test_form_errors_name_each_bad_field() -> None:
    form = SegmentForm("backward", "3s", "7", "20", "x" * 61)
    errors = form.errors("kmh")
    assert errors == {
        "duration": "at least 5 s",
        "speed": "walking backward: 0.5 to 6.0 km/h",
        "incline": "expected 0 to 15 (per cent)",
        "label": "at most 60 characters (61 now)",
    }
    assert form.segment("kmh") is None


def test_mph_limits_are_told_at_one_decimal_rounded_inwards() -> None:
    assert speed_limits("backward", "mph") == (0.4, 3.7)
    assert speed_limits("forward", "mph") == (0.4, 5.5)
    assert speed_limits("forward", "kmh") == (0.5, 9.0)
    assert editing.check_speed("3.7", "backward", "mph")[1] is None
    assert editing.check_speed("3.8", "backward", "mph") == (
        None,
        "walking backward: 0.4 to 3.7 mph",
    )


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["forward", "backward"]),
    st.sampled_from(["kmh", "mph"]),
    st.integers(0, 120),
)
def test_every_speed_the_form_accepts_is_one_the_plan_accepts(
    direction: str, unit: str, tenths: int
) -> None:
    typed = f"{tenths / 10:.1f}"
    kmh, error = editing.check_speed(typed, direction, unit)  # type: ignore[arg-type]
    if error is None:
        assert kmh is not None
        loads(dumps(Plan("p", (Segment(direction, 60, kmh),))))  # type: ignore[arg-type]
    else:
        shown_low, shown_high = speed_limits(direction, unit)  # type: ignore[arg-type]
        assert not shown_low <= tenths / 10 <= shown_high


def test_warnings_tell_speeds_in_the_walkers_unit() -> None:
    plan = Plan("Fast back", (Segment("backward", 240, 5.8),))
    found = {w.path: w.message for w in check(plan, "mph").warnings}
    assert found["steps[0].speed_kmh"] == (
        "3.6 mph backward is close to a run (people switch to running backward near "
        "3.7 mph); 3.4 mph or less is safer"
    )
    assert found["steps[0]"].endswith("(up to 2.7 mph forward or 1.8 mph backward)")
    assert all("km/h" not in message for message in found.values())
    in_kmh = {w.path: w.message for w in check(plan).warnings}
    assert in_kmh["steps[0].speed_kmh"].startswith("5.8 km/h backward")
    assert in_kmh["steps[0]"].endswith("(up to 4.5 km/h forward or 3.0 km/h backward)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("6", (6, None)), ("0", (None, "expected a whole number from 1 to 100")), ("x", None)],
)
def test_repeat_count(text: str, expected: tuple[int | None, str | None] | None) -> None:
    value, error = editing.check_repeat(text)
    if expected is None:
        assert value is None and error
    else:
        assert (value, error) == expected


# --- properties -----------------------------------------------------------------------

OPERATIONS = {
    "segment": add_segment,
    "block": add_block,
    "delete": delete,
    "up": lambda d: move(d, -1),
    "down": lambda d: move(d, 1),
    "toggle": toggle_direction,
    "longer": lambda d: nudge(d, editing.NUDGE_S),
    "shorter": lambda d: nudge(d, -editing.NUDGE_S),
}

actions = st.lists(
    st.one_of(
        st.tuples(st.just("op"), st.sampled_from(sorted(OPERATIONS))),
        st.tuples(st.just("cursor"), st.integers(0, 30)),
    ),
    max_size=40,
)


def run(history: EditHistory, script: list[tuple[str, object]]) -> tuple[EditHistory, int]:
    edits = 0
    for kind, arg in script:
        if kind == "cursor":
            rows = history.present.rows()
            if rows:
                history = history.move_cursor(rows[int(arg) % len(rows)].path)  # type: ignore[call-overload]
            continue
        before = history
        try:
            history = history.apply(OPERATIONS[str(arg)])
        except EditError:
            continue
        edits += history.past != before.past
    return history, edits


@settings(max_examples=150, deadline=None)
@given(actions)
def test_any_edits_keep_a_plan_that_saves_or_reports_why(script: list[tuple[str, object]]) -> None:
    history, _ = run(EditHistory.start(PLAN), script)
    doc = history.present
    if doc.cursor is not None:
        doc.step()  # the cursor always names a step that exists
    found = check(doc.plan)
    if found.errors:
        with pytest.raises(PlanError):
            loads(dumps(doc.plan))
    else:
        assert loads(dumps(doc.plan)) == doc.plan


@settings(max_examples=150, deadline=None)
@given(actions)
def test_undoing_every_edit_gives_back_the_original(script: list[tuple[str, object]]) -> None:
    history, edits = run(EditHistory.start(PLAN), script)
    assert len(history.past) == edits
    for _ in range(edits):
        history = history.undo()
    assert history.plan == PLAN
    assert not history.dirty


def test_the_model_loads_no_textual() -> None:
    code = "import sys, walkcoach.editing; print(any(m.startswith('textual') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
