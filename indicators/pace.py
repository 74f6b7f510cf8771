"""Pace: the value expected by a period for a year-end goal, by the indicator's pace basis (序时进度 for counts,
from last year's level for stock rates, last year's seasons for air and water), and 同比."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from indicators.catalog import Indicator, round_published
from indicators.periods import ANNUAL

QUARTER_ENDS = (3, 6, 9, 12)
PACE_COLUMNS = ["region_name", "year", "period", "actual", "target", "expected", "pace"]


@dataclass(frozen=True)
class History:
    """What the pace and 同比 need besides this period's actual: last year's same period and full year."""

    last_same_period: float | None = None
    last_year_end: float | None = None


def expected_value(indicator: Indicator, goal: float, period: int, history: History) -> float:
    """The value expected at `period` for a year-end goal, by the indicator's pace basis, kept inside its valid
    range: linear goal × p/12; from_baseline last year-end + (goal − it) × p/12; seasonal goal × last year's
    (same period ÷ full year). Without last year's figures: linear stays linear, the others expect the goal."""
    if period >= ANNUAL:
        return goal
    share = period / ANNUAL
    basis = indicator.pace_basis
    last_end, last_same = history.last_year_end, history.last_same_period
    if basis == "linear":
        expected = goal * share
    elif basis == "from_baseline" and not _absent(last_end):
        expected = last_end + (goal - last_end) * share
    elif basis == "seasonal" and not _absent(last_end) and not _absent(last_same) and last_end > 0:
        expected = goal * (last_same / last_end)
    else:
        expected = goal
    return round(min(max(expected, indicator.min_value), indicator.max_value), 10)


YOY_RATE_DECIMALS = 1  # a rate of change (concentrations, counts) is published in % to one decimal: -9.5%


def yoy_decimals(indicator: Indicator, unit: str) -> int:
    """The decimals 同比 is published with: a change in 百分点 has the indicator's own (it is the difference of two
    published values, exact to them: +5.46个百分点 for a rate published to 0.01), a rate of change in %
    YOY_RATE_DECIMALS. The page, its CSV, the Excel report, the map and the briefing all show this one figure."""
    return indicator.decimals if unit == "百分点" else YOY_RATE_DECIMALS


def year_on_year(indicator: Indicator, actual: float | None, last: float | None) -> tuple[float | None, str]:
    """同比: the change from the same period last year, in 百分点 for percentages, in % otherwise, as published
    (rounded by GB/T 8170 to yoy_decimals)."""
    if indicator.unit == "%":
        unit = "百分点"
        change = None if _absent(actual) or _absent(last) else actual - indicator.published(last)
    else:
        unit = "%"
        last = None if _absent(last) else indicator.published(last)
        change = None if _absent(actual) or last is None or last == 0 else (actual - last) / abs(last) * 100
    return (None if change is None else round_published(change, yoy_decimals(indicator, unit))), unit


def _absent(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def expected_progress(target: float, period: int) -> float:
    """The time-elapsed share of an annual count target: target × period / 12 (rounded like margins)."""
    return round(target * period / ANNUAL, 10)


def pace_table(series: pd.DataFrame, targets: pd.DataFrame, year: int) -> pd.DataFrame:
    """Cumulative actual against 序时进度 for each region of `targets` in `year`, at every quarter end.

    `series`: region_name, year, period, value; `targets`: region_name, year, target (the effective
    target; NaN when none applies, and then there is no expected value either). Months reported besides
    the quarter ends are kept. `pace` = actual / expected.
    """
    this_year = series[series["year"] == year]
    actual = {(r.region_name, int(r.period)): r.value for r in this_year.itertuples(index=False)}
    periods = sorted(set(QUARTER_ENDS) | {p for _, p in actual})
    rows = []
    for rec in targets[targets["year"] == year].itertuples(index=False):
        target = None if rec.target is None or pd.isna(rec.target) else float(rec.target)
        for period in periods:
            value = actual.get((rec.region_name, period))
            value = None if value is None or pd.isna(value) else float(value)
            expected = None if target is None else expected_progress(target, period)
            pace = None if value is None or not expected else value / expected
            rows.append((rec.region_name, year, period, value, target, expected, pace))
    table = pd.DataFrame(rows, columns=PACE_COLUMNS)
    for col in ("actual", "target", "expected", "pace"):
        table[col] = pd.to_numeric(table[col]).astype("float64")
    return table
