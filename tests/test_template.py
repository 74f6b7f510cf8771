"""The template round-trips: filled in, it imports with no problem at all."""

from __future__ import annotations

import io

import openpyxl
import pytest

import cli
from data_loaders.pipeline import parse_workbook
from data_loaders.template import template_bytes


@pytest.mark.parametrize("province, period", [("420000", 6), ("430000", 12)])
def test_filled_template_imports_without_warnings(catalog, regions, province, period):
    data = template_bytes(catalog, regions, 2024, period, province)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert wb.sheetnames[1] == "填报说明"
    assert ws.data_validations.dataValidation, "drop-down and range validation present"
    cities = regions.children(province)
    for row, _city in enumerate(cities, start=3):
        for col, ind in enumerate(catalog, start=2):
            ws.cell(row=row, column=col, value=round((ind.min_value + min(ind.max_value, 100)) / 2 + row / 10, 2))
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse_workbook(buf.getvalue(), catalog, regions)
    assert parsed.problems.empty, parsed.problems.to_string()
    assert len(parsed.tidy) == len(cities) * len(catalog)
    assert set(parsed.tidy["period"]) == {period} and set(parsed.tidy["year"]) == {2024}
    assert set(parsed.tidy["region_code"]) == {c.code for c in cities}


def test_empty_template_is_read_cleanly_and_refused_as_empty(catalog, regions):
    """An unfilled template has no unknown column or region; its only problem is that it holds no values."""
    parsed = parse_workbook(template_bytes(catalog, regions, 2024, 3, "420000"), catalog, regions)
    assert parsed.tidy.empty and parsed.problems["problem_zh"].tolist() == [
        "工作簿中没有读到任何数值（空表或只有表头）"
    ]


def test_cli_template(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert cli.main(["template", "--year", "2024", "--period", "Q2", "--province", "420000", "-o", str(out)]) == 0
    assert openpyxl.load_workbook(out).worksheets[0]["A1"].value == "2024年1-6月湖北省各市州生态环境指标数据填报表"
