"""Every named check naming its sheet and cell, the problems table, files that are not workbooks, progress."""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import openpyxl
import pytest

from data_loaders.cells import PROBLEM_COLUMNS, TIDY_COLUMNS
from data_loaders.pipeline import UnreadableWorkbook, parse_workbook
from tests.workbooks import assert_bilingual, book_bytes, long_rows, only_problem, parse, wide_rows

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


# ---- the named checks ----------------------------------------------------------------------------------------------


def test_unknown_city_names_the_cell_and_suggests(catalog, regions):
    parsed = parse(
        {"2024年Q2": long_rows(("武汉", 2024, "Q2", "PM2.5", 40), ("武昌", 2024, "Q2", "PM2.5", 41))}, catalog, regions
    )
    p = only_problem(parsed)
    assert (p["sheet"], p["cell"], p["column"], p["value"], p["severity"]) == (
        "2024年Q2",
        "A4",
        "地区",
        "武昌",
        "error",
    )
    assert (
        "武昌" in p["problem_zh"]
        and "武汉" in p["problem_zh"]
        and "did you mean" in p["problem_en"]
        and "武汉" in p["problem_en"]
    )
    assert_bilingual(p)
    assert parsed.has_errors and parsed.tidy["region_code"].tolist() == ["420100"]


def test_unknown_city_in_a_wide_sheet(catalog, regions):
    p = only_problem(parse({"2024年Q2": wide_rows((1, "襄阳", 44, 77.0), (2, "宜昌县", 45, 76.0))}, catalog, regions))
    # 宜昌 is the first suggestion; 宜宾 (Sichuan) may follow it now that more provinces ship.
    assert (p["sheet"], p["cell"], p["severity"]) == ("2024年Q2", "B4", "error") and "是否为：宜昌" in p["problem_zh"]


BAD_ROWS = [
    # (row written on row 4, cell, severity, words in the message)
    (("武汉", 2024, "Q2", "PM2.5", "约37"), "E4", "error", "约37"),
    (("武汉", 2024, "Q2", "PM10浓度", 60), "D4", "error", "PM10浓度"),
    (("武汉", 2024, "H1", "PM2.5", 40), "C4", "error", "H1"),
    (("武汉", "明年", "Q2", "PM2.5", 40), "B4", "error", "明年"),
    (("武汉", 2024, "Q2", "PM2.5", "NaN"), "E4", "error", "NaN"),
    (("武汉", 2024, "Q2", "PM2.5", "inf"), "E4", "error", "inf"),
    (("武汉", 2024, "Q2", "优良天数比例", 120), "E4", "error", "120"),
    (("武汉", 2024, "Q2", "农村生活污水治理率", -3), "E4", "error", "-3"),
    (("黄石", 2024, "Q2", "PM2.5", 620), "E4", "warning", "620"),
    (("武汉", 2024, "Q2", "PM2.5", 41), "E4", "error", "E3"),  # duplicates row 3
    (("", 2024, "Q2", "PM2.5", 41), "A4", "error", "地区"),
    (("武汉", 2024, "Q2", "PM2.5", "#DIV/0!"), "E4", "error", "#DIV/0!"),
    (("武汉", 2024, "Q2", "PM2.5", True), "E4", "error", "True"),
]


@pytest.mark.parametrize("row, cell, severity, words", BAD_ROWS)
def test_each_bad_value_is_one_problem_naming_sheet_and_cell(catalog, regions, row, cell, severity, words):
    parsed = parse({"2024年Q2": long_rows(("武汉", 2024, "Q2", "PM2.5", 40), row)}, catalog, regions)
    p = only_problem(parsed)
    assert (p["sheet"], p["cell"], p["severity"]) == ("2024年Q2", cell, severity)
    assert words in p["problem_zh"] and (words in p["problem_en"] or not words.isascii())
    if words == "E3":  # the duplicate names both cells
        assert "E4" in p["problem_zh"] and "E4" in p["problem_en"]
    assert_bilingual(p)
    assert parsed.has_errors == (severity == "error")


def test_duplicate_across_sheets_names_the_other_sheet(catalog, regions):
    p = only_problem(
        parse(
            {"2024年Q2": wide_rows((1, "武汉", 40, None)), "补报": wide_rows((1, "武汉市", 41, None))}, catalog, regions
        )
    )
    assert (p["sheet"], p["cell"], p["severity"]) == ("补报", "C3", "error")
    assert "2024年Q2" in p["problem_zh"] and "C3" in p["problem_zh"] and "2024年Q2" in p["problem_en"]


def test_hidden_helper_sheet_without_header_is_silent(catalog, regions):
    wb = openpyxl.Workbook()
    wb.active.title = "2024年Q2"
    for row in wide_rows((1, "武汉", 40, 80.0)):
        wb.active.append(row)
    lists = wb.create_sheet("lists")
    lists.append(["武汉", "黄石"])
    lists.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse_workbook(buf.getvalue(), catalog, regions)
    assert parsed.problems.empty and len(parsed.tidy) == 2


def test_ratio_parts(catalog, regions):
    header = ["地区", "年份", "期间", "指标", "数值", "分子", "分母"]
    rows = [
        ["2024年Q2"],
        header,
        ["武汉", 2024, "Q2", "Ⅰ~Ⅲ类断面比例", 90.0, 21, 20],  # numerator > denominator
        ["黄石", 2024, "Q2", "Ⅰ~Ⅲ类断面比例", 90.0, 9, 0],  # denominator 0
        ["十堰", 2024, "Q2", "Ⅰ~Ⅲ类断面比例", 90.0, 16, 18],  # 88.9, not 90
        ["宜昌", 2024, "Q2", "Ⅰ~Ⅲ类断面比例", 88.9, 16, 18],
    ]  # fine
    problems = parse({"Sheet1": rows}, catalog, regions).problems.set_index("cell")
    assert problems["severity"].to_dict() == {"F3": "error", "G4": "error", "E5": "warning"}
    assert "分母" in problems.loc["G4", "problem_zh"] and "88.89" in problems.loc["E5", "problem_en"]


def test_title_and_sheet_name_that_disagree_are_an_error(catalog, regions):
    p = only_problem(parse({"2024年Q3": wide_rows((1, "武汉", 40, 80.0))}, catalog, regions))
    assert (p["sheet"], p["cell"], p["severity"]) == ("2024年Q3", "A1", "error") and "期间" in p["problem_zh"]


def test_missing_year_and_period(catalog, regions):
    parsed = parse({"Sheet1": [["地区", "PM2.5浓度"], ["武汉", 40]]}, catalog, regions)
    assert parsed.problems["column"].tolist() == ["年份", "期间"] and set(parsed.problems["cell"]) == {"A1"}
    assert parsed.has_errors and parsed.tidy.empty and list(parsed.tidy.columns) == TIDY_COLUMNS


def test_problems_table_shape_and_problems_in_reading_order(catalog, regions):
    clean = parse({"数据": long_rows(("武汉", 2024, "Q2", "PM2.5", 40))}, catalog, regions)
    assert list(clean.problems.columns) == PROBLEM_COLUMNS and clean.problems.empty and not clean.has_errors
    tidy = clean.tidy
    assert [str(tidy[c].dtype) for c in ("year", "period", "value", "numerator")] == [
        "int64",
        "int64",
        "float64",
        "float64",
    ]
    assert tidy["region_code"].tolist() == ["420100"] and math.isnan(tidy["numerator"].iloc[0])
    messy = parse(
        {"B": long_rows(("武昌", 2024, "Q2", "PM2.5", "x")), "A": long_rows(("武汉", 2024, "Q9", "PM2.5", 1))},
        catalog,
        regions,
    )
    assert messy.problems[["sheet", "cell"]].values.tolist() == [["B", "A3"], ["B", "E3"], ["A", "C3"]]


# ---- files that are not workbooks ------------------------------------------------------------------------------------


def test_unreadable_files_raise(tmp_path, catalog, regions):
    good = book_bytes({"数据": long_rows(("武汉", 2024, "Q2", "PM2.5", 40))})
    text = tmp_path / "renamed.xlsx"
    text.write_text("地区,数值\n武汉,40\n", encoding="utf-8")
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good[: len(good) // 2])
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    for source in (
        text,
        truncated,
        empty,
        zipped.getvalue(),
        tmp_path / "missing.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1junk",
    ):
        with pytest.raises(UnreadableWorkbook) as info:
            parse_workbook(source, catalog, regions)
        exc = info.value
        assert exc.zh and exc.en and str(exc) == f"{exc.zh} / {exc.en}"
    with pytest.raises(UnreadableWorkbook, match="too large"):
        parse_workbook(good, catalog, regions, max_bytes=len(good) - 1)
    assert len(parse_workbook(good, catalog, regions, max_bytes=len(good)).tidy) == 1


def test_progress_reports_rows_read_per_sheet_then_values_checked(catalog, regions):
    seen = []
    data = book_bytes(
        {"A": long_rows(("武汉", 2024, "Q2", "PM2.5", 40)), "B": long_rows(("黄石", 2024, "Q2", "PM2.5", 36))}
    )
    parse_workbook(data, catalog, regions, progress=lambda *a: seen.append(a))
    assert seen == [("read", 3, 6), ("read", 6, 6), ("validated", 2, 2)]


def test_problem_is_built_by_keyword_and_cuts_echoed_text():
    import dataclasses

    from data_loaders.cells import Problem, problems_frame
    from indicators.terms import Severity

    with pytest.raises(TypeError):
        Problem("S", "A1", "列", "v", "中文", "English")  # positional: refused
    p = Problem(sheet="表" * 70, cell="B2", column="列" * 70, value="x" * 100, zh="中文", en="English")
    assert (len(p.sheet), len(p.column), len(p.value), p.severity) == (64, 64, 80, Severity.ERROR)
    assert Problem(sheet="S", cell="A1", column="", value=float("nan"), zh="", en="").value == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.cell = "C3"
    frame = problems_frame(
        [p, Problem(sheet="S", cell="A1", column="", value=None, zh="z", en="e", severity=Severity.WARNING)]
    )
    assert list(frame.columns) == PROBLEM_COLUMNS and frame["severity"].tolist() == ["warning", "error"]  # A1 before B2
