"""Province values from cities: ratios from numerators and denominators, never averaged silently."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.aggregation import aggregate_parents


def frame(rows):
    return pd.DataFrame(
        rows, columns=["indicator_code", "region_code", "year", "period", "value", "numerator", "denominator"]
    )


@pytest.fixture(scope="module")
def cities(regions):
    return [r.code for r in regions.children("420000")]


def test_ratio_is_sum_of_numerators_over_sum_of_denominators(catalog, regions, cities):
    # Two cities with very different section counts: the mean of ratios (75.0) would be wrong.
    rows = [
        ("water_good_ratio", cities[0], 2024, 12, 100.0, 10, 10),
        ("water_good_ratio", cities[1], 2024, 12, 50.0, 1, 2),
    ]
    rows += [("water_good_ratio", c, 2024, 12, 0.0, 0, 1) for c in cities[2:]]
    got = aggregate_parents(frame(rows), catalog, regions, ["420000"]).iloc[0]
    assert got["value"] == pytest.approx(11 / (12 + 15) * 100) and got["value_source"] == "aggregated"
    assert (got["numerator"], got["denominator"]) == (11, 27)


def test_ratio_without_numerators_is_flagged_approximate(catalog, regions, cities):
    rows = [("water_good_ratio", c, 2024, 6, 80.0 + i, None, None) for i, c in enumerate(cities)]
    got = aggregate_parents(frame(rows), catalog, regions, ["420000"]).iloc[0]
    assert got["value"] == pytest.approx(80 + 8) and got["value_source"] == "approximate"


def test_air_ratios_are_the_mean_of_the_cities_as_bulletins_compute_them(catalog, regions, cities):
    rows = [("good_air_ratio", c, 2024, 6, 80.0 + i, None, None) for i, c in enumerate(cities)]
    got = aggregate_parents(frame(rows), catalog, regions, ["420000"]).iloc[0]
    assert got["value"] == pytest.approx(80 + 8) and got["value_source"] == "aggregated"
    assert "HJ 663" in catalog["good_air_ratio"].aggregation_source


def test_a_target_about_a_region_group_is_averaged_over_that_group(catalog, regions, cities):
    """Hubei's air targets are for 全省国考城市 (13): 仙桃, 潜江, 天门 and 神农架 stay out of the province mean."""
    assessed = tuple(c for c in cities if not c.startswith("4290"))
    assert len(assessed) == 13
    rows = [("pm25", c, 2024, 12, 30.0, None, None) for c in assessed]
    rows += [("pm25", c, 2024, 12, 60.0, None, None) for c in cities if c not in assessed]
    over = {("pm25", "420000"): ("HB-13", assessed)}
    got = aggregate_parents(frame(rows), catalog, regions, ["420000"], over).iloc[0]
    assert got["value"] == 30.0 and got["aggregate_over"] == "HB-13" and got["value_source"] == "aggregated"
    everyone = aggregate_parents(frame(rows), catalog, regions, ["420000"]).iloc[0]
    assert everyone["value"] == pytest.approx((13 * 30 + 4 * 60) / 17) and everyone["aggregate_over"] == ""


def test_sum_mean_missing_children_and_uploaded_parent(catalog, regions, cities):
    rows = [("village_env_rectification", c, 2024, 12, 100.0, None, None) for c in cities]
    rows += [("pm25", c, 2024, 12, 30.0 + i, None, None) for i, c in enumerate(cities[:9])]
    rows += [("eqi", c, 2024, 12, 70.0, None, None) for c in cities[:8]]  # fewer than half: no province value
    rows += [("rural_black_odorous_treated", c, 2024, 12, 3.0, None, None) for c in cities[:16]]  # partial sum
    rows += [("rural_sewage_rate", c, 2024, 12, 50.0, None, None) for c in cities]
    rows += [("rural_sewage_rate", "420000", 2024, 12, 46.9, None, None)]  # uploaded: wins, not recomputed
    rows += [("co2_intensity", c, 2024, 12, 0.5, None, None) for c in cities]  # rule 'none'
    got = aggregate_parents(frame(rows), catalog, regions, ["420000"]).set_index("indicator_code")
    assert (
        got.loc["village_env_rectification", "value"] == 1700
        and got.loc["village_env_rectification", "value_source"] == "aggregated"
    )
    assert got.loc["pm25", "value"] == pytest.approx(34) and got.loc["pm25", "value_source"] == "approximate"
    assert "eqi" not in got.index and "rural_black_odorous_treated" not in got.index
    assert "rural_sewage_rate" not in got.index and "co2_intensity" not in got.index
