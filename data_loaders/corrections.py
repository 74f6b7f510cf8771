"""What the reader settles before the checks: summary rows that are the parent's own value, and percentages
written as fractions. Each step marks what it did, and its check says so in the problems table."""

from __future__ import annotations

import re

import pandas as pd

from data_loaders.cells import _SUMMARY_ROW, OK, WARNING, _cell, _region_name, problem
from indicators.catalog import Catalog, normalize_label
from indicators.regions import RegionIndex

MIXED = "mixed_fraction"  # a value state: a fraction in a column of percentages, kept out of the tidy table


def _is_summary_row(text: object) -> bool:
    return bool(_SUMMARY_ROW.search(normalize_label(str(text or ""))))


def _is_share(ind) -> bool:
    return ind.unit == "%" and ind.min_value >= 0 and ind.max_value <= 100


# A summary row that is the parent's own figure: 全省, 全省平均, 全市合计, 合计, 总计. Others (17个重点城市平均,
# 国家考核区域, 小计) cover a subset of the children and are skipped.
_PARENT_ROW = re.compile(r"^(全省|全区|全市|全州|全盟)?(平均|均值|平均值|合计|总计|汇总)?$")
_MEAN_WORD = re.compile(r"平均|均值")


def resolve_summary_rows(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> pd.DataFrame:
    """(In place.) A summary row that stands for the parent of the sheet's regions is read as the parent's value; `summary_of`
    keeps the text it was written as. A mean row of a `sum` indicator is not the parent's total and stays unresolved."""
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


def _is_parent_row(text: object) -> bool:
    s = normalize_label(str(text or "")).replace(" ", "")
    return bool(s) and bool(_PARENT_ROW.match(s))


def check_summary_row(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """Rows such as 全省 / 合计 are stored as the parent region's value and said so; rows such as 17个重点城市平均
    or 国家考核区域 are not one region and are skipped with a warning."""
    out = []
    parent_rows = df[df["summary_of"] != ""] if "summary_of" in df else df.iloc[:0]
    for rec in parent_rows.drop_duplicates(["sheet", "region_col", "row"]).itertuples(index=False):
        name = regions.name(rec.region_code)
        out.append(
            problem(
                rec.sheet,
                _cell(rec.region_col, rec.row),
                "地区",
                rec.summary_of,
                f"汇总行“{rec.summary_of}”按{name}的数值导入",
                f"Summary row '{rec.summary_of}' imported as the value of region {rec.region_code} ({name})",
                WARNING,
            )
        )
    rows = df[df["region_code"].isna()]
    rows = rows[rows["region_text"].map(_is_summary_row)]
    out += [
        problem(
            rec.sheet,
            _cell(rec.region_col, rec.row),
            "地区",
            _region_name(rec),
            f"汇总行“{_region_name(rec)}”不是单个地区，未导入",
            f"Summary row '{_region_name(rec)}' is not a single region; not imported",
            WARNING,
        )
        for rec in rows.drop_duplicates(["sheet", "region_col", "row"]).itertuples(index=False)
    ]
    return out


def convert_fractions(df: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """A percentage column written as fractions (0.857 for 85.7 %) is converted, every value of it, and flagged
    'converted'; a column that mixes both is not guessed at: its fraction cells are flagged 'mixed' and kept out."""
    df["fraction"] = ""
    shares = [i.code for i in catalog if _is_share(i) and i.higher_better]
    rows = df[(df["value_state"] == OK) & df["indicator_code"].isin(shares)]
    if not ((rows["value"] > 0) & (rows["value"] < 1)).any():
        return df  # the usual case: no fraction anywhere
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


def check_fraction_percent(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """Fractions in a percentage column: converted with a warning when the whole column is fractions, an error on
    each fraction cell when the column mixes fractions and percentages."""
    out = []
    converted = df[df["fraction"] == "converted"]
    for (sheet, _, code), group in converted.groupby(["sheet", "value_col", "indicator_code"], sort=False):
        rec, name = group.iloc[0], catalog[code]
        out.append(
            problem(
                sheet,
                _cell(rec["value_col"], rec["row"]),
                rec["column"],
                f"{rec['value'] / 100:g}",
                f"“{name.name_zh}”的数值均不大于1，按小数处理已乘以100（如{rec['value'] / 100:g}→{rec['value']:g}%），"
                f"共{len(group)}个；若有误请改为百分数后重新上传",
                f"All {len(group)} values of {name.name_en} are ≤ 1 and were read as fractions and multiplied by 100 "
                f"(e.g. {rec['value'] / 100:g} → {rec['value']:g} %); if that is wrong, write percentages and upload again",
                WARNING,
            )
        )
    for rec in df[df["fraction"] == "mixed"].itertuples(index=False):
        name = catalog[rec.indicator_code]
        out.append(
            problem(
                rec.sheet,
                _cell(rec.value_col, rec.row),
                rec.column,
                f"{rec.value:g}",
                f"“{name.name_zh}”列中既有百分数又有小数，无法判断{rec.value:g}是{rec.value:g}%还是{rec.value * 100:g}%，请统一填写百分数",
                f"The {name.name_en} column mixes percentages and fractions: {rec.value:g} could be {rec.value:g} % "
                f"or {rec.value * 100:g} %; write every value as a percentage",
            )
        )
    return out
