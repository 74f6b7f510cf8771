"""Stage 4 of an import (normalise): what is settled before the checks. Numbers parsed; summary rows that are the
parent's own value; percentages written as fractions; increments turned into year-to-date values on top of the
period before. Each step marks what it did in the cells table; the check stage says so in the problems table."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from data_loaders.cells import (
    CONTROL_CHARS,
    IGNORE,
    IGNORED,
    INCREMENT,
    INCREMENT_WORDS,
    MISSING,
    MIXED,
    NO_PRIOR,
    NOT_FINITE,
    NOT_NUMBER,
    OK,
    SUMMARY_ROW,
    UNKNOWN_BASIS,
    YTD,
    clean_text,
    parse_number,
)
from indicators.catalog import Catalog, Indicator, normalize_label
from indicators.matching import fold
from indicators.regions import RegionIndex

ObservationKey = tuple[str, str, int, int]  # region_code, indicator_code, year, period
# Year-to-date values already stored, for the given years: the base an increment is added to.
PriorValues = Callable[[Iterable[int]], Mapping[ObservationKey, float]]


def normalise(
    cells: pd.DataFrame,
    catalog: Catalog,
    regions: RegionIndex,
    prior: PriorValues | None = None,
    decisions: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Every normalising step, in order. `prior` looks up stored year-to-date values; without it an increment
    can only build on an earlier period in the same file. `decisions` {folded header: code or "ignore"} settle
    columns (and long-sheet indicator names) that match no indicator."""
    df = parse_values(cells, catalog)
    df = apply_decisions(df, catalog, decisions or {})
    df = resolve_summary_rows(df, catalog, regions)
    df = convert_fractions(df, catalog)
    df = resolve_basis(df)
    return to_year_to_date(df, catalog, prior)


# ---- numbers ---------------------------------------------------------------------------------------------------------


# Every state a value can be in: the state columns are categorical, so the checks compare small codes, not strings.
STATES = [OK, MISSING, NOT_NUMBER, NOT_FINITE, MIXED, NO_PRIOR, IGNORED]
_STATE_CODE = {state: code for code, state in enumerate(STATES)}


def _states(codes: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int8), categories=STATES)


def _numbers(cells: pd.Series) -> tuple[np.ndarray, pd.Categorical]:
    raw = cells.to_numpy(dtype=object)  # iterated as an array: three times as fast as the Series
    n = len(raw)
    types = set(map(type, raw))
    if types <= {str, type(None)} and not any(raw):  # a column the sheet does not have: blanks only
        return np.full(n, math.nan), _states(np.full(n, _STATE_CODE[MISSING]))
    if types <= {float, int, type(None)}:  # the common case: numbers and blanks, done as arrays
        values = np.asarray(raw, dtype="float64")
        finite = np.isfinite(values)
        none = ~finite & np.fromiter((v is None for v in raw), bool, n) if not finite.all() else finite & False
        codes = np.where(none, _STATE_CODE[MISSING], np.where(finite, _STATE_CODE[OK], _STATE_CODE[NOT_FINITE]))
        return values, _states(codes)
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
        states.append(_STATE_CODE[parsed[1]])
    return np.array(values, dtype="float64"), _states(np.array(states, dtype=np.int8))


def parse_values(cells: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Numbers parsed; cells without any value dropped (missing is not an error). A value missing next to a
    numerator and denominator is computed from them."""
    df = cells.reset_index(drop=True)
    for part in ("year", "period"):
        if df[part].dtype != "float64":
            df[part] = pd.to_numeric(df[part], errors="coerce").astype("float64")
    for part in ("value", "numerator", "denominator"):
        df[part], df[f"{part}_state"] = _numbers(df[f"{part}_raw"])
    notes = df["note"].fillna("").astype(str)
    if any(CONTROL_CHARS.search(note) for note in notes.unique()):  # the only cell text that is stored
        df["note"] = notes.map(clean_text)
    derivable = (df["value_state"] == MISSING) & (df["numerator_state"] == OK) & (df["denominator_state"] == OK)
    derivable &= df["denominator"] != 0
    if derivable.any():
        decimals = df.loc[derivable, "indicator_code"].map(lambda c: catalog[c].decimals if c in catalog else 2)
        ratio = df.loc[derivable, "numerator"] / df.loc[derivable, "denominator"] * 100
        df.loc[derivable, "value"] = [round(v, int(d)) for v, d in zip(ratio, decimals, strict=True)]
        df.loc[derivable, "value_state"] = OK
        df.loc[derivable, "value_col"] = df.loc[derivable, "numerator_col"]
    missing = df["value_state"] == MISSING
    return df[~missing].reset_index(drop=True) if missing.any() else df


# ---- columns that match nothing -------------------------------------------------------------------------------------


def source_of(cells: pd.DataFrame, regions: RegionIndex) -> str:
    """The region a workbook is about, for remembering column decisions: its one region, or the parent of all its
    regions (a province's all-cities table); "" when there is no such region."""
    codes = {c for c in cells["region_code"].dropna().unique() if c in regions}
    if len(codes) == 1:
        return codes.pop()
    parents = {regions[c].parent_code or c for c in codes}
    parents = {p for p in parents if p not in codes} or parents
    return parents.pop() if len(parents) == 1 else ""


def apply_decisions(df: pd.DataFrame, catalog: Catalog, decisions: Mapping[str, str]) -> pd.DataFrame:
    """(In place.) A column of numbers that matches no indicator — or a long sheet's unknown indicator name —
    takes the indicator a person chose for it, or is set aside (IGNORED) when they chose to ignore it. `decided`
    keeps the decision so the check stage can say what was done."""
    df["decided"] = ""
    if not decisions or df.empty:
        return df
    open_ = (df["unmatched"] != "") | (df["indicator_code"].isna() & (df["indicator_text"].astype(str) != ""))
    if not open_.any():
        return df
    texts = df.loc[open_, "unmatched"].where(df.loc[open_, "unmatched"] != "", df.loc[open_, "indicator_text"])
    chosen = texts.map({t: decisions.get(fold(t), "") for t in texts.unique()})
    chosen = chosen[chosen.isin([IGNORE, *catalog.by_code])]
    df.loc[chosen.index, "decided"] = chosen
    take = chosen[chosen != IGNORE].index
    df.loc[take, "indicator_code"] = chosen[chosen != IGNORE]
    df.loc[chosen.index, "unmatched"] = ""
    df.loc[chosen[chosen == IGNORE].index, "value_state"] = IGNORED
    return df


# ---- summary rows ----------------------------------------------------------------------------------------------------


def is_summary_row(text: object) -> bool:
    """全省, 合计, 17个重点城市平均, 国家考核区域 …: a row that is not one city."""
    return bool(SUMMARY_ROW.search(normalize_label(str(text or ""))))


# A summary row that is the parent's own figure: 全省, 全省平均, 全市合计, 合计, 总计. Others (17个重点城市平均,
# 国家考核区域, 小计) cover a subset of the children and are skipped.
_PARENT_ROW = re.compile(r"^(全省|全区|全市|全州|全盟)?(平均|均值|平均值|合计|总计|汇总)?$")
_MEAN_WORD = re.compile(r"平均|均值")


def _is_parent_row(text: object) -> bool:
    s = normalize_label(str(text or "")).replace(" ", "")
    return bool(s) and bool(_PARENT_ROW.match(s))


def resolve_summary_rows(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> pd.DataFrame:
    """(In place.) A summary row that stands for the parent of the sheet's regions is read as the parent's value;
    `summary_of` keeps the text it was written as. A mean row of a `sum` indicator is not the parent's total and
    stays unresolved."""
    df["summary_of"] = ""
    unresolved = df["region_code"].isna()
    todo = unresolved.copy()
    todo[unresolved] = df.loc[unresolved, "region_text"].map(_is_parent_row).astype(bool)
    if not todo.any():
        return df
    for sheet, group in df[todo].groupby("sheet", sort=False):
        resolved = df.loc[(df["sheet"] == sheet) & df["region_code"].notna(), "region_code"].unique()
        parents = {regions[c].parent_code for c in resolved if c in regions}
        if len(parents) != 1 or None in parents:
            continue  # the sheet's regions have no single parent: the row stays a skipped summary
        parent = parents.pop()
        for i in group.index:
            code = df.at[i, "indicator_code"]
            text = normalize_label(str(df.at[i, "region_text"]))
            if code in catalog and catalog[code].aggregation == "sum" and _MEAN_WORD.search(text):
                continue
            df.at[i, "region_code"], df.at[i, "summary_of"] = parent, str(df.at[i, "region_text"]).strip()
    return df


# ---- fractions -------------------------------------------------------------------------------------------------------


def is_share(ind: Indicator) -> bool:
    """A percentage of a whole: 0–100 %."""
    return ind.unit == "%" and ind.min_value >= 0 and ind.max_value <= 100


def convert_fractions(df: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """A percentage column written as fractions (0.857 for 85.7 %) is converted, every value of it, and flagged
    'converted'; a column that mixes both is not guessed at: its fraction cells are flagged 'mixed' and kept out."""
    df["fraction"] = ""
    shares = [i.code for i in catalog if is_share(i) and i.higher_better]
    candidates = (df["value_state"] == OK) & df["indicator_code"].isin(shares)
    if not (candidates & (df["value"] > 0) & (df["value"] < 1)).any():
        return df  # the usual case: no fraction anywhere (decided without copying the table)
    rows = df[candidates]
    for _, group in rows.groupby(["sheet", "value_col", "indicator_code"], sort=False):
        small = (group["value"] > 0) & (group["value"] < 1)  # a 1 among percentages is 1 %
        if not small.any():
            continue
        if (group["value"] <= 1).all():
            df.loc[group.index, "value"] = (group["value"] * 100).round(10)
            df.loc[group.index, "fraction"] = "converted"
        else:
            df.loc[group.index[small.values], "fraction"] = "mixed"
            df.loc[group.index[small.values], "value_state"] = MIXED
    return df


# ---- year to date or increment ---------------------------------------------------------------------------------------

_BASES = [YTD, INCREMENT, UNKNOWN_BASIS]  # `basis` is categorical: compared often, written rarely
_YTD_TEXT = re.compile(r"累计|年初至今|ytd|cumulative|year.to.date")
_INCREMENT_TEXT = re.compile(INCREMENT_WORDS + r"|增量|increment")
_WINDOW = re.compile(r"^(?:(?:19|20)\d{2}年度?)?(\d{1,2})[-~—–至到](\d{1,2})月份?$")


def _basis_of(text: object) -> str:
    s = normalize_label(str(text or ""))
    if not s:
        return YTD
    if _INCREMENT_TEXT.search(s) and "累计" not in s:
        return INCREMENT
    return YTD if _YTD_TEXT.search(s) else UNKNOWN_BASIS


def resolve_basis(df: pd.DataFrame) -> pd.DataFrame:
    """`basis` (ytd / increment / unknown) and `from_period`, the first month an increment covers. A period written
    as a window that does not start in January (4-6月) is itself an increment over that window."""
    texts = df["basis_text"].fillna("").astype(str)
    codes, distinct = pd.factorize(texts)  # each distinct 口径 text read once
    basis_codes = np.array([_BASES.index(_basis_of(t)) for t in distinct], dtype=np.int8)
    df["basis"] = pd.Categorical.from_codes(basis_codes[codes], categories=_BASES)
    df["from_period"] = math.nan
    undated = df.index[df["period"].isna()]
    window = undated[df.loc[undated, "period_text"].astype(str).str.len().gt(0).to_numpy(bool)]
    for i in window:
        m = _WINDOW.match(normalize_label(str(df.at[i, "period_text"])))
        if m and 1 < int(m.group(1)) <= int(m.group(2)) <= 12:
            df.at[i, "period"], df.at[i, "from_period"] = int(m.group(2)), int(m.group(1))
            df.at[i, "basis"] = INCREMENT
    plain = (df["basis"] == INCREMENT) & df["from_period"].isna() & df["period"].notna()
    for i in df.index[plain]:
        p, text = int(df.at[i, "period"]), normalize_label(str(df.at[i, "basis_text"]))
        monthly = "月" in text or (p % 3 != 0 and "季" not in text)
        df.at[i, "from_period"] = p if monthly else p - 2  # this month, or this quarter's three months
    return df


def to_year_to_date(df: pd.DataFrame, catalog: Catalog, prior: PriorValues | None) -> pd.DataFrame:
    """Increments of count indicators turned into year-to-date values, in period order, on top of the period
    before: from this file first, else `prior` (what is stored). `increment` keeps the value as written and
    `base_source` where its base came from ("file" / "stored"); an increment with no base gets the NO_PRIOR state.
    Increments of level indicators are left for check_basis to refuse."""
    df["increment"], df["base_source"] = math.nan, ""
    counts = {i.code for i in catalog if i.kind == "count"}
    # The key is settled from here on: `keyed` (region, indicator, year and period all known) serves the later stages.
    df["keyed"] = df[["region_code", "indicator_code", "year", "period"]].notna().all(axis=1)
    keyed = df["keyed"] & (df["value_state"] == OK)
    inc = keyed & (df["basis"] == INCREMENT) & df["indicator_code"].isin(counts)
    if not inc.any():
        return df
    years = sorted({int(y) for y in df.loc[inc, "year"]})
    known: dict[ObservationKey, tuple[float, str]] = {
        key: (value, "stored") for key, value in (prior(years) if prior else {}).items()
    }
    ytd = keyed & (df["basis"] == YTD)
    for r in df[ytd].itertuples():
        known[(r.region_code, r.indicator_code, int(r.year), int(r.period))] = (r.value, "file")
    for i in df[inc].sort_values("period").index:
        r = df.loc[i]
        before = int(r["from_period"]) - 1
        base, source = (
            (0.0, "")
            if before == 0
            else known.get((r["region_code"], r["indicator_code"], int(r["year"]), before), (None, ""))
        )
        if base is None:
            df.at[i, "value_state"] = NO_PRIOR
            continue
        df.at[i, "increment"], df.at[i, "base_source"] = r["value"], source
        df.at[i, "value"], df.at[i, "basis"] = round(base + r["value"], 10), YTD
        where = {"file": "本文件", "stored": "已入库"}.get(source, "")
        said = f"本期新增{r['value']:g}，加1-{before}月累计{base:g}（{where}）" if before else f"本期新增{r['value']:g}"
        df.at[i, "note"] = "；".join(x for x in (str(r["note"] or ""), said) if x)
        known[(r["region_code"], r["indicator_code"], int(r["year"]), int(r["period"]))] = (df.at[i, "value"], "file")
    return df
