"""What the chart pages draw — figures, tables, CSV bytes — built once per input and data version.

Twenty people switching indicators rerun the same pages several times a second, and building a plotly figure costs
more than reading the cached numbers behind it. Each builder is keyed by what its page shows (language, year,
period, province, indicator, view) and by `data_version()`, read from the database once per run and moved by every
write on any replica: a write is seen at the next rerun, and a build racing with a write is filed under a version
nobody asks for again. `st.cache_resource` hands every session the
same objects without copying them, so pages treat what they get here as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.export import csv_bytes
from charts.gaps import actual_vs_target_figure, gap_bar_figure
from charts.overview import scorecard_figure
from charts.pace import pace_figure
from charts.tables import (
    gap_display_table,
    gap_summary_counts,
    province_figure_text,
    target_sources,
    target_summary,
)
from charts.trends import trend_csv_table, trend_figure
from indicators.pace import pace_table
from indicators.periods import period_label
from indicators.projection import year_end_projections
from ui.data import cached_trends, gaps_in, in_language, reference
from ui.wording import t

# No ttl: entries of an old data version are never asked for again and age out of the bounded cache.
_CACHE = {"max_entries": 512, "show_spinner": False}


def units_word(province: str, lang_: str) -> str:
    """What a title calls the province's units: 各市州, but a municipality's are 各区 (重庆: 各区县)."""
    return t(f"units_{reference()[1].unit_kind(province)}", lang_)


@dataclass(frozen=True)
class GapsView:
    """One indicator's gaps for a province's cities, with the words and tables around the chart."""

    gaps: pd.DataFrame
    counts: dict[str, int]
    plain_title: str
    summary: str  # the effective targets on one line, drawn under the title (plain text: the chart escapes it)
    note: str
    table: pd.DataFrame
    csv: bytes
    province_line: str = ""  # the province's own figure in words, and how it was obtained
    at: datetime = field(default_factory=datetime.now)  # when its data was read (said when shown from cache while down)


@st.cache_resource(**_CACHE)
def gaps_view(version: int, lang_: str, year: int, period: int, province: str, code: str) -> GapsView:
    catalog, regions = reference()
    indicator = catalog[code]
    region_codes = tuple(r.code for r in regions.children(province))
    gaps = gaps_in(lang_, year, period, region_codes, (code,))
    when = period_label(period, lang_)
    units = units_word(province, lang_)
    plain_title = t("gaps_title_units", lang_, year=year, period=when, indicator=indicator.name(lang_), units=units)
    return GapsView(
        gaps=gaps,
        counts=gap_summary_counts(gaps),
        plain_title=plain_title,
        summary=target_summary(gaps, indicator, lang_),
        note=t("source_note", lang_, sources=target_sources(gaps)),
        table=gap_display_table(gaps, indicator, lang_),
        csv=csv_bytes(gaps),
        province_line=province_figure_text(
            next(gaps_in(lang_, year, period, (province,), (code,)).itertuples(), None), indicator, lang_
        ),
    )


@st.cache_resource(**_CACHE)
def gaps_figure(version: int, lang_: str, year: int, period: int, province: str, code: str, view: str) -> go.Figure:
    """The gaps chart: margin bars ranked by `view` ("margin" or "margin_pct"), or actual against target ("actual")."""
    v = gaps_view(version, lang_, year, period, province, code)
    indicator = reference()[0][code]
    if view == "actual":
        return actual_vs_target_figure(v.gaps, indicator, lang_, v.plain_title, v.note, subtitle=v.summary)
    return gap_bar_figure(v.gaps, indicator, lang_, v.plain_title, v.note, rank_by=view, subtitle=v.summary)


@dataclass(frozen=True)
class OverviewView:
    """The province scorecard: its cities' gaps on every indicator, the counts, the figure and its CSV."""

    region_codes: tuple[str, ...]
    gaps: pd.DataFrame
    counts: dict[str, int]
    title: str
    note: str
    fig: go.Figure
    csv: bytes
    province_lines: tuple[str, ...] = ()  # the province's computed figures in words, and over which regions
    at: datetime = field(default_factory=datetime.now)


@st.cache_resource(**_CACHE)
def overview_view(version: int, lang_: str, year: int, period: int, province: str) -> OverviewView:
    catalog, regions = reference()
    region_codes = (province, *(r.code for r in regions.children(province)))  # province row: aggregated if missing
    gaps = gaps_in(lang_, year, period, region_codes, None)
    title = t(
        "overview_title_units",
        lang_,
        year=year,
        period=period_label(period, lang_),
        province=regions[province].full_name(lang_),
        units=units_word(province, lang_),
    )
    note = t("source_note", lang_, sources=target_sources(gaps))
    return OverviewView(
        region_codes=region_codes,
        gaps=gaps,
        counts=gap_summary_counts(gaps),
        title=title,
        note=note,
        fig=scorecard_figure(gaps, catalog, list(region_codes), lang_, title, note),
        csv=csv_bytes(gaps),
        province_lines=tuple(
            f"{catalog[r.indicator_code].name(lang_)} · {province_figure_text(r, catalog[r.indicator_code], lang_)}"
            for r in gaps[(gaps["region_code"] == province) & (gaps["aggregate_over"] != "")].itertuples()
        ),
    )


@dataclass(frozen=True)
class TrendsView:
    """One indicator's trend chart for chosen regions and, for counts, this year's pace chart."""

    fig: go.Figure
    csv: bytes
    pace_fig: go.Figure | None
    pace_csv: bytes | None
    at: datetime = field(default_factory=datetime.now)


@st.cache_resource(**_CACHE)
def trends_view(
    version: int, lang_: str, code: str, region_codes: tuple[str, ...], years: tuple[int, ...], year: int
) -> TrendsView:
    indicator = reference()[0][code]
    series, targets = (in_language(df, lang_) for df in cached_trends(code, region_codes, years))
    # Only a YTD level (a mean or a ratio) scales with last year's seasonal shape; counts have the pace chart.
    in_range = (indicator.min_value, indicator.max_value)
    projections = year_end_projections(series, in_range) if indicator.kind == "level" else None
    title = t("trend_title", lang_, indicator=indicator.name(lang_))
    fig = trend_figure(series, targets, indicator, lang_, title, projections, t("trend_source_note", lang_))
    pace_fig = pace_csv = None
    if indicator.kind == "count":
        pace = pace_table(series, targets, year)
        pace_title = t("pace_title", lang_, year=year, indicator=indicator.name(lang_))
        pace_fig = pace_figure(pace, indicator, lang_, pace_title, t("trend_source_note", lang_))
        pace_csv = csv_bytes(pace)
    return TrendsView(fig, csv_bytes(trend_csv_table(series, projections, lang_)), pace_fig, pace_csv)
