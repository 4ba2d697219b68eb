"""Cue latency: from the moment a prompt is due to its first samples reaching ALSA.

    python bench/cue_latency.py [--session-seconds 90] [--count 100] [--interval 0.1]
                                [--no-simpleaudio] [--prompts FILE.json]

Everything plays into ALSA's `file` plugin (a temporary HOME whose `.asoundrc` sends the
default PCM to a capture file, with a `null` slave that takes samples as fast as they
come), in a child process; this process watches the capture grow on the shared
monotonic clock, so "first samples" is when a stream's first byte reached the file.

For each back-end (the default one, miniaudio, then simpleaudio for comparison):

1. a real session with the voice on (`--session-seconds` of walking after a 10 s lead-in,
   alternating 15 s forward and backward segments): the app runs headless on the real
   clock and each prompt it says (lead-in, turn calls, turns, countdown ticks, halfway,
   the end) is found in the capture. Measured from the engine's due time (for the end:
   the moment the walk's time ran out) to the prompt's first samples, and to the moment
   the player started its stream (`on_start`), split into the app's share (due -> its
   `say()` call) and the sound thread's (`say()` -> stream start), with a line per kind
   of prompt. A prompt due while another still plays waits for it by design: it is
   left out of those figures and measured from that one's end on a line of its own.
2. bare cue tones (`CuePlayer.play`, `--count` of them `--interval` apart): from the call
   to the stream's start and to its first samples, the back-end's own share.

Target (the README's "Measured figures"): p99 under 20 ms from due time to first samples
for the default back-end's session; the exit status is 1 when it is missed (or a run
failed).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.capture import MissingVoiceTools, voice_clips, watch_file  # noqa: E402
from tests.support.sound import asoundrc_capturing_to  # noqa: E402
from walkcoach.engine import Engine  # noqa: E402
from walkcoach.plan import loads  # noqa: E402
from walkcoach.resources import sounds_dir  # noqa: E402
from walkcoach.sound.stream import Library, assemble, load_library, seconds_of  # noqa: E402
from walkcoach.voice import Prompt  # noqa: E402

TARGET_P99_MS = 20.0
CUE = "tick"
LEAD_IN_S = 10
SEGMENT_S = 15
WATCH_EVERY_S = 0.001

CHILD_SESSION = """
import asyncio, json, sys, time
from pathlib import Path
from walkcoach.plan import loads
from walkcoach.sound import make_player
from walkcoach.sound.backends import SimpleaudioBackend
from walkcoach.store.paths import DataDirs
from walkcoach.tui.app import make_app
from walkcoach.tui.launch import GIL_SWITCH_INTERVAL_S
from walkcoach.tui.screens.session import SessionScreen

data, plan, backend, voice = sys.argv[1:5]
started = []

def on_start(prompt, at, kept):
    started.append({"prompt": prompt._asdict(), "at": at, "kept": kept})

said = []

class Timed:
    # The player, noting when the app asks for each prompt.

    def __init__(self, player):
        self._player = player

    def say(self, prompt):
        said.append({"kind": prompt.kind, "due": prompt.due, "at": time.monotonic()})
        self._player.say(prompt)

    def __getattr__(self, name):
        return getattr(self._player, name)

sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)  # as `walkcoach run` does
backends = [SimpleaudioBackend()] if backend == "simpleaudio" else None
player = make_player(backends=backends, voice=Path(voice), on_start=on_start)
assert player.wait_ready(10), "no back-end"
app = make_app(DataDirs.in_folder(data), time.monotonic, Timed(player),
               start_plan=loads(plan), sound=True, voice=True)
engines = []

async def watch(pilot):
    while not app.outcomes:
        if not engines and isinstance(app.screen, SessionScreen):
            engines.append(app.screen.engine)
        await asyncio.sleep(0.05)
    await asyncio.to_thread(player.drain, 15)
    app.exit()

app.run(headless=True, auto_pilot=watch)
print(json.dumps({"backend": player.backend_name, "started_at": engines[0].started_at,
                  "started": started, "said": said}), flush=True)
"""

CHILD_CUES = """
import json, sys, time
from walkcoach.sound import make_player
from walkcoach.sound.backends import MiniaudioBackend, SimpleaudioBackend

backend, cue, count, interval = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
starts = []
chosen = MiniaudioBackend() if backend == "miniaudio" else SimpleaudioBackend()
player = make_player(backends=[chosen], on_start=lambda prompt, at, kept: starts.append(at))
assert player.wait_ready(10), "no back-end"
time.sleep(0.3)
dues = []
for _ in range(count):
    dues.append(time.monotonic())
    player.play(cue)
    time.sleep(interval)
player.drain(10)
print(json.dumps({"backend": player.backend_name, "dues": dues, "starts": starts}), flush=True)
player.close()
"""


class Captured(NamedTuple):
    out: dict[str, Any]
    raw: bytes
    log: list[tuple[float, int]]  # (monotonic time, capture size) each time it grew


class Row(NamedTuple):
    backend: str
    what: str
    values_ms: list[float]
    gate: bool = False  # this row decides the exit status


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def run_captured(code: str, *args: str, timeout: float) -> Captured:
    """Runs `code` in a child whose ALSA default device is a capture file."""
    with tempfile.TemporaryDirectory(prefix="walkcoach-bench-") as home:
        capture = Path(home) / "capture.raw"
        asoundrc_capturing_to(Path(home), capture)
        env = {**os.environ, "HOME": home, "PYTHONPATH": str(REPO)}
        stop, log = threading.Event(), []
        watcher = threading.Thread(
            target=watch_file, args=(capture, stop, log, WATCH_EVERY_S), daemon=True
        )
        watcher.start()
        try:
            child = subprocess.run(
                [sys.executable, "-c", code, *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        finally:
            time.sleep(0.2)
            stop.set()
            watcher.join()
        if child.returncode != 0 or not child.stdout.strip():
            raise RuntimeError(child.stderr.strip() or f"exit status {child.returncode}")
        raw = capture.read_bytes() if capture.exists() else b""
        return Captured(json.loads(child.stdout.splitlines()[-1]), raw, log)


def find_stream(raw: bytes, stream: bytes, start: int) -> int:
    at = raw.find(stream, start)
    while at >= 0 and (at - start) % 2:
        at = raw.find(stream, at + 1)
    return at


def first_samples(captured: Captured, streams: list[bytes]) -> list[float]:
    """When each stream (in order) first reached the capture."""
    onsets, position = [], 0
    for index, stream in enumerate(streams):
        at = find_stream(captured.raw, stream, position)
        if at < 0:
            raise RuntimeError(f"stream {index} of {len(streams)} is missing from the capture")
        onsets.append(next(t for t, size in captured.log if size > at))
        position = at + len(stream)
    return onsets


# --- a real session ------------------------------------------------------------------


def session_plan(seconds: float) -> str:
    steps = []
    for index in range(max(2, round(seconds / SEGMENT_S))):
        direction, speed = ("forward", 4.5) if index % 2 == 0 else ("backward", 2.5)
        steps.append(
            f'[[steps]]\ndirection = "{direction}"\nduration = {SEGMENT_S}\nspeed_kmh = {speed}\n'
        )
    return 'format = 1\nname = "Latency bench"\n' + "".join(steps)


def measure_session(
    backend: str, seconds: float, voice: Path, log: list[dict[str, Any]] | None = None
) -> list[Row]:
    """A real session through `backend` ("default" or "simpleaudio"); each prompt's
    figures are appended to `log` when given."""
    plan = session_plan(seconds)
    with tempfile.TemporaryDirectory(prefix="walkcoach-bench-data-") as data:
        Path(data, "profile.toml").write_text(
            f"weight_kg = 70.0\nsafety_check = false\nlead_in_s = {LEAD_IN_S}\n"
        )
        captured = run_captured(
            CHILD_SESSION, data, plan, backend, str(voice), timeout=seconds + LEAD_IN_S + 90
        )
    library: Library = load_library(sounds_dir(), voice)
    started = [
        (
            Prompt(**{**s["prompt"], "parts": tuple(tuple(p) for p in s["prompt"]["parts"])}),
            float(s["at"]),
            int(s["kept"]),
        )
        for s in captured.out["started"]
    ]
    streams = [assemble(prompt, library, kept) for prompt, _, kept in started]
    onsets = first_samples(captured, streams)
    walk_end = captured.out["started_at"] + LEAD_IN_S + Engine(loads(plan), 70).total_s
    said = {(entry["kind"], entry["due"]): entry["at"] for entry in captured.out["said"]}
    to_samples, to_start, app_share, player_share, device_share, after_wait = ([] for _ in range(6))
    by_kind: dict[str, list[float]] = {}
    app_by_kind: dict[str, list[float]] = {}
    free_from = 0.0  # when the player takes the stream before to have played out
    for (prompt, at, _), stream, onset in zip(started, streams, onsets, strict=True):
        due = walk_end if prompt.kind == "finish" else prompt.due
        device_share.append((onset - at) * 1000)
        asked = said[(prompt.kind, prompt.due)]
        if log is not None:
            log.append(
                {
                    "backend": captured.out["backend"],
                    "kind": prompt.kind,
                    "due_s": round(due - captured.out["started_at"], 3),
                    "waited": free_from > due,
                    "due_to_say_ms": round((asked - due) * 1000, 2),
                    "say_to_start_ms": round((at - asked) * 1000, 2),
                    "start_to_samples_ms": round((onset - at) * 1000, 2),
                    "due_to_samples_ms": round((onset - due) * 1000, 2),
                }
            )
        if free_from > due:  # it waited for the one before, by design
            after_wait.append((onset - free_from) * 1000)
        else:
            app_share.append((asked - due) * 1000)
            player_share.append((at - asked) * 1000)
            to_start.append((at - due) * 1000)
            to_samples.append((onset - due) * 1000)
            by_kind.setdefault(prompt.kind, []).append(to_samples[-1])
            app_by_kind.setdefault(prompt.kind, []).append(app_share[-1])
        free_from = at + seconds_of(stream)
    name = str(captured.out["backend"])
    rows = [
        Row(name, "session prompt: due -> first samples", to_samples, backend == "default"),
        Row(name, "session prompt: due -> stream start (on_start)", to_start),
        Row(name, "  of which due -> say() (the app's wake-up)", app_share),
        Row(name, "  of which say() -> stream start (the sound thread)", player_share),
        Row(name, "  stream start -> first samples (the back-end)", device_share),
        *(
            Row(name, f"  {kind}: due -> first samples (due -> say(): {app})", values)
            for kind, values in sorted(by_kind.items())
            for app in [f"p50 {statistics.median(app_by_kind[kind]):.1f} ms"]
        ),
    ]
    if after_wait:
        what = "  due while another played: its end -> first samples"
        rows.append(Row(name, what, after_wait))
    return rows


# --- bare cue tones --------------------------------------------------------------------


def measure_cues(backend: str, count: int, interval: float) -> list[Row]:
    captured = run_captured(
        CHILD_CUES, backend, CUE, str(count), str(interval), timeout=count * (interval + 1) + 60
    )
    tone = load_library(sounds_dir(), None).earcons[CUE]
    dues, starts = captured.out["dues"], captured.out["starts"]
    if len(starts) != count:
        raise RuntimeError(f"{len(starts)} of {count} cues played")
    onsets = first_samples(captured, [tone] * count)
    name = str(captured.out["backend"])
    to_samples = [(onset - due) * 1000 for due, onset in zip(dues, onsets, strict=True)]
    to_start = [(start - due) * 1000 for due, start in zip(dues, starts, strict=True)]
    return [
        Row(name, "bare cue: play() -> first samples", to_samples),
        Row(name, "bare cue: play() -> stream start (on_start)", to_start),
    ]


# --- the report ----------------------------------------------------------------------


def print_table(rows: list[Row]) -> bool:
    """Prints the figures; True when every gating row met the target."""
    what_width = max(len(row.what) for row in rows)
    name_width = max(len(row.backend) for row in rows)
    print(f"Cue latency (target: p99 under {TARGET_P99_MS:g} ms, due time -> first samples)\n")
    print(
        f"{'back-end':<{name_width}}  {'measured':<{what_width}}  {'n':>4}  "
        f"{'p50 ms':>7}  {'p99 ms':>7}  {'max ms':>7}"
    )
    print("-" * (name_width + what_width + 40))
    all_met = True
    for row in rows:
        values = row.values_ms
        p99 = percentile(values, 99)
        verdict = ""
        if row.gate:
            met = p99 < TARGET_P99_MS
            all_met = all_met and met
            verdict = "  MET" if met else "  NOT MET"
        print(
            f"{row.backend:<{name_width}}  {row.what:<{what_width}}  {len(values):>4}  "
            f"{statistics.median(values):>7.2f}  {p99:>7.2f}  {max(values):>7.2f}{verdict}"
        )
    return all_met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--session-seconds", type=float, default=90.0, help="walking time per session (90)"
    )
    parser.add_argument("--count", type=int, default=100, help="bare cues per back-end (100)")
    parser.add_argument(
        "--interval", type=float, default=0.1, help="seconds between bare cues (0.1)"
    )
    parser.add_argument(
        "--no-simpleaudio", action="store_true", help="measure the default back-end only"
    )
    parser.add_argument(
        "--prompts", type=Path, help="also write each session prompt's figures to this JSON"
    )
    args = parser.parse_args()
    try:
        voice = voice_clips(prefix="walkcoach-bench-voice-")
    except MissingVoiceTools as exc:
        sys.exit(f"cue_latency: {exc}")
    runs: list[tuple[str, str]] = [("default", "miniaudio")]
    if args.no_simpleaudio:
        pass
    elif importlib.util.find_spec("simpleaudio") is not None:
        runs.append(("simpleaudio", "simpleaudio"))
    else:
        print("simpleaudio is not installed: only the default back-end is measured")
    rows: list[Row] = []
    prompt_log: list[dict[str, Any]] = []
    failed = False
    for session_backend, cue_backend in runs:
        for label in ("session", "cues"):
            try:
                if label == "session":
                    rows += measure_session(
                        session_backend, args.session_seconds, voice, prompt_log
                    )
                else:
                    rows += measure_cues(cue_backend, args.count, args.interval)
            except Exception as exc:  # one failed run still leaves the others' figures
                print(f"{cue_backend} {label} run failed: {exc}", file=sys.stderr)
                failed = failed or session_backend == "default"
    if not rows:
        return 1
    met = print_table(rows)
    if args.prompts is not None:
        args.prompts.write_text(json.dumps(prompt_log, indent=1))
    return 0 if met and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
