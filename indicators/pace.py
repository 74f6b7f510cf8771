"""序时进度: how much of a count target should be done by a period, and how far each region has got."""

from __future__ import annotations

import pandas as pd

from indicators.periods import ANNUAL

QUARTER_ENDS = (3, 6, 9, 12)
PACE_COLUMNS = ["region_name", "year", "period", "actual", "target", "expected", "pace"]


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
