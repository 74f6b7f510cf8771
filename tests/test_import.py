"""Reading workbooks: the sample files, the long and wide readers, summary rows and how values are written."""

from __future__ import annotations

import importlib.util
import io
import random
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from data_loaders.cells import TIDY_COLUMNS
from data_loaders.pipeline import parse_workbook
from tests.workbooks import long_rows, only_problem, parse, wide_rows

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
HUBEI_CITIES = {
    "420100",
    "420200",
    "420300",
    "420500",
    "420600",
    "420700",
    "420800",
    "420900",
    "421000",
    "421100",
    "421200",
    "421300",
    "422800",
    "429004",
    "429005",
    "429006",
    "429021",
}


# ---- the sample workbooks ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, year", [("hubei_2023_long.xlsx", 2023), ("hubei_2024_wide.xlsx", 2024)])
def test_sample_workbooks_parse_cleanly(catalog, regions, name, year):
    parsed = parse_workbook(SAMPLE / name, catalog, regions)
    assert parsed.problems.empty, parsed.problems.to_string()
    tidy = parsed.tidy
    assert list(tidy.columns) == TIDY_COLUMNS and len(tidy) == 17 * 4 * 4
    assert set(tidy["region_code"]) == HUBEI_CITIES and set(tidy["year"]) == {year}
    assert set(tidy["period"]) == {3, 6, 9, 12}
    assert set(tidy["indicator_code"]) == {"pm25", "good_air_ratio", "water_good_ratio", "rural_sewage_rate"}
    assert not tidy.duplicated(["region_code", "indicator_code", "year", "period"]).any()
    assert tidy["value"].notna().all() and tidy["cell"].str.fullmatch(r"[A-Z]+\d+").all()


def test_sample_values_follow_the_published_figures(catalog, regions):
    tidy = pd.concat(
        [parse_workbook(SAMPLE / n, catalog, regions).tidy for n in ("hubei_2023_long.xlsx", "hubei_2024_wide.xlsx")]
    )
    at = tidy.set_index(["region_code", "indicator_code", "year", "period"])["value"]
    qianjiang = tidy[(tidy["region_code"] == "429005") & (tidy["year"] == 2024) & (tidy["period"] == 12)]
    real = qianjiang.set_index("indicator_code")  # 潜江市生态环境局2024年工作总结 (seed 003)
    assert (real.loc["pm25", "value"], real.loc["good_air_ratio", "value"], real.loc["rural_sewage_rate", "value"]) == (
        31,
        94.0,
        41.41,
    )
    assert (real.loc["pm25", "sheet"], real.loc["pm25", "cell"]) == ("2024年Q4", "C17")
    q1_2023 = tidy[(tidy["year"] == 2023) & (tidy["period"] == 3) & (tidy["indicator_code"] == "pm25")]["value"]
    assert 55 <= q1_2023.mean() <= 65  # a year-to-date mean from 1 January: winter-high
    full_2023 = tidy[(tidy["year"] == 2023) & (tidy["period"] == 12)].groupby("indicator_code")["value"].mean()
    assert abs(full_2023["pm25"] - 37) <= 1 and abs(full_2023["good_air_ratio"] - 83.3) <= 0.5
    pm_2023 = at.xs(("pm25", 2023, 12), level=[1, 2, 3])
    assert (
        pm_2023.idxmin() == "429021" and pm_2023.idxmax() == "420600"
    )  # 神农架 cleanest, 襄阳 worst (composite index)
    for code in HUBEI_CITIES:
        pm = [at[(code, "pm25", 2024, p)] for p in (3, 6, 9)]
        sewage = [at[(code, "rural_sewage_rate", 2024, p)] for p in (3, 6, 9, 12)]
        assert pm[0] > pm[1] > pm[2] and sewage == sorted(sewage)
        assert 80 <= at[(code, "water_good_ratio", 2024, 12)] <= 100
    sewage_2024 = at.xs(("rural_sewage_rate", 2024, 12), level=[1, 2, 3])
    assert 3 <= (sewage_2024 < 46.58).sum() <= 8 and sewage_2024["420100"] < 56  # some cities behind target


def test_sample_notes_say_where_each_value_comes_from(catalog, regions):
    tidy = parse_workbook(SAMPLE / "hubei_2023_long.xlsx", catalog, regions).tidy
    assert tidy["note"].str.match(r"^(合成数据\(synthetic\)|实际值\(real\))").all()
    wb = openpyxl.load_workbook(SAMPLE / "hubei_2024_wide.xlsx", read_only=True)
    assert wb.sheetnames == ["2024年Q1", "2024年Q2", "2024年Q3", "2024年Q4", "数据说明"]
    rows = [r for r in wb["数据说明"].iter_rows(values_only=True) if r and r[0] == "2024年Q4"]
    wb.close()
    real = {r[1] for r in rows if r[5] == "实际值(real)"}
    assert real == {"C17", "D17", "F17"} and all("003_1448b639da31bb50" in r[6] for r in rows if r[5] == "实际值(real)")


def test_sample_builder_is_deterministic_and_files_are_current(tmp_path):
    spec = importlib.util.spec_from_file_location("build_workbooks", SAMPLE / "build_workbooks.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    values = builder.generate(random.Random(builder.SEED))
    assert values == builder.generate(random.Random(builder.SEED))
    builder.write_long(tmp_path / "long.xlsx", values, 2023)
    builder.write_wide(tmp_path / "wide.xlsx", values, 2024)
    assert (tmp_path / "long.xlsx").read_bytes() == (SAMPLE / "hubei_2023_long.xlsx").read_bytes()
    assert (tmp_path / "wide.xlsx").read_bytes() == (SAMPLE / "hubei_2024_wide.xlsx").read_bytes()


# ---- the long reader -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "period_text, period",
    [
        ("Q2", 6),
        ("第二季度", 6),
        ("二季度", 6),
        ("1-6月", 6),
        ("上半年", 6),
        ("全年", 12),
        ("2024年1-6月", 6),
        (6, 6),
    ],
)
def test_long_reader_periods(catalog, regions, period_text, period):
    parsed = parse({"数据": long_rows(("武汉市", 2024, period_text, "PM2.5", 40))}, catalog, regions)
    assert parsed.problems.empty, parsed.problems.to_string()
    assert parsed.tidy[["region_code", "indicator_code", "year", "period", "value", "cell"]].values.tolist() == [
        ["420100", "pm25", 2024, period, 40.0, "E3"]
    ]


def test_long_reader_with_titles_units_and_extra_columns(catalog, regions):
    rows = [
        ["湖北省环境质量数据"],
        [None, "(累计)"],
        ["序号", "城市", "期间", "指标名称", "实际值", "单位", "备注", "分子", "分母"],
        [1, "恩施土家族苗族自治州", "2023年1-9月", "空气质量优良天数比例", "85.7%", "%", "synthetic", None, None],
        [2, "襄樊", "2023年1-9月", "Ⅰ~Ⅲ类断面比例(%)", None, "%", "", 17, 20],
        [3, 420100, "2023年1-9月", "pm25", 37, "μg/m3", "", None, None],
    ]
    parsed = parse({"Sheet1": rows}, catalog, regions)
    assert parsed.problems.empty, parsed.problems.to_string()
    tidy = parsed.tidy.set_index("region_code")
    assert set(parsed.tidy["year"]) == {2023} and set(parsed.tidy["period"]) == {9}
    assert tidy.loc["422800", ["indicator_code", "value", "note"]].tolist() == ["good_air_ratio", 85.7, "synthetic"]
    assert tidy.loc["420600", ["value", "numerator", "denominator"]].tolist() == [85.0, 17.0, 20.0]  # from 17/20
    assert tidy.loc["420100", "value"] == 37.0


def test_long_reader_year_and_period_from_title_or_sheet_name(catalog, regions):
    rows = [["2024年1-6月各市州数据"], ["地区", "指标", "数值"], ["黄石", "PM2.5", 41]]
    by_title = parse({"数据": rows}, catalog, regions)
    by_name = parse({"2024年二季度": rows[1:]}, catalog, regions)
    for parsed in (by_title, by_name):
        assert parsed.problems.empty and parsed.tidy[["year", "period"]].values.tolist() == [[2024, 6]]


# ---- the wide reader -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sheet, title, year, period",
    [
        ("2024年Q2", None, 2024, 6),
        ("二季度", "2024年湖北省各市州环境质量状况", 2024, 6),
        ("Sheet1", "2024年1-6月各市州环境质量状况", 2024, 6),
        ("Sheet1", "2024年上半年各市州环境质量状况", 2024, 6),
        ("第二季度", "2024年", 2024, 6),
        ("2023年全年", None, 2023, 12),
        ("Sheet1", "2023年各市州环境质量状况", 2023, 12),
    ],
)
def test_wide_reader_year_and_period(catalog, regions, sheet, title, year, period):
    rows = [
        ["序号", "地区", "PM2.5浓度(μg/m³)", "优良天数比例(%)", "排名", "同比(%)", "首要污染物", "备注"],
        [1, "武汉", 40, 80.5, 3, -2.1, "PM2.5", "注1"],
        [2, "恩施", 25, "-", 1, 0.5, "O3", ""],
    ]
    parsed = parse({sheet: ([[title]] if title else []) + rows}, catalog, regions)
    assert parsed.problems.empty, parsed.problems.to_string()
    assert sorted(parsed.tidy[["region_code", "indicator_code", "value"]].values.tolist()) == [
        ["420100", "good_air_ratio", 80.5],
        ["420100", "pm25", 40.0],
        ["422800", "pm25", 25.0],
    ]
    assert set(parsed.tidy["year"]) == {year} and set(parsed.tidy["period"]) == {period}
    assert set(parsed.tidy.loc[parsed.tidy["region_code"] == "420100", "note"]) == {"注1"}


def test_wide_reader_columns_for_year_and_period_and_a_headerless_region_column(catalog, regions):
    rows = [["全省空气质量"], [None, "年份", "期间", "PM2.5"], ["十堰", 2024, "Q1", 50], ["十堰", 2024, "Q2", 38]]
    parsed = parse({"Sheet1": rows}, catalog, regions)
    assert parsed.problems.empty, parsed.problems.to_string()
    assert parsed.tidy[["region_code", "year", "period", "value", "cell"]].values.tolist() == [
        ["420300", 2024, 3, 50.0, "D3"],
        ["420300", 2024, 6, 38.0, "D4"],
    ]


def test_wide_reader_two_row_header_with_periods_under_an_indicator(catalog, regions):
    rows = [
        ["2024年上半年各市州PM2.5浓度"],
        ["地区", "PM2.5浓度(μg/m³)", None, None, "空气质量", None],
        [None, "2024年1-6月", "2023年1-6月", "同比(%)", "优良天数比例(%)", "排名"],
        ["宜昌", 39, 44, -11.4, 80.1, 5],
    ]
    parsed = parse({"Sheet1": rows}, catalog, regions)
    assert parsed.problems.empty, parsed.problems.to_string()
    assert sorted(parsed.tidy[["indicator_code", "year", "period", "value"]].values.tolist()) == [
        ["good_air_ratio", 2024, 6, 80.1],
        ["pm25", 2023, 6, 44.0],
        ["pm25", 2024, 6, 39.0],
    ]


def test_wide_reader_summary_rows_footnotes_and_unknown_columns(catalog, regions):
    rows = wide_rows((1, "武汉", 40, 80.5), (None, "全省平均", 38, 82.0), ("注：数据为实时监测数据，未经审核。",))
    rows[1].append("臭氧浓度")
    parsed = parse({"Sheet1": rows}, catalog, regions)
    assert not parsed.has_errors and len(parsed.tidy) == 4
    problems = parsed.problems.set_index("cell")
    assert set(problems["severity"]) == {"warning"} and set(problems.index) == {"E2", "B4"}
    assert (
        "未识别的列" in problems.loc["E2", "problem_zh"] and "Unrecognised column" in problems.loc["E2", "problem_en"]
    )
    # 全省平均 under Hubei's cities is Hubei's own figure: stored as the parent's value, and said so
    assert problems.loc["B4", "problem_zh"] == "汇总行“全省平均”按湖北的数值导入"
    hubei = parsed.tidy[parsed.tidy["region_code"] == "420000"].set_index("indicator_code")["value"].to_dict()
    assert hubei == {"pm25": 38.0, "good_air_ratio": 82.0}


@pytest.mark.parametrize(
    ("text", "stored_as"),
    [
        ("全省", "420000"),
        ("合 计", "420000"),
        ("全省平均", "420000"),
        ("17个重点城市平均", None),
        ("国家考核区域", None),
        ("小计", None),
    ],
)
def test_summary_rows_are_the_parent_only_when_they_cover_it(catalog, regions, text, stored_as):
    parsed = parse(
        {"Sheet1": wide_rows((1, "武汉", 40, 80.5), (2, "黄石", 36, 85.0), (None, text, 38, 82.0))}, catalog, regions
    )
    assert not parsed.has_errors
    p = parsed.problems.set_index("cell").loc["B5"]
    stored = parsed.tidy[~parsed.tidy["region_code"].isin(["420100", "420200"])]
    if stored_as:
        assert set(stored["region_code"]) == {stored_as} and len(stored) == 2 and "按湖北的数值导入" in p["problem_zh"]
    else:
        assert stored.empty and "未导入" in p["problem_zh"] and "not imported" in p["problem_en"]


def test_summary_rows_need_one_parent_and_a_mean_is_not_a_total(catalog, regions):
    mixed = wide_rows((1, "武汉", 40, 80.5), (2, "长沙", 36, 85.0), (None, "合计", 38, 82.0))
    parsed = parse({"Sheet1": mixed}, catalog, regions)
    assert set(parsed.tidy["region_code"]) == {"420100", "430100"}  # Hubei and Hunan: no single parent
    villages = [
        ["2024年1-12月农村生活污水治理"],
        ["地区", "完成生活污水治理行政村数(个)"],
        ["武汉", 60],
        ["黄石", 40],
        ["全省平均", 50],
        ["全省合计", 100],
    ]
    parsed = parse({"Sheet1": villages}, catalog, regions)
    hubei = parsed.tidy[parsed.tidy["region_code"] == "420000"]
    assert hubei["value"].tolist() == [100.0]  # the total is Hubei's; the mean of a count is not


def test_notes_and_empty_sheets_are_skipped_and_a_headerless_sheet_warns(catalog, regions):
    sheets = {
        "说明": [["本表说明", "PM2.5"]],
        "README": [["地区", "PM2.5"]],
        "Sheet2": [],
        "草稿": [["随便写写"], ["没有表头"]],
        "2024年Q2": wide_rows((1, "黄冈", 35, 85.0)),
    }
    parsed = parse(sheets, catalog, regions)
    assert len(parsed.tidy) == 2 and set(parsed.tidy["sheet"]) == {"2024年Q2"}
    p = only_problem(parsed)
    assert (
        (p["sheet"], p["severity"]) == ("草稿", "warning") and "草稿" in p["problem_zh"] and "草稿" in p["problem_en"]
    )


# ---- values --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, expected",
    [
        ("85.7%", 85.7),
        ("８５.７％", 85.7),
        (" 37 ", 37.0),
        ("37", 37.0),
        (0, 0.0),
        ("0", 0.0),
        ("1,571", 1571.0),
    ],
)
def test_numbers_written_as_text_percent_or_zero(catalog, regions, written, expected):
    indicator = "环境整治行政村数" if expected > 100 else "优良天数比例"
    parsed = parse({"数据": long_rows(("武汉", 2024, "Q2", indicator, written))}, catalog, regions)
    assert parsed.problems.empty, parsed.problems.to_string()
    assert parsed.tidy["value"].tolist() == [expected]


@pytest.mark.parametrize("missing", ["-", "—", "/", "／", "未监测", "", None])
def test_missing_markers_give_no_row_and_no_problem(catalog, regions, missing):
    parsed = parse(
        {"数据": long_rows(("武汉", 2024, "Q2", "PM2.5", missing), ("黄石", 2024, "Q2", "PM2.5", 0))}, catalog, regions
    )
    assert parsed.problems.empty and parsed.tidy[["region_code", "value"]].values.tolist() == [["420200", 0.0]]


def test_percent_formatted_fraction_is_read_as_percent(catalog, regions):
    parsed = parse(
        {"数据": long_rows(("武汉", 2024, "Q2", "优良天数比例", 0.857))}, catalog, regions, percent_cells=("E3",)
    )
    assert parsed.problems.empty and parsed.tidy["value"].tolist() == [pytest.approx(85.7)]
    plain = parse({"数据": long_rows(("武汉", 2024, "Q2", "优良天数比例", 0.857))}, catalog, regions)
    assert only_problem(plain)["severity"] == "warning" and "0.857 → 85.7 %" in only_problem(plain)["problem_en"]
    assert plain.tidy["value"].tolist() == [pytest.approx(85.7)]


def test_a_column_mixing_fractions_and_percentages_is_not_guessed(catalog, regions):
    rows = wide_rows((1, "武汉", 40, 80.5), (2, "黄石", 36, 0.9), (3, "十堰", 30, 91))
    parsed = parse({"Sheet1": rows}, catalog, regions)
    p = only_problem(parsed)
    assert (p["cell"], p["severity"], p["value"]) == ("D4", "error", "0.9")
    assert "0.9%还是90%" in p["problem_zh"] and "mixes percentages and fractions" in p["problem_en"]
    assert ("420200", "good_air_ratio") not in set(
        zip(parsed.tidy["region_code"], parsed.tidy["indicator_code"], strict=True)
    )


def test_a_bulletin_table_as_published_imports_without_hand_editing(catalog, regions):
    """Title with year and period, merged two-row header with units, rank / year-on-year / primary-pollutant columns,
    '*' and spaces in names, '85.7%' text, '—' and '/' for missing, a 全省 row, a partial-set average and a footnote."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表1"
    ws.append(["表1 2024年1-6月全省17个重点城市环境空气质量状况"])
    ws.append(["排名", "城市", "PM2.5浓度(μg/m³)", None, "优良天数比例(%)", None, "首要污染物"])
    ws.append([None, None, "2024年1-6月", "同比(%)", "2024年1-6月", "同比(百分点)", None])
    for cells in ("C2:D2", "E2:F2", "A2:A3", "B2:B3", "G2:G3"):
        ws.merge_cells(cells)
    ws.append([1, "神农架林区", 18, "-5.3%", "99.4%", 0.6, "O3"])
    ws.append([2, "恩施州*", 29, "—", 92.3, "/", "PM2.5"])
    ws.append([3, "武 汉", 38, -2.6, "80.1%", 1.2, "O3"])
    ws.append([None, "全省", 35, -2.8, 86.0, 0.9, None])
    ws.append([None, "17个重点城市平均", 35.2, None, 86.1, None, None])
    ws.append(["注：1. 数据为实时监测数据，未经审核；2. 标*者为国家考核城市。"])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse_workbook(buf.getvalue(), catalog, regions)
    assert not parsed.has_errors
    got = {(r.region_code, r.indicator_code): (r.year, r.period, r.value) for r in parsed.tidy.itertuples()}
    assert got == {
        ("429021", "pm25"): (2024, 6, 18.0),
        ("422800", "pm25"): (2024, 6, 29.0),
        ("420100", "pm25"): (2024, 6, 38.0),
        ("420000", "pm25"): (2024, 6, 35.0),
        ("429021", "good_air_ratio"): (2024, 6, 99.4),
        ("422800", "good_air_ratio"): (2024, 6, 92.3),
        ("420100", "good_air_ratio"): (2024, 6, 80.1),
        ("420000", "good_air_ratio"): (2024, 6, 86.0),
    }
    said = parsed.problems.set_index("cell")["problem_zh"].to_dict()
    assert said == {"B7": "汇总行“全省”按湖北的数值导入", "B8": "汇总行“17个重点城市平均”不是单个地区，未导入"}
