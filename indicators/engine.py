"""The gap & pace engine (DESIGN.md: Gap and pace): one actual against its effective target, and the gap table.
Effective-target resolution is in indicators/effective.py; its public names are importable from here too."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import pandas as pd

from indicators.catalog import Catalog, Indicator
from indicators.effective import (
    NO_TARGET,
    SUM_NOT_INHERITED,
    Baseline,
    EffectiveTarget,
    effective_in,
    effective_target,
    index_targets,
    is_missing,
    resolve_value,
)
from indicators.pace import History, expected_value, year_on_year
from indicators.periods import ANNUAL
from indicators.regions import RegionIndex
from indicators.targets import Target
from indicators.terms import GRADED, Form, Origin, Scope, Status, ValueSource

__all__ = [
    "DEFAULT_TOLERANCE",
    "GAP_COLUMNS",
    "NO_TARGET",
    "SUM_NOT_INHERITED",
    "Baseline",
    "EffectiveTarget",
    "Gap",
    "GapRow",
    "History",
    "assess",
    "compute_gaps",
    "effective_target",
    "gap_frame",
    "gap_rows",
    "resolve_value",
]

DEFAULT_TOLERANCE = 0.95  # "左右": met at 95 % of the figure unless the plan says otherwise (DESIGN.md)


@dataclass(frozen=True)
class Gap:
    """One actual against its effective target: built by keyword, blank (None) where there is nothing to say."""

    status: Status
    actual: float | None = None  # the published figure: rounded to the indicator's reporting precision
    target: float | None = None
    comparator: str | None = None
    margin: float | None = None
    margin_pct: float | None = None
    expected: float | None = None
    pace: float | None = None
    actual_raw: float | None = None

    @property
    def graded(self) -> bool:
        return self.status in GRADED


def _satisfied(margin: float, comparator: str | None) -> bool:
    if comparator in (">", "<"):
        return margin > 0
    if comparator == "=":
        return margin == 0
    return margin >= 0


def _threshold(indicator: Indicator, target: float, winner: Target | None) -> float:
    """The figure to reach: the target, or for a "左右" target its tolerated share (1000个左右 → 950)."""
    tolerance = winner.tolerance if winner is not None else None
    if tolerance is None:
        return target
    share = tolerance if 0 < tolerance <= 1 else DEFAULT_TOLERANCE
    return round(target * share if indicator.higher_better else target * (2 - share), 10)


def assess(
    indicator: Indicator, actual: float | None, eff: EffectiveTarget, period: int, history: History | None = None
) -> Gap:
    """Margin, pace and status of one actual against its effective target at a period. The actual is first
    rounded to the indicator's reporting precision: the published figure is the one graded. Before year end the
    margin is measured against the expected value, so its sign always agrees with the status."""
    # No target for this region: none anywhere (NO_TARGET, SUM_NOT_INHERITED), or only an ancestor's overall target
    # that has no number yet — not this region's target, and nothing to compare with (the reason says which).
    nothing = eff.origin is None or (eff.origin == Origin.REFERENCE and eff.pending)
    if is_missing(actual):
        status = Status.NO_TARGET if nothing else Status.PENDING_TARGET if eff.pending else Status.NO_DATA
        return Gap(status=status, target=eff.value, comparator=eff.comparator)
    raw = float(actual)
    actual = indicator.published(raw)
    if nothing:
        return Gap(status=Status.NO_TARGET, actual=actual, actual_raw=raw)
    if eff.pending or eff.value is None:
        return Gap(status=Status.PENDING_TARGET, actual=actual, comparator=eff.comparator, actual_raw=raw)
    target = float(eff.value)
    goal = _threshold(indicator, target, eff.winner)
    expected = expected_value(indicator, goal, period, history or History())
    against = expected if period < ANNUAL else goal
    margin = round(actual - against if indicator.higher_better else against - actual, 10)
    margin_pct = None if against == 0 else round(margin / abs(against), 10)
    pace = None
    if indicator.kind == "count" and expected:
        pace = actual / expected
    ok = _satisfied(margin, eff.comparator if period >= ANNUAL else None)
    if not eff.graded:
        status = Status.REFERENCE_MET if ok else Status.REFERENCE_NOT_MET
    elif period >= ANNUAL:
        status = Status.MET if ok else Status.NOT_MET
    else:
        status = Status.ON_TRACK if ok else Status.BEHIND
    return Gap(
        status=status,
        actual=actual,
        target=target,
        comparator=eff.comparator,
        margin=margin,
        margin_pct=margin_pct,
        expected=expected if period < ANNUAL else None,
        pace=pace,
        actual_raw=raw,
    )


@dataclass(frozen=True)
class GapRow:
    """One region's gap on one indicator, keyed by codes: names and wording are added at the edge
    (data_loaders.reports.with_names). Text fields are "" and enum fields None when there is nothing to say."""

    region_code: str
    indicator_code: str
    year: int
    period: int
    actual: float | None  # published: rounded to the indicator's reporting precision
    actual_raw: float | None  # as stored
    target: float | None
    comparator: str | None
    target_form: Form | None
    target_origin: Origin | None
    target_scope: Scope | None
    target_region: str  # the region whose target applies (an ancestor's when inherited or a reference)
    target_group: str  # the region group the target is about (HB-13)
    target_issuer: str  # the issuing bureau as the target records it
    target_source: str
    target_clause: str
    margin: float | None
    margin_pct: float | None
    expected: float | None  # the value expected at this period, before year end
    pace: float | None
    status: Status
    graded: bool
    value_source: ValueSource | None  # None when there is no actual
    aggregate_over: str  # the group a computed parent value is over
    yoy_change: float | None
    yoy_unit: str
    reason_zh: str
    reason_en: str


GAP_COLUMNS = [f.name for f in fields(GapRow)]
_NUMBERS = ("actual", "actual_raw", "target", "margin", "margin_pct", "expected", "pace", "yoy_change")
_ENUMS = ("target_form", "target_origin", "target_scope", "value_source")  # blank in tables and exports


def gap_rows(
    catalog: Catalog,
    regions: RegionIndex,
    targets: Sequence[Target],
    observations: pd.DataFrame,
    year: int,
    period: int,
    region_codes: Iterable[str] | None = None,
    indicator_codes: Iterable[str] | None = None,
) -> list[GapRow]:
    """One GapRow per requested (indicator, region), in request order (all regions but the nation and every
    indicator by default). See compute_gaps for `observations`."""
    region_list = list(region_codes) if region_codes is not None else [r.code for r in regions if r.level != "nation"]
    indicator_list = list(indicator_codes) if indicator_codes is not None else [i.code for i in catalog]
    year_targets = [t for t in targets if t.year == year]
    values, sources = _observation_index(observations, year, period, _baseline_years(year_targets))

    def baseline(ind: str, reg: str, y: int) -> float | None:
        v = values.get((ind, reg, y, ANNUAL))
        return None if is_missing(v) else v

    idx = index_targets(year_targets)
    rows = []
    for code in indicator_list:
        ind = catalog[code]
        for reg in region_list:
            eff = effective_in(ind, reg, year, idx, regions, baseline)
            history = History(values.get((code, reg, year - 1, period)), values.get((code, reg, year - 1, ANNUAL)))
            gap = assess(ind, values.get((code, reg, year, period)), eff, period, history)
            source, over = (None, "")
            if gap.actual is not None:
                found, over = sources.get((code, reg), (ValueSource.UPLOADED, ""))
                source = ValueSource(found)
            yoy, yoy_unit = year_on_year(ind, gap.actual, history.last_same_period)
            w = eff.winner
            rows.append(
                GapRow(
                    region_code=reg,
                    indicator_code=code,
                    year=year,
                    period=period,
                    actual=gap.actual,
                    actual_raw=gap.actual_raw,
                    target=gap.target,
                    comparator=gap.comparator,
                    target_form=Form(w.form) if w else None,
                    target_origin=eff.origin,
                    target_scope=Scope(w.scope) if w else None,
                    target_region=eff.from_region or "",
                    target_group=w.region_group if w else "",
                    target_issuer=w.issuer_name if w else "",
                    target_source=w.source_file if w else "",
                    target_clause=w.source_clause if w else "",
                    margin=gap.margin,
                    margin_pct=gap.margin_pct,
                    expected=gap.expected,
                    pace=gap.pace,
                    status=gap.status,
                    graded=gap.graded and source != ValueSource.APPROXIMATE,
                    value_source=source,
                    aggregate_over=over,
                    yoy_change=yoy,
                    yoy_unit=yoy_unit,
                    reason_zh=eff.reason_zh,
                    reason_en=eff.reason_en,
                )
            )
    return rows


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
    """The gap table (GAP_COLUMNS, codes only): one row per requested (region, indicator) with published and stored
    actual, effective target, margin, expected value, status, whether it is graded, where the actual came from and
    同比; sorted by indicator, then margin (largest first, blanks last).

    `observations` may carry `value_source` (uploaded / aggregated / approximate) and `aggregate_over` (a region
    group code) for computed parent values; an approximate value is shown but never graded."""
    rows = gap_rows(catalog, regions, targets, observations, year, period, region_codes, indicator_codes)
    return gap_frame(rows)


def gap_frame(rows: Iterable[GapRow]) -> pd.DataFrame:
    """GapRows as the gap table: numbers as floats (NaN when blank), blank enums as "", sorted like compute_gaps."""
    records = []
    for row in rows:
        record = dict(vars(row))
        for col in _ENUMS:
            if record[col] is None:
                record[col] = ""
        records.append(record)
    df = pd.DataFrame(records, columns=GAP_COLUMNS)
    for col in _NUMBERS:
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    df["graded"] = df["graded"].astype(bool)
    df["_nan"] = df["margin"].isna()
    df = df.sort_values(["indicator_code", "_nan", "margin", "region_code"], ascending=[True, True, False, True])
    return df.drop(columns="_nan").reset_index(drop=True)


def _baseline_years(targets: Iterable[Target]) -> set[int]:
    return {t.baseline_year or t.year - 1 for t in targets if t.form == "relative"}


def _observation_index(
    observations: pd.DataFrame, year: int, period: int, baseline_years: set[int]
) -> tuple[dict, Mapping[tuple[str, str], tuple[str, str]]]:
    """(indicator, region, year, period) → value for the assessed period, last year's same period and full year,
    and the baselines' full years; and (indicator, region) → (value_source, aggregate_over) of computed values."""
    if observations.empty:
        return {}, {}
    years = pd.to_numeric(observations["year"], errors="coerce")
    periods = pd.to_numeric(observations["period"], errors="coerce")
    wanted = (
        ((years == year) & (periods == period))
        | ((years == year - 1) & periods.isin([period, ANNUAL]))
        | (years.isin(baseline_years) & (periods == ANNUAL))
    )
    obs = observations[wanted]
    keys = list(
        zip(
            obs["indicator_code"],
            obs["region_code"].astype(str),
            years[wanted].astype(int),
            periods[wanted].astype(int),
            strict=True,
        )
    )
    values = dict(zip(keys, obs["value"], strict=True))
    sources = {}
    if "value_source" in obs:
        over = obs["aggregate_over"] if "aggregate_over" in obs else pd.Series("", index=obs.index)
        for (ind, reg, y, p), src, grp in zip(keys, obs["value_source"], over, strict=True):
            if y == year and p == period and isinstance(src, str) and src:
                sources[(ind, reg)] = (src, grp if isinstance(grp, str) else "")
    return values, sources
