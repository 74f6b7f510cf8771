"""Excel reports: read back with openpyxl, as a clerk's Excel would open them."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from charts.report_sheets import gaps_report, overview_report
from charts.style import STATUS_COLORS, STATUS_TINTS
from charts.xlsx import HEADER_ROW, MAX_SHEET_NAME, ReportSheet, safe_sheet_name, xlsx_report
from data_loaders.reports import with_names
from indicators.engine import compute_gaps
from indicators.targets import Target

FIRST = HEADER_ROW + 1  # first data row


def load(data: bytes) -> openpyxl.Workbook:
    assert data.startswith(b"PK")  # an xlsx is a zip
    return openpyxl.load_workbook(io.BytesIO(data))


def fill(cell) -> str:
    """The solid fill of a cell as RRGGBB ('' when none)."""
    return cell.fill.start_color.rgb[-6:] if cell.fill.fill_type == "solid" else ""


def header(ws) -> list:
    """The header row's labels (the legend under the table may make the sheet wider)."""
    return [c.value for c in ws[HEADER_ROW] if c.value is not None]


def rows_by_first_cell(ws) -> dict:
    return {ws.cell(row=r, column=1).value: r for r in range(FIRST, ws.max_row + 1)}


def test_sheets_title_header_numbers_fills_and_escaping():
    table = pd.DataFrame(
        {
            "地区": ["武汉", "黄石", "=cmd()", "恩施土家族苗族自治州"],
            "实际值 (%)": [55.3, 41.2, np.nan, np.float64(48.0)],
            "完成数 (个)": pd.array([12, 0, None, 7], dtype="Int64"),
            "备注": ["-", "+86 电话", "@SUM(A1)", "-3.5"],
        }
    )
    sheet = ReportSheet(
        name="差距排名",
        table=table,
        number_formats={"实际值 (%)": "0.00", "完成数 (个)": "0"},
        row_status=["met", "behind", "no_data", "not_met"],
    )
    other = ReportSheet(name="目标依据", table=pd.DataFrame({"下达单位": ["湖北省生态环境厅"]}))
    wb = load(xlsx_report([sheet, other], "2024年1-6月 农村生活污水治理率", "数据来源：各市州报送数据"))

    assert wb.sheetnames == ["差距排名", "目标依据"]
    ws = wb["差距排名"]
    assert ws["A1"].value == "2024年1-6月 农村生活污水治理率" and ws["A1"].font.b
    assert ws["A2"].value == "数据来源：各市州报送数据"
    assert header(ws) == ["地区", "实际值 (%)", "完成数 (个)", "备注"]
    assert all(c.font.b for c in ws[HEADER_ROW])
    assert ws.freeze_panes == f"B{FIRST}"  # header and region column stay in view

    wuhan, huangshi, injected, enshi = range(FIRST, FIRST + 4)
    assert ws.cell(wuhan, 2).value == 55.3 and ws.cell(wuhan, 2).data_type == "n"
    assert ws.cell(wuhan, 2).number_format == "0.00"
    assert ws.cell(huangshi, 3).value == 0 and ws.cell(huangshi, 3).data_type == "n"  # a real 0 stays a number
    assert ws.cell(enshi, 2).value == 48.0 and ws.cell(enshi, 3).value == 7  # numpy / nullable ints as numbers
    assert ws.cell(injected, 2).value is None and ws.cell(injected, 3).value is None  # NaN and NA are blank

    assert ws.cell(injected, 1).value == "'=cmd()" and ws.cell(injected, 1).data_type == "s"
    assert ws.cell(injected, 4).value == "'@SUM(A1)"
    assert ws.cell(huangshi, 4).value == "'+86 电话"
    assert ws.cell(enshi, 4).value == "-3.5"  # numeric text is not a formula
    assert ws.cell(enshi, 1).value == "恩施土家族苗族自治州"

    assert fill(ws.cell(wuhan, 1)) == fill(ws.cell(wuhan, 4)) == STATUS_TINTS["met"]
    assert fill(ws.cell(huangshi, 2)) == STATUS_TINTS["behind"]
    assert fill(ws.cell(enshi, 3)) == STATUS_TINTS["not_met"]
    assert len({STATUS_TINTS["met"], STATUS_TINTS["behind"], STATUS_TINTS["not_met"]}) == 3

    # Wide enough for the longest Chinese name (two columns per character), and capped.
    assert ws.column_dimensions["A"].width >= 2 * len("恩施土家族苗族自治州")
    assert wb["目标依据"]["A4"].value == "湖北省生态环境厅"


def test_cell_status_fills_single_cells_and_legend_explains_colours():
    table = pd.DataFrame({"地区": ["武汉", "潜江"], "PM2.5": [38.0, 31.0], "优良率": [81.1, 94.0]})
    sheet = ReportSheet(
        name="总表",
        table=table,
        cell_status={"PM2.5": ["behind", "met"], "优良率": [None, "on_track"]},
        legend=[("met", "已达标"), ("behind", "进度滞后")],
    )
    ws = load(xlsx_report([sheet], "t", "n"))["总表"]
    assert fill(ws.cell(FIRST, 2)) == STATUS_TINTS["behind"] and fill(ws.cell(FIRST + 1, 2)) == STATUS_TINTS["met"]
    assert fill(ws.cell(FIRST, 3)) == "" and fill(ws.cell(FIRST + 1, 3)) == STATUS_TINTS["on_track"]
    assert fill(ws.cell(FIRST, 1)) == ""  # only the named cells
    legend_row = FIRST + len(table) + 1
    assert ws.cell(legend_row, 1).value == "图例"
    assert ws.cell(legend_row, 2).value == "已达标" and fill(ws.cell(legend_row, 2)) == STATUS_TINTS["met"]


@pytest.mark.parametrize(
    "name, taken, expected",
    [
        ("差距排名", [], "差距排名"),
        ("Gaps [2024]: a/b?*", [], "Gaps _2024__ a_b__"),
        ("'quoted'", [], "quoted"),
        ("x" * 40, [], "x" * MAX_SHEET_NAME),
        ("Scorecard", ["scorecard"], "Scorecard(2)"),
        ("y" * 40, ["y" * 31], "y" * 28 + "(2)"),
        ("", [], "Sheet"),
    ],
)
def test_safe_sheet_name(name, taken, expected):
    got = safe_sheet_name(name, taken)
    assert got == expected and len(got) <= MAX_SHEET_NAME


def test_tints_are_lighter_versions_of_the_chart_colours():
    for status, color in STATUS_COLORS.items():
        base = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
        light = [int(STATUS_TINTS[status][i : i + 2], 16) for i in (0, 2, 4)]
        assert all(lt >= b for lt, b in zip(light, base, strict=True)), status
        assert sum(light) > sum(base) or sum(base) == 3 * 255, status
        assert min(light) >= 0x99  # black text stays readable


def _gaps(catalog, regions, period: int) -> pd.DataFrame:
    targets = [
        Target(
            "rural_sewage_rate",
            "420000",
            2024,
            ">=",
            46.58,
            issuer_name="湖北省生态环境厅",
            source_clause="达到46.58%",
            scope="each",  # graded for every city, so the report shows verdict colours
        ),
        Target("rural_sewage_rate", "420100", 2024, ">=", 56, issuer_name="武汉市生态环境局", source_clause="=cmd()"),
    ]
    obs = pd.DataFrame(
        [
            ("rural_sewage_rate", "420100", 2024, period, 55.2),
            ("rural_sewage_rate", "420200", 2024, period, 52.4),
            ("rural_sewage_rate", "429005", 2024, period, 41.41),
        ],
        columns=["indicator_code", "region_code", "year", "period", "value"],
    )
    cities = ["420100", "420200", "429005", "429021"]
    gaps = compute_gaps(catalog, regions, targets, obs, 2024, period, cities, ["rural_sewage_rate"])
    return with_names(gaps, catalog, regions)


def test_gaps_report_ranks_colours_and_lists_targets(catalog, regions):
    gaps = _gaps(catalog, regions, 6)
    data = gaps_report(gaps, catalog["rural_sewage_rate"], catalog, regions, "zh", "标题", "数据来源")
    wb = load(data)
    assert wb.sheetnames == ["差距排名", "目标依据"]
    ws = wb["差距排名"]
    col = {h: i + 1 for i, h in enumerate(header(ws))}
    assert header(ws)[:3] == ["排名", "地区", "指标"]
    names = [ws.cell(r, col["地区"]).value for r in range(FIRST, FIRST + 4)]
    assert names == ["黄石", "武汉", "潜江", "神农架"]  # best margin first, no data last
    assert [ws.cell(r, 1).value for r in range(FIRST, FIRST + 4)] == [1, 2, 3, None]
    huangshi, wuhan, qianjiang = FIRST, FIRST + 1, FIRST + 2
    assert ws.cell(wuhan, col["差距"]).value == pytest.approx(-0.8)  # 55.2 against the expected 56 (no history)
    assert ws.cell(wuhan, col["差距"]).number_format == "+0.00;-0.00;0.00"
    assert ws.cell(qianjiang, col["差距率"]).value == pytest.approx((41.41 - 46.58) / 46.58)
    assert ws.cell(huangshi, col["状态"]).value == "进度正常"
    assert fill(ws.cell(wuhan, col["状态"])) == STATUS_TINTS["behind"]
    assert fill(ws.cell(huangshi, col["实际值"])) == STATUS_TINTS["on_track"]
    assert ws.cell(wuhan, col["目标原文"]).value == "'=cmd()"

    targets = wb["目标依据"]
    rows = [[c.value for c in row] for row in targets.iter_rows(min_row=HEADER_ROW)]
    assert rows[0][:4] == ["目标所属地区", "下达单位", "比较", "目标值"]
    province = next(r for r in rows if r[1] == "湖北省生态环境厅")
    assert province[3] == 46.58 and "黄石、潜江、神农架" in province and province[7] == 3
    assert any(r[1] == "武汉市生态环境局" and r[3] == 56 for r in rows)


def test_gaps_report_year_end_met_and_not_met_fills_in_english(catalog, regions):
    gaps = _gaps(catalog, regions, 12)
    wb = load(gaps_report(gaps, catalog["rural_sewage_rate"], catalog, regions, "en", "T", "N", "margin_pct"))
    assert wb.sheetnames == ["Ranked gaps", "Targets applied"]
    ws = wb["Ranked gaps"]
    by_region = {ws.cell(r, 2).value: r for r in range(FIRST, FIRST + 4)}
    assert fill(ws.cell(by_region["黄石"], 1)) == STATUS_TINTS["met"]
    assert fill(ws.cell(by_region["武汉"], 1)) == STATUS_TINTS["not_met"]
    assert ws.cell(by_region["武汉"], header(ws).index("Status") + 1).value == "Not met"


def test_overview_report_scorecard_cells_and_detail(catalog, regions):
    gaps = _gaps(catalog, regions, 12)
    gaps["value_source"] = ["approximate" if c == "420200" else "uploaded" for c in gaps["region_code"]]
    order = ["420100", "420200", "429005", "429021"]
    wb = load(overview_report(gaps, catalog, order, "zh", "2024年全年 湖北", "数据来源"))
    assert wb.sheetnames == ["完成情况总表", "差距明细"]
    card = wb["完成情况总表"]
    assert header(card) == ["地区", "农村生活污水治理率 (%)"]
    rows = rows_by_first_cell(card)
    assert card.cell(rows["武汉"], 2).value == 55.2 and fill(card.cell(rows["武汉"], 2)) == STATUS_TINTS["not_met"]
    assert fill(card.cell(rows["黄石"], 2)) == STATUS_TINTS["met"]
    assert card.cell(rows["黄石"], 2).number_format == '"≈"0.00'  # approximate, still a number
    assert card.cell(rows["武汉"], 2).number_format == "0.00"
    assert card.cell(rows["神农架"], 2).value is None and fill(card.cell(rows["神农架"], 2)) == STATUS_TINTS["no_data"]
    detail = wb["差距明细"]
    assert "数值来源" in header(detail) and "序时进度应完成" not in header(detail)  # no count indicator here
    assert [detail.cell(r, 1).value for r in range(FIRST, FIRST + 4)] == ["武汉", "黄石", "潜江", "神农架"]
