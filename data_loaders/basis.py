"""Year-to-date or this period's increment: how a value was submitted, and increments turned into year-to-date.

Chinese reporting is cumulative (1-6月 = January to June). Counts are sometimes sent as the quarter's increment
instead ('本季度新增完成整治村数', a 口径 column saying 本期, or a period written as 4-6月). Such a count becomes
year-to-date by adding the year-to-date value of the period before, from the same file or from the database; with no
such value it is refused. A level indicator (a mean or a ratio) has no meaningful increment and is always refused."""

from __future__ import annotations

import math
import re

import pandas as pd
from sqlalchemy.engine import Engine

from data_loaders.cells import ERROR, OK, WARNING, _cell, problem, problems_frame
from data_loaders.headers import INCREMENT_WORDS
from indicators.catalog import Catalog, normalize_label
from indicators.regions import RegionIndex

YTD, INCREMENT, UNKNOWN = "ytd", "increment", "unknown"
_YTD_TEXT = re.compile(r"累计|年初至今|ytd|cumulative|year.to.date")
_INCREMENT_TEXT = re.compile(INCREMENT_WORDS + r"|增量|increment")
_WINDOW = re.compile(r"^(?:(?:19|20)\d{2}年度?)?(\d{1,2})[-~—–至到](\d{1,2})月份?$")


def _basis_of(text: object) -> str:
    s = normalize_label(str(text or ""))
    if not s:
        return YTD
    if _INCREMENT_TEXT.search(s) and "累计" not in s:
        return INCREMENT
    return YTD if _YTD_TEXT.search(s) else UNKNOWN


def resolve_basis(df: pd.DataFrame) -> pd.DataFrame:
    """`basis` (ytd / increment / unknown) and `from_period`, the first month an increment covers. A period written
    as a window that does not start in January (4-6月) is itself an increment over that window."""
    texts = df["basis_text"].fillna("").astype(str)
    df["basis"] = texts.map({t: _basis_of(t) for t in texts.unique()}) if len(df) else []
    df["from_period"] = math.nan
    window = df["period"].isna() & df["period_text"].astype(str).str.len().gt(0)
    for i in df.index[window]:
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


def check_basis(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """A 口径 that says neither year-to-date nor increment is an error; so is an increment of a level indicator."""
    out = []
    for rec in df[df["basis"] == UNKNOWN].drop_duplicates(["sheet", "basis_col", "row"]).itertuples(index=False):
        out.append(
            problem(
                rec.sheet,
                _cell(rec.basis_col, rec.row),
                "口径",
                rec.basis_text,
                f"口径“{rec.basis_text}”无法识别：应为“累计”（年初至今）或“本期新增”",
                f"Basis '{rec.basis_text}' is not recognised: write 累计 (year to date) or 本期新增 (this period's "
                "increment)",
            )
        )
    level = df[(df["basis"] == INCREMENT) & df["indicator_code"].isin([i.code for i in catalog if i.kind != "count"])]
    for rec in level[level["value_state"] == OK].itertuples(index=False):
        ind, p = catalog[rec.indicator_code], rec.period
        upto = f"1-{int(p)}月" if p == p else "年初至今"
        out.append(
            problem(
                rec.sheet,
                _cell(rec.value_col, rec.row),
                rec.column,
                f"{rec.value:g}",
                f"“{ind.name_zh}”是均值或比例类指标，只能填报年初至今的累计值，不能按本期增量填报：请改报{upto}的数值",
                f"{ind.name_en} is a mean or a ratio: it can only be reported year to date, never as this period's "
                f"increment; report the value for {upto} instead",
            )
        )
    return out


def to_year_to_date(engine: Engine, tidy: pd.DataFrame, problems: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Increments turned into year-to-date values, in period order, on top of the period before: from this file
    first, else the database. An increment with no earlier value is refused with an error naming its cell."""
    inc = tidy["basis"] == INCREMENT
    if not inc.any():
        return tidy, problems
    from data_loaders import store

    stored = store.load_observations(engine, sorted({int(y) for y in tidy.loc[inc, "year"]}))
    known = {
        (r.region_code, r.indicator_code, r.year, r.period): (r.value, "已入库") for r in stored.itertuples(index=False)
    }
    for r in tidy[~inc].itertuples(index=False):
        known[(r.region_code, r.indicator_code, r.year, r.period)] = (r.value, "本文件")
    out, found, converted, dropped = tidy.copy(), [], 0, []
    for i in out[inc].sort_values("period").index:
        r = out.loc[i]
        before = int(r["from_period"]) - 1
        key = (r["region_code"], r["indicator_code"], int(r["year"]), before)
        base, source = (0.0, "") if before == 0 else known.get(key, (None, ""))
        if base is None:
            dropped.append(i)
            found.append(
                problem(
                    r["sheet"],
                    r["cell"],
                    "数值",
                    f"{r['value']:g}",
                    f"该值为本期新增（{int(r['from_period'])}-{int(r['period'])}月），但{r['year']}年1-{before}月的累计值"
                    f"既未入库、本文件中也没有，无法换算为年初至今累计：请先导入1-{before}月数据，或改报1-{int(r['period'])}月累计值",
                    f"This is the increment for months {int(r['from_period'])}-{int(r['period'])}, but the "
                    f"year-to-date value for January-{before} {r['year']} is neither stored nor in this file, so it "
                    f"cannot be turned into a year-to-date value: import January-{before} first, or report "
                    f"January-{int(r['period'])} year to date",
                    ERROR,
                )
            )
            continue
        value = round(base + r["value"], 10)
        note = (
            f"本期新增{r['value']:g}，加1-{before}月累计{base:g}（{source}）" if before else f"本期新增{r['value']:g}"
        )
        out.at[i, "value"], out.at[i, "note"] = value, "；".join(x for x in (r["note"], note) if x)
        known[(r["region_code"], r["indicator_code"], int(r["year"]), int(r["period"]))] = (value, "本文件")
        converted += 1
    if converted:
        first = out.loc[out[inc].index[0]]
        found.append(
            problem(
                first["sheet"],
                first["cell"],
                "口径",
                "",
                f"{converted}个本期新增值已换算为年初至今累计（以本文件或已入库的上期累计值为基数）",
                f"{converted} increments were turned into year-to-date values (on top of the earlier period's "
                "year-to-date value from this file or the database)",
                WARNING,
            )
        )
    out = out.drop(index=dropped).reset_index(drop=True)
    rows = problems.to_dict("records") + found
    return out, problems_frame(rows, list(dict.fromkeys(problems["sheet"].tolist() + out["sheet"].tolist())))
