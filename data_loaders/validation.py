"""The named checks run over every value read from a workbook, and the one list that runs them."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from data_loaders.basis import check_basis, resolve_basis
from data_loaders.cells import (
    CELL_COLUMNS,
    ERROR,
    MISSING_TOKENS,
    NOT_FINITE,
    NOT_NUMBER,
    OK,
    PROBLEM_COLUMNS,
    TIDY_COLUMNS,
    WARNING,
    _cell,
    _key_cell,
    _region_name,
    col_letter,
    parse_number,
    prepare,
    problem,
    problems_frame,
    ref_index,
)
from data_loaders.corrections import (
    _is_share,
    _is_summary_row,
    check_fraction_percent,
    check_summary_row,
    convert_fractions,
    resolve_summary_rows,
)
from indicators.catalog import Catalog, normalize_label
from indicators.regions import RegionIndex

__all__ = [
    "CELL_COLUMNS",
    "ERROR",
    "MISSING_TOKENS",
    "PROBLEM_COLUMNS",
    "TIDY_COLUMNS",
    "WARNING",
    "col_letter",
    "parse_number",
    "prepare",
    "problem",
    "problems_frame",
    "ref_index",
    "CHECKS",
    "validate",
]


def check_region(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """Every value belongs to a known region; an unknown name gets the closest known names."""
    out = []
    bad = df[df["region_code"].isna()]
    bad = bad[~bad["region_text"].map(_is_summary_row)]
    for rec in bad.drop_duplicates(["sheet", "region_col", "row"]).itertuples(index=False):
        name, cell = _region_name(rec), _cell(rec.region_col, rec.row)
        if not name:
            out.append(problem(rec.sheet, cell, "地区", "", "缺少地区", "Region is missing"))
            continue
        hints = regions.suggest(name)
        zh = f"未知地区“{name}”" + (f"，是否为：{'、'.join(hints)}？" if hints else "")
        en = f"Unknown region '{name}'" + (f"; did you mean: {', '.join(hints)}?" if hints else "")
        out.append(problem(rec.sheet, cell, "地区", name, zh, en))
    return out


def check_indicator(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """Every value belongs to a catalog indicator."""
    out = []
    for rec in df[df["indicator_code"].isna()].itertuples(index=False):
        name, cell = str(rec.indicator_text).strip(), _cell(rec.indicator_col, rec.row)
        if not name:
            out.append(problem(rec.sheet, cell, "指标", "", "缺少指标", "Indicator is missing"))
        else:
            out.append(
                problem(
                    rec.sheet,
                    cell,
                    "指标",
                    name,
                    f"未知指标“{name}”，请使用指标目录中的名称或代码",
                    f"Unknown indicator '{name}'; use a name or code from the indicator catalog",
                )
            )
    return out


def _check_key_part(
    df: pd.DataFrame, part: str, label: str, label_en: str, example: str, example_en: str
) -> list[dict]:
    out = []
    bad = df[df[part].isna()].copy()
    bad["where"] = [_key_cell(rec, part) for rec in bad.itertuples(index=False)]
    for rec in bad.drop_duplicates(["sheet", "where", f"{part}_text"]).itertuples(index=False):
        text = str(getattr(rec, f"{part}_text")).strip()
        if not text:
            out.append(
                problem(
                    rec.sheet,
                    rec.where,
                    label,
                    "",
                    f"未找到{label}：请在标题行、工作表名称或“{label}”列中注明（如“{example}”）",
                    f"No {label_en} found: state it in a title row, the sheet name or a '{label}' column "
                    f"(e.g. {example_en})",
                )
            )
        else:
            out.append(
                problem(
                    rec.sheet,
                    rec.where,
                    label,
                    text,
                    f"{label}“{text}”无法识别（应如“{example}”）",
                    f"Unknown {label_en} '{text}' (expected e.g. {example_en})",
                )
            )
    return out


def check_year(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """Every value has a year."""
    return _check_key_part(df, "year", "年份", "year", "2024", "2024")


def check_period(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """Every value has a period (the end month of its year-to-date window)."""
    return _check_key_part(
        df, "period", "期间", "period", "1-6月、Q2、二季度、上半年、全年", "1-6月, Q2, 二季度, 上半年, 全年"
    )


def check_number(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """Values, numerators and denominators are numbers."""
    out = []
    for part, zh, en in (
        ("value", "数值", "Value"),
        ("numerator", "分子", "Numerator"),
        ("denominator", "分母", "Denominator"),
    ):
        for rec in df[df[f"{part}_state"] == NOT_NUMBER].itertuples(index=False):
            raw = str(getattr(rec, f"{part}_raw")).strip()
            col = rec.value_col if part == "value" else getattr(rec, f"{part}_col")
            formula = raw.startswith("=")  # a formula saved without its result (see workbook._formulas_without_values)
            out.append(
                problem(
                    rec.sheet,
                    _cell(col, rec.row),
                    rec.column if part == "value" else zh,
                    raw,
                    f"{zh}单元格只有公式“{raw}”而没有计算结果：请在Excel中打开、重新计算并保存后再上传"
                    if formula
                    else f"{zh}“{raw}”不是数字",
                    f"{en} cell holds the formula '{raw}' but no computed result: open it in Excel, recalculate, "
                    "save and upload again"
                    if formula
                    else f"{en} '{raw}' is not a number",
                )
            )
    return out


def check_finite(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """No NaN, infinity or spreadsheet error (#DIV/0!, #N/A …) where a value belongs."""
    return [
        problem(
            rec.sheet,
            _cell(rec.value_col, rec.row),
            rec.column,
            rec.value_raw,
            f"数值“{rec.value_raw}”不是有效数字（NaN、无穷大或公式错误）",
            f"Value '{rec.value_raw}' is not a finite number (NaN, infinity or a formula error)",
        )
        for rec in df[df["value_state"] == NOT_FINITE].itertuples(index=False)
    ]


def check_range(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """Values lie in the indicator's valid range; a percentage share outside 0–100 is an error, other overruns warn."""
    out = []
    known = df[(df["value_state"] == OK) & df["indicator_code"].isin(list(catalog.by_code))]
    lo = known["indicator_code"].map({i.code: i.min_value for i in catalog})
    hi = known["indicator_code"].map({i.code: i.max_value for i in catalog})
    for rec in known[(known["value"] < lo) | (known["value"] > hi)].itertuples(index=False):
        ind = catalog[rec.indicator_code]
        rng = f"{ind.min_value:g}–{ind.max_value:g}"
        out.append(
            problem(
                rec.sheet,
                _cell(rec.value_col, rec.row),
                rec.column,
                f"{rec.value:g}",
                f"数值{rec.value:g}超出“{ind.name_zh}”的有效范围{rng}{ind.unit}",
                f"Value {rec.value:g} is outside the valid range {rng} {ind.unit} of {ind.name_en}",
                ERROR if _is_share(ind) else WARNING,
            )
        )
    return out


def check_duplicates(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """One value per (region, indicator, year, period) in a file; the repeat names the first cell."""
    key = ["region_code", "indicator_code", "year", "period"]
    full = df[df[key].notna().all(axis=1) & (df["value_state"] == OK)]
    dups = full[full.duplicated(key, keep=False)]
    out = []
    for _, group in dups.groupby(key, sort=False):
        first = group.iloc[0]
        first_cell = _cell(first["value_col"], first["row"])
        for rec in group.iloc[1:].itertuples(index=False):
            where_zh = first_cell if rec.sheet == first["sheet"] else f"工作表“{first['sheet']}”的{first_cell}"
            where_en = first_cell if rec.sheet == first["sheet"] else f"{first_cell} in sheet '{first['sheet']}'"
            cell = _cell(rec.value_col, rec.row)
            out.append(
                problem(
                    rec.sheet,
                    cell,
                    rec.column,
                    f"{rec.value:g}",
                    f"{cell}与{where_zh}重复（地区、指标、年份、期间相同）",
                    f"{cell} duplicates {where_en} (same region, indicator, year and period)",
                )
            )
    return out


def check_ratio_parts(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """Numerator ≤ denominator, denominator not 0, and the value agrees with numerator / denominator × 100."""
    out = []
    both = df[(df["numerator_state"] == OK) & (df["denominator_state"] == OK)]
    for rec in both.itertuples(index=False):
        n, d, cell = rec.numerator, rec.denominator, _cell(rec.denominator_col, rec.row)
        if d == 0:
            out.append(problem(rec.sheet, cell, "分母", "0", "分母为0", "Denominator is 0"))
        elif n < 0 or d < 0 or n > d:
            out.append(
                problem(
                    rec.sheet,
                    _cell(rec.numerator_col, rec.row),
                    "分子",
                    f"{n:g}",
                    f"分子{n:g}应在0与分母{d:g}之间",
                    f"Numerator {n:g} should lie between 0 and the denominator {d:g}",
                )
            )
        elif rec.value_state == OK and abs(rec.value - n / d * 100) > 0.05 + 1e-9:
            out.append(
                problem(
                    rec.sheet,
                    _cell(rec.value_col, rec.row),
                    rec.column,
                    f"{rec.value:g}",
                    f"数值{rec.value:g}与分子/分母×100（{n / d * 100:.2f}）不一致",
                    f"Value {rec.value:g} disagrees with numerator / denominator × 100 ({n / d * 100:.2f})",
                    WARNING,
                )
            )
    one = df[(df["numerator_state"] == OK) != (df["denominator_state"] == OK)]
    for rec in one.itertuples(index=False):
        out.append(
            problem(
                rec.sheet,
                _cell(rec.value_col, rec.row),
                rec.column,
                "",
                "只填写了分子或分母之一，已忽略",
                "Only one of numerator and denominator is given; ignored",
                WARNING,
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


def check_unit(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[dict]:
    """A stated unit matches the catalog's; values are never converted, so a different unit is an error."""
    out = []
    stated = df[(df["unit_text"] != "") & df["indicator_code"].isin(list(catalog.by_code))]
    for rec in stated.itertuples(index=False):
        ind = catalog[rec.indicator_code]
        if _unit(rec.unit_text) != _unit(ind.unit):
            out.append(
                problem(
                    rec.sheet,
                    _cell(rec.unit_col, rec.row),
                    "单位",
                    rec.unit_text,
                    f"单位“{rec.unit_text}”与“{ind.name_zh}”的单位“{ind.unit}”不一致：请换算为{ind.unit}后再上传",
                    f"Unit '{rec.unit_text}' differs from {ind.name_en}'s unit '{ind.unit}': convert the value "
                    f"to {ind.unit} and upload again",
                )
            )
    return out


Check = Callable[[pd.DataFrame, Catalog, RegionIndex], list[dict]]
CHECKS: list[Check] = [
    check_region,
    check_summary_row,
    check_indicator,
    check_year,
    check_period,
    check_number,
    check_finite,
    check_range,
    check_fraction_percent,
    check_duplicates,
    check_ratio_parts,
    check_unit,
    check_basis,
]


def validate(cells: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> tuple[pd.DataFrame, list[dict]]:
    """The tidy table of every fully resolved finite value, and the problems the checks found."""
    df = resolve_basis(convert_fractions(resolve_summary_rows(prepare(cells, catalog), catalog, regions), catalog))
    problems = [p for check in CHECKS for p in check(df, catalog, regions)]
    return tidy_table(df), problems


def tidy_table(df: pd.DataFrame) -> pd.DataFrame:
    keep = df[["region_code", "indicator_code", "year", "period"]].notna().all(axis=1) & (df["value_state"] == OK)
    rows = df[keep]
    parts_ok = (rows["numerator_state"] == OK) & (rows["denominator_state"] == OK)
    tidy = pd.DataFrame(
        {
            "region_code": rows["region_code"].astype(str),
            "indicator_code": rows["indicator_code"].astype(str),
            "year": rows["year"].astype("int64"),
            "period": rows["period"].astype("int64"),
            "value": rows["value"].astype("float64"),
            "numerator": rows["numerator"].where(parts_ok).astype("float64"),
            "denominator": rows["denominator"].where(parts_ok).astype("float64"),
            "note": rows["note"].fillna("").astype(str),
            "sheet": rows["sheet"].astype(str),
            "cell": rows["value_col"].astype(str) + rows["row"].astype("int64").astype(str),
            "basis": rows["basis"].astype(str) if "basis" in rows else "ytd",
            "from_period": rows["from_period"].astype("float64") if "from_period" in rows else float("nan"),
        },
        columns=TIDY_COLUMNS,
    )
    return tidy.reset_index(drop=True)
