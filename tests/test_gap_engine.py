"""The gap and pace rules of DESIGN.md "Gap and pace", and the whole gap table, as tables of cases."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from indicators.engine import (
    GAP_COLUMNS,
    NO_TARGET,
    History,
    assess,
    compute_gaps,
    effective_target,
)
from tests.engine_cases import (
    HUANGSHI,
    HUBEI,
    NO_BASELINE,
    OBS_COLUMNS,
    QIANJIANG,
    WUHAN,
    XIANGYANG,
    clause,
    co2_relative,
    given_target,
)

NAN = float("nan")
GAP_CASES = [
    # id, indicator, target, comparator, actual, period, margin, margin_pct, status
    ("own met at Q4", "rural_sewage_rate", 56, ">=", 57.5, 12, 1.5, 1.5 / 56, "met"),
    ("own not met at Q4", "rural_sewage_rate", 56, ">=", 55, 12, -1, -1 / 56, "not_met"),
    ("exactly on target at Q4", "rural_sewage_rate", 46.58, ">=", 40 + 6.58, 12, 0, 0, "met"),
    ("level on track at Q2", "good_air_ratio", 87.5, ">=", 90, 6, 2.5, 2.5 / 87.5, "on_track"),
    ("level behind at Q2", "good_air_ratio", 87.5, ">=", 80, 6, -7.5, -7.5 / 87.5, "behind"),
    ("lower_better met: margin = target − actual", "pm25", 35, "<=", 31, 12, 4, 4 / 35, "met"),
    ("lower_better not met", "pm25", 35, "<=", 38, 12, -3, -3 / 35, "not_met"),
    ("lower_better behind at Q1", "pm25", 42, "<=", 56, 3, -14, -14 / 42, "behind"),
    ("lower_better on track at Q3", "pm25", 42, "<=", 42, 9, 0, 0, "on_track"),
    ("strict > with margin 0: not met", "rural_sewage_rate", 58, ">", 58, 12, 0, 0, "not_met"),
    ("strict > with positive margin: met", "rural_sewage_rate", 58, ">", 58.01, 12, 0.01, 0.01 / 58, "met"),
    ("strict < with margin 0: not met", "pm25", 35, "<", 35, 12, 0, 0, "not_met"),
    ("= needs margin 0", "water_below_v_ratio", 0, "=", 0, 12, 0, None, "met"),
    ("= missed", "water_below_v_ratio", 0, "=", 1.2, 12, -1.2, None, "not_met"),
    ("a real 0 actual is data", "pm25", 35, "<=", 0, 12, 35, 1, "met"),
    ("a real 0 actual, higher_better", "rural_sewage_rate", 46.58, ">=", 0, 12, -46.58, -1, "not_met"),
    ("target 0: margin_pct None", "water_below_v_ratio", 0, "<=", 2.5, 12, -2.5, None, "not_met"),
    ("target 0 met", "water_below_v_ratio", 0, "<=", 0, 12, 0, None, "met"),
    ("negative target: margin_pct over |target|", "co2_intensity_reduction", -2, ">=", -1, 12, 1, 0.5, "met"),
    ("NaN actual: no data", "pm25", 35, "<=", NAN, 12, None, None, "no_data"),
    ("None actual: no data", "pm25", 35, "<=", None, 6, None, None, "no_data"),
]


@pytest.mark.parametrize(
    "ind, target, comparator, actual, period, margin, margin_pct, status",
    [pytest.param(*case[1:], id=case[0]) for case in GAP_CASES],
)
def test_margin_and_status(catalog, regions, ind, target, comparator, actual, period, margin, margin_pct, status):
    gap = assess(catalog[ind], actual, given_target(catalog, regions, ind, target, comparator), period)
    assert gap.status == status and gap.target == target and gap.comparator == comparator
    assert gap.margin == (None if margin is None else pytest.approx(margin, abs=1e-12))
    assert gap.margin_pct == (None if margin_pct is None else pytest.approx(margin_pct, abs=1e-9))
    # Before year end a level indicator is judged against its expected value: with no history, the target itself.
    assert gap.expected == (target if period < 12 and margin is not None else None) and gap.pace is None
    if margin is None:
        assert gap.actual is None
    else:
        assert gap.actual == actual


def test_float_noise_is_exactly_zero(catalog, regions):
    gap = assess(
        catalog["rural_sewage_rate"], 40 + 6.58, given_target(catalog, regions, "rural_sewage_rate", 46.58, ">="), 12
    )
    assert gap.margin == 0.0 and gap.margin_pct == 0.0


@pytest.mark.parametrize(
    "period, actual, expected, status",
    [
        pytest.param(6, 800, 785.5, "on_track", id="Q2 800 ahead of 785.5"),
        pytest.param(6, 700, 785.5, "behind", id="Q2 700 behind 785.5"),
        pytest.param(3, 393, 392.75, "on_track", id="Q1 just ahead of schedule"),
        pytest.param(9, 0, 1178.25, "behind", id="Q3 real 0 is behind, not no_data"),
        pytest.param(12, 1571, 1571, "met", id="Q4 met"),
        pytest.param(12, 1500, 1571, "not_met", id="Q4 not met"),
    ],
)
def test_count_pace(catalog, regions, period, actual, expected, status):
    """1571 villages a year (湖北): 序时进度 at Q2 is 1571 × 6/12 = 785.5, and before year end the margin is
    measured against it (its sign agrees with the status); at year end against 1571."""
    eff = given_target(catalog, regions, "village_env_rectification", 1571, ">=", region=HUBEI)
    gap = assess(catalog["village_env_rectification"], actual, eff, period)
    assert gap.status == status and (gap.expected or 1571) == pytest.approx(expected)
    assert gap.pace == pytest.approx(actual / expected) and gap.margin == pytest.approx(actual - expected)
    assert (gap.margin >= 0) == (status in ("on_track", "met"))


def test_winter_heavy_pollution_days_follow_last_years_seasons(catalog, regions):
    """heavy_pollution_days ≤ 8 a year, seasonal: last year 6 of 12 days came by June, so 4 are expected by June
    this year and 5 is behind (margin −1); without last year's figures the whole 8 is the yardstick."""
    eff = given_target(catalog, regions, "heavy_pollution_days", 8, "<=")
    history = History(last_same_period=6, last_year_end=12)
    gap = assess(catalog["heavy_pollution_days"], 5, eff, 6, history)
    assert (gap.expected, gap.pace, gap.margin, gap.status) == (4, 1.25, -1, "behind")
    assert assess(catalog["heavy_pollution_days"], 3, eff, 6, history).status == "on_track"
    assert assess(catalog["heavy_pollution_days"], 5, eff, 6).status == "on_track"


def test_count_with_zero_target_has_no_pace(catalog, regions):
    eff = given_target(catalog, regions, "heavy_pollution_days", 0, "<=")
    gap = assess(catalog["heavy_pollution_days"], 0, eff, 6)
    assert gap.expected == 0 and gap.pace is None and gap.status == "on_track"


@pytest.mark.parametrize(
    "actual, status",
    [(38.0, "pending_target"), (0.0, "pending_target"), (None, "pending_target"), (NAN, "pending_target")],
)
def test_pending_target_status(catalog, regions, actual, status):
    eff = effective_target(
        catalog["pm25"], WUHAN, 2024, [clause("pm25", HUBEI, None, "<=", form="pending")], regions, NO_BASELINE
    )
    gap = assess(catalog["pm25"], actual, eff, 12)
    assert gap.status == status and gap.margin is None and gap.margin_pct is None and gap.target is None


@pytest.mark.parametrize("actual, status", [(38.0, "no_target"), (None, "no_target"), (NAN, "no_target")])
def test_no_target_anywhere_status(catalog, actual, status):
    gap = assess(catalog["pm25"], actual, NO_TARGET, 12)
    assert gap.status == status and gap.margin is None


def test_pd_na_actual_is_missing(catalog, regions):
    gap = assess(catalog["pm25"], pd.NA, given_target(catalog, regions, "pm25", 35, "<="), 12)
    assert gap.status == "no_data"


# --- compute_gaps -----------------------------------------------------------------------------------------------


def observations(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=OBS_COLUMNS)


def test_compute_gaps_table(catalog, regions):
    targets = [
        clause("rural_sewage_rate", HUBEI, 46.58, source_file="hubei_2024.txt"),
        clause("rural_sewage_rate", WUHAN, 56, source_file="wuhan_2024.txt"),
        clause("rural_sewage_rate", WUHAN, 58, issuer=HUBEI, source_file="hubei_2024.txt"),
        clause("pm25", HUBEI, None, "<=", form="pending"),
        co2_relative(HUBEI),
        clause("rural_sewage_rate", WUHAN, 99, year=2023),  # another year: ignored
    ]
    obs = observations(
        [
            ("rural_sewage_rate", WUHAN, 2024, 12, 57.0),
            ("rural_sewage_rate", HUANGSHI, 2024, 12, 50.0),
            ("rural_sewage_rate", QIANJIANG, 2024, 12, 0.0),
            ("rural_sewage_rate", XIANGYANG, 2024, 12, None),
            ("rural_sewage_rate", WUHAN, 2024, 6, 20.0),  # another period: ignored
            ("pm25", WUHAN, 2024, 12, 38.0),
            ("co2_intensity", WUHAN, 2023, 12, 0.5),
            ("co2_intensity", WUHAN, 2024, 12, 0.48),
            ("co2_intensity", HUANGSHI, 2024, 12, 0.9),  # no 2023 baseline for Huangshi: pending
            ("co2_intensity", QIANJIANG, 2023, 12, 0.7),
            ("co2_intensity", QIANJIANG, 2024, 12, 0.7),
        ]
    )
    got = compute_gaps(
        catalog,
        regions,
        targets,
        obs,
        2024,
        12,
        [WUHAN, HUANGSHI, XIANGYANG, QIANJIANG],
        ["rural_sewage_rate", "pm25", "co2_intensity"],
    )
    expected = pd.read_csv(
        io.StringIO("""\
region_code,indicator_code,actual,target,target_origin,target_region,target_source,margin,status
420100,co2_intensity,0.48,0.494,inherited,420000,,0.014,met
429005,co2_intensity,0.7,0.6916,inherited,420000,,-0.0084,not_met
420200,co2_intensity,0.9,,inherited,420000,,,pending_target
420600,co2_intensity,,,inherited,420000,,,pending_target
420100,pm25,38.0,,inherited,420000,,,pending_target
420200,pm25,,,inherited,420000,,,pending_target
420600,pm25,,,inherited,420000,,,pending_target
429005,pm25,,,inherited,420000,,,pending_target
420200,rural_sewage_rate,50.0,46.58,inherited,420000,hubei_2024.txt,3.42,met
420100,rural_sewage_rate,57.0,58.0,stricter-parent,420100,hubei_2024.txt,-1.0,not_met
429005,rural_sewage_rate,0.0,46.58,inherited,420000,hubei_2024.txt,-46.58,not_met
420600,rural_sewage_rate,,46.58,inherited,420000,hubei_2024.txt,,no_data
"""),
        dtype={"region_code": str, "target_region": str},
        keep_default_na=False,
        na_values={c: [""] for c in ("actual", "target", "margin")},
    )
    cols = list(expected.columns)
    pd.testing.assert_frame_equal(got[cols], expected, check_dtype=False, atol=1e-9)


def test_compute_gaps_columns_in_order(catalog, regions):
    got = compute_gaps(catalog, regions, [], observations([]), 2024, 6)
    assert list(got.columns) == [
        "region_code",
        "indicator_code",
        "year",
        "period",
        "actual",
        "actual_raw",
        "target",
        "comparator",
        "target_form",
        "target_origin",
        "target_scope",
        "target_region",
        "target_group",
        "target_issuer",
        "target_source",
        "target_clause",
        "margin",
        "margin_pct",
        "expected",
        "pace",
        "status",
        "graded",
        "value_source",
        "aggregate_over",
        "yoy_change",
        "yoy_unit",
        "reason_zh",
        "reason_en",
    ]
    assert GAP_COLUMNS == list(got.columns)


def test_compute_gaps_defaults_every_region_but_the_nation_and_every_indicator(catalog, regions):
    got = compute_gaps(catalog, regions, [], observations([]), 2024, 6)
    non_nation = {r.code for r in regions if r.level != "nation"}
    assert len(got) == len(non_nation) * len(catalog)
    assert set(got["region_code"]) == non_nation and set(got["indicator_code"]) == {i.code for i in catalog}
    assert (got["status"] == "no_target").all() and (got["target_origin"] == "").all() and not got["graded"].any()
    assert set(got["reason_zh"]) == {NO_TARGET.reason_zh}


def test_compute_gaps_source_and_pace(catalog, regions):
    targets = [
        clause(
            "village_env_rectification",
            HUBEI,
            1571,
            issuer_name="湖北省生态环境厅",
            source_file="000_hubei.txt",
            source_clause="完成1571个行政村环境整治",
        )
    ]
    obs = observations([("village_env_rectification", HUBEI, 2024, 6, 800.0)])
    row = compute_gaps(catalog, regions, targets, obs, 2024, 6, [HUBEI], ["village_env_rectification"]).iloc[0]
    assert (row.target_form, row.target_origin, row.target_region) == ("absolute", "own", HUBEI)
    assert (row.target_issuer, row.target_source, row.target_clause) == (
        "湖北省生态环境厅",
        "000_hubei.txt",
        "完成1571个行政村环境整治",
    )
    assert (row.expected, row.status, row.margin) == (785.5, "on_track", 14.5)
    assert math.isclose(row.pace, 800 / 785.5)


def test_compute_gaps_sorts_by_margin_descending_nan_last(catalog, regions):
    targets = [clause("pm25", HUBEI, 35, "<=")]
    obs = observations(
        [
            ("pm25", "420200", 2024, 12, 40.0),
            ("pm25", "420300", 2024, 12, 30.0),
            ("pm25", "420500", 2024, 12, 30.0),
            ("pm25", "420600", 2024, 12, 35.0),
        ]
    )
    got = compute_gaps(
        catalog, regions, targets, obs, 2024, 12, ["420700", "420600", "420500", "420300", "420200"], ["pm25"]
    )
    assert list(got["region_code"]) == ["420300", "420500", "420600", "420200", "420700"]
    assert list(got["margin"].fillna(-999)) == [5, 5, 0, -5, -999]


def test_a_pending_overall_target_above_is_no_target_for_a_city(catalog, regions):
    """湖北's 2024 PM2.5 clause for the province as a whole has no number yet: a city has no target, not a pending one."""
    whole = clause("pm25", HUBEI, None, "<=", form="pending", scope="whole")
    eff = effective_target(catalog["pm25"], WUHAN, 2024, [whole], regions, NO_BASELINE)
    gap = assess(catalog["pm25"], 38.0, eff, 12)
    assert (eff.origin, gap.status, gap.graded) == ("reference", "no_target", False) and "湖北" in eff.reason_zh


# --- codes in the engine, names at the edge ---------------------------------------------------------------------


def test_gap_rows_are_keyword_records_of_codes_and_enums(catalog, regions):
    from indicators.engine import GapRow, gap_rows
    from indicators.terms import Form, Origin, Scope, Status, ValueSource

    targets = [clause("rural_sewage_rate", HUBEI, 46.58, scope="each")]
    obs = observations([("rural_sewage_rate", WUHAN, 2024, 12, 50.0)])
    rows = gap_rows(catalog, regions, targets, obs, 2024, 12, [WUHAN, XIANGYANG], ["rural_sewage_rate"])
    wuhan, xiangyang = rows
    assert isinstance(wuhan, GapRow) and (wuhan.region_code, wuhan.indicator_code) == (WUHAN, "rural_sewage_rate")
    assert (wuhan.status, wuhan.target_origin, wuhan.target_scope, wuhan.target_form, wuhan.value_source) == (
        Status.MET,
        Origin.INHERITED,
        Scope.EACH,
        Form.ABSOLUTE,
        ValueSource.UPLOADED,
    )
    assert all(type(v) is not str for v in (wuhan.status, wuhan.target_origin, wuhan.value_source))
    assert (xiangyang.status, xiangyang.value_source) == (Status.NO_DATA, None)


def test_compute_gaps_holds_codes_and_no_names(catalog, regions):
    targets = [clause("rural_sewage_rate", HUBEI, 46.58, issuer_name="湖北省生态环境厅")]
    obs = observations([("rural_sewage_rate", WUHAN, 2024, 12, 50.0)])
    got = compute_gaps(catalog, regions, targets, obs, 2024, 12, [HUBEI, WUHAN], ["rural_sewage_rate", "pm25"])
    assert not {"region_name", "indicator_name", "unit"} & set(got.columns)
    assert not [c for c in got.columns if c.endswith("_name")]
    langs = ("zh", "en")
    names = {regions.name(r.code, lang) for r in regions for lang in langs} | {
        i.name(lang) for i in catalog for lang in langs
    }
    assert not names & set(got.drop(columns=["reason_zh", "reason_en", "target_issuer"]).astype(str).stack())


def test_with_names_adds_chinese_and_english_names_beside_the_codes(catalog, regions):
    from data_loaders.reports import with_names

    obs = observations([("pm25", WUHAN, 2024, 12, 38.0)])
    got = compute_gaps(catalog, regions, [], obs, 2024, 12, [WUHAN, "429021"], ["pm25", "village_env_rectification"])
    zh = with_names(got, catalog, regions, "zh")
    assert list(zh.columns[:5]) == ["region_code", "region_name", "indicator_code", "indicator_name", "unit"]
    assert list(zh.columns[5:]) == list(got.columns[2:])
    pairs = set(zip(zh["region_code"], zh["region_name"], zh["indicator_name"], zh["unit"], strict=True))
    assert (WUHAN, "武汉", "细颗粒物(PM2.5)平均浓度", "μg/m³") in pairs
    assert ("429021", "神农架", "完成环境整治行政村数", "个") in pairs
    en = with_names(got, catalog, regions, "en")
    assert set(en["region_name"]) == {"Wuhan", "Shennongjia"}
    assert set(en["indicator_name"]) == {catalog["pm25"].name_en, catalog["village_env_rectification"].name_en}
    assert with_names(en, catalog, regions, "zh").equals(zh)  # names already there are replaced, not doubled
    assert "region_name" not in got  # the engine's table is left as it was


def test_with_names_keeps_a_unit_column_and_unknown_codes(catalog, regions):
    from data_loaders.reports import with_names

    table = pd.DataFrame({"region_code": ["999999"], "indicator_code": ["no_such"], "value": [1.0], "unit": ["t"]})
    got = with_names(table, catalog, regions, "en")
    assert list(got.columns) == ["region_code", "region_name", "indicator_code", "indicator_name", "value", "unit"]
    assert got.iloc[0].tolist() == ["999999", "999999", "no_such", "no_such", 1.0, "t"]
