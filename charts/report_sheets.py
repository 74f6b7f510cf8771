"""The Excel reports of the overview and gaps pages: which sheets, which columns, which colours."""

from __future__ import annotations

import pandas as pd

from charts.overview import scorecard_columns
from charts.style import STATUS_ORDER
from charts.tables import yoy_text
from charts.xlsx import PERCENT_SIGNED, ReportSheet, decimals_format, xlsx_report
from indicators.catalog import Catalog, Indicator
from indicators.regions import RegionIndex
from indicators.targets import COMPARATOR_SIGNS
from ui.wording import column_label, form_label, origin_label, pick, status_label, t, value_source_label


def _legend(lang: str) -> list[tuple[str, str]]:
    return [(s, status_label(s, lang)) for s in STATUS_ORDER]


def _unit_suffix(unit: str) -> str:
    return "" if unit in ("", "—") else f" ({unit})"


def gap_sheet(gaps: pd.DataFrame, catalog: Catalog, lang: str, name: str, rank_by: str | None = None) -> ReportSheet:
    """One row per region and indicator, coloured by status; with a 排名 column (1 = best) when rank_by is given."""
    if rank_by:
        gaps = gaps.sort_values(rank_by, ascending=False, na_position="last", kind="stable")
    gaps = gaps.reset_index(drop=True)
    inds = [catalog[c] for c in gaps["indicator_code"]]
    data: dict[str, object] = {}
    if rank_by:
        data["rank"] = gaps[rank_by].rank(ascending=False, method="min").astype("Int64")
    data |= {
        "region_name": gaps["region_name"],
        "indicator": [i.name(lang) for i in inds],
        "unit": [i.unit for i in inds],
        "actual": gaps["actual"],
        "comparator": gaps["comparator"].map(lambda c: COMPARATOR_SIGNS.get(c, "") if isinstance(c, str) else ""),
        "target": gaps["target"],
        "margin": gaps["margin"],
        "margin_pct": gaps["margin_pct"],
    }
    if gaps["expected"].notna().any():  # count indicators: 序时进度
        data |= {"expected": gaps["expected"], "pace": gaps["pace"]}
    if "yoy_change" in gaps.columns:  # 同比: % for concentrations and counts, 百分点 for ratios
        data["yoy"] = [
            yoy_text(c, u, i, lang) for c, u, i in zip(gaps["yoy_change"], gaps["yoy_unit"], inds, strict=True)
        ]
    data |= {
        "status": gaps["status"].map(lambda s: status_label(s, lang)),
        "target_origin": gaps["target_origin"].map(lambda o: origin_label(o if isinstance(o, str) else "", lang)),
        "target_issuer": gaps["target_issuer"].fillna(""),
        "target_clause": gaps["target_clause"].fillna(""),
        "reason": gaps[pick("reason_zh", "reason_en", lang)],
    }
    if "value_source" in gaps.columns:
        data["value_source"] = gaps["value_source"].map(lambda s: value_source_label(s, lang))
    value_format = [decimals_format(i.decimals) for i in inds]
    formats = {
        "rank": "0",
        "actual": value_format,
        "target": value_format,
        "expected": value_format,
        "margin": [decimals_format(i.decimals, signed=True) for i in inds],
        "margin_pct": PERCENT_SIGNED,
        "pace": "0.0%",
    }
    table = pd.DataFrame(data)
    labels = {c: column_label(c, lang) for c in table.columns}
    table.columns = [labels[c] for c in table.columns]
    return ReportSheet(
        name=name,
        table=table,
        number_formats={labels[c]: f for c, f in formats.items() if c in labels},
        row_status=gaps["status"].tolist(),
        legend=_legend(lang),
        legend_title=t("legend", lang),
    )


def scorecard_sheet(gaps: pd.DataFrame, catalog: Catalog, region_order: list[str], lang: str, name: str) -> ReportSheet:
    """Regions × indicators with the actual in each cell, the cell filled with its status colour."""
    cells = gaps.set_index(["region_code", "indicator_code"])
    names = dict(zip(gaps["region_code"], gaps["region_name"], strict=True))
    region_header = column_label("region_name", lang)
    data: dict[str, list] = {region_header: [names[r] for r in region_order]}
    formats: dict[str, list[str]] = {}
    status: dict[str, list[str]] = {}
    for code in scorecard_columns(gaps):
        ind = catalog[code]
        header = ind.name(lang) + _unit_suffix(ind.unit)
        rows = [cells.loc[(r, code)] for r in region_order]
        data[header] = [row["actual"] for row in rows]
        status[header] = [row["status"] for row in rows]
        plain = decimals_format(ind.decimals)
        # "≈" in the number format keeps the cell a number while saying it was averaged without every numerator.
        formats[header] = [f'"≈"{plain}' if row.get("value_source") == "approximate" else plain for row in rows]
    return ReportSheet(
        name=name,
        table=pd.DataFrame(data),
        number_formats=formats,
        cell_status=status,
        legend=_legend(lang),
        legend_title=t("legend", lang),
    )


def targets_used_sheet(
    gaps: pd.DataFrame, indicator: Indicator, regions: RegionIndex, lang: str, name: str
) -> ReportSheet:
    """The effective targets behind a gap table, one row per clause, with the regions each applies to."""
    keys = ["target_region", "target_issuer", "comparator", "target", "target_form", "target_source", "target_clause"]
    rows = []
    for key, group in gaps.groupby(keys, dropna=False, sort=False):
        rec = dict(zip(keys, key, strict=True))
        form = rec["target_form"] if isinstance(rec["target_form"], str) else ""
        if form and pd.isna(rec["target"]):
            form = "pending"  # a relative clause whose baseline is missing has no number yet either
        rows.append(
            {
                "target_region": regions.name(rec["target_region"], lang) if rec["target_region"] else "—",
                "target_issuer": rec["target_issuer"] or "—",
                "comparator": COMPARATOR_SIGNS.get(rec["comparator"], "") if isinstance(rec["comparator"], str) else "",
                "target": rec["target"],
                "unit": indicator.unit,
                "target_form": form_label(form, lang),
                "applies_to": t("names_sep", lang).join(group["region_name"]),
                "region_count": len(group),
                "target_source": rec["target_source"] or "",
                "target_clause": rec["target_clause"] or "",
            }
        )
    table = pd.DataFrame(
        rows,
        columns=["target_region", "target_issuer", "comparator", "target", "unit"]
        + ["target_form", "applies_to", "region_count", "target_source", "target_clause"],
    )
    table = table.sort_values("region_count", ascending=False, kind="stable")
    table.columns = [column_label(c, lang) for c in table.columns]
    return ReportSheet(
        name=name,
        table=table,
        number_formats={column_label("target", lang): decimals_format(indicator.decimals)},
    )


def overview_report(
    gaps: pd.DataFrame, catalog: Catalog, region_order: list[str], lang: str, title: str, source_note: str
) -> bytes:
    """The overview as a workbook: the scorecard, then every region's gap for the indicators it shows."""
    codes = scorecard_columns(gaps)
    detail = gaps[gaps["indicator_code"].isin(codes)].copy()
    detail["_ind"] = detail["indicator_code"].map(codes.index)
    detail["_reg"] = detail["region_code"].map({c: i for i, c in enumerate(region_order)})
    detail = detail.sort_values(["_ind", "_reg"]).drop(columns=["_ind", "_reg"])
    sheets = [
        scorecard_sheet(gaps, catalog, region_order, lang, t("sheet_scorecard", lang)),
        gap_sheet(detail, catalog, lang, t("sheet_gap_detail", lang)),
    ]
    return xlsx_report(sheets, title, source_note)


def gaps_report(
    gaps: pd.DataFrame,
    indicator: Indicator,
    catalog: Catalog,
    regions: RegionIndex,
    lang: str,
    title: str,
    source_note: str,
    rank_by: str = "margin",
) -> bytes:
    """The gaps page as a workbook: cities ranked by margin (or margin %), then the targets applied."""
    sheets = [
        gap_sheet(gaps, catalog, lang, t("sheet_ranked_gaps", lang), rank_by=rank_by),
        targets_used_sheet(gaps, indicator, regions, lang, t("sheet_targets_used", lang)),
    ]
    return xlsx_report(sheets, title, source_note)
