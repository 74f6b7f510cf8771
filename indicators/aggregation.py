"""Parent values from children (DESIGN.md: Aggregation): an uploaded parent value always wins."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from indicators.catalog import Catalog
from indicators.regions import RegionIndex

AGG_COLUMNS = [
    "indicator_code",
    "region_code",
    "year",
    "period",
    "value",
    "numerator",
    "denominator",
    "value_source",
    "aggregate_over",
]
# (indicator, parent) → (group code, member codes): a parent value computed over the region group its target is
# about (湖北 PM2.5 over the 13 assessed cities, HB-13) instead of over all its children.
Over = Mapping[tuple[str, str], tuple[str, tuple[str, ...]]]


def aggregate_parents(
    observations: pd.DataFrame, catalog: Catalog, regions: RegionIndex, parents: list[str], over: Over | None = None
) -> pd.DataFrame:
    """Computed rows for each parent × indicator × year × period the parent did not upload, over its children or
    over the region group `over` names for that indicator (`aggregate_over` then says which group).

    `value_source` is `aggregated`, or `approximate` when the rule could not be followed exactly:
    a ratio without every child's numerator and denominator (mean of children shown instead; percentages
    are never averaged silently), or a mean with some children missing. A sum needs every child and a mean
    at least half of them; otherwise the parent gets no computed value.
    """
    rows = []
    if observations.empty:
        return pd.DataFrame(columns=AGG_COLUMNS)
    obs = observations.copy()
    for col in ("numerator", "denominator"):
        if col not in obs:
            obs[col] = float("nan")
    uploaded = set(zip(obs["indicator_code"], obs["region_code"], obs["year"], obs["period"], strict=True))
    over = over or {}
    for parent in parents:
        all_children = [r.code for r in regions.children(parent)]
        wanted = set(all_children) | {m for (_, p), (_, members) in over.items() if p == parent for m in members}
        part = obs[obs["region_code"].isin(wanted) & obs["value"].notna()]
        for (code, year, period), grp in part.groupby(["indicator_code", "year", "period"], sort=True):
            if (code, parent, year, period) in uploaded or code not in catalog:
                continue
            group, children = over.get((code, parent), ("", tuple(all_children)))
            grp = grp[grp["region_code"].isin(children)]
            rule = catalog[code].aggregation
            if rule == "none":
                continue
            reporting = grp["region_code"].nunique()
            complete = reporting == len(children)
            # A partial sum is not the province's total, and a mean of a few cities is not the province.
            if (rule == "sum" and not complete) or reporting * 2 < len(children):
                continue
            value, num, den, source = _apply(rule, grp, complete)
            rows.append((code, parent, int(year), int(period), value, num, den, source, group))
    return pd.DataFrame(rows, columns=AGG_COLUMNS)


def _apply(rule: str, grp: pd.DataFrame, complete: bool) -> tuple[float, float | None, float | None, str]:
    exact = "aggregated" if complete else "approximate"
    if rule == "sum":
        return float(grp["value"].sum()), None, None, exact
    if rule == "ratio":
        if grp["numerator"].notna().all() and grp["denominator"].notna().all() and grp["denominator"].sum() > 0:
            num, den = float(grp["numerator"].sum()), float(grp["denominator"].sum())
            return num / den * 100, num, den, exact
        return float(grp["value"].mean()), None, None, "approximate"
    return float(grp["value"].mean()), None, None, exact
