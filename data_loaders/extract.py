"""Stage 3 of an import (extract): one small reader per sheet shape turns a located sheet into the cells table
(data_loaders.cells.CELL_COLUMNS): one row per value cell, its key as read and where each part came from."""

from __future__ import annotations

import re
from datetime import date
from operator import itemgetter
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from data_loaders.cells import CELL_COLUMNS, INCREMENT_WORDS, OK, Problem, cell_text, col_letter, parse_number
from data_loaders.headers import STATED_PERIOD, Header, find_header, indicator_of_name, title_year_period
from data_loaders.workbook import Sheet, expand_merges
from indicators.catalog import Catalog, normalize_label
from indicators.periods import parse_period, parse_year
from indicators.regions import RegionIndex
from indicators.terms import Severity

INCREMENT = re.compile(INCREMENT_WORDS)


class _Key(NamedTuple):
    """A year or a period as found, and where: a column letter (the row gives the cell) or a fixed cell.
    A tuple, not a dataclass: 200,000 of them are hashed per long sheet."""

    value: int | None
    text: str = ""
    col: str = ""
    at: str = "A1"


def _sheet_defaults(sheet: Sheet, header: Header, check: tuple[bool, bool]) -> tuple[_Key, _Key, list[Problem]]:
    """Year and period a sheet states once, in a title row above the header or in the sheet name. A stated period
    beats the annual guess for '2024年各市州…'; a title and a sheet name that state different ones are an error."""
    texts = [
        (f"{col_letter(j)}{i + 1}", v)
        for i, row in enumerate(sheet.rows[: header.first])
        for j, v in enumerate(row)
        if isinstance(v, str) and v.strip()
    ]
    found = [(at, text, title_year_period(text), 0) for at, text in texts] + [
        ("A1", sheet.name, title_year_period(sheet.name), 1)
    ]
    keys, problems = [], []
    for k, (zh, en) in enumerate((("年份", "year"), ("期间", "period"))):
        # rank: stated in a title 0, stated in the sheet name 1, guessed 2 + the same
        ranked = sorted(
            (2 * (k and not STATED_PERIOD.search(normalize_label(text))) + src, n, at, text, yp[k])
            for n, (at, text, yp, src) in enumerate(found)
            if yp[k] is not None
        )
        keys.append(_Key(ranked[0][4], ranked[0][3], "", ranked[0][2]) if ranked else _Key(None))
        stated = {rank: (at, text, value) for rank, _, at, text, value in reversed(ranked) if rank < 2}
        if check[k] and len(stated) == 2 and stated[0][2] != stated[1][2]:
            at, text, _ = stated[0]
            problems.append(
                Problem(
                    sheet=sheet.name,
                    cell=at,
                    column=zh,
                    value=text,
                    zh=f"标题“{text}”与工作表名称“{sheet.name}”的{zh}不一致",
                    en=f"The title '{text}' and the sheet name '{sheet.name}' disagree on the {en}",
                )
            )
    return keys[0], keys[1], problems


def _mapped(values: list, fn) -> list:
    """fn of each value, computed once per distinct value: a column repeats a few names thousands of times."""
    table = {v: fn(v) for v in set(values)}
    return [table[v] for v in values]


def _cell_year(value: object) -> int | None:
    return (
        value.year
        if isinstance(value, date)
        else parse_year(value) or parse_year(cell_text(value).removesuffix("年度"))
    )


def _cell_period(value: object) -> int | None:
    return value.month if isinstance(value, date) else parse_period(value)


def _keys(rows: list[list], col: int | None, parse, default: _Key, fallback: list | None = None) -> list[_Key]:
    """A year or period per row: the row's cell, else the fallback (the year inside a period cell), else the sheet's."""
    if col is None:
        return [default] * len(rows) if fallback is None else [k if k.value is not None else default for k in fallback]
    letter = col_letter(col)
    keys = _mapped(
        [row[col] for row in rows], lambda v: _Key(parse(v), cell_text(v), letter, "") if cell_text(v) else None
    )
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
        "unmatched": "",
        "suggestions": "",
        "unmatched_at": "",
        **fields,
    }
    for part, keys in (("year", years), ("period", periods)):
        out[part], out[f"{part}_text"] = [k.value for k in keys], [k.text for k in keys]
        out[f"{part}_col"], out[f"{part}_at"] = [k.col for k in keys], [k.at for k in keys]
    # One object array per column, not consolidated into one 31-row block: copying 200,000 × 31 cells into a 2-D
    # block (and every later row filter copying it whole) was a tenth of the parse.
    columns = {c: _object_column(out[c], n) for c in CELL_COLUMNS}
    return pd.DataFrame(columns, dtype=object, copy=False)


def _object_column(values, n: int) -> np.ndarray:
    if isinstance(values, list | range | tuple):
        array = np.empty(n, dtype=object)
        array[:] = values if not isinstance(values, range) else list(values)
        return array
    return np.full(n, values, dtype=object)


def read_long_sheet(sheet: Sheet, header: Header, catalog: Catalog, regions: RegionIndex) -> tuple[pd.DataFrame, list]:
    """One row per value: 地区 | 年份 | 期间 | 指标 | 数值 [| 单位 | 分子 | 分母 | 备注]."""
    rows, roles = sheet.rows[header.last + 1 :], header.roles
    year, period, problems = _sheet_defaults(sheet, header, ("year" not in roles, "period" not in roles))
    n = len(rows)
    # Typed columns built once: each column's distinct values are read and resolved once (a long sheet repeats a
    # few hundred names 200,000 times), text as Arrow strings taken by index, years and periods as floats.
    raw = {role: _column_of(rows, j) for role, j in roles.items()}
    factorized: dict[str, tuple[np.ndarray, list]] = {}

    def text(role: str, fn=cell_text) -> pd.api.extensions.ExtensionArray:
        if role not in roles:
            return _repeated("", n)
        if role not in factorized:
            factorized[role] = _factorized(raw[role])
        codes, distinct = factorized[role]
        return pd.array([fn(v) for v in distinct], dtype="str").take(codes)

    def letter(role: str) -> str:
        return col_letter(roles[role]) if role in roles else ""

    out = {
        "sheet": _repeated(sheet.name, n),
        "row": np.arange(header.last + 2, header.last + 2 + n, dtype="int64"),
        "region_text": text("region"),
        "region_code": text("region", lambda v: regions.resolve(cell_text(v))),
        "indicator_text": text("indicator"),
        "indicator_code": text("indicator", lambda v: indicator_of_name(v, catalog)),
        "column": _repeated(header.labels[roles["value"]], n),
        "value_raw": _cells_as_read(raw["value"]),
        "numerator_raw": _cells_as_read(raw.get("numerator", _blank(n))),
        "denominator_raw": _cells_as_read(raw.get("denominator", _blank(n))),
        "unit_text": text("unit"),
        "basis_text": text("basis"),
        "note": text("note"),
        "unmatched": _repeated("", n),
        "suggestions": _repeated("", n),
        "unmatched_at": _repeated("", n),
    }
    for part in ("region", "indicator", "value", "numerator", "denominator", "unit", "basis"):
        out[f"{part}_col"] = _repeated(letter(part), n)
    out.update(_long_keys(raw, roles, year, period, n))
    return pd.DataFrame({c: out[c] for c in CELL_COLUMNS}, copy=False), problems


def _column_of(rows: list[list], j: int) -> np.ndarray:
    return np.fromiter(map(itemgetter(j), rows), dtype=object, count=len(rows))


def _blank(n: int) -> np.ndarray:
    return np.full(n, "", dtype=object)


def _cells_as_read(values: np.ndarray) -> pd.Series:
    """Cells as read (numbers, text, dates side by side), kept as objects: pandas would turn a column of text only
    into strings, which the number parser then has to turn back."""
    return pd.Series(values, dtype=object, copy=False)


def _repeated(value: str, n: int) -> pd.api.extensions.ExtensionArray:
    """`value` n times as pandas strings, built by Arrow at once (a fifth of the time of taking index 0 n times)."""
    return pd.array(pa.repeat(pa.scalar(value, pa.large_string()), n), dtype="str")


def _factorized(values: np.ndarray) -> tuple[np.ndarray, list]:
    """Index of each value in its distinct values, and those values (blanks and errors included, each once)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    return codes, list(distinct)


def _long_keys(raw: dict, roles: dict, year: _Key, period: _Key, n: int) -> dict[str, object]:
    """Year and period columns of a long sheet, as _keys resolves them (the row's cell, else the year inside the
    period cell, else the sheet's), worked out once per distinct pair of cells."""
    blank = np.full(n, "", dtype=object)
    y_codes, y_distinct = _factorized(raw.get("year", blank))
    p_codes, p_distinct = _factorized(raw.get("period", blank))
    pairs, combos = pd.factorize(y_codes.astype(np.int64) * (len(p_distinct) + 1) + p_codes)
    y_letter = col_letter(roles["year"]) if "year" in roles else ""
    p_letter = col_letter(roles["period"]) if "period" in roles else ""
    keys = []
    for combo in combos:
        y_cell, p_cell = y_distinct[combo // (len(p_distinct) + 1)], p_distinct[combo % (len(p_distinct) + 1)]
        p_key = _Key(_cell_period(p_cell), cell_text(p_cell), p_letter, "") if cell_text(p_cell) else period
        if cell_text(y_cell):
            y_key = _Key(_cell_year(y_cell), cell_text(y_cell), y_letter, "")
        else:
            in_period = _Key(title_year_period(p_key.text)[0], p_key.text, p_key.col, p_key.at)
            y_key = in_period if in_period.value is not None else year
        keys.append((y_key, p_key))
    out: dict[str, object] = {}
    for k, part in enumerate(("year", "period")):
        chosen = [pair[k] for pair in keys]
        values = np.array([np.nan if key.value is None else key.value for key in chosen], dtype="float64")
        out[part] = values.take(pairs)
        for i, field in ((1, "text"), (2, "col"), (3, "at")):
            out[f"{part}_{field}"] = pd.array([key[i] for key in chosen], dtype="str").take(pairs)
    return out


def read_wide_sheet(sheet: Sheet, header: Header, catalog: Catalog, regions: RegionIndex) -> tuple[pd.DataFrame, list]:
    """Rows are regions, columns are indicators; year and period from columns, sub-headers, the title or the sheet name."""
    rows, roles = sheet.rows[header.last + 1 :], header.roles
    year, period, problems = _sheet_defaults(sheet, header, ("year" not in roles, "period" not in roles))
    years, periods = (
        _keys(rows, roles.get("year"), _cell_year, year),
        _keys(rows, roles.get("period"), _cell_period, period),
    )
    region_text = [cell_text(r[roles["region"]]) for r in rows]
    shared = {
        "region_text": region_text,
        "region_code": [regions.resolve(t) if t else None for t in region_text],
        "region_col": col_letter(roles["region"]),
        "note": [cell_text(r[roles["note"]]) for r in rows] if "note" in roles else "",
    }
    frames = []
    row_basis = [cell_text(r[roles["basis"]]) for r in rows] if "basis" in roles else None
    counts, lone = _pair_counts(header)
    problems += [_lone_count(sheet, header, j, part) for j, part in lone]
    columns = [(j, code, y, p, {}) for j, (code, y, p) in header.indicators.items()]
    plain = {code: i for i, (_, code, y, p, _) in enumerate(columns) if y is None and p is None}
    for code, parts in counts.items():
        raw = {
            f"{part}_{what}": [r[j] for r in rows] if what == "raw" else col_letter(j)
            for part, j in parts.items()
            for what in ("raw", "col")
        }
        if code in plain:
            columns[plain[code]][4].update(raw)
        else:  # the counts without their ratio: the ratio is computed from them (normalise stage)
            columns.append((None, code, None, None, raw))
    for j, (cell, closest) in header.unmatched.items():
        if any(parse_number(r[j])[1] == OK for r in rows if j < len(r)):
            unmatched = {"unmatched": header.labels[j], "suggestions": "|".join(closest), "unmatched_at": cell}
            columns.append((j, None, None, None, unmatched))
        else:
            problems.append(_ignored_column(sheet, header, j, cell))
    for j, code, col_year, col_period, extra in columns:
        if j is None:
            label = "/".join(header.labels[k] for k in counts[code].values())
            letter, at = (
                col_letter(counts[code]["numerator"]),
                f"{col_letter(counts[code]['numerator'])}{header.last + 1}",
            )
        else:
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
            "value_raw": [r[j] for r in rows] if j is not None else None,
            **extra,
        }
        # A sub-header such as "2024年1-6月" under "PM2.5浓度" dates its column unless the row has its own year/period.
        col_years = [k if k.col or col_year is None else _Key(col_year, label, "", at) for k in years]
        col_periods = [k if k.col or col_period is None else _Key(col_period, label, "", at) for k in periods]
        frames.append(_cells(sheet, header, rows, fields, col_years, col_periods))
    return pd.concat(frames, ignore_index=True), problems


def _pair_counts(header: Header) -> tuple[dict[str, dict[str, int]], list[tuple[int, str]]]:
    """Count columns paired with their ratio: {code: {"numerator": column, "denominator": column}}, and the count
    columns left without a pair. A count belongs to the first ratio it can be that has its other part or its value
    column in the sheet (断面总数 beside Ⅰ~Ⅲ类断面数 is the water-quality ratio's denominator)."""
    by_part: dict[str, dict[str, int]] = {}
    for j, (part, codes) in header.parts.items():
        for code in codes:
            by_part.setdefault(code, {}).setdefault(part, j)
    pairs, used = {}, set()
    for code, parts in by_part.items():
        if len(parts) == 2:
            pairs[code] = parts
            used |= set(parts.values())
    return pairs, [(j, part) for j, (part, _) in header.parts.items() if j not in used]


def _lone_count(sheet: Sheet, header: Header, j: int, part: str) -> Problem:
    label, cell = header.labels[j], f"{col_letter(j)}{header.last + 1}"
    zh, en = ("分子", "numerator") if part == "numerator" else ("分母", "denominator")
    return Problem(
        sheet=sheet.name,
        cell=cell,
        column=label,
        value=label,
        zh=f"“{label}”列是比例的{zh}，但表中没有与之配对的{'分母' if part == 'numerator' else '分子'}，未导入",
        en=f"Column '{label}' is a ratio's {en} but the sheet has no matching "
        f"{'denominator' if part == 'numerator' else 'numerator'}; not imported",
        severity=Severity.WARNING,
    )


def _ignored_column(sheet: Sheet, header: Header, j: int, cell: str) -> Problem:
    label = header.labels[j]
    return Problem(
        sheet=sheet.name,
        cell=cell,
        column=label,
        value=label,
        zh="未识别的列（没有数值），已忽略",
        en="Unrecognised column (it holds no numbers), ignored",
        severity=Severity.WARNING,
    )


READERS = {"long": read_long_sheet, "wide": read_wide_sheet}


def read_sheet(sheet: Sheet, catalog: Catalog, regions: RegionIndex) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The cells of one sheet, read by the reader its header calls for."""
    header = find_header(sheet, catalog, regions)
    if header is None:
        if sheet.hidden:
            return None, []  # helper lists behind drop-downs
        return None, [
            Problem(
                sheet=sheet.name,
                cell="A1",
                column="",
                value=sheet.name,
                zh=f"工作表“{sheet.name}”中未找到表头（需要地区列和指标列），已跳过",
                en=f"No recognisable header in sheet '{sheet.name}' (needs a region column and "
                "indicator columns); sheet skipped",
                severity=Severity.WARNING,
            )
        ]
    sheet, merged = expand_merges(sheet, header.last + 1)  # a value merged over data rows counts for each row
    cells, problems = READERS[header.shape](sheet, header, catalog, regions)
    return cells, header.problems + merged + problems
