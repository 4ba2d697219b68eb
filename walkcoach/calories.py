"""Personal calories: the walk set against the walker's own resting rate, how they hold the
handrails, gross and net kcal, and a plausible range for a walk's estimate.

`walkcoach.energy` gives a segment's MET; this module adjusts it and does the accounting.
The figures and their sources live in seeds/calories.toml.

A Compendium MET is the oxygen uptake measured during the activity over the standard
3.5 ml/kg/min at rest. Of that, the cost above rest (MET - 1) varies little between people
per kg; what varies is the resting rate itself. So for a walker whose resting rate is r
standard METs (their own, from age, sex, height and weight, or exactly 1 when any is unset):

    gross = (MET x hold factor - 1 + r) x kg x hours
    net   = gross - r x kg x hours

The handrail factor scales the MET as measured (Berling et al. measured gross oxygen
uptake). For the standard walker this is exactly the Compendium's MET x kg x hours (times
the hold). The corrected MET (MET x 3.5 / the walker's resting VO2) is how hard the walk is
for them, as a multiple of their own rest: an intensity, not a cost.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from typing import Any, Final, Literal, NamedTuple, get_args

from walkcoach import energy
from walkcoach.resources import seeds_dir

Sex = Literal["female", "male"]
SEXES: Final[tuple[Sex, ...]] = get_args(Sex)
Hold = Literal["free", "resting", "gripping"]
"""How the walker holds the treadmill: free arm swing, hands resting on the rails, gripping."""
HOLDS: Final[tuple[Hold, ...]] = get_args(Hold)
HOLD_LABELS: Final[dict[Hold, str]] = {
    "free": "hands free",
    "resting": "hands resting",
    "gripping": "gripping the rails",
}
"""Each hold as the screens name it (and the voice says it)."""
MINUTES_PER_DAY: Final = 1440.0


@cache
def _seeds() -> dict[str, Any]:
    """seeds/calories.toml, read once."""
    with (seeds_dir() / "calories.toml").open("rb") as f:
        return tomllib.load(f)


def standard_vo2() -> float:
    """The resting oxygen uptake a standard MET assumes: 3.5 ml/kg/min."""
    return float(_seeds()["resting"]["standard_vo2_ml_kg_min"])


class Body(NamedTuple):
    """What the walker's resting rate is estimated from; any of it may be unset."""

    weight_kg: float | None = None
    age: int | None = None
    sex: Sex | None = None
    height_cm: float | None = None


class Rest(NamedTuple):
    """The walker's resting oxygen uptake (ml/kg/min), and whether it is their own estimate
    (`personal`) or the standard 3.5 because something it needs is unset."""

    vo2: float
    personal: bool

    @property
    def met(self) -> float:
        """The resting rate in standard METs (exactly 1 for the standard)."""
        return self.vo2 / standard_vo2()


def resting_kcal_per_day(sex: Sex, weight_kg: float, height_cm: float, age: int) -> float:
    """Resting energy in kcal a day by the original Harris-Benedict equations."""
    c = _seeds()["resting"][sex]
    return float(
        c["constant"] + c["per_kg"] * weight_kg + c["per_cm"] * height_cm + c["per_year"] * age
    )


def resting_rate(body: Body) -> Rest:
    """The walker's resting rate: theirs when weight, age, sex and height are all set (kcal a
    day turned into ml O2/kg/min at about 5 kcal per litre), else the 3.5 standard."""
    weight, age, sex, height = body
    if weight is None or age is None or sex is None or height is None:
        return Rest(standard_vo2(), personal=False)
    per_minute_kcal = resting_kcal_per_day(sex, weight, height, age) / MINUTES_PER_DAY
    litres_per_minute = per_minute_kcal / float(_seeds()["resting"]["kcal_per_litre_o2"])
    return Rest(litres_per_minute * 1000.0 / weight, personal=True)


def corrected_met(met: float, rest: Rest) -> float:
    """The Compendium's corrected MET: the walk as a multiple of this walker's own rest,
    MET x 3.5 / resting VO2 (the MET itself for the standard rest)."""
    return met * (standard_vo2() / rest.vo2)


class HoldFactor(NamedTuple):
    """What a handrail hold multiplies the cost by, against free arm swing: the middle of
    the published range (`point`) and its ends (`low` for the largest measured cut)."""

    point: float
    low: float
    high: float


def hold_factor(hold: Hold) -> HoldFactor:
    """The handrail factor for `hold` (Berling et al. 2006: gripping cut oxygen uptake by
    15-21 %, resting the hands by 4-8 %)."""
    cut = _seeds()["handrails"][hold]
    low, high = 1.0 - float(cut["cut_high_pct"]) / 100.0, 1.0 - float(cut["cut_low_pct"]) / 100.0
    return HoldFactor(point=(low + high) / 2.0, low=low, high=high)


def rest_shift_kcal(rest: Rest, weight_kg: float, seconds: float) -> float:
    """What the walker's own resting rate adds to the standard walker's gross kcal over
    `seconds` (negative when it is lower): (r - 1) x kg x hours, exactly 0 for the standard."""
    return energy.kcal(rest.met - 1.0, weight_kg, seconds)


def gross_kcal(
    met: float, weight_kg: float, seconds: float, hold: Hold = "free", rest: Rest | None = None
) -> float:
    """Gross kcal: (MET x the hold's middle factor - 1 + r) x kg x hours, r the walker's
    resting rate in standard METs (`rest`, the standard when None); never below 0."""
    held = energy.kcal(met * hold_factor(hold).point, weight_kg, seconds)
    shift = 0.0 if rest is None else rest_shift_kcal(rest, weight_kg, seconds)
    return max(0.0, held + shift)


def resting_kcal(rest: Rest, weight_kg: float, seconds: float) -> float:
    """What the walker would burn resting for `seconds`: r x kg x hours (1 MET for the
    standard rest)."""
    return energy.kcal(rest.met, weight_kg, seconds)


def net_kcal(gross: float, resting: float) -> float:
    """Net kcal, what the walk burned above resting: gross kcal less the walker's resting
    kcal over the same time (`resting_kcal`). Never below 0."""
    return max(0.0, gross - resting)


def model_uncertainty() -> float:
    """The model's own error either way, as a fraction (seeds/calories.toml explains it)."""
    return float(_seeds()["uncertainty"]["model_pct"]) / 100.0


class KcalRange(NamedTuple):
    """A walk's gross kcal: the estimate and the plausible range around it."""

    low: float
    point: float
    high: float


def kcal_range(free_kcal_by_hold: Mapping[Hold, float], rest_shift: float = 0.0) -> KcalRange:
    """The estimate and plausible range of a walk's gross kcal.

    `free_kcal_by_hold` holds the Compendium's MET x kg x hours of the walk as with free
    arm swing, split by the hold used for each part (the walker may change it during a
    walk); `rest_shift` is `rest_shift_kcal` over the whole walk. The estimate applies
    each hold's middle factor, then the shift. The range takes each hold's published ends
    instead, then widens them by the model's own uncertainty either way
    (`model_uncertainty`). None of the three is below 0.
    """
    spread = model_uncertainty()
    point = low = high = rest_shift
    for hold, kcal in free_kcal_by_hold.items():
        factor = hold_factor(hold)
        point += kcal * factor.point
        low += kcal * factor.low
        high += kcal * factor.high
    return KcalRange(
        low=max(0.0, low * (1.0 - spread)),
        point=max(0.0, point),
        high=max(0.0, high * (1.0 + spread)),
    )


# --- checking the model against published measurements --------------------------------


class Comparison(NamedTuple):
    """A published figure (or range) beside the model's value for the same walk."""

    check: str
    unit: Literal["MET", "%"]
    published_low: float
    published_high: float
    model: float
    source: str

    @property
    def difference(self) -> float:
        """How far the model lies outside the published figure, in its unit (0 inside)."""
        if self.model > self.published_high:
            return self.model - self.published_high
        if self.model < self.published_low:
            return self.model - self.published_low
        return 0.0

    @property
    def cost_difference(self) -> float:
        """The difference as a share of the energy cost: against the MET for a MET figure,
        against the backward cost (100 % + the figure) for a backward-over-forward one."""
        bound = self.published_high if self.difference > 0 else self.published_low
        return self.difference / (bound if self.unit == "MET" else 100.0 + bound)


def comparisons() -> tuple[Comparison, ...]:
    """The model against the Compendium's anchors, the ACSM walking equation and Hooper et
    al.'s backward-to-forward ratios, for the README's table (standard walker, free arms)."""
    met_table = energy.table()
    v, g = met_table.reference_speed_kmh, met_table.reference_grade_pct
    compendium = "2011 Compendium"
    forward_level = met_table.mets[met_table.speeds.index(v)]
    backward_level = met_table.backward_factor_num
    rows = [
        Comparison(
            f"Forward, {v:g} km/h, level",
            "MET",
            forward_level,
            forward_level,
            energy.met("forward", v, 0),
            compendium,
        ),
        Comparison(
            f"Backward, {v:g} km/h, level",
            "MET",
            backward_level,
            backward_level,
            energy.met("backward", v, 0),
            compendium,
        ),
        Comparison(
            f"Backward, {v:g} km/h, {_grade(g)}",
            "MET",
            backward_level + met_table.grade_rise,
            backward_level + met_table.grade_rise,
            energy.met("backward", v, g),
            compendium,
        ),
    ]
    acsm = _seeds()["check"]["acsm_walking"]
    metres_per_minute = float(acsm["speed_kmh"]) * 1000.0 / 60.0
    for grade in acsm["grades_pct"]:
        vo2 = (
            acsm["resting"]
            + acsm["horizontal"] * metres_per_minute
            + acsm["vertical"] * metres_per_minute * grade / 100.0
        )
        published = float(vo2) / standard_vo2()
        rows.append(
            Comparison(
                f"Forward, {acsm['speed_kmh']:g} km/h, {_grade(grade)}",
                "MET",
                published,
                published,
                energy.met("forward", float(acsm["speed_kmh"]), float(grade)),
                "ACSM walking equation",
            )
        )
    hooper = _seeds()["check"]["hooper_backward"]
    speed = float(hooper["speed_kmh"])
    for grade in hooper["grades_pct"]:
        ratio = energy.met("backward", speed, grade) / energy.met("forward", speed, grade)
        rows.append(
            Comparison(
                f"Backward over forward, {speed:g} km/h, {_grade(grade)}",
                "%",
                float(hooper["more_low_pct"]),
                float(hooper["more_high_pct"]),
                (ratio - 1.0) * 100.0,
                "Hooper et al. 2004",
            )
        )
    return tuple(rows)


def _grade(grade_pct: float) -> str:
    return "level" if grade_pct == 0 else f"{grade_pct:g} % grade"


def comparison_markdown() -> str:
    """`comparisons` as the Markdown table the README shows."""
    lines = [
        "| Check | Published | Model | Difference | Source |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in comparisons():
        lines.append(
            f"| {row.check} | {_figure(row.published_low, row.published_high, row.unit)} "
            f"| {_figure(row.model, row.model, row.unit)} | {_difference(row)} | {row.source} |"
        )
    return "\n".join(lines) + "\n"


def _figure(low: float, high: float, unit: str) -> str:
    if unit == "%":
        number = f"{low:.0f}-{high:.0f}" if low != high else f"{low:.1f}"
        return f"+{number} %"
    return f"{low:.2f} MET" if low == high else f"{low:.2f}-{high:.2f} MET"


def _difference(row: Comparison) -> str:
    if row.difference == 0:
        return "none" if row.published_low == row.published_high else "within"
    if row.unit == "%":
        return f"{row.difference:+.1f} points"
    return f"{row.difference:+.2f} MET ({row.cost_difference * 100:+.0f} %)"
