"""Stage 5 of an import (check), the values: numbers, ranges, fractions, duplicates, ratio parts, units and
increments. Each check reads the normalised cells table and returns problem rows (data_loaders.checks runs them)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_loaders.cells import (
    INCREMENT,
    NO_PRIOR,
    NOT_FINITE,
    NOT_NUMBER,
    OK,
    UNKNOWN_BASIS,
    Problem,
    cell_ref,
    shown,
)
from data_loaders.normalise import is_share
from indicators.catalog import Catalog, normalize_label
from indicators.regions import RegionIndex
from indicators.terms import Severity

RATIO_TOLERANCE = 0.1  # percentage points a written ratio may differ from its counts before a warning


def rows_where(df: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """The rows of `df` where `mask` holds: an empty slice when it holds nowhere (the usual case for a check),
    instead of taking nothing from each of the table's 45 columns."""
    return df[mask] if mask.any() else df.iloc[:0]


def check_number(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """Values, numerators and denominators are numbers."""
    out = []
    for part, zh, en in (
        ("value", "数值", "Value"),
        ("numerator", "分子", "Numerator"),
        ("denominator", "分母", "Denominator"),
    ):
        for rec in rows_where(df, df[f"{part}_state"] == NOT_NUMBER).itertuples(index=False):
            raw = shown(str(getattr(rec, f"{part}_raw")).strip())
            col = rec.value_col if part == "value" else getattr(rec, f"{part}_col")
            formula = raw.startswith("=")  # a formula saved without its result (see xml_scan._formulas_without_values)
            out.append(
                Problem(
                    sheet=rec.sheet,
                    cell=cell_ref(col, rec.row),
                    column=rec.column if part == "value" else zh,
                    value=raw,
                    zh=f"{zh}单元格只有公式“{raw}”而没有计算结果：请在Excel中打开、重新计算并保存后再上传"
                    if formula
                    else f"{zh}“{raw}”不是数字",
                    en=f"{en} cell holds the formula '{raw}' but no computed result: open it in Excel, recalculate, "
                    "save and upload again"
                    if formula
                    else f"{en} '{raw}' is not a number",
                )
            )
    return out


def check_finite(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """No NaN, infinity or spreadsheet error (#DIV/0!, #N/A …) where a value belongs."""
    return [
        Problem(
            sheet=rec.sheet,
            cell=cell_ref(rec.value_col, rec.row),
            column=rec.column,
            value=rec.value_raw,
            zh=f"数值“{shown(rec.value_raw)}”不是有效数字（NaN、无穷大或公式错误）",
            en=f"Value '{shown(rec.value_raw)}' is not a finite number (NaN, infinity or a formula error)",
        )
        for rec in rows_where(df, df["value_state"] == NOT_FINITE).itertuples(index=False)
    ]


def check_range(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """Values lie in the indicator's valid range; a percentage share outside 0–100 is an error, other overruns warn."""
    out = []
    codes, distinct = pd.factorize(df["indicator_code"])  # bounds looked up once per indicator, not per row
    known = [catalog[c] if c in catalog else None for c in distinct]
    low = np.array([i.min_value if i else -np.inf for i in known] + [-np.inf])[codes]  # code -1 (none): no bound
    high = np.array([i.max_value if i else np.inf for i in known] + [np.inf])[codes]
    value = df["value"].to_numpy(dtype="float64")
    outside = (df["value_state"] == OK).to_numpy() & ((value < low) | (value > high))
    for rec in df[outside].itertuples(index=False):
        ind = catalog[rec.indicator_code]
        rng = f"{ind.min_value:g}–{ind.max_value:g}"
        out.append(
            Problem(
                sheet=rec.sheet,
                cell=cell_ref(rec.value_col, rec.row),
                column=rec.column,
                value=f"{rec.value:g}",
                zh=f"数值{rec.value:g}超出“{ind.name_zh}”的有效范围{rng}{ind.unit}",
                en=f"Value {rec.value:g} is outside the valid range {rng} {ind.unit} of {ind.name_en}",
                severity=Severity.ERROR if is_share(ind) else Severity.WARNING,
            )
        )
    return out


def check_duplicates(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """One value per (region, indicator, year, period) in a file; the repeat names the first cell."""
    key = ["region_code", "indicator_code", "year", "period"]
    full = df["keyed"] & (df["value_state"] == OK)
    repeated = df.loc[full, key].duplicated(keep=False)  # the key columns only: the table has 40 more
    dups = df.loc[repeated.index[repeated.to_numpy()]]
    out = []
    for _, group in dups.groupby(key, sort=False):
        first = group.iloc[0]
        first_cell = cell_ref(first["value_col"], first["row"])
        for rec in group.iloc[1:].itertuples(index=False):
            where_zh = first_cell if rec.sheet == first["sheet"] else f"工作表“{first['sheet']}”的{first_cell}"
            where_en = first_cell if rec.sheet == first["sheet"] else f"{first_cell} in sheet '{first['sheet']}'"
            cell = cell_ref(rec.value_col, rec.row)
            out.append(
                Problem(
                    sheet=rec.sheet,
                    cell=cell,
                    column=rec.column,
                    value=f"{rec.value:g}",
                    zh=f"{cell}与{where_zh}重复（地区、指标、年份、期间相同）",
                    en=f"{cell} duplicates {where_en} (same region, indicator, year and period)",
                )
            )
    return out


def check_ratio_parts(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """Numerator ≤ denominator, denominator not 0, and the value agrees with numerator / denominator × 100."""
    out = []
    both = rows_where(df, (df["numerator_state"] == OK) & (df["denominator_state"] == OK))
    for rec in both.itertuples(index=False):
        n, d, cell = rec.numerator, rec.denominator, cell_ref(rec.denominator_col, rec.row)
        if d == 0:
            out.append(
                Problem(sheet=rec.sheet, cell=cell, column="分母", value="0", zh="分母为0", en="Denominator is 0")
            )
        elif n < 0 or d < 0 or n > d:
            out.append(
                Problem(
                    sheet=rec.sheet,
                    cell=cell_ref(rec.numerator_col, rec.row),
                    column="分子",
                    value=f"{n:g}",
                    zh=f"分子{n:g}应在0与分母{d:g}之间",
                    en=f"Numerator {n:g} should lie between 0 and the denominator {d:g}",
                )
            )
        elif rec.value_state == OK and abs(rec.value - n / d * 100) > RATIO_TOLERANCE + 1e-9:
            out.append(
                Problem(
                    sheet=rec.sheet,
                    cell=cell_ref(rec.value_col, rec.row),
                    column=rec.column,
                    value=f"{rec.value:g}",
                    zh=f"数值{rec.value:g}与分子/分母×100（{n / d * 100:.2f}）不一致",
                    en=f"Value {rec.value:g} disagrees with numerator / denominator × 100 ({n / d * 100:.2f})",
                    severity=Severity.WARNING,
                )
            )
    one = rows_where(df, (df["numerator_state"] == OK) != (df["denominator_state"] == OK))
    for rec in one.itertuples(index=False):
        out.append(
            Problem(
                sheet=rec.sheet,
                cell=cell_ref(rec.value_col, rec.row),
                column=rec.column,
                value="",
                zh="只填写了分子或分母之一，已忽略",
                en="Only one of numerator and denominator is given; ignored",
                severity=Severity.WARNING,
            )
        )
    return out


_UNIT_FOLD = {
    "ug/m3": "μg/m³",
    "μg/m3": "μg/m³",
    "ug/m³": "μg/m³",
    "微克/立方米": "μg/m³",
    "百分比": "%",
    "百分点": "%",
}


def _unit(text: str) -> str:
    s = normalize_label(text).replace("µ", "μ").strip("()")
    return _UNIT_FOLD.get(s, s)


def check_unit(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """A stated unit matches the catalog's; values are never converted, so a different unit is an error."""
    out = []
    stated = rows_where(df, (df["unit_text"] != "") & df["indicator_code"].isin(list(catalog.by_code)))
    for rec in stated.itertuples(index=False):
        ind = catalog[rec.indicator_code]
        if _unit(rec.unit_text) != _unit(ind.unit):
            out.append(
                Problem(
                    sheet=rec.sheet,
                    cell=cell_ref(rec.unit_col, rec.row),
                    column="单位",
                    value=rec.unit_text,
                    zh=f"单位“{shown(rec.unit_text)}”与“{ind.name_zh}”的单位“{ind.unit}”不一致：请换算为{ind.unit}后再上传",
                    en=f"Unit '{shown(rec.unit_text)}' differs from {ind.name_en}'s unit '{ind.unit}': convert the value "
                    f"to {ind.unit} and upload again",
                )
            )
    return out


def check_fraction_percent(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """Fractions in a percentage column: converted with a warning when the whole column is fractions, an error on
    each fraction cell when the column mixes fractions and percentages."""
    out = []
    converted = rows_where(df, df["fraction"] == "converted")
    for (sheet, _, code), group in converted.groupby(["sheet", "value_col", "indicator_code"], sort=False):
        rec, name = group.iloc[0], catalog[code]
        out.append(
            Problem(
                sheet=sheet,
                cell=cell_ref(rec["value_col"], rec["row"]),
                column=rec["column"],
                value=f"{rec['value'] / 100:g}",
                zh=f"“{name.name_zh}”的数值均不大于1，按小数处理已乘以100（如{rec['value'] / 100:g}→{rec['value']:g}%），"
                f"共{len(group)}个；若有误请改为百分数后重新上传",
                en=f"All {len(group)} values of {name.name_en} are ≤ 1 and were read as fractions and multiplied by 100 "
                f"(e.g. {rec['value'] / 100:g} → {rec['value']:g} %); if that is wrong, write percentages and upload again",
                severity=Severity.WARNING,
            )
        )
    for rec in rows_where(df, df["fraction"] == "mixed").itertuples(index=False):
        name = catalog[rec.indicator_code]
        out.append(
            Problem(
                sheet=rec.sheet,
                cell=cell_ref(rec.value_col, rec.row),
                column=rec.column,
                value=f"{rec.value:g}",
                zh=f"“{name.name_zh}”列中既有百分数又有小数，无法判断{rec.value:g}是{rec.value:g}%还是{rec.value * 100:g}%，请统一填写百分数",
                en=f"The {name.name_en} column mixes percentages and fractions: {rec.value:g} could be {rec.value:g} % "
                f"or {rec.value * 100:g} %; write every value as a percentage",
            )
        )
    return out


def check_basis(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """A 口径 that says neither year-to-date nor increment is an error; so is an increment of a level indicator."""
    out = []
    for rec in (
        rows_where(df, df["basis"] == UNKNOWN_BASIS)
        .drop_duplicates(["sheet", "basis_col", "row"])
        .itertuples(index=False)
    ):
        out.append(
            Problem(
                sheet=rec.sheet,
                cell=cell_ref(rec.basis_col, rec.row),
                column="口径",
                value=rec.basis_text,
                zh=f"口径“{shown(rec.basis_text)}”无法识别：应为“累计”（年初至今）或“本期新增”",
                en=f"Basis '{shown(rec.basis_text)}' is not recognised: write 累计 (year to date) or 本期新增 (this period's "
                "increment)",
            )
        )
    level = rows_where(
        df, (df["basis"] == INCREMENT) & df["indicator_code"].isin([i.code for i in catalog if i.kind != "count"])
    )
    for rec in level[level["value_state"] == OK].itertuples(index=False):
        ind, p = catalog[rec.indicator_code], rec.period
        upto = f"1-{int(p)}月" if p == p else "年初至今"
        out.append(
            Problem(
                sheet=rec.sheet,
                cell=cell_ref(rec.value_col, rec.row),
                column=rec.column,
                value=f"{rec.value:g}",
                zh=f"“{ind.name_zh}”是均值或比例类指标，只能填报年初至今的累计值，不能按本期增量填报：请改报{upto}的数值",
                en=f"{ind.name_en} is a mean or a ratio: it can only be reported year to date, never as this period's "
                f"increment; report the value for {upto} instead",
            )
        )
    return out


def check_increment(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """Increments turned into year-to-date values are said so; an increment with no earlier year-to-date value to
    build on is refused, naming its cell and what to import first."""
    out = []
    for rec in rows_where(df, df["value_state"] == NO_PRIOR).itertuples(index=False):
        start, end, before = int(rec.from_period), int(rec.period), int(rec.from_period) - 1
        out.append(
            Problem(
                sheet=rec.sheet,
                cell=cell_ref(rec.value_col, rec.row),
                column="数值",
                value=f"{rec.value:g}",
                zh=f"该值为本期新增（{start}-{end}月），但{int(rec.year)}年1-{before}月的累计值既未入库、本文件中也没有，"
                f"无法换算为年初至今累计：请先导入1-{before}月数据，或改报1-{end}月累计值",
                en=f"This is the increment for months {start}-{end}, but the year-to-date value for January-{before} "
                f"{int(rec.year)} is neither stored nor in this file, so it cannot be turned into a year-to-date "
                f"value: import January-{before} first, or report January-{end} year to date",
            )
        )
    converted = rows_where(df, df["increment"].notna()) if "increment" in df else df.iloc[:0]
    if len(converted):
        first = converted.iloc[0]
        out.append(
            Problem(
                sheet=first["sheet"],
                cell=cell_ref(first["value_col"], first["row"]),
                column="口径",
                value="",
                zh=f"{len(converted)}个本期新增值已换算为年初至今累计（以本文件或已入库的上期累计值为基数）",
                en=f"{len(converted)} increments were turned into year-to-date values (on top of the earlier period's "
                "year-to-date value from this file or the database)",
                severity=Severity.WARNING,
            )
        )
    return out
