"""The tables between reading and checking: column lists, problem rows, cell references, number parsing."""

from __future__ import annotations

import math
import re

import pandas as pd

from indicators.catalog import Catalog, normalize_label

PROBLEM_COLUMNS = ["sheet", "cell", "column", "value", "problem_zh", "problem_en", "severity"]
TIDY_COLUMNS = [
    "region_code",
    "indicator_code",
    "year",
    "period",
    "value",
    "numerator",
    "denominator",
    "note",
    "sheet",
    "cell",
    "basis",
    "from_period",
]
ERROR, WARNING = "error", "warning"

# What a reader hands over: one row per value cell, its key as read and resolved, and where each part came from.
# *_col are column letters (the cell is letter + row); year_at / period_at name a fixed source (title cell) instead.
CELL_COLUMNS = [
    "sheet",
    "row",
    "region_text",
    "region_code",
    "region_col",
    "indicator_text",
    "indicator_code",
    "indicator_col",
    "year",
    "year_text",
    "year_col",
    "year_at",
    "period",
    "period_text",
    "period_col",
    "period_at",
    "column",
    "value_col",
    "value_raw",
    "numerator_raw",
    "numerator_col",
    "denominator_raw",
    "denominator_col",
    "unit_text",
    "unit_col",
    "basis_text",
    "basis_col",
    "note",
]

# Written by bureaus for "no data"; folded with normalize_label (full-width → half-width, lower case).
MISSING_TOKENS = frozenset(
    {"", "-", "--", "—", "——", "―", "/", "//", "未监测", "无数据", "暂无数据", "n/a", "…", "..."}
)
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_NOT_FINITE = frozenset(
    {
        "nan",
        "inf",
        "+inf",
        "-inf",
        "infinity",
        "+infinity",
        "-infinity",
        "#div/0!",
        "#n/a",
        "#num!",
        "#value!",
        "#ref!",
        "#name?",
        "#null!",
        "#getting_data",
    }
)
_SUMMARY_ROW = re.compile(r"^(全省|全市|全州|全国|合计|总计|小计)|平均|均值|考核区域|国考|省考|省控|国控|汇总")

OK, MISSING, NOT_NUMBER, NOT_FINITE = "ok", "missing", "not_number", "not_finite"


def problem(sheet: str, cell: str, column: str, value: object, zh: str, en: str, severity: str = ERROR) -> dict:
    """One row of the problems table."""
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return {
        "sheet": sheet,
        "cell": cell,
        "column": column,
        "value": text,
        "problem_zh": zh,
        "problem_en": en,
        "severity": severity,
    }


def problems_frame(rows: list[dict], sheet_order: list[str] | None = None) -> pd.DataFrame:
    """The problems table in reading order: sheet, row, column."""
    problems = pd.DataFrame(rows, columns=PROBLEM_COLUMNS).astype(str)
    order = {name: i for i, name in enumerate(sheet_order or [])}
    key = [(order.get(p["sheet"], -1), *(ref_index(p["cell"]) or (-1, -1))) for p in rows]
    return problems.iloc[sorted(range(len(rows)), key=key.__getitem__)].reset_index(drop=True)


def col_letter(index: int) -> str:
    """0 → A, 26 → AA."""
    out, index = "", index + 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def ref_index(ref: str) -> tuple[int, int] | None:
    """'E7' → (6, 4), zero-based; None for anything that is not a cell reference."""
    m = re.match(r"^([A-Z]+)(\d+)$", ref)
    return (
        (int(m.group(2)) - 1, sum(26**i * (ord(ch) - 64) for i, ch in enumerate(reversed(m.group(1)))) - 1)
        if m
        else None
    )


def parse_number(raw: object) -> tuple[float, str]:
    """A cell as a number and its state: ok, missing, not_number or not_finite. '85.7%' → 85.7, '1,571' → 1571."""
    if raw is None:
        return math.nan, MISSING
    if isinstance(raw, bool):
        return math.nan, NOT_NUMBER
    if isinstance(raw, int | float):
        value = float(raw)
        return value, (OK if math.isfinite(value) else NOT_FINITE)
    if not isinstance(raw, str):
        return math.nan, NOT_NUMBER  # dates, times
    s = normalize_label(raw)
    if s in MISSING_TOKENS:
        return math.nan, MISSING
    if s.endswith("%"):
        s = s[:-1]
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    if _NUMBER.match(s):
        value = float(s)
        return value, (OK if math.isfinite(value) else NOT_FINITE)
    if s in _NOT_FINITE:
        return math.nan, NOT_FINITE
    return math.nan, NOT_NUMBER


def _numbers(raw: pd.Series) -> tuple[list[float], list[str]]:
    if not (raw.notna() & (raw != "")).any():  # a column the sheet does not have
        return [math.nan] * len(raw), [MISSING] * len(raw)
    memo: dict[object, tuple[float, str]] = {}
    values, states = [], []
    for v in raw:
        if type(v) is float:  # the common cases, kept out of the memo
            parsed = (v, OK) if math.isfinite(v) else (v, NOT_FINITE)
        elif v is None or v == "":
            parsed = (math.nan, MISSING)
        else:
            key = (type(v), v)
            parsed = memo.get(key)
            if parsed is None:
                parsed = memo[key] = parse_number(v)
        values.append(parsed[0])
        states.append(parsed[1])
    return values, states


def prepare(cells: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Numbers parsed; cells without any value dropped (missing is not an error). A value missing next to a
    numerator and denominator is computed from them."""
    df = cells.reset_index(drop=True)
    for part in ("value", "numerator", "denominator"):
        df[part], df[f"{part}_state"] = _numbers(df[f"{part}_raw"])
    derivable = (df["value_state"] == MISSING) & (df["numerator_state"] == OK) & (df["denominator_state"] == OK)
    derivable &= df["denominator"] != 0
    if derivable.any():
        decimals = df.loc[derivable, "indicator_code"].map(lambda c: catalog[c].decimals if c in catalog else 2)
        ratio = df.loc[derivable, "numerator"] / df.loc[derivable, "denominator"] * 100
        df.loc[derivable, "value"] = [round(v, int(d)) for v, d in zip(ratio, decimals, strict=True)]
        df.loc[derivable, "value_state"] = OK
    return df[df["value_state"] != MISSING].reset_index(drop=True)


def _cell(col: str, row: object) -> str:
    return f"{col}{int(row)}" if col else ""


def _key_cell(rec, part: str) -> str:
    col = getattr(rec, f"{part}_col")
    return _cell(col, rec.row) if col else getattr(rec, f"{part}_at")


def _region_name(rec) -> str:
    return str(rec.region_text).strip()
