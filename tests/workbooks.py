"""Small workbooks built in memory for the reader and check tests."""

from __future__ import annotations

import io
import re

import openpyxl

from data_loaders.pipeline import ParsedUpload, parse_workbook

LONG_HEADER = ["地区", "年份", "期间", "指标", "数值"]


def book_bytes(sheets: dict[str, list[list]], percent_cells: tuple[str, ...] = ()) -> bytes:
    """A workbook with one sheet per entry, rows as given (None = empty cell)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for ref in percent_cells:
            ws[ref].number_format = "0.0%"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def parse(sheets: dict[str, list[list]], catalog, regions, **kw) -> ParsedUpload:
    return parse_workbook(book_bytes(sheets, **kw), catalog, regions)


def long_rows(*rows: tuple, title: str = "2024年各市州环境质量数据") -> list[list]:
    """Title on row 1, header on row 2, data from row 3."""
    return [[title], LONG_HEADER, *[list(r) for r in rows]]


def wide_rows(*rows: tuple, title: str = "2024年1-6月各市州环境质量状况") -> list[list]:
    """Title on row 1, header on row 2 (A 序号, B 地区, C PM2.5, D 优良天数比例), data from row 3."""
    return [[title], ["序号", "地区", "PM2.5浓度(μg/m³)", "优良天数比例(%)"], *[list(r) for r in rows]]


def only_problem(parsed: ParsedUpload) -> dict:
    assert len(parsed.problems) == 1, parsed.problems.to_string()
    return parsed.problems.iloc[0].to_dict()


def assert_bilingual(p: dict) -> None:
    assert re.search(r"[\u4e00-\u9fff]", p["problem_zh"]) and re.search(r"[A-Za-z]{3,}", p["problem_en"])


def stored_values(url: str, year: int = 2024) -> dict:
    """(region, indicator, period) → (value, numerator, denominator) of every current observation of a year."""
    from data_loaders import store
    from data_loaders.db import make_engine

    engine = make_engine(url)
    try:
        obs = store.load_observations(engine, [year])
    finally:
        engine.dispose()
    return {
        (r.region_code, r.indicator_code, r.period): (r.value, r.numerator, r.denominator) for r in obs.itertuples()
    }
