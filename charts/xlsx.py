"""Excel reports: one sheet per view, numbers kept as numbers, status colours as cell fills (openpyxl)."""

from __future__ import annotations

import io
import math
import numbers
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from charts.safe_text import spreadsheet_cell
from charts.style import STATUS_TINTS

MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HEADER_ROW = 3  # row 1: title, row 2: source note
MAX_COLUMN_WIDTH = 48


@dataclass(frozen=True)
class ReportSheet:
    """One view of a report.

    `table` holds the headers and values as the reader sees them (numbers as numbers, NaN for blank).
    `number_formats` maps a column to an Excel number format, or to one format per row (mixed indicators).
    `row_status` colours whole rows and `cell_status` single cells (column → one status per row, None = no fill),
    both with the status codes of the engine ("met", "behind", …). `legend` pairs (status, label) are written
    under the table, each on its fill, so a printed sheet still says what the colours mean.
    """

    name: str
    table: pd.DataFrame
    number_formats: Mapping[str, str | Sequence[str]] = field(default_factory=dict)
    row_status: Sequence[str] | None = None
    cell_status: Mapping[str, Sequence[str | None]] = field(default_factory=dict)
    legend: Sequence[tuple[str, str]] = ()
    legend_title: str = "图例"
    freeze_first_column: bool = True


def decimals_format(decimals: int, signed: bool = False) -> str:
    """An Excel number format with the indicator's decimals: '0.00', or '+0.00;-0.00;0.00' for margins."""
    body = "0" if decimals <= 0 else "0." + "0" * decimals
    return f"+{body};-{body};{body}" if signed else body


PERCENT_SIGNED = "+0.0%;-0.0%;0.0%"


def safe_sheet_name(name: str, taken: Sequence[str] = ()) -> str:
    """A name Excel accepts: no []:*?/\\, no edge apostrophes, at most 31 characters, unique (case-insensitive)."""
    clean = _BAD_SHEET_CHARS.sub("_", str(name)).strip().strip("'") or "Sheet"
    clean = clean[:MAX_SHEET_NAME]
    used = {t.lower() for t in taken}
    candidate, n = clean, 2
    while candidate.lower() in used:
        suffix = f"({n})"
        candidate = clean[: MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    return candidate


def _display_width(text: str) -> int:
    """Columns a text needs: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _cell_value(value: object) -> object:
    """Blank for missing, plain Python numbers, escaped text (Excel would run '=cmd()' as a formula)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | numpy.bool_):
        return bool(value)
    if isinstance(value, numbers.Real):
        number = value.item() if isinstance(value, numpy.generic) else value
        return None if isinstance(number, float) and math.isnan(number) else number
    return spreadsheet_cell(str(value))


def _per_row(spec: str | Sequence[str] | None, n: int) -> list[str | None]:
    if spec is None or isinstance(spec, str):
        return [spec] * n
    return list(spec)


def _fill(status: str | None) -> PatternFill | None:
    color = STATUS_TINTS.get(status or "")
    return PatternFill(fill_type="solid", start_color=color, end_color=color) if color else None


def _write_sheet(ws, sheet: ReportSheet, title: str, source_note: str) -> None:
    table = sheet.table
    n_rows, n_cols = table.shape
    ws.cell(row=1, column=1, value=spreadsheet_cell(title)).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=spreadsheet_cell(source_note)).font = Font(italic=True, color="555555")

    widths = [_display_width(str(c)) for c in table.columns]
    for j, column in enumerate(table.columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=spreadsheet_cell(str(column)))
        cell.font = Font(bold=True)
        cell.fill = PatternFill(fill_type="solid", start_color="E7E6E6", end_color="E7E6E6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    row_fills = [_fill(s) for s in (sheet.row_status or [None] * n_rows)]
    for j, column in enumerate(table.columns, start=1):
        formats = _per_row(sheet.number_formats.get(column), n_rows)
        cell_fills = [_fill(s) for s in sheet.cell_status.get(column, [None] * n_rows)]
        for i, raw in enumerate(table.iloc[:, j - 1].tolist()):
            value = _cell_value(raw)
            cell = ws.cell(row=HEADER_ROW + 1 + i, column=j, value=value)
            if isinstance(value, int | float) and not isinstance(value, bool) and formats[i]:
                cell.number_format = formats[i]
                shown = f"{value:.6g}"
            else:
                shown = "" if value is None else str(value)
            fill = cell_fills[i] or row_fills[i]
            if fill is not None:
                cell.fill = fill
            widths[j - 1] = max(widths[j - 1], _display_width(shown))
            if _display_width(shown) > MAX_COLUMN_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    if sheet.legend:
        row = HEADER_ROW + n_rows + 2
        ws.cell(row=row, column=1, value=spreadsheet_cell(sheet.legend_title)).font = Font(bold=True)
        for k, (status, label) in enumerate(sheet.legend, start=2):
            cell = ws.cell(row=row, column=k, value=spreadsheet_cell(label))
            cell.fill = _fill(status) or PatternFill()
            widths += [0] * (k - len(widths))
            widths[k - 1] = max(widths[k - 1], _display_width(label))

    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(MAX_COLUMN_WIDTH, width + 2)
    first_data_column = "B" if sheet.freeze_first_column and n_cols > 1 else "A"
    ws.freeze_panes = f"{first_data_column}{HEADER_ROW + 1}"
    if n_cols:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(n_cols)}{HEADER_ROW + max(n_rows, 1)}"


def xlsx_report(sheets: Sequence[ReportSheet], title: str, source_note: str) -> bytes:
    """The sheets as one workbook: title and source-note rows, a bold frozen header, sized columns, status fills."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.creator = "生态环境目标差距看板"
    names: list[str] = []
    for sheet in sheets:
        name = safe_sheet_name(sheet.name, names)
        names.append(name)
        _write_sheet(wb.create_sheet(name), sheet, title, source_note)
    if not names:
        wb.create_sheet("Sheet")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
