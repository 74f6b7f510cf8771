"""Year-end projection of a year-to-date level indicator from last year's same-period-to-full-year ratio."""

from __future__ import annotations

import math

import pandas as pd

from indicators.periods import ANNUAL

PROJECTION_COLUMNS = ["region_name", "year", "period", "value", "basis_period", "basis_value", "ratio"]


def _number(x: object) -> float | None:
    if x is None or x is pd.NA:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def year_end_projection(
    ytd: float | None, last_year_same_period: float | None, last_year_full: float | None, period: int
) -> float | None:
    """ytd × (last year's full year / last year's same period), or None when there is nothing to project.

    None at the full year (there is an actual), and when either last-year value is missing. Last year's
    same-period value must be positive and its full year not negative: a ratio to zero is undefined and a
    ratio across a sign change says nothing about how the year goes on.
    """
    ytd, same, full = _number(ytd), _number(last_year_same_period), _number(last_year_full)
    if period >= ANNUAL or ytd is None or same is None or full is None:
        return None
    if same <= 0 or full < 0:
        return None
    return ytd * (full / same)


def year_end_projections(
    series: pd.DataFrame, valid_range: tuple[float, float] = (-math.inf, math.inf)
) -> pd.DataFrame:
    """For each region and year that has no full-year value yet, the projection from its latest period, kept
    inside the indicator's `valid_range` (a good-air ratio of 99.5 % in Q1 is never projected to 117 %).

    `series`: region_name, year, period, value. The result has period 12 (the projected point), the
    basis period and value it was projected from, and the ratio used; regions and years without last
    year's values are left out.
    """
    rows = []
    if series.empty:
        return pd.DataFrame(rows, columns=PROJECTION_COLUMNS)
    values = {
        (r.region_name, int(r.year), int(r.period)): r.value
        for r in series.itertuples(index=False)
        if _number(r.value) is not None
    }
    latest: dict[tuple[str, int], int] = {}
    for name, year, period in values:
        latest[(name, year)] = max(latest.get((name, year), 0), period)
    for (name, year), period in sorted(latest.items()):
        if period >= ANNUAL:
            continue
        same, full = values.get((name, year - 1, period)), values.get((name, year - 1, ANNUAL))
        projected = year_end_projection(values[(name, year, period)], same, full, period)
        if projected is not None:
            projected = min(max(projected, valid_range[0]), valid_range[1])
            rows.append((name, year, ANNUAL, projected, period, values[(name, year, period)], full / same))
    return pd.DataFrame(rows, columns=PROJECTION_COLUMNS)
