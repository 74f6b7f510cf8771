"""Year-end projection (level indicators) and 序时进度 (count indicators): the maths, as tables."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from indicators.engine import EffectiveTarget, assess
from indicators.pace import expected_progress, pace_table
from indicators.projection import year_end_projection, year_end_projections


def frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text.strip()), dtype={"region_name": str})


@pytest.mark.parametrize(
    "ytd, same, full, period, expected",
    [
        (40.0, 50.0, 40.0, 6, 32.0),  # worked example: PM2.5 1-6月 40, last year 1-6月 50 → full year 40
        (74.0, 70.5, 83.3, 3, 74.0 * 83.3 / 70.5),  # good-air share, Q1: last year's Q1 was the low point
        (0.0, 50.0, 40.0, 9, 0.0),  # a real 0 is a value
        (40.0, 50.0, 0.0, 6, 0.0),
        (40.0, None, 40.0, 6, None),  # last year's same period missing
        (40.0, math.nan, 40.0, 6, None),
        (40.0, pd.NA, 40.0, 6, None),
        (40.0, 0.0, 40.0, 6, None),  # … or zero: no ratio
        (40.0, 50.0, None, 6, None),  # last year's full year missing
        (None, 50.0, 40.0, 6, None),
        (40.0, 50.0, 40.0, 12, None),  # the full year is measured, not projected
        (40.0, -2.0, -4.0, 6, None),  # a ratio of negatives says nothing about the season
        (40.0, 2.0, -4.0, 6, None),
    ],
)
def test_year_end_projection(ytd, same, full, period, expected):
    got = year_end_projection(ytd, same, full, period)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


def test_projections_only_for_years_without_a_full_year():
    series = frame(
        """
region_name,year,period,value
武汉,2023,3,60
武汉,2023,6,50
武汉,2023,9,42
武汉,2023,12,40
武汉,2024,3,55
武汉,2024,6,45
黄石,2023,12,38
黄石,2024,3,50
十堰,2023,3,48
十堰,2023,6,40
十堰,2023,12,36
十堰,2024,3,44
十堰,2024,6,38
十堰,2024,9,34
十堰,2024,12,33
襄阳,2024,6,41
"""
    )
    expected = frame(
        """
region_name,year,period,value,basis_period,basis_value,ratio
武汉,2024,12,36.0,6,45.0,0.8
"""
    )
    # 黄石: no 2023 Q1 value; 十堰: 2024 is complete; 襄阳: no 2023 at all; 2023 itself has no 2022 to lean on.
    got = year_end_projections(series)
    assert_frame_equal(got, expected, check_dtype=False)


def test_projection_uses_the_latest_period_and_skips_missing_values():
    series = frame(
        """
region_name,year,period,value
潜江,2023,6,50
潜江,2023,9,45
潜江,2023,12,40
潜江,2024,6,44
潜江,2024,9,
"""
    )
    got = year_end_projections(series)  # 1-9月 is blank, so 1-6月 is the latest value
    assert got[["basis_period", "value"]].values.tolist() == [[6, pytest.approx(35.2)]]
    assert year_end_projections(series.iloc[0:0]).empty


@pytest.mark.parametrize(
    "target, period, expected",
    [(183, 3, 45.75), (183, 6, 91.5), (183, 9, 137.25), (183, 12, 183.0), (1571, 6, 785.5), (0, 6, 0.0)],
)
def test_expected_progress_is_target_times_period_over_12(target, period, expected):
    assert expected_progress(target, period) == expected


def test_engine_pace_uses_the_same_expected_progress(catalog):
    eff = EffectiveTarget(183.0, ">=", "own", None, "420100", False, "", "")
    gap = assess(catalog["rural_sewage_villages"], 100.0, eff, 6)
    assert gap.expected == expected_progress(183.0, 6) and gap.pace == pytest.approx(100 / 91.5)
    assert gap.status == "on_track"


def test_pace_table_per_region_and_period():
    series = frame(
        """
region_name,year,period,value
武汉,2023,12,150
武汉,2024,3,30
武汉,2024,6,100
武汉,2024,7,120
潜江,2024,12,39
"""
    )
    targets = frame(
        """
region_name,year,target
武汉,2023,
武汉,2024,183
潜江,2024,
"""
    )
    expected = frame(
        """
region_name,year,period,actual,target,expected,pace
武汉,2024,3,30,183,45.75,0.6557377049180327
武汉,2024,6,100,183,91.5,1.092896174863388
武汉,2024,7,120,183,106.75,1.1241217798594847
武汉,2024,9,,183,137.25,
武汉,2024,12,,183,183.0,
潜江,2024,3,,,,
潜江,2024,6,,,,
潜江,2024,7,,,,
潜江,2024,9,,,,
潜江,2024,12,39,,,
"""
    )
    got = pace_table(series, targets, 2024)
    assert_frame_equal(got, expected.astype({c: "float64" for c in ("actual", "target", "expected", "pace")}))
    assert pace_table(series, targets, 2022).empty
