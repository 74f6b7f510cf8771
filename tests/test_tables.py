"""The tables under the charts: unique headers in both languages, decimals as the bureaus write them."""

from __future__ import annotations

import pandas as pd
import pytest

from charts.tables import gap_display_table, gap_summary_counts, target_summary
from data_loaders.reports import with_names
from indicators.engine import compute_gaps
from indicators.targets import Target


@pytest.fixture(scope="module")
def gaps(catalog, regions):
    targets = [Target("rural_sewage_rate", "420000", 2024, ">=", 46.58, issuer_name="湖北省生态环境厅")]
    obs = pd.DataFrame(
        [("rural_sewage_rate", "420100", 2024, 12, 55.3), ("pm25", "420100", 2024, 12, 38.0)],
        columns=["indicator_code", "region_code", "year", "period", "value"],
    )
    return with_names(compute_gaps(catalog, regions, targets, obs, 2024, 12, ["420100", "420200"]), catalog, regions)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headers_unique_for_every_indicator(catalog, gaps, lang):
    for ind in catalog:
        table = gap_display_table(gaps[gaps["indicator_code"] == ind.code], ind, lang)
        assert table.columns.is_unique, (ind.code, list(table.columns))


def test_values_use_indicator_decimals_and_comparator(catalog, gaps):
    sewage = gaps[gaps["indicator_code"] == "rural_sewage_rate"]
    table = gap_display_table(sewage, catalog["rural_sewage_rate"], "zh").set_index("地区")
    assert table.loc["武汉", "实际值 (%)"] == "55.30"
    assert table.loc["武汉", "目标值 (%)"] == "≥46.58"
    assert table.loc["武汉", "差距 (百分点)"] == "+8.72"  # two percentages differ by percentage points
    assert (
        table.loc["武汉", "状态"] == "参照全省总体目标（未分解）·达到"
        and table.loc["武汉", "目标来源"] == "参照全省总体目标（未分解）"
    )
    assert table.loc["黄石", "实际值 (%)"] == "—" and table.loc["黄石", "状态"] == "无数据"


def test_summary_counts_count_only_graded_verdicts(catalog, regions, gaps):
    counts = gap_summary_counts(gaps[gaps["indicator_code"] == "rural_sewage_rate"])
    assert counts == {
        "met": 0,
        "on_track": 0,
        "behind": 0,
        "pending": 0,
        "no_data": 1,
        "reference": 1,
        "approximate": 0,
    }
    each = [Target("rural_sewage_rate", "420000", 2024, ">=", 46.58, issuer_name="湖北省生态环境厅", scope="each")]
    obs = pd.DataFrame(
        [("rural_sewage_rate", "420100", 2024, 12, 55.3)],
        columns=["indicator_code", "region_code", "year", "period", "value"],
    )
    inherited = compute_gaps(catalog, regions, each, obs, 2024, 12, ["420100", "420200"], ["rural_sewage_rate"])
    assert gap_summary_counts(inherited)["met"] == 1 and inherited.iloc[0]["target_origin"] == "inherited"


def test_target_summary_states_effective_target_and_origin(catalog, gaps):
    sewage = gaps[gaps["indicator_code"] == "rural_sewage_rate"]
    assert (
        target_summary(sewage, catalog["rural_sewage_rate"], "zh")
        == "有效目标：≥46.58%（参照全省总体目标（未分解）：武汉、黄石）"
    )
    pm25 = gaps[gaps["indicator_code"] == "pm25"]
    assert target_summary(pm25, catalog["pm25"], "en") == "Effective target: —"  # no target anywhere


def test_target_text_and_label_read_as_the_plans_write_them(catalog, regions):
    from charts.tables import target_label, target_text

    own = Target("rural_sewage_rate", "420100", 2024, ">=", 56.0, issuer_name="武汉市生态环境局", target_id=12)
    assert target_text(own, catalog, "zh") == "≥56.00%"
    assert target_label(own, catalog, regions, "zh") == "#12 武汉 · 农村生活污水治理率 · ≥56.00% · 武汉市生态环境局"
    relative = Target(
        "co2_intensity", "420000", 2020, "<=", -1.2, form="relative", baseline_year=2019, relative_unit="%"
    )
    assert (
        target_text(relative, catalog, "zh") == "2019年 -1.2%"
        and target_text(relative, catalog, "en") == "vs 2019 -1.2%"
    )
    assert target_text(Target("pm25", "420000", 2024, "<=", None, form="pending"), catalog, "en") == "Pending"


def test_the_audit_log_reads_in_words_and_every_kind_of_write_has_its_words():
    from charts.tables import audit_table
    from data_loaders.audit import AUDIT_COLUMNS, Change
    from ui.wording import AUDIT_ACTIONS

    assert set(AUDIT_ACTIONS) == {str(c) for c in Change}
    log = pd.DataFrame(
        [[7, pd.Timestamp("2026-12-01 02:03:04", tz="UTC"), "analyst", "indicator_add", None, None, "added_001", "x"]],
        columns=AUDIT_COLUMNS,
    )
    zh, en = audit_table(log, "zh"), audit_table(log, "en")
    assert list(zh.columns) == ["序号", "时间", "账户", "操作", "批次", "目标编号", "对象", "详情"]
    assert zh["操作"].item() == "新增指标" and en["What"].item() == "Indicator added"
    assert len(zh["时间"].item()) == len("2026-12-01 02:03:04")  # to the second, no zone suffix
    assert log["action"].item() == "indicator_add"  # the CSV's frame keeps the code


@pytest.mark.parametrize(
    "code, actual, last, published, zh, en",
    [
        ("rural_sewage_rate", 51.05, 45.59, 5.46, "+5.46个百分点", "+5.46 pp"),  # the indicator's two decimals
        ("good_air_ratio", 82.4, 80.0, 2.4, "+2.4个百分点", "+2.4 pp"),
        ("pm25", 38.0, 42.0, -9.5, "-9.5%", "-9.5%"),  # −9.52 %: a rate of change to one decimal
        ("pm25", 41.0, 41.0, 0.0, "持平", "unchanged"),
        ("rural_sewage_villages", 210.0, 200.0, 5.0, "+5.0%", "+5.0%"),
    ],
)
def test_year_on_year_is_one_published_figure_wherever_it_is_written(catalog, code, actual, last, published, zh, en):
    # The engine publishes 同比 (GB/T 8170 to yoy_decimals); the page, the Excel report, the map and the briefing
    # all write that one figure through yoy_text, so no two of them can differ.
    from charts.tables import yoy_text
    from indicators.pace import year_on_year

    change, unit = year_on_year(catalog[code], actual, last)
    assert change == published
    assert (yoy_text(change, unit, catalog[code], "zh"), yoy_text(change, unit, catalog[code], "en")) == (zh, en)


def test_year_on_year_rounds_half_to_even_as_gbt_8170():
    from indicators.catalog import round_published

    assert [round_published(v, 2) for v in (5.465, 5.475, 5.4651)] == [5.46, 5.48, 5.47]
    assert [round_published(v, 1) for v in (-9.55, -9.45, 2.25)] == [-9.6, -9.4, 2.2]
