"""What the quarterly briefing says, as a plain dict for the Word template: pure, from the named gaps table.

Every number is the published figure of the gaps table, formatted by the same helpers as the dashboard's table
and the CSV (charts/tables.py, Indicator.format_value): nothing here rounds or recomputes a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from charts.gaps import actual_vs_target_figure, gap_bar_figure
from charts.style import STATUS_TINTS
from charts.tables import (
    DISPLAY_COLUMNS,
    gap_display_table,
    gap_summary_counts,
    province_figure_text,
    target_sources,
    target_summary,
    yoy_text,
)
from data_loaders.reports import with_names
from indicators.catalog import Catalog, Indicator
from indicators.periods import period_label
from indicators.regions import RegionIndex
from reports.text import ordinal, unit_words
from ui.wording import status_label, t

TABLE_KEYS = ("rank", "region", "actual", "target", "margin", "status", "yoy")
LAGGING = ("behind", "not_met")


def briefing_context(
    gaps: pd.DataFrame,
    catalog: Catalog,
    regions: RegionIndex,
    province: str,
    year: int,
    period: int,
    indicator_codes: Sequence[str],
    lang: str = "zh",
    *,
    issuer: str | None = None,
    date: dt.date | None = None,
    upload_files: Sequence[str] = (),
    synthetic_files: Sequence[str] = (),
) -> dict:
    """The template's context: title, issuer, date, headline, one entry per indicator (ranking rows, best and
    worst, chart figure), the lagging, not-met and pending lists and the data notes (see reports/TEMPLATE.md)."""
    gaps = with_names(gaps, catalog, regions, lang)  # codes in, names in the language out
    gaps = gaps[gaps["indicator_code"].isin(indicator_codes)]
    unit_codes = [r.code for r in regions.children(province)]
    units = gaps[gaps["region_code"].isin(unit_codes)]
    own = gaps[gaps["region_code"] == province]
    when = t("report_period", lang, year=year, period=period_label(period, lang))
    province_name = regions[province].full_name(lang)
    words = unit_words(regions.unit_kind(province), lang)
    counts = gap_summary_counts(units)
    graded = counts["met"] + counts["on_track"] + counts["behind"]
    indicators = [
        _indicator_entry(n, catalog[code], units[units["indicator_code"] == code], own, year, period, lang, words)
        for n, code in enumerate(indicator_codes, start=1)
    ]
    return {
        "lang": lang,
        "title": t("report_title", lang, year=year, period=period_label(period, lang), province=province_name, **words),
        "issuer": issuer or issuer_name(regions, province, lang),
        "date": t("report_date", lang, d=date or dt.date.today()),
        "year": year,
        "period": when,
        "province": province_name,
        "counts": counts,
        "headline": t(
            "report_headline",
            lang,
            period=when,
            province=province_name,
            n_units=len(unit_codes),
            **words,
            n_ind=len(indicator_codes),
            graded=graded,
            **counts,
        ),
        "province_lines": [i["province_line"] for i in indicators if i["province_line"]],
        "indicators": indicators,
        "lagging": [_gap_line(r, catalog, lang) for r in _worst_first(units[units["status"].isin(LAGGING)])],
        "reference_below": [
            _gap_line(r, catalog, lang) for r in _worst_first(units[units["status"] == "reference_not_met"])
        ],
        "pending": _pending_lines(gaps, catalog, lang),
        "notes": _notes(gaps, catalog, when, upload_files, synthetic_files, lang, words),
        "labels": {
            key: t(f"report_{key}", lang)
            for key in ("overall", "by_indicator", "lagging", "pending", "notes", "none", "reference_below")
        },
    }


def issuer_name(regions: RegionIndex, province: str, lang: str = "zh") -> str:
    """The provincial bureau that issues the briefing: 湖北省生态环境厅; a municipality's is a 局 (北京市生态环境局)."""
    name = regions[province].full_name(lang)
    municipality = regions[province].name.endswith("市")
    return t("report_issuer_municipality" if municipality else "report_issuer_province", lang, name=name)


def default_indicators(gaps: pd.DataFrame, catalog: Catalog, regions: RegionIndex, province: str) -> list[str]:
    """The indicators worth a ranking table: those with a value for at least half of the province's units,
    in catalog order (air, water, soil, …)."""
    units = [r.code for r in regions.children(province)]
    rows = gaps[gaps["region_code"].isin(units) & gaps["actual"].notna()]
    reported = rows.groupby("indicator_code")["region_code"].nunique()
    return [i.code for i in catalog if reported.get(i.code, 0) * 2 >= len(units) > 0]


def ranking(units: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """The units best first by their published actual (ties share a rank, 1 2 2 4); no value last, unranked."""
    better_first = not indicator.higher_better
    ordered = units.sort_values("actual", ascending=better_first, na_position="last", kind="stable")
    key = ordered["actual"] if better_first else -ordered["actual"]
    return ordered.assign(rank=key.rank(method="min").astype("Int64"))


def _indicator_entry(
    n: int,
    indicator: Indicator,
    units: pd.DataFrame,
    own: pd.DataFrame,
    year: int,
    period: int,
    lang: str,
    words: dict[str, str],
) -> dict:
    ranked = ranking(units, indicator)
    shown = gap_display_table(ranked, indicator, lang)
    headers = dict(zip(DISPLAY_COLUMNS, shown.columns, strict=True))
    shown.columns = DISPLAY_COLUMNS
    rows = [
        {
            "rank": "" if pd.isna(rank) else str(rank),
            "region": d.region_name,
            "actual": d.actual,
            "target": d.target,
            "margin": d.margin,
            "status": d.status,
            "yoy": d.yoy,
            "status_code": status,
            "fill": STATUS_TINTS.get(status, "FFFFFF"),
        }
        for rank, status, d in zip(ranked["rank"], ranked["status"], shown.itertuples(), strict=True)
    ]
    ranked_rows = [r for r in rows if r["rank"]]
    name = indicator.name(lang)
    unit = "" if indicator.unit in ("", "—") else indicator.unit
    if len(ranked_rows) >= 2:
        best = [r for r in ranked_rows if r["rank"] == ranked_rows[0]["rank"]]
        worst = [r for r in ranked_rows if r["rank"] == ranked_rows[-1]["rank"]]
        sep = t("report_list_sep", lang)
        best_worst = t(
            "report_best_worst",
            lang,
            best=sep.join(r["region"] for r in best),
            best_value=best[0]["actual"] + unit,
            worst=sep.join(r["region"] for r in worst),
            worst_value=worst[0]["actual"] + unit,
        )
    else:
        best, worst, best_worst = [], [], t("report_no_ranking", lang)
    direction = t("report_ranked_by_higher" if indicator.higher_better else "report_ranked_by_lower", lang)
    own_row = next(own[own["indicator_code"] == indicator.code].itertuples(), None)
    title = t("gaps_title", lang, year=year, period=period_label(period, lang), indicator=name)
    when = t("report_period", lang, year=year, period=period_label(period, lang))
    return {
        "code": indicator.code,
        "name": name,
        "unit": unit,
        "heading": t(
            "report_heading",
            lang,
            ordinal=ordinal(n, lang),
            indicator=name + (t("report_unit", lang, unit=unit) if unit else ""),
        ),
        "summary": t("report_summary", lang, direction=direction, best_worst=best_worst),
        "target_summary": target_summary(units, indicator, lang),
        "province_line": _province_line(own_row, indicator, lang),
        "table_title": t("report_table_title", lang, n=n, period=when, indicator=name, **words),
        "head": {"rank": t("report_rank_head", lang), **{k: headers[c] for k, c in _HEAD.items()}},
        "rows": rows,
        "best": [r["region"] for r in best],
        "worst": [r["region"] for r in worst],
        "figure": _figure(units, indicator, lang, title, t("source_note", lang, sources=target_sources(units))),
        "chart": "",  # render_briefing puts the image (or why there is none) here
    }


_HEAD = {
    "region": "region_name",
    "actual": "actual",
    "target": "target",
    "margin": "margin",
    "status": "status",
    "yoy": "yoy",
}


def _figure(units: pd.DataFrame, indicator: Indicator, lang: str, title: str, note: str):
    """The gap bars where any unit has a margin; otherwise (targets pending) the actuals against what targets
    there are, so the chart still shows the ranking."""
    subtitle = target_summary(units, indicator, lang)
    if units["margin"].notna().any():
        return gap_bar_figure(units, indicator, lang, title, note, subtitle=subtitle)
    return actual_vs_target_figure(units, indicator, lang, title, note, subtitle=subtitle)


def _province_line(row, indicator: Indicator, lang: str) -> str:
    line = province_figure_text(row, indicator, lang)
    if not line or row.status in ("no_target", "no_data"):
        return line
    return t("report_province_status", lang, line=line, status=status_label(row.status, lang))


def _worst_first(rows: pd.DataFrame) -> list:
    return list(rows.sort_values(["indicator_code", "margin_pct"], kind="stable").itertuples())


def _with_unit(text: str, unit: str) -> str:
    return text if text == "—" or not unit else f"{text}{unit}"


def _gap_line(row, catalog: Catalog, lang: str) -> str:
    """'武汉：农村生活污水治理率55.29%，目标≥56.00%，差距-0.71个百分点（未达标）；同比+5.5个百分点。'"""
    ind = catalog[row.indicator_code]
    shown = gap_display_table(pd.DataFrame([row._asdict()]), ind, lang)
    shown.columns = DISPLAY_COLUMNS
    d = shown.iloc[0]
    unit = "" if ind.unit in ("", "—") else ind.unit
    margin_unit = pick_points(ind, lang)
    return t(
        "report_gap_line",
        lang,
        region=row.region_name,
        indicator=ind.name(lang),
        actual=_with_unit(d["actual"], unit),
        target=_with_unit(d["target"], unit),
        margin=_with_unit(d["margin"], margin_unit),
        status=d["status"],
        yoy=yoy_text(row.yoy_change, row.yoy_unit, lang),
    )


def pick_points(indicator: Indicator, lang: str) -> str:
    """The unit a margin is written in after the number: a difference of two percentages is in 百分点."""
    if indicator.unit == "%":
        return t("report_points", lang)
    return "" if indicator.unit in ("", "—") else indicator.unit


def _pending_lines(gaps: pd.DataFrame, catalog: Catalog, lang: str) -> list[str]:
    rows = gaps[gaps["status"] == "pending_target"]
    return [
        t(
            "report_pending_line",
            lang,
            region=r.region_name,
            indicator=catalog[r.indicator_code].name(lang),
            issuer=r.target_issuer or "",
            clause=r.target_clause or "",
        )
        for r in rows.itertuples()
    ]


def _notes(
    gaps: pd.DataFrame,
    catalog: Catalog,
    when: str,
    files: Sequence[str],
    synthetic: Sequence[str],
    lang: str,
    words: dict[str, str],
) -> list[str]:
    sep = t("report_list_sep", lang)
    notes = [
        t("report_note_data", lang, period=when, files=sep.join(files) or "—", **words),
        t("report_note_rounding", lang),
        t("report_note_yoy", lang),
    ]
    with_clause = gaps[gaps["target_clause"].fillna("").astype(bool)]
    sources = with_clause[["target_issuer", "target_source", "target_clause"]].fillna("").drop_duplicates()
    notes += [
        t("report_note_target", lang, issuer=s.target_issuer, source=s.target_source, clause=s.target_clause)
        for s in sources.itertuples()
    ]
    if gaps["status"].isin(["reference_met", "reference_not_met"]).any():
        notes.append(t("report_note_reference", lang))
    for r in gaps[gaps["value_source"] == "approximate"].itertuples():
        ind = catalog[r.indicator_code]
        value = _with_unit(ind.format_value(r.actual), "" if ind.unit in ("", "—") else ind.unit)
        notes.append(t("report_note_approximate", lang, region=r.region_name, indicator=ind.name(lang), value=value))
    if synthetic:
        notes.append(t("report_note_synthetic", lang, files=sep.join(synthetic)))
    return notes
