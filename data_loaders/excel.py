"""Reading uploaded workbooks with calamine: one small reader per sheet shape, one tidy table and its problems."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from data_loaders import validation
from data_loaders.headers import (
    _SKIPPED_SHEETS,
    _STATED_PERIOD,
    INCREMENT,
    Header,
    _text,
    _title_year_period,
    find_header,
    resolve_indicator,
)
from data_loaders.validation import CELL_COLUMNS, PROBLEM_COLUMNS, TIDY_COLUMNS, WARNING, col_letter, problem
from data_loaders.workbook import (
    Limits,
    Sheet,
    UnreadableWorkbook,
    expand_merges,
    has_macros,
    open_workbook,
    read_bytes,
)
from indicators.catalog import Catalog, normalize_label
from indicators.periods import parse_period, parse_year
from indicators.regions import RegionIndex

Progress = Callable[[str, int, int], None]  # (stage, done, total)

__all__ = ["PROBLEM_COLUMNS", "TIDY_COLUMNS", "ParsedUpload", "UnreadableWorkbook", "parse_workbook"]


@dataclass
class ParsedUpload:
    """The tidy table (TIDY_COLUMNS) and the problems table (PROBLEM_COLUMNS) of one uploaded workbook."""

    tidy: pd.DataFrame
    problems: pd.DataFrame

    @property
    def has_errors(self) -> bool:
        return bool((self.problems["severity"] == "error").any())


# ---- the readers: one per shape ---------------------------------------------------------------------------------------


class _Key(NamedTuple):
    """A year or a period as found, and where: a column letter (the row gives the cell) or a fixed cell.
    A tuple, not a dataclass: 200,000 of them are hashed per long sheet."""

    value: int | None
    text: str = ""
    col: str = ""
    at: str = "A1"


def _sheet_defaults(sheet: Sheet, header: Header, check: tuple[bool, bool]) -> tuple[_Key, _Key, list[dict]]:
    """Year and period a sheet states once, in a title row above the header or in the sheet name. A stated period
    beats the annual guess for '2024年各市州…'; a title and a sheet name that state different ones are an error."""
    texts = [
        (f"{col_letter(j)}{i + 1}", v)
        for i, row in enumerate(sheet.rows[: header.first])
        for j, v in enumerate(row)
        if isinstance(v, str) and v.strip()
    ]
    found = [(at, text, _title_year_period(text), 0) for at, text in texts] + [
        ("A1", sheet.name, _title_year_period(sheet.name), 1)
    ]
    keys, problems = [], []
    for k, (zh, en) in enumerate((("年份", "year"), ("期间", "period"))):
        # rank: stated in a title 0, stated in the sheet name 1, guessed 2 + the same
        ranked = sorted(
            (2 * (k and not _STATED_PERIOD.search(normalize_label(text))) + src, n, at, text, yp[k])
            for n, (at, text, yp, src) in enumerate(found)
            if yp[k] is not None
        )
        keys.append(_Key(ranked[0][4], ranked[0][3], "", ranked[0][2]) if ranked else _Key(None))
        stated = {rank: (at, text, value) for rank, _, at, text, value in reversed(ranked) if rank < 2}
        if check[k] and len(stated) == 2 and stated[0][2] != stated[1][2]:
            at, text, _ = stated[0]
            problems.append(
                problem(
                    sheet.name,
                    at,
                    zh,
                    text,
                    f"标题“{text}”与工作表名称“{sheet.name}”的{zh}不一致",
                    f"The title '{text}' and the sheet name '{sheet.name}' disagree on the {en}",
                )
            )
    return keys[0], keys[1], problems


def _mapped(values: list, fn) -> list:
    """fn of each value, computed once per distinct value: a column repeats a few names thousands of times."""
    table = {v: fn(v) for v in set(values)}
    return [table[v] for v in values]


def _cell_year(value: object) -> int | None:
    return value.year if isinstance(value, date) else parse_year(value) or parse_year(_text(value).removesuffix("年度"))


def _cell_period(value: object) -> int | None:
    return value.month if isinstance(value, date) else parse_period(value)


def _keys(rows: list[list], col: int | None, parse, default: _Key, fallback: list | None = None) -> list[_Key]:
    """A year or period per row: the row's cell, else the fallback (the year inside a period cell), else the sheet's."""
    if col is None:
        return [default] * len(rows) if fallback is None else [k if k.value is not None else default for k in fallback]
    letter = col_letter(col)
    keys = _mapped([row[col] for row in rows], lambda v: _Key(parse(v), _text(v), letter, "") if _text(v) else None)
    if fallback is not None:
        keys = [k or (f if f.value is not None else None) for k, f in zip(keys, fallback, strict=True)]
    return [k or default for k in keys]


def _cells(
    sheet: Sheet, header: Header, rows: list[list], fields: dict, years: list[_Key], periods: list[_Key]
) -> pd.DataFrame:
    """The cells table (validation.CELL_COLUMNS) of one block of values; parts a shape lacks stay empty."""
    n = len(rows)
    out = {
        "sheet": sheet.name,
        "row": range(header.last + 2, header.last + 2 + n),
        "numerator_raw": None,
        "denominator_raw": None,
        "numerator_col": "",
        "denominator_col": "",
        "unit_text": "",
        "unit_col": "",
        "basis_text": "",
        "basis_col": "",
        **fields,
    }
    for part, keys in (("year", years), ("period", periods)):
        out[part], out[f"{part}_text"] = [k.value for k in keys], [k.text for k in keys]
        out[f"{part}_col"], out[f"{part}_at"] = [k.col for k in keys], [k.at for k in keys]
    return pd.DataFrame(out, columns=CELL_COLUMNS, dtype=object)


def read_long_sheet(sheet: Sheet, header: Header, catalog: Catalog, regions: RegionIndex) -> tuple[pd.DataFrame, list]:
    """One row per value: 地区 | 年份 | 期间 | 指标 | 数值 [| 单位 | 分子 | 分母 | 备注]."""
    rows, roles = sheet.rows[header.last + 1 :], header.roles
    year, period, problems = _sheet_defaults(sheet, header, ("year" not in roles, "period" not in roles))

    def column(role: str, fn=None) -> list:
        values = [r[roles[role]] for r in rows] if role in roles else [""] * len(rows)
        return _mapped(values, fn) if fn else values

    periods = _keys(rows, roles.get("period"), _cell_period, period)
    years_in_periods = _mapped(periods, lambda k: _Key(_title_year_period(k.text)[0], k.text, k.col, k.at))
    fields = {
        "region_text": column("region", _text),
        "region_code": column("region", lambda v: regions.resolve(_text(v))),
        "indicator_text": column("indicator", _text),
        "indicator_code": column("indicator", lambda v: resolve_indicator(v, catalog)),
        "column": header.labels[roles["value"]],
        "value_raw": column("value"),
        "note": column("note", _text),
        "numerator_raw": column("numerator"),
        "denominator_raw": column("denominator"),
        "unit_text": column("unit", _text),
        "basis_text": column("basis", _text),
    }
    for part in ("region", "indicator", "value", "numerator", "denominator", "unit", "basis"):
        fields[f"{part}_col"] = col_letter(roles[part]) if part in roles else ""
    years = _keys(rows, roles.get("year"), _cell_year, year, years_in_periods)
    return _cells(sheet, header, rows, fields, years, periods), problems


def read_wide_sheet(sheet: Sheet, header: Header, catalog: Catalog, regions: RegionIndex) -> tuple[pd.DataFrame, list]:
    """Rows are regions, columns are indicators; year and period from columns, sub-headers, the title or the sheet name."""
    rows, roles = sheet.rows[header.last + 1 :], header.roles
    year, period, problems = _sheet_defaults(sheet, header, ("year" not in roles, "period" not in roles))
    years, periods = (
        _keys(rows, roles.get("year"), _cell_year, year),
        _keys(rows, roles.get("period"), _cell_period, period),
    )
    region_text = [_text(r[roles["region"]]) for r in rows]
    shared = {
        "region_text": region_text,
        "region_code": [regions.resolve(t) if t else None for t in region_text],
        "region_col": col_letter(roles["region"]),
        "note": [_text(r[roles["note"]]) for r in rows] if "note" in roles else "",
    }
    frames = []
    row_basis = [_text(r[roles["basis"]]) for r in rows] if "basis" in roles else None
    for j, (code, col_year, col_period) in header.indicators.items():
        label, letter, at = header.labels[j], col_letter(j), f"{col_letter(j)}{header.last + 1}"
        increment = INCREMENT.search(normalize_label(label)) and "累计" not in label
        basis = (
            {"basis_text": label, "basis_col": letter}  # the header says so: '本季度新增完成整治村数'
            if increment
            else {"basis_text": row_basis, "basis_col": col_letter(roles["basis"])}
            if row_basis is not None
            else {}
        )
        fields = {
            **shared,
            **basis,
            "indicator_text": label,
            "indicator_code": code,
            "indicator_col": letter,
            "column": label,
            "value_col": letter,
            "value_raw": [r[j] for r in rows],
        }
        # A sub-header such as "2024年1-6月" under "PM2.5浓度" dates its column unless the row has its own year/period.
        col_years = [k if k.col or col_year is None else _Key(col_year, label, "", at) for k in years]
        col_periods = [k if k.col or col_period is None else _Key(col_period, label, "", at) for k in periods]
        frames.append(_cells(sheet, header, rows, fields, col_years, col_periods))
    return pd.concat(frames, ignore_index=True), problems


READERS = {"long": read_long_sheet, "wide": read_wide_sheet}


def read_sheet(sheet: Sheet, catalog: Catalog, regions: RegionIndex) -> tuple[pd.DataFrame | None, list[dict]]:
    """The cells of one sheet, read by the reader its header calls for."""
    header = find_header(sheet, catalog, regions)
    if header is None:
        if sheet.hidden:
            return None, []  # helper lists behind drop-downs
        return None, [
            problem(
                sheet.name,
                "A1",
                "",
                sheet.name,
                f"工作表“{sheet.name}”中未找到表头（需要地区列和指标列），已跳过",
                f"No recognisable header in sheet '{sheet.name}' (needs a region column and "
                "indicator columns); sheet skipped",
                WARNING,
            )
        ]
    sheet, merged = expand_merges(sheet, header.last + 1)  # a value merged over data rows counts for each row
    cells, problems = READERS[header.shape](sheet, header, catalog, regions)
    return cells, header.problems + merged + problems


def parse_workbook(
    source: str | Path | bytes,
    catalog: Catalog,
    regions: RegionIndex,
    max_bytes: int | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> ParsedUpload:
    """The tidy table and the problems table of an uploaded workbook; raises only UnreadableWorkbook.
    `progress(stage, done, total)` hears "read" (rows read) and "validated" (values checked)."""
    limits = limits or Limits.from_settings(max_bytes)
    data = read_bytes(source, limits.max_bytes)
    sheets = open_workbook(data, limits=limits)
    notes = []
    if has_macros(data):
        notes.append(
            problem(
                sheets[0].name if sheets else "",
                "A1",
                "",
                "",
                "工作簿含有宏：宏不会运行，只读取单元格中保存的数值",
                "The workbook contains macros: they are never run; only the values saved in its cells are read",
                WARNING,
            )
        )
    return parse_sheets(sheets, catalog, regions, notes, progress)


def _hidden_data(sheet: Sheet, cells: pd.DataFrame) -> dict:
    return problem(
        sheet.name,
        "A1",
        "",
        sheet.name,
        f"数据位于隐藏的工作表“{sheet.name}”中（{len(cells)}个数值）：请在Excel中取消隐藏、核对后再上传",
        f"Hidden sheet '{sheet.name}' holds data ({len(cells)} values): unhide and check it in Excel, then upload again",
    )


def _nothing_read(sheets: list[Sheet]) -> dict:
    return problem(
        sheets[0].name if sheets else "",
        "A1",
        "",
        "",
        "工作簿中没有读到任何数值（空表或只有表头）",
        "No values were found in the workbook (empty, or a header without data)",
    )


def parse_sheets(
    sheets: list[Sheet],
    catalog: Catalog,
    regions: RegionIndex,
    notes: list[dict] | None = None,
    progress: Progress | None = None,
) -> ParsedUpload:
    """The tidy table and the problems table of sheets already read from a workbook."""
    frames, problems = [], list(notes or [])
    total_rows, done = sum(len(s.rows) for s in sheets), 0
    for sheet in sheets:
        done += len(sheet.rows)
        if progress:
            progress("read", done, total_rows)
        if _SKIPPED_SHEETS.match(normalize_label(sheet.name)) or not any(any(_text(v) for v in r) for r in sheet.rows):
            continue
        try:
            cells, sheet_problems = read_sheet(sheet, catalog, regions)
        except Exception as exc:  # a reader bug must reach the user as a problem row, never as a stack trace
            cells, sheet_problems = (
                None,
                [
                    problem(
                        sheet.name,
                        "A1",
                        "",
                        sheet.name,
                        f"工作表“{sheet.name}”读取失败：{exc!r}",
                        f"Sheet '{sheet.name}' could not be read: {exc!r}",
                    )
                ],
            )
        problems += sheet_problems
        if cells is not None and len(cells):
            if sheet.hidden:
                problems.append(_hidden_data(sheet, cells))
                continue
            frames.append(cells)
    cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CELL_COLUMNS)
    tidy, row_problems = validation.validate(cells, catalog, regions)
    problems += row_problems
    if progress:
        progress("validated", len(cells), len(cells))
    if tidy.empty and not any(p["severity"] == "error" for p in problems):
        problems.append(_nothing_read(sheets))
    return ParsedUpload(tidy, validation.problems_frame(problems, [s.name for s in sheets]))


def with_year_to_date(engine, parsed: ParsedUpload) -> ParsedUpload:
    """The upload with increments turned into year-to-date values using what is stored (data_loaders.basis)."""
    from data_loaders.basis import to_year_to_date

    tidy, problems = to_year_to_date(engine, parsed.tidy, parsed.problems)
    return ParsedUpload(tidy, problems)
