"""Verdicts a bureau can sign, on the seed plans' own targets and figures (SQLite and PostgreSQL): a province-wide
figure is a reference for a city, an allocation makes it a verdict; the province's air figure is over the 13 assessed
cities; the published (rounded) figure is the one graded; pace follows the indicator; 同比 in the right unit."""

from __future__ import annotations

import pandas as pd
import pytest

from charts.tables import gap_summary_counts, province_figure_text
from data_loaders import store
from data_loaders.bootstrap import init_database
from data_loaders.reports import gap_table, with_names
from indicators.engine import compute_gaps
from indicators.groups import load_region_groups
from indicators.targets import Target
from tests.engine_cases import HUBEI, QIANJIANG, WUHAN, clause

OBS = ["indicator_code", "region_code", "year", "period", "value"]


@pytest.fixture
def sample(engine, catalog, regions):
    init_database(engine, catalog, regions, sample=True)
    return engine


def one(engine, catalog, regions, region, code, year=2024, period=12):
    gaps = gap_table(engine, catalog, regions, year, period, [region], [code])
    return with_names(gaps, catalog, regions).iloc[0]


def test_qianjiang_against_hubeis_province_wide_figure_is_a_reference_until_allocated(sample, catalog, regions):
    row = one(sample, catalog, regions, QIANJIANG, "rural_sewage_rate")
    assert (row.actual, row.target, row.target_origin, row.target_scope) == (41.41, 46.58, "reference", "whole")
    assert row.status == "reference_not_met" and not row.graded
    cities = gap_table(
        sample, catalog, regions, 2024, 12, [r.code for r in regions.children(HUBEI)], ["rural_sewage_rate"]
    )
    counts = gap_summary_counts(cities)
    assert counts["behind"] == int(((cities["status"] == "not_met") & cities["graded"]).sum())
    assert counts["reference"] >= 1 and "reference_not_met" not in set(cities.loc[cities["graded"], "status"])
    allocation = Target(
        "rural_sewage_rate", QIANJIANG, 2024, ">=", 40.0, issuer_code=HUBEI, issuer_name="湖北省生态环境厅",
        source_clause="潜江市 40%", source_file="分解表",
    )  # fmt: skip
    store.add_target(sample, allocation)
    row = one(sample, catalog, regions, QIANJIANG, "rural_sewage_rate")
    assert (row.target, row.target_origin, row.status, row.graded) == (40.0, "own", "met", True)


def test_hubei_air_is_averaged_over_the_13_assessed_cities_and_says_so(sample, catalog, regions):
    row = one(sample, catalog, regions, HUBEI, "pm25")
    members = load_region_groups()["HB-13"].members
    obs = store.load_observations(sample, [2024])
    obs = obs[(obs["indicator_code"] == "pm25") & (obs["period"] == 12)]
    over13 = obs[obs["region_code"].isin(members)]["value"].mean()
    over17 = obs[obs["region_code"].isin([r.code for r in regions.children(HUBEI)])]["value"].mean()
    assert row.aggregate_over == "HB-13" and row.value_source == "aggregated"
    assert row.actual_raw == pytest.approx(over13) and row.actual_raw != pytest.approx(over17)
    assert "湖北13个国考市州平均" in province_figure_text(row, catalog["pm25"], "zh")
    assert "Hubei's 13" in province_figure_text(row, catalog["pm25"], "en")


def test_hunan_2020_published_figures_meet_the_plan(sample, catalog, regions):
    """PM2.5 42.4 is published as 42 and meets ≤ 42; a good-air ratio of 82.96 is published as 83.0 and meets ≥ 83."""
    rows = pd.DataFrame(
        [("pm25", "430000", 2020, 12, 42.4), ("good_air_ratio", "430000", 2020, 12, 82.96)], columns=OBS
    )
    store.commit_upload(sample, rows.assign(numerator=None, denominator=None, note=""), "hunan.xlsx", "a" * 64)
    pm25 = one(sample, catalog, regions, "430000", "pm25", 2020)
    good = one(sample, catalog, regions, "430000", "good_air_ratio", 2020)
    assert (pm25.actual, pm25.actual_raw, pm25.status, pm25.margin) == (42.0, 42.4, "met", 0.0)
    assert (good.actual, good.actual_raw, good.status) == (83.0, 82.96, "met")


def test_a_stock_rate_at_mid_year_is_judged_from_last_years_year_end(catalog, regions):
    """Wuhan's rural sewage rate: 50 % at the end of 2023, 56 % due at the end of 2024 → 53 % expected by June."""
    targets = [clause("rural_sewage_rate", WUHAN, 56)]
    for value, status, margin in ((52.0, "behind", -1.0), (54.0, "on_track", 1.0)):
        obs = pd.DataFrame([("rural_sewage_rate", WUHAN, 2023, 12, 50.0), ("rural_sewage_rate", WUHAN, 2024, 6, value)],
                           columns=OBS)  # fmt: skip
        row = compute_gaps(catalog, regions, targets, obs, 2024, 6, [WUHAN], ["rural_sewage_rate"]).iloc[0]
        assert (row.expected, row.status, row.margin) == (53.0, status, margin)


def test_air_in_the_first_quarter_is_judged_against_last_years_seasonal_share(catalog, regions):
    """PM2.5 ≤ 35 for the year; last winter Q1 was 48 against 40 for the year → 42 is expected for 1-3月."""
    targets = [clause("pm25", WUHAN, 35, "<=")]
    for value, status, yoy in ((41.0, "on_track", -14.6), (43.0, "behind", -10.4)):
        obs = pd.DataFrame(
            [("pm25", WUHAN, 2023, 3, 48.0), ("pm25", WUHAN, 2023, 12, 40.0), ("pm25", WUHAN, 2024, 3, value)],
            columns=OBS,
        )
        row = compute_gaps(catalog, regions, targets, obs, 2024, 3, [WUHAN], ["pm25"]).iloc[0]
        assert row.expected == 42.0 and row.status == status and (row.margin >= 0) == (status == "on_track")
        assert (row.yoy_change, row.yoy_unit) == (yoy, "%")  # (41 − 48) / 48 = −14.58 %, published to one decimal


def test_year_on_year_of_a_ratio_is_in_percentage_points(catalog, regions):
    obs = pd.DataFrame(
        [("good_air_ratio", WUHAN, 2023, 6, 80.0), ("good_air_ratio", WUHAN, 2024, 6, 82.35)], columns=OBS
    )
    row = compute_gaps(catalog, regions, [], obs, 2024, 6, [WUHAN], ["good_air_ratio"]).iloc[0]
    assert (row.actual, row.yoy_change, row.yoy_unit, row.status) == (82.4, 2.4, "百分点", "no_target")


def test_gaps_csv_has_every_column_design_lists(sample, capsys):
    import io

    import cli

    url = sample.url.render_as_string(hide_password=False)
    assert cli.main(["gaps", "--db", url, "--year", "2024", "--period", "Q2", "--region", HUBEI]) == 0
    got = pd.read_csv(io.StringIO(capsys.readouterr().out))
    design = ("region_code region_name indicator_code year period actual actual_raw target comparator target_origin "
              "target_scope target_source margin margin_pct status graded expected value_source aggregate_over "
              "yoy_change yoy_unit").split()  # fmt: skip
    assert [c for c in design if c not in got.columns] == []
    assert (
        set(got["graded"]) <= {True, False} and not got.loc[got["status"].str.startswith("reference"), "graded"].any()
    )


def test_reasons_in_english_hold_no_chinese(sample, catalog, regions):
    import re

    cities = [HUBEI, *(r.code for r in regions.children(HUBEI)), "430000", "430100"]
    gaps = gap_table(sample, catalog, regions, 2024, 6, cities)
    chinese = [r for r in gaps["reason_en"] if re.search(r"[\u4e00-\u9fff]", r)]
    assert not chinese, chinese[:3]
    assert any("Hubei" in r for r in gaps["reason_en"])
