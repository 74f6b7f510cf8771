"""What the quarterly briefing says, as a plain dict for the Word template: pure, from the named gaps table.

Every number is the published figure of the gaps table, formatted by the same helpers as the dashboard's table
and the CSV (charts/tables.py, Indicator.format_value): nothing here rounds or recomputes a value. Statuses and
同比 are written as a document writes them (reports/text.py), the sentences about them are in reports/sentences.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from charts.gaps import actual_vs_target_figure, gap_bar_figure
from charts.style import STATUS_TINTS
from charts.tables import DISPLAY_COLUMNS, gap_display_table, target_sources, yoy_text
from data_loaders.reports import with_names
from indicators.catalog import Catalog, Indicator
from indicators.periods import ANNUAL
from indicators.regions import RegionIndex
from reports.sentences import (
    briefing_counts,
    gap_line,
    headline,
    province_line,
    reference_line,
    status_counts,
    target_clause,
)
from reports.text import ordinal, period_words, status_words, unit_of, unit_words, with_unit
from ui.wording import column_label, status_label, t

BAR_LABEL_ROOM = 0.12  # of the bars' span, on each side that has bars: the value label beside the longest bar
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
    period_text = period_words(period, lang)
    when = t("report_period", lang, year=year, period=period_text)
    full_year = period >= ANNUAL
    province_name = regions[province].full_name(lang)
    words = unit_words(regions.unit_kind(province), lang)
    counts = briefing_counts(units)
    indicators = [
        _indicator_entry(n, catalog[code], units[units["indicator_code"] == code], own, year, period_text, lang, words)
        for n, code in enumerate(indicator_codes, start=1)
    ]
    lagging = units[units["status"].isin(LAGGING)]
    below_reference = units[units["status"] == "reference_not_met"]
    return {
        "lang": lang,
        "title": t("report_title", lang, year=year, period=period_text, province=province_name, **words),
        "issuer": issuer or issuer_name(regions, province, lang),
        "date": t("report_date", lang, d=date or dt.date.today()),
        "year": year,
        "period": when,
        "province": province_name,
        "counts": counts,
        "headline": headline(
            counts,
            full_year,
            lang,
            period=when,
            province=province_name,
            n_units=len(unit_codes),
            n_ind=len(indicator_codes),
            **words,
        ),
        "province_lines": [i["province_line"] for i in indicators if i["province_line"]],
        "indicators": indicators,
        "lagging": [gap_line(r, catalog, lang, words, full_year) for r in _worst_first(lagging)],
        "reference_below": [reference_line(r, catalog, lang, full_year) for r in _worst_first(below_reference)],
        "pending": _pending_lines(gaps, catalog, lang),
        "notes": _notes(gaps, catalog, when, full_year, upload_files, synthetic_files, lang, words),
        "labels": {
            **{key: t(f"report_{key}", lang) for key in ("overall", "by_indicator", "pending", "notes", "none")},
            "lagging": t("report_lagging_year" if full_year else "report_lagging_months", lang),
            "reference_below": t("report_reference_below" if full_year else "report_reference_below_months", lang),
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
    period_text: str,
    lang: str,
    words: dict[str, str],
) -> dict:
    when = t("report_period", lang, year=year, period=period_text)
    ranked = ranking(units, indicator)
    shown = gap_display_table(ranked, indicator, lang)  # the dashboard's numbers, to the character
    shown.columns = DISPLAY_COLUMNS
    rows = [
        {
            "rank": "" if pd.isna(rank) else str(rank),
            "region": d.region_name,
            "actual": d.actual,
            "target": d.target,
            "margin": d.margin,
            "status": status_words(r.status, lang, words),
            "yoy": yoy_text(r.yoy_change, r.yoy_unit, indicator, lang),
            "status_code": r.status,
            "fill": STATUS_TINTS.get(r.status, "FFFFFF"),
        }
        for rank, r, d in zip(ranked["rank"], ranked.itertuples(), shown.itertuples(), strict=True)
    ]
    ranked_rows = [r for r in rows if r["rank"]]
    name = indicator.name(lang)
    unit = unit_of(indicator)
    if len(ranked_rows) >= 2:
        best = [r for r in ranked_rows if r["rank"] == ranked_rows[0]["rank"]]
        worst = [r for r in ranked_rows if r["rank"] == ranked_rows[-1]["rank"]]
        sep = t("report_list_sep", lang)
        best_worst = t(
            "report_best_worst",
            lang,
            best=sep.join(r["region"] for r in best),
            best_value=with_unit(best[0]["actual"], unit),
            worst=sep.join(r["region"] for r in worst),
            worst_value=with_unit(worst[0]["actual"], unit),
        )
    else:
        best, worst, best_worst = [], [], t("report_no_ranking", lang)
    direction = t("report_ranked_by_higher" if indicator.higher_better else "report_ranked_by_lower", lang)
    own_row = next(own[own["indicator_code"] == indicator.code].itertuples(), None)
    targets = target_clause(units, indicator, lang, words)
    chart_title = t("gaps_title", lang, year=year, period=period_text, indicator=name)
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
        "target_summary": targets,
        "status_summary": status_counts(units, lang, words),
        "province_line": province_line(own_row, indicator, lang, words),
        "table_title": t("report_table_title", lang, n=n, period=when, indicator=name, **words),
        "head": _head(indicator, lang),
        "head_lines": _head(indicator, lang, "report_head_unit_lines"),
        "rows": rows,
        "best": [r["region"] for r in best],
        "worst": [r["region"] for r in worst],
        "figure": _figure(units, indicator, lang, words, chart_title),
        "chart": "",  # render_briefing puts the image (or why there is none) here
    }


def _head(indicator: Indicator, lang: str, form: str = "report_head_unit") -> dict[str, str]:
    """The ranking table's headings, a unit in full-width brackets as Chinese tables write it: 实际值（μg/m³）;
    a margin of percentages in 百分点. `form` report_head_unit_lines puts the unit on a line of its own, where a
    narrow column would otherwise break it (差距（百分 / 点）)."""
    unit = unit_of(indicator)
    margin_unit = t("report_points_head", lang) if indicator.unit == "%" else unit

    def head(column: str, u: str = "") -> str:
        return t(form, lang, label=column_label(column, lang), unit=u) if u else column_label(column, lang)

    return {
        "rank": t("report_rank_head", lang),
        "region": head("region_name"),
        "actual": head("actual", unit),
        "target": head("target", unit),
        "margin": head("margin", margin_unit),
        "status": head("status"),
        "yoy": head("yoy"),
    }


def _figure(units: pd.DataFrame, indicator: Indicator, lang: str, words: dict[str, str], title: str):
    """The gap bars where any unit has a margin; otherwise (targets pending) the actuals against what targets
    there are, so the chart still shows the ranking. Made for print, where render.py zooms it until its smallest
    text prints at 9 pt: no subtitle (the text above the table names the targets), the source note as large as
    the rest, the legend on top (under the x axis it would meet the axis title once the plot is shorter), room
    for the value labels of the longest bars, and the statuses in the briefing's words."""
    note = t("source_note", lang, sources=target_sources(units))
    if units["margin"].notna().any():
        fig = gap_bar_figure(units, indicator, lang, title, note)
        margins = units["margin"].dropna()
        low, high = min(0.0, float(margins.min())), max(0.0, float(margins.max()))
        pad = (high - low) * BAR_LABEL_ROOM
        fig.update_xaxes(range=[low - pad if low < 0 else low, high + pad if high > 0 else high])
        fig.update_traces(constraintext="none", selector={"type": "bar"})  # labels as large as the rest
    else:
        worst_first = ranking(units, indicator).iloc[::-1]  # plotly draws the first row at the bottom
        fig = actual_vs_target_figure(worst_first, indicator, lang, title, note)
    fig.update_annotations(font_size=fig.layout.font.size)
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": 1.0, "xanchor": "left", "yanchor": "bottom"})
    renamed = {status_label(s, lang): status_words(s, lang, words) for s in units["status"].unique()}
    fig.for_each_trace(lambda tr: tr.update(name=renamed.get(tr.name, tr.name)))
    return fig


def _worst_first(rows: pd.DataFrame) -> list:
    return list(rows.sort_values(["indicator_code", "margin_pct"], kind="stable").itertuples())


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
    full_year: bool,
    files: Sequence[str],
    synthetic: Sequence[str],
    lang: str,
    words: dict[str, str],
) -> list[str]:
    sep = t("report_list_sep", lang)
    notes = [
        t("report_note_data", lang, period=when, files=sep.join(files) or "—", **words),
        t("report_note_rounding", lang, dashboard=t("app_title", lang)),
        t("report_note_margin_year" if full_year else "report_note_margin_months", lang),
        t("report_note_yoy", lang),
    ]
    with_clause = gaps[gaps["target_clause"].fillna("").astype(bool)]
    sources = with_clause[["target_issuer", "target_source", "target_clause"]].fillna("").drop_duplicates()
    notes += [
        t("report_note_target", lang, issuer=s.target_issuer, source=s.target_source, clause=s.target_clause)
        for s in sources.itertuples()
    ]
    if gaps["status"].isin(["reference_met", "reference_not_met"]).any():
        notes.append(t("report_note_reference", lang, **words))
    for r in gaps[gaps["value_source"] == "approximate"].itertuples():
        ind = catalog[r.indicator_code]
        value = with_unit(ind.format_value(r.actual), unit_of(ind))
        notes.append(t("report_note_approximate", lang, region=r.region_name, indicator=ind.name(lang), value=value))
    if synthetic:
        notes.append(t("report_note_synthetic", lang, files=sep.join(synthetic)))
    return notes
