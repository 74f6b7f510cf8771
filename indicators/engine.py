"""Effective-target resolution and the gap & pace engine (DESIGN.md: Effective target, Gap and pace)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from indicators.catalog import Catalog, Indicator
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
    return x is None or (isinstance(x, float) and math.isnan(x))


def resolve_value(target: Target, region_code: str, baseline: Baseline) -> float | None:
    """The number a target asks for; a relative target needs the baseline year's actual (else None = pending)."""
    if target.form == "pending" or target.value is None:
        return None
    if target.form != "relative":
        return target.value
    base = baseline(target.indicator_code, region_code, target.baseline_year or target.year - 1)
    if _missing(base):
        return None
    if target.relative_unit == "%":
        return base * (1 + target.value / 100)
    return base + target.value


def _stricter(indicator: Indicator, a: tuple[float, Target], b: tuple[float, Target]) -> bool:
    """True when candidate a is stricter than b."""
    if a[0] != b[0]:
        return a[0] > b[0] if indicator.higher_better else a[0] < b[0]
    return _STRICT.get(a[1].comparator, 0) > _STRICT.get(b[1].comparator, 0)


def _describe(value: float, t: Target, indicator: Indicator) -> str:
    return f"{COMPARATOR_SIGNS.get(t.comparator, t.comparator)}{indicator.format_value(value)}"


def _resolve_candidates(
    indicator: Indicator, region_code: str, candidates: Sequence[Target], baseline: Baseline
) -> EffectiveTarget | None:
    if not candidates:
        return None
    numeric = [(v, t) for t in candidates if (v := resolve_value(t, region_code, baseline)) is not None]
    if not numeric:
        winner = candidates[0]
        zh = "目标待定(工作要点未给出具体数值或缺少基准年数据)"
        en = "Target pending (no number in the plan, or the baseline year's actual is missing)"
        return EffectiveTarget(None, winner.comparator, "own", winner, region_code, True, zh, en)
    best = numeric[0]
    for cand in numeric[1:]:
        if _stricter(indicator, cand, best):
            best = cand
    value, winner = best
    own_losers = [(v, t) for v, t in numeric if t is not winner and t.issuer_code == region_code]
    if winner.issuer_code and winner.issuer_code != region_code and own_losers:
        lost = own_losers[0]
        zh = f"上级下达目标({_describe(value, winner, indicator)})严于本级目标({_describe(*lost, indicator)})，以上级为准"
        en = f"Higher-level target ({_describe(value, winner, indicator)}) is stricter than own ({_describe(*lost, indicator)})"
        return EffectiveTarget(value, winner.comparator, "stricter-parent", winner, region_code, False, zh, en)
    if len(numeric) > 1:
        zh, en = "多个目标取最严者", "Strictest of several targets"
    else:
        zh, en = "本级目标", "Own target"
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
            # Relative targets resolve against the evaluated region's own baseline.
            got = _resolve_candidates(indicator, region_code, cands, baseline)
            name = regions.name(ancestor)
            zh = f"本级无目标，沿用{name}目标" + ("(目标待定)" if got.pending else "")
            en = f"No own target; {name}'s target used as reference" + (" (pending)" if got.pending else "")
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

    With no target anywhere the result is pending with origin None: the gap status is then
    `pending_target` (or `no_data` without an actual), so nothing is silently dropped.
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
        expected = round(target * period / ANNUAL, 10)
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
    values: dict[tuple, float] = {}
    if not observations.empty:
        obs = observations[observations["year"].isin({year} | _baseline_years(targets))]
        keys = zip(
            obs["indicator_code"], obs["region_code"], obs["year"].astype(int), obs["period"].astype(int), strict=False
        )
        values = dict(zip(keys, obs["value"], strict=False))

    def baseline(ind: str, reg: str, y: int) -> float | None:
        v = values.get((ind, reg, y, ANNUAL))
        return None if _missing(v) else v

    idx = _index(t for t in targets if t.year == year)
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
