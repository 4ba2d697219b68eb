"""Walks exported as FIT and TCX, read back by readers walkcoach did not write: Garmin's
FIT SDK and fitdecode for FIT, tcxreader and the TCX schema for TCX."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import xmlschema
from garmin_fit_sdk import Decoder, Stream
from tcxreader.tcxreader import TCXReader

from tests.support.fit import fitdecode_laps
from walkcoach.formats import fit_activity, tcx
from walkcoach.formats.fit_common import FIT_EPOCH
from walkcoach.formats.walk import Walk, from_rows
from walkcoach.store.history import SegmentRow, SessionRow

SCHEMA = Path(__file__).parent / "data" / "tcx_activity_subset.xsd"
START = datetime(2026, 11, 30, 6, 59, 58, 400000, tzinfo=UTC)
BERLIN_WINTER = timezone(timedelta(hours=1))


def session(**changes: object) -> SessionRow:
    row = SessionRow(
        id=7, plan_name='Retro <intervals> & "more"', started_at=START, ended_at=None,
        updated_at=None, status="finished", weight_kg=70.0, active_s=0.0, pause_s=15.0,
        pauses=1, forward_s=0.0, backward_s=0.0, forward_km=0.0, backward_km=0.0, kcal=0.0,
        kcal_forward=0.0, kcal_backward=0.0, kcal_if_forward=0.0, segments_done=3,
        segments_skipped=1, kcal_net=0.0, kcal_low=0.0, kcal_high=0.0, hold_free_s=0.0,
        hold_resting_s=0.0, hold_gripping_s=0.0, personal=False,
    )  # fmt: skip
    return row.__class__(**{**row.__dict__, **changes})


def segment(idx: int, direction: str, actual_s: float, km: float, **changes: object) -> SegmentRow:
    values: dict[str, object] = {
        "session_id": 7, "idx": idx, "direction": direction, "label": "", "planned_s": 300,
        "actual_s": actual_s, "planned_speed_kmh": 4.5, "actual_speed_kmh": 4.5,
        "incline_pct": 0.0, "kcal": actual_s / 12.3, "kcal_if_forward": 0.0,
        "distance_km": km, "skipped": False, "completed": True,
    }  # fmt: skip
    values.update(changes)
    return SegmentRow(**values)  # type: ignore[arg-type]


def walk() -> Walk:
    """A walk ended early: the last planned segment was never walked."""
    return from_rows(
        session(),
        [
            segment(1, "backward", 60.5, 0.0504, label="Recovery <slow>", incline_pct=2.5),
            segment(0, "forward", 300.0, 0.375, label="Warm-up"),
            segment(2, "forward", 97.3, 0.1216, completed=False, skipped=True, incline_pct=1),
            segment(3, "backward", 0.0, 0.0, completed=False, skipped=True),
        ],
    )


def test_the_adapter_keeps_walked_segments_in_order() -> None:
    laps = walk().laps
    assert [(lap.direction, lap.seconds) for lap in laps] == [
        ("forward", 300.0),
        ("backward", 60.5),
        ("forward", 97.3),
    ]
    assert laps[1].name == "Backward: Recovery <slow>"
    assert walk().elapsed_s == pytest.approx(300 + 60.5 + 97.3 + 15)


def garmin_messages(data: bytes) -> dict[str, list[dict[str, object]]]:
    checker = Decoder(Stream.from_byte_array(bytearray(data)))
    assert checker.is_fit()
    assert checker.check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return messages


def test_fit_activity_read_by_garmins_sdk() -> None:
    the_walk = walk()
    messages = garmin_messages(fit_activity.encode_walk(the_walk, BERLIN_WINTER))
    (file_id,) = messages["file_id_mesgs"]
    assert file_id["type"] == "activity"
    (session_message,) = messages["session_mesgs"]
    assert session_message["sport"] == "walking"
    assert session_message["sub_sport"] == "indoor_walking"
    assert session_message["start_time"] == START.replace(microsecond=0)  # whole seconds
    assert session_message["total_timer_time"] == pytest.approx(the_walk.active_s, abs=0.001)
    assert session_message["total_elapsed_time"] == pytest.approx(the_walk.elapsed_s, abs=0.001)
    assert session_message["total_distance"] == pytest.approx(the_walk.distance_km * 1000, abs=0.01)
    assert session_message["total_calories"] == round(the_walk.kcal)
    assert session_message["num_laps"] == 3
    laps = messages["lap_mesgs"]
    assert len(laps) == len(the_walk.laps)
    for message, lap, start in zip(laps, the_walk.laps, the_walk.lap_starts(), strict=True):
        assert abs(message["start_time"] - start) <= timedelta(seconds=0.5)
        assert message["total_elapsed_time"] == pytest.approx(lap.seconds, abs=0.001)
        assert message["total_distance"] == pytest.approx(lap.distance_km * 1000, abs=0.01)
        assert message["enhanced_avg_speed"] == pytest.approx(lap.speed_kmh / 3.6, abs=0.001)
        assert message["avg_grade"] == pytest.approx(lap.incline_pct, abs=0.01)
        assert message["total_calories"] == round(lap.kcal)
        assert message["developer_fields"] == {0: lap.direction, 1: lap.name}
    (activity,) = messages["activity_mesgs"]
    end = START + timedelta(seconds=the_walk.elapsed_s)
    local = FIT_EPOCH + timedelta(seconds=activity["local_timestamp"])  # type: ignore[arg-type]
    assert abs(local - (end + timedelta(hours=1))) <= timedelta(seconds=0.5)
    assert len(messages["record_mesgs"]) == 2 * len(the_walk.laps)
    assert "position_lat" not in messages["record_mesgs"][0]


def test_fit_activity_read_by_fitdecode_without_warnings(tmp_path: Path) -> None:
    the_walk = walk()
    path = tmp_path / "walk.fit"
    path.write_bytes(fit_activity.encode_walk(the_walk, UTC))
    laps = fitdecode_laps(path)
    assert [lap["direction"] for lap in laps] == ["forward", "backward", "forward"]
    assert [lap["segment"] for lap in laps] == [lap.name for lap in the_walk.laps]
    assert [lap["total_timer_time"] for lap in laps] == [300.0, 60.5, 97.3]
    assert [lap["total_distance"] for lap in laps] == [375.0, 50.4, 121.6]


def test_every_history_name_fits_in_a_fit_string() -> None:
    long_label = "Ü" * 60  # two bytes each in UTF-8
    the_walk = from_rows(session(), [segment(0, "forward", 60.0, 0.07, label=long_label)])
    messages = garmin_messages(fit_activity.encode_walk(the_walk, UTC))
    names = messages["lap_mesgs"][0]["developer_fields"]
    assert names == {0: "forward", 1: f"Forward: {long_label}"}


def tcx_of(walks: list[Walk], tmp_path: Path) -> Path:
    path = tmp_path / "walks.tcx"
    path.write_text(tcx.encode_walks(walks), encoding="utf-8")
    return path


def test_tcx_is_valid_by_the_schema_and_read_by_tcxreader(tmp_path: Path) -> None:
    first = walk()
    second = first._replace(started_at=START + timedelta(days=1))
    path = tcx_of([first, second], tmp_path)
    xmlschema.XMLSchema(SCHEMA).validate(path)
    exercise = TCXReader().read(str(path), only_gps=False)
    assert exercise.activity_type == "Other"
    laps = exercise.laps
    assert len(laps) == 6
    starts = [*first.lap_starts(), *second.lap_starts()]
    for read, lap, start in zip(laps, [*first.laps, *second.laps], starts, strict=True):
        began, ended = read.trackpoints[0].time, read.trackpoints[-1].time
        assert began.replace(tzinfo=UTC) == start.replace(
            microsecond=start.microsecond // 1000 * 1000
        )
        assert (ended - began).total_seconds() == pytest.approx(lap.seconds, abs=0.002)
        assert read.distance == pytest.approx(lap.distance_km * 1000, abs=0.001)
        assert read.calories == round(lap.kcal)
        assert read.lx_ext["AvgSpeed"] == pytest.approx(lap.speed_kmh / 3.6, abs=0.001)
    assert exercise.calories == 2 * sum(round(lap.kcal) for lap in first.laps)


def test_tcx_escapes_markup_and_drops_control_characters(tmp_path: Path) -> None:
    the_walk = from_rows(
        session(plan_name="a\x1b[31m</Notes><x>"),
        [segment(0, "forward", 60.0, 0.07, label="<b>&amp;")],
    )
    text = tcx.encode_walks([the_walk])
    assert "\x1b" not in text
    assert "&lt;/Notes&gt;&lt;x&gt;" in text
    xmlschema.XMLSchema(SCHEMA).validate(tcx_of([the_walk], tmp_path))


def test_a_walk_with_nothing_walked_gives_an_empty_valid_tcx(tmp_path: Path) -> None:
    empty = from_rows(session(), [segment(0, "forward", 0.0, 0.0, skipped=True)])
    assert empty.laps == ()
    path = tcx_of([empty], tmp_path)
    xmlschema.XMLSchema(SCHEMA).validate(path)
    assert "<Activity " not in path.read_text()
