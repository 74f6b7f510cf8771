"""Stage 5 of an import (check): the named checks run over every value, and the one list that runs them. This
module holds the checks of each value's key (region, indicator, year, period, columns that match nothing);
data_loaders.value_checks those of the values themselves. A check reads the normalised cells table and returns
problem rows; it never changes the table."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from data_loaders.cells import (
    IGNORE,
    IGNORED,
    Problem,
    cell_ref,
    key_cell,
    region_name,
    shown,
)
from data_loaders.normalise import is_summary_row
from data_loaders.value_checks import (
    check_basis,
    check_duplicates,
    check_finite,
    check_fraction_percent,
    check_increment,
    check_number,
    check_range,
    check_ratio_parts,
    check_unit,
    rows_where,
)
from indicators.catalog import Catalog
from indicators.matching import match_name
from indicators.regions import RegionIndex
from indicators.terms import Severity


def check_region(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """Every value belongs to a known region; an unknown name gets the closest known names."""
    out = []
    bad = rows_where(df, df["region_code"].isna())
    bad = bad[~bad["region_text"].map(is_summary_row)]
    for rec in bad.drop_duplicates(["sheet", "region_col", "row"]).itertuples(index=False):
        name, cell = shown(region_name(rec)), cell_ref(rec.region_col, rec.row)
        if not name:
            out.append(
                Problem(sheet=rec.sheet, cell=cell, column="地区", value="", zh="缺少地区", en="Region is missing")
            )
            continue
        hints = regions.suggest(name)
        zh = f"未知地区“{name}”" + (f"，是否为：{'、'.join(hints)}？" if hints else "")
        en = f"Unknown region '{name}'" + (f"; did you mean: {', '.join(hints)}?" if hints else "")
        out.append(Problem(sheet=rec.sheet, cell=cell, column="地区", value=name, zh=zh, en=en))
    return out


def _closest(codes: object, catalog: Catalog) -> str:
    return "、".join(catalog[c].name_zh for c in str(codes or "").split("|") if c in catalog)


def _closest_en(codes: object, catalog: Catalog) -> str:
    return "; ".join(f"{catalog[c].name_en} ({c})" for c in str(codes or "").split("|") if c in catalog)


def check_indicator(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """Every value of a long sheet names a catalog indicator; an unknown name gets the three closest."""
    out = []
    bad = rows_where(df, df["indicator_code"].isna() & (df["unmatched"] == "") & (df["value_state"] != IGNORED))
    names = bad["indicator_text"].astype(str).str.strip().map(shown)
    closest = {n: "|".join(c for c, _ in match_name(n, catalog).candidates[:3]) for n in names.unique() if n}
    for rec, name in zip(bad.itertuples(index=False), names, strict=True):
        cell = cell_ref(rec.indicator_col, rec.row)
        if not name:
            out.append(
                Problem(sheet=rec.sheet, cell=cell, column="指标", value="", zh="缺少指标", en="Indicator is missing")
            )
            continue
        hint_zh, hint_en = _closest(closest[name], catalog), _closest_en(closest[name], catalog)
        out.append(
            Problem(
                sheet=rec.sheet,
                cell=cell,
                column="指标",
                value=name,
                zh=f"未知指标“{name}”"
                + (f"，最接近的是：{hint_zh}" if hint_zh else "")
                + "；请使用指标目录中的名称或代码",
                en=f"Unknown indicator '{name}'"
                + (f"; closest: {hint_en}" if hint_en else "")
                + "; use a name or code from the indicator catalog",
            )
        )
    return out


def check_unmatched_column(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """A column of numbers that matches no indicator is never dropped quietly: one error per column, with the three
    closest indicators, until a person maps it to an indicator or decides to ignore it."""
    out = []
    for rec in rows_where(df, df["unmatched"] != "").drop_duplicates(["sheet", "unmatched_at"]).itertuples(index=False):
        hint_zh, hint_en = _closest(rec.suggestions, catalog), _closest_en(rec.suggestions, catalog)
        out.append(
            Problem(
                sheet=rec.sheet,
                cell=rec.unmatched_at,
                column=rec.unmatched,
                value=rec.unmatched,
                zh=f"“{shown(rec.unmatched)}”列有数值，但对应不到任何指标"
                + (f"（最接近的是：{hint_zh}）" if hint_zh else "")
                + "：请在上传页面选择对应的指标或“忽略”，命令行用 --map-column 或 --ignore-column",
                en=f"Column '{shown(rec.unmatched)}' holds numbers but matches no indicator"
                + (f" (closest: {hint_en})" if hint_en else "")
                + ": choose its indicator or 'ignore' on the upload page, or use --map-column / --ignore-column",
            )
        )
    return out


def check_decided_column(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """What a person's decision did to a column: imported as the chosen indicator, or ignored."""
    out = []
    decided = rows_where(df, df["decided"] != "") if "decided" in df else df.iloc[:0]
    for rec in decided.drop_duplicates(["sheet", "indicator_col", "decided"]).itertuples(index=False):
        head = rec.column
        if rec.decided == IGNORE:
            zh, en = f"按确认的对应关系，“{shown(head)}”列已忽略", f"Column '{shown(head)}' ignored, as confirmed"
        else:
            ind = catalog[rec.decided]
            zh = f"按确认的对应关系，“{shown(head)}”列导入为“{ind.name_zh}”"
            en = f"Column '{shown(head)}' imported as {ind.name_en}, as confirmed"
        out.append(
            Problem(
                sheet=rec.sheet,
                cell=cell_ref(rec.indicator_col, rec.row),
                column=head,
                value=head,
                zh=zh,
                en=en,
                severity=Severity.WARNING,
            )
        )
    return out


def _check_key_part(
    df: pd.DataFrame, part: str, label: str, label_en: str, example: str, example_en: str
) -> list[Problem]:
    out = []
    bad = rows_where(df, df[part].isna()).copy()
    bad["where"] = [key_cell(rec, part) for rec in bad.itertuples(index=False)]
    for rec in bad.drop_duplicates(["sheet", "where", f"{part}_text"]).itertuples(index=False):
        text = shown(str(getattr(rec, f"{part}_text")).strip())
        if not text:
            out.append(
                Problem(
                    sheet=rec.sheet,
                    cell=rec.where,
                    column=label,
                    value="",
                    zh=f"未找到{label}：请在标题行、工作表名称或“{label}”列中注明（如“{example}”）",
                    en=f"No {label_en} found: state it in a title row, the sheet name or a '{label}' column "
                    f"(e.g. {example_en})",
                )
            )
        else:
            out.append(
                Problem(
                    sheet=rec.sheet,
                    cell=rec.where,
                    column=label,
                    value=text,
                    zh=f"{label}“{text}”无法识别（应如“{example}”）",
                    en=f"Unknown {label_en} '{text}' (expected e.g. {example_en})",
                )
            )
    return out


def check_year(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """Every value has a year."""
    return _check_key_part(df, "year", "年份", "year", "2024", "2024")


def check_period(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """Every value has a period (the end month of its year-to-date window)."""
    return _check_key_part(
        df, "period", "期间", "period", "1-6月、Q2、二季度、上半年、全年", "1-6月, Q2, 二季度, 上半年, 全年"
    )


def check_summary_row(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """Rows such as 全省 / 合计 are stored as the parent region's value and said so; rows such as 17个重点城市平均
    or 国家考核区域 are not one region and are skipped with a warning."""
    out = []
    parent_rows = rows_where(df, df["summary_of"] != "") if "summary_of" in df else df.iloc[:0]
    for rec in parent_rows.drop_duplicates(["sheet", "region_col", "row"]).itertuples(index=False):
        name = regions.name(rec.region_code)
        out.append(
            Problem(
                sheet=rec.sheet,
                cell=cell_ref(rec.region_col, rec.row),
                column="地区",
                value=rec.summary_of,
                zh=f"汇总行“{shown(rec.summary_of)}”按{name}的数值导入",
                en=f"Summary row '{shown(rec.summary_of)}' imported as the value of region {rec.region_code} ({name})",
                severity=Severity.WARNING,
            )
        )
    rows = rows_where(df, df["region_code"].isna())
    rows = rows[rows["region_text"].map(is_summary_row)]
    out += [
        Problem(
            sheet=rec.sheet,
            cell=cell_ref(rec.region_col, rec.row),
            column="地区",
            value=region_name(rec),
            zh=f"汇总行“{shown(region_name(rec))}”不是单个地区，未导入",
            en=f"Summary row '{shown(region_name(rec))}' is not a single region; not imported",
            severity=Severity.WARNING,
        )
        for rec in rows.drop_duplicates(["sheet", "region_col", "row"]).itertuples(index=False)
    ]
    return out


Check = Callable[[pd.DataFrame, Catalog, RegionIndex], list[Problem]]
CHECKS: list[Check] = [
    check_region,
    check_summary_row,
    check_indicator,
    check_unmatched_column,
    check_decided_column,
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
    check_increment,
]


def run_checks(df: pd.DataFrame, catalog: Catalog, regions: RegionIndex) -> list[Problem]:
    """Every check in CHECKS over the normalised cells, in order."""
    return [p for check in CHECKS for p in check(df, catalog, regions)]
