"""Effective-target resolution and the gap & pace engine (DESIGN.md: Effective target, Gap and pace)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from indicators.catalog import Catalog, Indicator
from indicators.pace import expected_progress
from indicators.periods import ANNUAL
from indicators.regions import RegionIndex
from indicators.targets import COMPARATOR_SIGNS, Target

Baseline = Callable[[str, str, int], "float | None"]

GAP_COLUMNS = [
    "region_code",
    "region_name",
    "indicator_code",
    "indicator_name",
    "unit",
    "year",
    "period",
    "actual",
    "target",
    "comparator",
    "target_form",
    "target_origin",
    "target_region",
    "target_issuer",
    "target_source",
    "target_clause",
    "margin",
    "margin_pct",
    "expected",
    "pace",
    "status",
    "reason_zh",
    "reason_en",
]
_STRICT = {">": 1, "<": 1, ">=": 0, "<=": 0, "=": 0}


@dataclass(frozen=True)
class EffectiveTarget:
    value: float | None
    comparator: str | None
    origin: str | None
    winner: Target | None
    from_region: str | None
    pending: bool
    reason_zh: str
    reason_en: str


NO_TARGET = EffectiveTarget(None, None, None, None, None, True, "本年度无适用目标", "No target applies this year")
SUM_NOT_INHERITED = EffectiveTarget(
    None,
    None,
    None,
    None,
    None,
    True,
    "上级目标为辖区合计数，不分解到本地区",
    "The parent's target is a total, not a per-region target",
)


@dataclass(frozen=True)
class Gap:
    actual: float | None
    target: float | None
    comparator: str | None
    margin: float | None
    margin_pct: float | None
    expected: float | None
    pace: float | None
    status: str


def _missing(x: object) -> bool:
    """None, NaN and pd.NA are missing; a real 0 is not."""
    if x is None or x is pd.NA:
        return True
    return isinstance(x, float) and math.isnan(x)


def resolve_value(target: Target, region_code: str, baseline: Baseline) -> float | None:
    """The number a target asks for; a relative target needs the baseline year's actual (else None = pending)."""
    if target.form == "pending" or target.value is None:
        return None
    if target.form != "relative":
        return target.value
    base = baseline(target.indicator_code, region_code, target.baseline_year or target.year - 1)
    if _missing(base):
        return None
    base = float(base)
    # Rounded like the margin, so 0.80 × 0.988 is 0.7904 and not 0.7904000000000001.
    if target.relative_unit == "%":
        return round(base * (1 + target.value / 100), 10)
    return round(base + target.value, 10)


def _strictness(indicator: Indicator, region_code: str, value: float, t: Target) -> tuple:
    """Sort key, strictest largest: the value, then a strict comparator, then the region's own clause on a tie."""
    signed = value if indicator.higher_better else -value
    return (signed, _STRICT.get(t.comparator, 0), t.issuer_code == region_code)


def _describe(value: float, t: Target, indicator: Indicator) -> str:
    return f"{COMPARATOR_SIGNS.get(t.comparator, t.comparator)}{indicator.format_value(value)}"


def _pending(region_code: str, candidates: Sequence[Target]) -> EffectiveTarget:
    """Only clauses without a number: the first one stands for them all."""
    winner = candidates[0]
    if winner.form == "relative":
        base_year = winner.baseline_year or winner.year - 1
        zh = f"相对目标缺少{base_year}年基准值，目标待定"
        en = f"Relative target: the {base_year} baseline actual is missing, so the target is pending"
    else:
        zh = "工作要点未给出具体数值，目标待定"
        en = "Target pending: the plan gives no number"
    return EffectiveTarget(None, winner.comparator, "own", winner, region_code, True, zh, en)


def _resolve_candidates(
    indicator: Indicator,
    region_code: str,
    candidates: Sequence[Target],
    baseline: Baseline,
    baseline_region: str | None = None,
) -> EffectiveTarget | None:
    """The effective target among one region's clauses: stricter wins, numbers beat pending clauses.

    Relative clauses resolve against baseline_region's actual (default: region_code itself).
    """
    if not candidates:
        return None
    base_region = baseline_region or region_code
    numeric = [(v, t) for t in candidates if (v := resolve_value(t, base_region, baseline)) is not None]
    if not numeric:
        return _pending(region_code, candidates)
    value, winner = max(numeric, key=lambda c: _strictness(indicator, region_code, *c))
    wanted = _describe(value, winner, indicator)
    own_losers = [(v, t) for v, t in numeric if t is not winner and t.issuer_code == region_code]
    if winner.issuer_code != region_code and own_losers:
        best_own = _describe(*max(own_losers, key=lambda c: _strictness(indicator, region_code, *c)), indicator)
        zh = f"上级下达目标({wanted})严于本级目标({best_own})，以上级为准"
        en = f"The higher level's target ({wanted}) is stricter than the region's own ({best_own}) and prevails"
        return EffectiveTarget(value, winner.comparator, "stricter-parent", winner, region_code, False, zh, en)
    if len(numeric) > 1:
        zh, en = f"多个目标取最严者({wanted})", f"Strictest of {len(numeric)} targets ({wanted})"
    else:
        zh, en = f"本级目标({wanted})", f"Own target ({wanted})"
    return EffectiveTarget(value, winner.comparator, "own", winner, region_code, False, zh, en)


def _index(targets: Iterable[Target]) -> dict[tuple[str, str, int], list[Target]]:
    idx: dict[tuple[str, str, int], list[Target]] = defaultdict(list)
    for t in targets:
        idx[(t.indicator_code, t.region_code, t.year)].append(t)
    return idx


def _effective(indicator, region_code, year, idx, regions, baseline) -> EffectiveTarget:
    own = _resolve_candidates(indicator, region_code, idx.get((indicator.code, region_code, year), []), baseline)
    if own is not None:
        return own
    if indicator.aggregation == "sum":
        # A parent's count target is a total over its children (1571 villages province-wide): it is no
        # yardstick for one city, so it is not inherited.
        return SUM_NOT_INHERITED
    for ancestor in regions.ancestors(region_code):
        cands = idx.get((indicator.code, ancestor, year), [])
        if cands:
            # An inherited relative target ("−1.2% vs last year") resolves against this region's own baseline.
            got = _resolve_candidates(indicator, ancestor, cands, baseline, baseline_region=region_code)
            name = regions.name(ancestor)
            if got.pending:
                zh, en = f"本级无目标，沿用{name}目标(目标待定)", f"No own target; {name}'s target (pending) applies"
            else:
                wanted = _describe(got.value, got.winner, indicator)
                zh, en = f"本级无目标，沿用{name}目标({wanted})", f"No own target; {name}'s target ({wanted}) applies"
            return EffectiveTarget(got.value, got.comparator, "inherited", got.winner, ancestor, got.pending, zh, en)
    return NO_TARGET


def effective_target(
    indicator: Indicator,
    region_code: str,
    year: int,
    targets: Iterable[Target],
    regions: RegionIndex,
    baseline: Baseline,
) -> EffectiveTarget:
    """The target that applies to (indicator, region, year): stricter wins, else inherited, else pending.

    `pending` is True whenever there is no number to meet. With no target anywhere (NO_TARGET) the
    result has origin None and winner None, reason "本年度无适用目标 / No target applies this year":
    assess() then gives `pending_target` when there is an actual and `no_data` when there is none, so
    an actual without a target is shown, never dropped. DESIGN.md has no separate "no target" status.
    A parent's target for a `sum` indicator is a total over its children and is not inherited
    (SUM_NOT_INHERITED, same statuses as NO_TARGET).
    """
    return _effective(indicator, region_code, year, _index(targets), regions, baseline)


def _satisfied(margin: float, comparator: str | None) -> bool:
    if comparator in (">", "<"):
        return margin > 0
    if comparator == "=":
        return margin == 0
    return margin >= 0


def assess(indicator: Indicator, actual: float | None, eff: EffectiveTarget, period: int) -> Gap:
    """Margin, pace and status of one actual against its effective target at a period."""
    if _missing(actual):
        status = "pending_target" if eff.pending and eff.winner is not None else "no_data"
        return Gap(None, eff.value, eff.comparator, None, None, None, None, status)
    actual = float(actual)
    if eff.pending or eff.value is None:
        return Gap(actual, None, eff.comparator, None, None, None, None, "pending_target")
    target = float(eff.value)
    margin = round(actual - target if indicator.higher_better else target - actual, 10)
    margin_pct = None if target == 0 else round(margin / abs(target), 10)
    expected = pace = None
    ok = _satisfied(margin, eff.comparator)
    if indicator.kind == "count":
        expected = expected_progress(target, period)
        pace = None if expected == 0 else actual / expected
        if period < ANNUAL:
            ahead = actual >= expected if indicator.higher_better else actual <= expected
            return Gap(
                actual, target, eff.comparator, margin, margin_pct, expected, pace, "on_track" if ahead else "behind"
            )
    if period >= ANNUAL:
        status = "met" if ok else "not_met"
    else:
        status = "on_track" if ok else "behind"
    return Gap(actual, target, eff.comparator, margin, margin_pct, expected, pace, status)


def compute_gaps(
    catalog: Catalog,
    regions: RegionIndex,
    targets: Sequence[Target],
    observations: pd.DataFrame,
    year: int,
    period: int,
    region_codes: Iterable[str] | None = None,
    indicator_codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per requested (region, indicator): actual, effective target, margin, pace and status."""
    region_list = list(region_codes) if region_codes is not None else [r.code for r in regions if r.level != "nation"]
    indicator_list = list(indicator_codes) if indicator_codes is not None else [i.code for i in catalog]
    year_targets = [t for t in targets if t.year == year]
    values = _observation_index(observations, year, period, _baseline_years(year_targets))

    def baseline(ind: str, reg: str, y: int) -> float | None:
        v = values.get((ind, reg, y, ANNUAL))
        return None if _missing(v) else v

    idx = _index(year_targets)
    rows = []
    for code in indicator_list:
        ind = catalog[code]
        for reg in region_list:
            eff = _effective(ind, reg, year, idx, regions, baseline)
            gap = assess(ind, values.get((code, reg, year, period)), eff, period)
            w = eff.winner
            rows.append(
                (
                    reg,
                    regions.name(reg),
                    code,
                    ind.name_zh,
                    ind.unit,
                    year,
                    period,
                    gap.actual,
                    gap.target,
                    gap.comparator,
                    w.form if w else "",
                    eff.origin or "",
                    eff.from_region or "",
                    w.issuer_name if w else "",
                    w.source_file if w else "",
                    w.source_clause if w else "",
                    gap.margin,
                    gap.margin_pct,
                    gap.expected,
                    gap.pace,
                    gap.status,
                    eff.reason_zh,
                    eff.reason_en,
                )
            )
    df = pd.DataFrame(rows, columns=GAP_COLUMNS)
    for col in ("actual", "target", "margin", "margin_pct", "expected", "pace"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    df["_nan"] = df["margin"].isna()
    df = df.sort_values(["indicator_code", "_nan", "margin", "region_code"], ascending=[True, True, False, True])
    return df.drop(columns="_nan").reset_index(drop=True)


def _baseline_years(targets: Iterable[Target]) -> set[int]:
    return {t.baseline_year or t.year - 1 for t in targets if t.form == "relative"}


def _observation_index(observations: pd.DataFrame, year: int, period: int, baseline_years: set[int]) -> dict:
    """(indicator, region, year, period) → value, for the assessed period and the baselines' full years only."""
    if observations.empty:
        return {}
    years = pd.to_numeric(observations["year"], errors="coerce")
    periods = pd.to_numeric(observations["period"], errors="coerce")
    wanted = ((years == year) & (periods == period)) | (years.isin(baseline_years) & (periods == ANNUAL))
    obs = observations[wanted]
    keys = zip(
        obs["indicator_code"],
        obs["region_code"].astype(str),
        years[wanted].astype(int),
        periods[wanted].astype(int),
        strict=True,
    )
    return dict(zip(keys, obs["value"], strict=True))
