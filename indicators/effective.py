"""Effective-target resolution (DESIGN.md: Effective target): which target applies to an indicator, a region and a
year — the region's own (stricter wins), an ancestor's `each` target, an ancestor's `whole` target as a reference —
and the number a relative target asks for."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from indicators.catalog import Indicator
from indicators.regions import RegionIndex
from indicators.targets import COMPARATOR_SIGNS, Target
from indicators.terms import Form, Origin, Scope

Baseline = Callable[[str, str, int], "float | None"]  # (indicator, region, year) → that year's full-year actual
TargetIndex = dict[tuple[str, str, int], list[Target]]

_STRICT = {">": 1, "<": 1, ">=": 0, "<=": 0, "=": 0}


@dataclass(frozen=True)
class EffectiveTarget:
    value: float | None
    comparator: str | None
    origin: Origin | None  # None: no target at all
    winner: Target | None
    from_region: str | None
    pending: bool
    reason_zh: str
    reason_en: str

    @property
    def graded(self) -> bool:
        """A reference (an ancestor's figure for the whole region) is shown, never graded."""
        return self.origin != Origin.REFERENCE


def _no_target(reason_zh: str, reason_en: str) -> EffectiveTarget:
    return EffectiveTarget(
        value=None,
        comparator=None,
        origin=None,
        winner=None,
        from_region=None,
        pending=True,
        reason_zh=reason_zh,
        reason_en=reason_en,
    )


NO_TARGET = _no_target("本年度无适用目标", "No target applies this year")
SUM_NOT_INHERITED = _no_target(
    "上级目标为辖区合计数，不分解到本地区",
    "The parent's target is a total over its regions, not a target for one of them",
)


def is_missing(x: object) -> bool:
    """None, NaN and pd.NA are missing; a real 0 is not."""
    if x is None or x is pd.NA:
        return True
    return isinstance(x, float) and math.isnan(x)


def resolve_value(target: Target, region_code: str, baseline: Baseline) -> float | None:
    """The number a target asks for; a relative target needs the baseline year's actual (else None = pending)."""
    if target.form == Form.PENDING or target.value is None:
        return None
    if target.form != Form.RELATIVE:
        return target.value
    base = baseline(target.indicator_code, region_code, target.baseline_year or target.year - 1)
    if is_missing(base):
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
    if winner.form == Form.RELATIVE:
        base_year = winner.baseline_year or winner.year - 1
        zh = f"相对目标缺少{base_year}年基准值，目标待定"
        en = f"Relative target: the {base_year} baseline actual is missing, so the target is pending"
    else:
        zh = "工作要点未给出具体数值，目标待定"
        en = "Target pending: the plan gives no number"
    return EffectiveTarget(
        value=None,
        comparator=winner.comparator,
        origin=Origin.OWN,
        winner=winner,
        from_region=region_code,
        pending=True,
        reason_zh=zh,
        reason_en=en,
    )


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
        origin = Origin.STRICTER_PARENT
    elif len(numeric) > 1:
        origin = Origin.OWN
        zh, en = f"多个目标取最严者({wanted})", f"Strictest of {len(numeric)} targets ({wanted})"
    else:
        origin = Origin.OWN
        zh, en = f"本级目标({wanted})", f"Own target ({wanted})"
    return EffectiveTarget(
        value=value,
        comparator=winner.comparator,
        origin=origin,
        winner=winner,
        from_region=region_code,
        pending=False,
        reason_zh=zh,
        reason_en=en,
    )


def index_targets(targets: Iterable[Target]) -> TargetIndex:
    """The targets by (indicator, region, year), for effective_in."""
    idx: dict[tuple[str, str, int], list[Target]] = defaultdict(list)
    for t in targets:
        idx[(t.indicator_code, t.region_code, t.year)].append(t)
    return idx


def _from_ancestor(
    indicator: Indicator,
    region_code: str,
    ancestor: str,
    cands: list[Target],
    baseline: Baseline,
    regions: RegionIndex,
    origin: Origin,
) -> EffectiveTarget:
    # An inherited relative target ("−1.2% vs last year") resolves against this region's own baseline.
    got = _resolve_candidates(indicator, ancestor, cands, baseline, baseline_region=region_code)
    name, name_en = regions.name(ancestor), regions.name(ancestor, "en")  # reasons in English say it in English
    if origin == Origin.REFERENCE:
        if got.pending:
            zh = f"参照{name}总体目标（未分解到本地，目标待定）"
            en = f"{name_en}'s target for the region as a whole (not allocated; pending), shown for reference"
        else:
            wanted = _describe(got.value, got.winner, indicator)
            zh = f"参照{name}总体目标({wanted})，未分解到本地，不评定"
            en = f"{name_en}'s target for the region as a whole ({wanted}), not allocated here: a reference, not graded"
    elif got.pending:
        zh, en = f"本级无目标，沿用{name}目标(目标待定)", f"No own target; {name_en}'s target (pending) applies"
    else:
        wanted = _describe(got.value, got.winner, indicator)
        zh, en = f"本级无目标，沿用{name}目标({wanted})", f"No own target; {name_en}'s target ({wanted}) applies"
    return EffectiveTarget(
        value=got.value,
        comparator=got.comparator,
        origin=origin,
        winner=got.winner,
        from_region=ancestor,
        pending=got.pending,
        reason_zh=zh,
        reason_en=en,
    )


def effective_in(
    indicator: Indicator, region_code: str, year: int, idx: TargetIndex, regions: RegionIndex, baseline: Baseline
) -> EffectiveTarget:
    """effective_target over targets already indexed (index_targets): the gap table resolves many regions at once."""
    own = _resolve_candidates(indicator, region_code, idx.get((indicator.code, region_code, year), []), baseline)
    if own is not None:
        return own
    nearest_whole = None
    for ancestor in regions.ancestors(region_code):
        cands = idx.get((indicator.code, ancestor, year), [])
        each = [t for t in cands if t.scope == Scope.EACH]
        if each:  # 各市（州）均…, 100 %, 无劣Ⅴ类: every subordinate region must reach it
            return _from_ancestor(indicator, region_code, ancestor, each, baseline, regions, Origin.INHERITED)
        if cands and nearest_whole is None:
            nearest_whole = (ancestor, cands)
    if nearest_whole is None:
        return NO_TARGET
    if indicator.aggregation == "sum":
        # A count for the whole region (1571 villages province-wide) is no yardstick for one city, even as reference.
        return SUM_NOT_INHERITED
    ancestor, cands = nearest_whole
    return _from_ancestor(indicator, region_code, ancestor, cands, baseline, regions, Origin.REFERENCE)


def effective_target(
    indicator: Indicator,
    region_code: str,
    year: int,
    targets: Iterable[Target],
    regions: RegionIndex,
    baseline: Baseline,
) -> EffectiveTarget:
    """The target that applies to (indicator, region, year): the region's own (stricter wins), else the nearest
    ancestor's `each` target (inherited, graded), else the nearest ancestor's `whole` target as a reference (shown,
    not graded), else NO_TARGET. `pending` is True whenever there is no number to meet. A parent's total of a
    `sum` indicator is neither inherited nor a reference (SUM_NOT_INHERITED)."""
    return effective_in(indicator, region_code, year, index_targets(targets), regions, baseline)
