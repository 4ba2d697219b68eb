"""Hostile workout files: every importer answers with a `PlanError` naming the place,
never a traceback, in bounded time and memory, like the malformed TOML plans in
tests/test_reliability_files.py. Mutations are seeded, so a failure repeats."""

from __future__ import annotations

import random
import struct
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

import pytest
from fit_tool import FitFile
from garmin_fit_sdk.crc_calculator import CrcCalculator

from walkcoach import plan as P
from walkcoach.formats import fit_workout, workout_text, zwo
from walkcoach.formats.fit_common import build, file_id
from walkcoach.formats.limits import MAX_FILE_BYTES, MAX_FIT_BYTES
from walkcoach.text import visible

SEED = 14
CASES_PER_FORMAT = 400
SECONDS_PER_FILE = 3.0  # the slowest, 1 001 FIT steps, takes about 1 s
PEAK_BYTES = 64 * 1024 * 1024

VALID_PLAN = P.Plan(
    "Retro",
    (
        P.Segment("forward", 300, 4.5, 0.0, "Warm-up"),
        P.Repeat(
            6,
            (P.Segment("backward", 60, 3.0, 2.5, "Back"), P.Segment("forward", 120, 5.0)),
            "Main",
        ),
    ),
    "Intervals",
)
VALID_FIT = fit_workout.encode_plan(VALID_PLAN)
VALID_TEXT = workout_text.dumps(VALID_PLAN)
VALID_ZWO = """<workout_file><name>Run</name><sportType>run</sportType><workout>
<Warmup Duration="300" PowerLow="0.5" PowerHigh="0.7"/>
<SteadyState Duration="600" Power="0.8"><textevent timeoffset="1" message="go"/></SteadyState>
<IntervalsT Repeat="4" OnDuration="60" OffDuration="120" OnPower="0.9" OffPower="0.6"/>
</workout></workout_file>"""
NAMES = ["\x1b[2J", "a\u202eb", "<script>alert(1)</script>", "\x00", "é" * 300, "]]>&amp;"]


def answer(read: Callable[[], object]) -> str:
    """What an importer says: "ok" for an import, else its error's text (checked to be
    a `PlanError` with one clear, bounded, terminal-safe message)."""
    started = time.perf_counter()
    try:
        read()
    except P.PlanError as exc:
        text = str(exc)
        assert text
        assert len(text) < 6000
        assert visible(text, "\n") == text, text
        outcome = text
    else:
        outcome = "ok"
    assert time.perf_counter() - started < SECONDS_PER_FILE
    return outcome


def restamped(data: bytes) -> bytes:
    """FIT bytes with the file CRC made right again, so the decoder reads past it."""
    body = data[:-2]
    return body + struct.pack("<H", CrcCalculator.calculate_crc(body, 0, len(body)))


def fit_mutations(rng: random.Random) -> bytes:
    data = bytearray(VALID_FIT)
    header = data[0]
    choice = rng.randrange(6)
    if choice == 0:
        return bytes(data[: rng.randrange(len(data))])
    if choice == 1:  # bytes changed inside the records, CRC fixed
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(header, len(data) - 2)] = rng.randrange(256)
        return restamped(bytes(data))
    if choice == 2:  # a slice of the records repeated, sizes left as they were
        i = rng.randrange(header, len(data) - 2)
        j = rng.randrange(i, len(data) - 2)
        return restamped(bytes(data[:j] + data[i:j] + data[j:]))
    if choice == 3:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
    if choice == 4:  # the header's data size claims too much or too little
        data[4:8] = struct.pack("<I", rng.choice([0, 1, 2**31, len(data) * 2]))
        return bytes(data)
    for _ in range(rng.randrange(1, 4)):  # bit flips, CRC left wrong
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def text_mutations(text: str, rng: random.Random) -> str:
    choice = rng.randrange(6)
    if choice == 0:
        return text[: rng.randrange(len(text))]
    if choice == 1:
        i = rng.randrange(len(text))
        junk = "".join(chr(rng.randrange(1, 0x2FF)) for _ in range(rng.randrange(1, 20)))
        return text[:i] + junk + text[i:]
    if choice == 2:
        lines = text.splitlines()
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
        return "\n".join(lines)
    if choice == 3:  # a number of the wrong kind or size
        return text.replace(
            rng.choice(["300", "4.5", "0.8", "5m", "6x", "60"]),
            rng.choice(["-1", "1e999", "nan", "abc", "9" * 40, "0", "", "0x10"]),
            1,
        )
    if choice == 4:  # a hostile name in place of a label
        return text.replace(rng.choice(["Warm-up", "Run", "Main", "Back"]), rng.choice(NAMES))
    return "".join(chr(rng.randrange(0, 0x3000)) for _ in range(rng.randrange(1, 300)))


def test_valid_files_import() -> None:
    assert answer(lambda: fit_workout.decode_plan(VALID_FIT)) == "ok"
    assert answer(lambda: workout_text.loads(VALID_TEXT, "Retro")) == "ok"
    assert answer(lambda: zwo.loads(VALID_ZWO, 6.0)) == "ok"


def test_mutated_fit_workouts_get_a_clear_answer() -> None:
    rng = random.Random(SEED)
    outcomes = [
        answer(partial(fit_workout.decode_plan, fit_mutations(rng), "w.fit"))
        for _ in range(CASES_PER_FORMAT)
    ]
    assert outcomes.count("ok") < CASES_PER_FORMAT // 2


@pytest.mark.parametrize("format_name", ["text", "zwo"])
def test_mutated_text_workouts_get_a_clear_answer(format_name: str) -> None:
    rng = random.Random(SEED)
    valid = VALID_TEXT if format_name == "text" else VALID_ZWO

    def read(text: str) -> object:
        if format_name == "text":
            return workout_text.loads(text, "Imported", "w.txt")
        return zwo.loads(text, 6.0, "Imported", "w.zwo")

    outcomes = [answer(partial(read, text_mutations(valid, rng))) for _ in range(CASES_PER_FORMAT)]
    assert outcomes.count("ok") < CASES_PER_FORMAT


MANY_FIT_STEPS = fit_workout.encode_plan(
    VALID_PLAN._replace(steps=tuple(P.Segment("forward", 5, 4.0) for _ in range(1001)))
)


def _deep_fit_repeats(depth: int) -> bytes:
    """A segment inside `depth` repeat blocks, each around the one before (the encoder
    writes no such plan, so the messages are made here)."""
    from fit_tool.profile.messages.workout_message import WorkoutMessage
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
    from fit_tool.profile.profile_type import FileType, WorkoutStepDuration

    plain = FitFile.from_bytes(
        fit_workout.encode_plan(VALID_PLAN._replace(steps=VALID_PLAN.steps[:1]))
    )
    segment = next(r.message for r in plain.records if isinstance(r.message, WorkoutStepMessage))
    workout = WorkoutMessage()
    workout.workout_name = "Deep"
    repeats = []
    for index in range(1, depth + 1):
        repeat = WorkoutStepMessage()
        repeat.message_index = index
        repeat.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
        repeat.duration_step = 0
        repeat.target_repeat_steps = 2
        repeats.append(repeat)
    return build([file_id(FileType.WORKOUT, datetime.now(UTC)), workout, segment, *repeats])


DEEP_FIT = _deep_fit_repeats(999)
CONTROL_NAME_FIT = fit_workout.encode_plan(VALID_PLAN._replace(name="a\x1b[31m"))


def _nested(depth: int) -> str:
    return f"<workout_file>{'<a>' * depth}{'</a>' * depth}</workout_file>"


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]><workout_file><name>&j;</name></workout_file>"
)
HOSTILE: dict[str, Callable[[], object]] = {
    "fit empty": lambda: fit_workout.decode_plan(b""),
    "fit header only": lambda: fit_workout.decode_plan(VALID_FIT[:14]),
    "fit huge": lambda: fit_workout.decode_plan(VALID_FIT * (MAX_FIT_BYTES // len(VALID_FIT) + 1)),
    "fit too many steps": lambda: fit_workout.decode_plan(MANY_FIT_STEPS),
    "fit deep repeats": lambda: fit_workout.decode_plan(DEEP_FIT),
    "fit names with controls": lambda: fit_workout.decode_plan(CONTROL_NAME_FIT),
    "text huge": lambda: workout_text.loads("- 5m 4km/h\n" * 60_000, "x"),
    "text many steps": lambda: workout_text.loads("- 5s 4km/h\n" * 1500, "x"),
    "text many headings": lambda: workout_text.loads("3x\n" * 40_000, "x"),
    "text long line": lambda: workout_text.loads("- " + "9" * 400_000, "x"),
    "text long duration": lambda: workout_text.loads("- 9999h 4km/h", "x"),
    "text control name": lambda: workout_text.loads('- "\x1b[2J" 5m 4km/h', "x"),
    "text unterminated quote": lambda: workout_text.loads('- "' + "a" * 100_000, "x"),
    "zwo billion laughs": lambda: zwo.loads(BILLION_LAUGHS, 6.0),
    "zwo external entity": lambda: zwo.loads(
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><workout_file>&e;</workout_file>',
        6.0,
    ),
    "zwo deep": lambda: zwo.loads(_nested(100_000), 6.0),
    "zwo huge": lambda: zwo.loads(VALID_ZWO + " " * MAX_FILE_BYTES, 6.0),
    "zwo many steps": lambda: zwo.loads(
        VALID_ZWO.replace(
            "<workout>", "<workout>" + '<SteadyState Duration="5" Power="0.8"/>' * 1200
        ),
        6.0,
    ),
    "zwo wrong types": lambda: zwo.loads(VALID_ZWO.replace('"600"', '"ten minutes"'), 6.0),
    "zwo markup name": lambda: zwo.loads(
        VALID_ZWO.replace("<name>Run</name>", "<name>&lt;b&gt;\u202e</name>"), 6.0
    ),
    "zwo control reference": lambda: zwo.loads(VALID_ZWO.replace("Run", "&#27;[2J"), 6.0),
    "zwo not xml": lambda: zwo.loads("\x00\xff" * 100, 6.0),
    "zwo other root": lambda: zwo.loads("<html><body/></html>", 6.0),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_are_refused_in_bounded_time_and_memory(case: str) -> None:
    outcome = answer(HOSTILE[case])
    tracemalloc.start()  # a second run, as tracing slows it down
    try:
        HOSTILE[case]()
    except P.PlanError:
        pass
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < PEAK_BYTES
    if case == "zwo markup name":
        assert outcome == "ok"  # markup in a name is just text
    else:
        assert outcome != "ok"
