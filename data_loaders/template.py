"""The upload template: a wide sheet for one year, period and province, with validation and instructions."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.catalog import Catalog
from indicators.periods import period_label
from indicators.regions import RegionIndex

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def indicator_header(name_zh: str, unit: str) -> str:
    return name_zh if unit in ("", "—") else f"{name_zh}({unit})"


def template_bytes(
    catalog: Catalog,
    regions: RegionIndex,
    year: int,
    period: int,
    province: str,
    indicator_codes: list[str] | None = None,
) -> bytes:
    """An .xlsx the import reads back with no warnings: title row, one row per city, one column per indicator."""
    codes = indicator_codes or [i.code for i in catalog]
    cities = regions.children(province)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年{period_label(period)}"
    prov_name = regions[province].name
    ws.append([f"{year}年{period_label(period)}{prov_name}各市州生态环境指标数据填报表"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["地区", *(indicator_header(catalog[c].name_zh, catalog[c].unit) for c in codes)])
    for cell in ws[2]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for city in cities:
        ws.append([city.short_name])
    last = 2 + len(cities)
    names = ",".join(c.short_name for c in cities)
    region_rule = DataValidation(type="list", formula1=f'"{names}"', allow_blank=False)
    region_rule.error, region_rule.errorTitle = "请从下拉列表中选择地区", "地区"
    ws.add_data_validation(region_rule)
    region_rule.add(f"A3:A{last}")
    for idx, code in enumerate(codes, start=2):
        ind = catalog[code]
        letter = get_column_letter(idx)
        rule = DataValidation(
            type="decimal",
            operator="between",
            formula1=str(ind.min_value),
            formula2=str(ind.max_value),
            allow_blank=True,
        )
        rule.error = f"{ind.name_zh}应为 {ind.min_value:g}–{ind.max_value:g} 之间的数值"
        rule.errorTitle = ind.name_zh
        ws.add_data_validation(rule)
        rule.add(f"{letter}3:{letter}{last}")
        ws.column_dimensions[letter].width = 18
    ws.column_dimensions["A"].width = 12
    ws.row_dimensions[2].height = 45
    ws.freeze_panes = "B3"
    _instructions(wb.create_sheet("填报说明"), catalog, codes, year, period, prov_name)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _instructions(ws, catalog: Catalog, codes: list[str], year: int, period: int, province: str) -> None:
    lines = [
        f"{year}年{period_label(period)}{province}生态环境指标数据填报说明",
        "1. 请在第一个工作表中按地区逐行填写，不要修改标题行和表头。",
        f"2. 数值均为自年初至统计期末的累计值（{period_label(period)}）：浓度、比例填累计均值或比例，数量填累计完成数。",
        "3. 比例类指标填百分数数值（如 85.7，不要填 0.857）；没有数据的单元格留空，或填写“-”。",
        "4. 上传后系统会逐格检查，发现问题会列明工作表和单元格，全部无误后方可提交。",
        "",
        "指标 | 单位 | 口径 | 依据",
    ]
    for line in lines:
        ws.append([line])
    for code in codes:
        ind = catalog[code]
        ws.append([ind.name_zh, ind.unit, ind.definition_zh, ind.standard])
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["D"].width = 40
