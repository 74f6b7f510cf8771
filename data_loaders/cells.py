"""The tables between reading and checking: column lists, problem rows, cell references, number parsing."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

import pandas as pd

from indicators.catalog import normalize_label
from indicators.terms import Severity

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
    "unmatched",  # the header of a column of numbers that matches no indicator ("" otherwise)
    "suggestions",  # its closest indicator codes, "|"-separated
    "unmatched_at",  # its header cell
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
SUMMARY_ROW = re.compile(r"^(全省|全市|全州|全国|合计|总计|小计)|平均|均值|考核区域|国考|省考|省控|国控|汇总")

# Value states. MIXED: a fraction in a column of percentages; NO_PRIOR: an increment with no earlier year-to-date
# value to add it to. Both are kept out of the tidy table and reported by a check.
OK, MISSING, NOT_NUMBER, NOT_FINITE = "ok", "missing", "not_number", "not_finite"
MIXED, NO_PRIOR = "mixed_fraction", "no_prior"
IGNORED = "ignored"  # a column a person decided to ignore
IGNORE = "ignore"  # that decision, as stored in place of an indicator code

# How a value was submitted: year to date (the Chinese convention) or this period's increment.
YTD, INCREMENT, UNKNOWN_BASIS = "ytd", "increment", "unknown"
# Words that make a count column this period's increment rather than the year-to-date total: '本季度新增完成整治村数'.
# '累计新增' and '新增' alone are year-to-date (this year's additions so far).
INCREMENT_WORDS = (
    r"本季度新增|本季新增|当季新增|本期新增|本月新增|当月新增|季度新增|单季|本季度|本季|当季|本期|当期|本月|当月"
)


MAX_PROBLEMS = 200  # problems listed per file; the rest are counted in one closing row
SHOWN_CHARS = 40  # of a cell's text echoed in a message: enough to recognise it, never a page of it


def shown(text: object, limit: int = SHOWN_CHARS) -> str:
    """A cell's text as echoed in a message: cut to `limit` characters, with "…" when cut."""
    s = str(text)
    return s if len(s) <= limit else s[: limit - 1] + "…"


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One row of the problems table; the echoed sheet, column and value are cut to a readable length."""

    sheet: str
    cell: str
    column: str
    value: object
    zh: str
    en: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        value = self.value
        text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        object.__setattr__(self, "sheet", shown(self.sheet, 64))
        object.__setattr__(self, "column", shown(self.column, 64))
        object.__setattr__(self, "value", shown(text, 80))

    def row(self) -> dict[str, str]:
        """The problem as a row of PROBLEM_COLUMNS."""
        fields = asdict(self)
        fields["problem_zh"], fields["problem_en"] = fields.pop("zh"), fields.pop("en")
        return {c: str(fields[c]) for c in PROBLEM_COLUMNS}


def problems_frame(rows: list[Problem], sheet_order: list[str] | None = None) -> pd.DataFrame:
    """The problems table in reading order: sheet, row, column. Past MAX_PROBLEMS, errors are kept before warnings
    and one closing row counts what is not listed (an error row when an error is among them)."""
    order = {shown(name, 64): i for i, name in enumerate(sheet_order or [])}
    key = [(order.get(p.sheet, -1), *(ref_index(p.cell) or (-1, -1))) for p in rows]
    listed = sorted(range(len(rows)), key=key.__getitem__)
    if len(rows) > MAX_PROBLEMS:
        errors = [i for i in listed if rows[i].severity == Severity.ERROR]
        warnings = [i for i in listed if rows[i].severity != Severity.ERROR]
        keep = set(errors[:MAX_PROBLEMS]) | set(warnings[:MAX_PROBLEMS])
        keep = set(sorted(keep, key=lambda i: (rows[i].severity != Severity.ERROR, key[i]))[:MAX_PROBLEMS])
        left = [rows[i] for i in listed if i not in keep]
        n_err = sum(p.severity == Severity.ERROR for p in left)
        listed = [i for i in listed if i in keep]
        rows = [*rows, _more(len(left), n_err)]
        listed.append(len(rows) - 1)
    problems = pd.DataFrame([p.row() for p in rows], columns=PROBLEM_COLUMNS).astype(str)
    return problems.iloc[listed].reset_index(drop=True)


def _more(n: int, errors: int) -> Problem:
    return Problem(
        sheet="",
        cell="",
        column="",
        value="",
        zh=f"另有{n:,}个问题未列出（其中错误{errors:,}个）：请先改正以上问题后重新上传",
        en=f"{n:,} more problems not listed ({errors:,} of them errors): fix the ones above and upload again",
        severity=Severity.ERROR if errors else Severity.WARNING,
    )


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


def cell_ref(col: str, row: object) -> str:
    """Column letter + row number, or "" when the column is unknown."""
    return f"{col}{int(row)}" if col else ""


def key_cell(rec, part: str) -> str:
    """Where a year or period was read: its cell in the row, or the fixed cell (a title) it came from."""
    col = getattr(rec, f"{part}_col")
    return cell_ref(col, rec.row) if col else getattr(rec, f"{part}_at")


def region_name(rec) -> str:
    return str(rec.region_text).strip()


CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: object) -> str:
    """Text without control characters (NUL and the like): PostgreSQL refuses NUL where SQLite stores it, so both
    backends must be given the same clean text. Tabs and line breaks stay."""
    return CONTROL_CHARS.sub("", str(text or ""))


def cell_text(value: object) -> str:
    """A cell as text: 2024.0 → '2024', None → '', stripped."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()
