"""Reading uploaded workbooks with calamine: one small reader per sheet shape, one tidy table and its problems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from data_loaders import validation
from data_loaders.validation import CELL_COLUMNS, PROBLEM_COLUMNS, TIDY_COLUMNS, WARNING, col_letter, problem
from data_loaders.workbook import Sheet, UnreadableWorkbook, open_workbook
from indicators.catalog import Catalog, normalize_label
from indicators.periods import find_year_period, parse_period, parse_year
from indicators.regions import RegionIndex

__all__ = ["PROBLEM_COLUMNS", "TIDY_COLUMNS", "ParsedUpload", "UnreadableWorkbook", "parse_workbook"]


HEADER_SCAN_ROWS = 12
_SKIPPED_SHEETS = re.compile(r"^(说明|数据说明|填报说明|填表说明|使用说明|来源|数据来源|notes?|readme|instructions?)$")
_IGNORED_HEADER = re.compile(r"排名|排序|序号|名次|编号|同比|环比|变化|变幅|升降|增减|首要污染物|^no\.?$|^#$")
_UNIT_SUFFIX = re.compile(r"\([^()]*\)$|\[[^\[\]]*\]$|【[^【】]*】$|[%‰]$")
_QUALIFIER = re.compile(r"^(地表水|环境空气|城市|全市|全省|全州)")  # '地表水Ⅰ~Ⅲ类断面比例' is 'Ⅰ~Ⅲ类断面比例'
_STATED_PERIOD = re.compile(r"\d月|[一二三四五六七八九十]月|季度|q[1-4]|半年|全年|年度")
_UNIT_ONLY = re.compile(r"^\(?[^()]*(/|%|‰)[^()]*\)?$|^\(?(个|条|天|t|吨|无量纲)\)?$")
_ROLES = {
    "region": {
        "地区",
        "城市",
        "市州",
        "地市",
        "城市名称",
        "地区名称",
        "市(州)",
        "市州名称",
        "行政区",
        "行政区划",
        "区域",
        "地区代码",
        "行政区划代码",
        "region",
        "city",
        "region_code",
    },
    "indicator": {"指标", "指标名称", "指标代码", "指标项", "indicator", "indicator_code"},
    "value": {"数值", "值", "实际值", "监测值", "完成值", "value", "actual"},
    "year": {"年份", "年度", "年", "year"},
    "period": {"期间", "季度", "时段", "统计期", "统计期间", "月份", "period", "quarter"},
    "unit": {"单位", "计量单位", "unit"},
    "numerator": {"分子", "numerator"},
    "denominator": {"分母", "denominator"},
    "note": {"备注", "说明", "来源", "数据来源", "note", "notes", "source"},
}
_ROLE_OF = {normalize_label(label): role for role, labels in _ROLES.items() for label in labels}
_LONG_ROLES = ("region", "indicator", "value")


@dataclass
class ParsedUpload:
    """The tidy table (TIDY_COLUMNS) and the problems table (PROBLEM_COLUMNS) of one uploaded workbook."""

    tidy: pd.DataFrame
    problems: pd.DataFrame

    @property
    def has_errors(self) -> bool:
        return bool((self.problems["severity"] == "error").any())


@dataclass
class Header:
    """Where a sheet's header is and what each of its columns holds."""

    shape: str  # "long" or "wide"
    first: int  # index of the first header row; title rows are above it
    last: int  # index of the last header row; data starts below it
    roles: dict[str, int]  # region, indicator, value, year, period, unit, numerator, denominator, note → column
    labels: dict[int, str] = field(default_factory=dict)  # column → header text as written
    indicators: dict[int, tuple[str, int | None, int | None]] = field(default_factory=dict)  # wide: code, year, period
    problems: list[dict] = field(default_factory=list)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def resolve_indicator(label: object, catalog: Catalog) -> str | None:
    """The indicator code of a header or name, also with a unit or a medium around it: 'PM2.5浓度(μg/m³)'."""
    s, before = normalize_label(_text(label)), None
    while s and s != before:
        code = catalog.resolve(s) or catalog.resolve(_QUALIFIER.sub("", s))
        if code:
            return code
        s, before = _UNIT_SUFFIX.sub("", s), s
    return None


def _role(label: str) -> str | None:
    s = normalize_label(label)
    return _ROLE_OF.get(s) or _ROLE_OF.get(_UNIT_SUFFIX.sub("", s))


def _title_year_period(text: object) -> tuple[int | None, int | None]:
    """Year and period named in a title or sheet name: '2024年1-6月…', '2024年Q2', '二季度'."""
    if isinstance(text, date):
        return text.year, text.month
    year, period = find_year_period(_text(text))
    m = None if year else re.search(r"(?<![\d.])(19|20)\d{2}(?![\d.])", _text(text))
    return (int(m.group(0)) if m else year), period


# ---- where a sheet's header is -------------------------------------------------------------------------------------


def _classify(label: str, sub: str, catalog: Catalog) -> tuple[str, object]:
    """One header column: ('role', name) / ('indicator', (code, year, period)) / ('ignored'|'unknown'|'empty', None)."""
    if _UNIT_ONLY.match(normalize_label(sub)):
        sub = ""  # a unit row under the header
    if not label and not sub:
        return "empty", None
    if _IGNORED_HEADER.search(normalize_label(label + sub)):
        return "ignored", None
    if not sub:
        role = _role(label)
        if role:
            return "role", role
        code = resolve_indicator(label, catalog)
        return ("indicator", (code, None, None)) if code else ("unknown", None)
    code = resolve_indicator(_UNIT_SUFFIX.sub("", normalize_label(label)) + sub, catalog) or resolve_indicator(
        sub, catalog
    )
    if code:
        return "indicator", (code, None, None)
    year, period = _title_year_period(sub)
    code = resolve_indicator(label, catalog)
    if code and (year or period):  # "PM2.5浓度" over "2024年1-6月 | 2023年1-6月"
        return "indicator", (code, year, period)
    role = _role(sub) or _role(label)
    return ("role", role) if role else ("unknown", None)


def _guess_region_column(rows: list[list], start: int, skip: set[int], regions: RegionIndex) -> int | None:
    """The column whose cells below the header most often name a region."""
    sample = rows[start : start + 40]
    hits = {
        j: sum(1 for r in sample if _text(r[j]) and regions.resolve(_text(r[j])))
        for j in range(len(rows[start - 1]))
        if j not in skip
    }
    best = max(hits, key=hits.get, default=None)
    return best if best is not None and hits[best] else None


def _header_from(
    rows: list[list], first: int, last: int, sheet: str, catalog: Catalog, regions: RegionIndex
) -> Header | None:
    upper = [_text(v) for v in rows[first]]
    lower = [_text(v) for v in rows[last]] if last > first else [""] * len(upper)
    header = Header("wide", first, last, {})
    carried = ""
    for j, (up, low) in enumerate(zip(upper, lower, strict=False)):
        carried = up or (carried if low else "")  # merged upper cells span the sub-headers below them
        kind, what = _classify(up or carried, low, catalog)
        header.labels[j] = f"{up or carried}{low}"
        if kind == "role":
            header.roles.setdefault(what, j)
        elif kind == "indicator":
            header.indicators[j] = what
        elif kind == "unknown":
            cell = f"{col_letter(j)}{(last if low else first) + 1}"
            header.problems.append(
                problem(
                    sheet,
                    cell,
                    header.labels[j],
                    header.labels[j],
                    "未识别的列，已忽略",
                    "Unrecognised column, ignored",
                    WARNING,
                )
            )
    if all(r in header.roles for r in _LONG_ROLES):
        header.shape, header.indicators = "long", {}
        return header
    if not header.indicators:
        return None
    if "region" not in header.roles:
        guess = _guess_region_column(rows, last + 1, set(header.indicators), regions)
        if guess is None:
            return None
        header.roles["region"] = guess
        header.problems = [p for p in header.problems if p["cell"] != f"{col_letter(guess)}{first + 1}"]
    return header


def find_header(sheet: Sheet, catalog: Catalog, regions: RegionIndex) -> Header | None:
    """The first row (of the first dozen) that reads as a long or wide header; a two-row header is joined."""
    rows = sheet.rows
    for h in range(min(HEADER_SCAN_ROWS, len(rows))):
        region_col = next((j for j, v in enumerate(rows[h]) if _role(_text(v)) == "region"), None)
        below = rows[h + 1] if h + 1 < len(rows) else []
        subheader = (
            region_col is not None
            and below
            and not _text(below[region_col])
            and any(isinstance(v, str) and v.strip() for v in below)
        )
        header = (subheader and _header_from(rows, h, h + 1, sheet.name, catalog, regions)) or _header_from(
            rows, h, h, sheet.name, catalog, regions
        )
        if header:
            return header
    return None


# ---- the readers: one per shape ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    """A year or a period as found, and where: a column letter (the row gives the cell) or a fixed cell."""

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
    }
    for part in ("region", "indicator", "value", "numerator", "denominator", "unit"):
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
    for j, (code, col_year, col_period) in header.indicators.items():
        label, letter, at = header.labels[j], col_letter(j), f"{col_letter(j)}{header.last + 1}"
        fields = {
            **shared,
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
    cells, problems = READERS[header.shape](sheet, header, catalog, regions)
    return cells, header.problems + problems


def parse_workbook(
    source: str | Path | bytes, catalog: Catalog, regions: RegionIndex, max_bytes: int = 50 * 1024 * 1024
) -> ParsedUpload:
    """The tidy table and the problems table of an uploaded workbook; raises only UnreadableWorkbook."""
    return parse_sheets(open_workbook(source, max_bytes), catalog, regions)


def parse_sheets(sheets: list[Sheet], catalog: Catalog, regions: RegionIndex) -> ParsedUpload:
    """The tidy table and the problems table of sheets already read from a workbook."""
    frames, problems = [], []
    for sheet in sheets:
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
            frames.append(cells)
    cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CELL_COLUMNS)
    tidy, row_problems = validation.validate(cells, catalog, regions)
    return ParsedUpload(tidy, validation.problems_frame(problems + row_problems, [s.name for s in sheets]))
