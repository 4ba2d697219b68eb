"""The engine's calories for the walker: their resting rate, the handrail hold they change
during a walk, and the totals the recap and the history build from them (hand-computed)."""

from __future__ import annotations

import pytest

from walkcoach import calories
from walkcoach.calories import Body
from walkcoach.engine import Engine
from walkcoach.plan import Plan, Segment
from walkcoach.walks import WalkTotals

T0 = 1000.0
# 5.6 km/h level forward: the Compendium's 4.3 MET, exactly.
LEVEL = Plan("level", (Segment("forward", 60, 5.6),))
WOMAN = Body(weight_kg=90.0, age=60, sex="female", height_cm=160.0)


def walk(engine: Engine, until: float, since: float = 0.0, step: float = 0.5) -> None:
    """Starts the engine at T0 (if not yet) and ticks it every `step` seconds from
    `since` to `until` seconds after T0."""
    if engine.started_at is None:
        engine.start(T0)
    t = T0 + since
    while t < T0 + until - 1e-9:
        t = min(T0 + until, t + step)
        engine.tick(t)


def test_a_walk_half_free_half_gripping_is_tallied_per_hold() -> None:
    engine = Engine(LEVEL, 70.0, lead_in_s=0)
    walk(engine, 30)
    assert engine.hold == "free"
    engine.set_hold(T0 + 30, "gripping")
    assert engine.hold == "gripping" and engine.snapshot().hold == "gripping"
    walk(engine, 60, since=30)
    result = engine.result()
    # free:     4.3 x 70 kg x 30 s / 3600        = 2.508333 kcal
    # gripping: 4.3 x 0.82 x 70 kg x 30 s / 3600 = 2.056833 kcal
    assert engine.snapshot().kcal == pytest.approx(4.565167, abs=1e-6)
    assert result.seconds_by_hold == pytest.approx({"free": 30, "resting": 0, "gripping": 30})
    free = {"free": 2.508333, "resting": 0.0, "gripping": 2.508333}
    assert result.free_kcal_by_hold == pytest.approx(free, abs=1e-6)
    totals = WalkTotals.of(result)
    assert totals.kcal == pytest.approx(4.565167, abs=1e-6)
    # low  (2.508333 + 2.508333 x 0.79) x 0.8 = 3.591933
    # high (2.508333 + 2.508333 x 0.85) x 1.2 = 5.568500
    assert (totals.kcal_low, totals.kcal_high) == pytest.approx((3.591933, 5.5685), abs=1e-6)
    # net: 4.565167 less 1 MET x 70 kg x 60 s = 1.166667 -> 3.398500
    assert totals.kcal_net == pytest.approx(3.3985, abs=1e-6)
    assert (totals.hold_free_s, totals.hold_gripping_s) == pytest.approx((30, 30))
    assert totals.holds_used == ("free", "gripping")
    assert totals.personal is False


def test_the_walkers_own_resting_rate_goes_into_gross_and_net() -> None:
    rest = calories.resting_rate(WOMAN)  # 0.675133 standard METs
    engine = Engine(LEVEL, 90.0, lead_in_s=0, rest=rest)
    walk(engine, 60)
    totals = WalkTotals.of(engine.result())
    # gross (4.3 - 1 + 0.675133) x 90 kg x 60 s / 3600 = 3.975133 x 1.5 = 5.962700
    # net   (4.3 - 1) x 90 x 60 / 3600 = 4.95: above rest, the Compendium's cost
    assert totals.kcal == pytest.approx(5.9627, abs=1e-4)
    assert totals.kcal_net == pytest.approx(4.95)
    # range: (6.45 - 0.487300) x 0.8 = 4.770160 and x 1.2 = 7.155240
    assert (totals.kcal_low, totals.kcal_high) == pytest.approx((4.77016, 7.15524), abs=1e-4)
    assert totals.personal is True and totals.holds_used == ("free",)


def test_the_standard_walker_with_free_arms_burns_exactly_the_compendiums_kcal() -> None:
    engine = Engine(LEVEL, 70.0, lead_in_s=0)
    walk(engine, 60)
    (record,) = engine.result().records
    # Each step exactly MET x kg x hours (see test_calories), so the sum to rounding only.
    assert record.kcal == pytest.approx(4.3 * 70 * 60 / 3600, rel=1e-12)
    assert WalkTotals.of(engine.result()).kcal_net == pytest.approx(3.3 * 70 * 60 / 3600)


def test_a_hold_chosen_before_the_walk_and_while_paused_counts_from_then() -> None:
    engine = Engine(LEVEL, 70.0, lead_in_s=5, hold="resting")
    walk(engine, 5 + 20)  # the lead-in burns nothing
    engine.pause(T0 + 25)
    engine.set_hold(T0 + 30, "free")
    engine.resume(T0 + 40)
    walk(engine, 50, since=40)
    held = engine.result().seconds_by_hold
    assert held == pytest.approx({"free": 10, "resting": 20, "gripping": 0})
