"""What the map page draws — the figure, its table and CSV — built once per input and data version (as ui/views.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.export import csv_bytes
from charts.map import city_map_figure
from charts.tables import gap_display_table, target_sources, target_summary
from data_loaders.boundaries import units_of
from indicators.periods import period_label
from ui.data import gaps_in, reference
from ui.views import units_word
from ui.wording import t

_CACHE = {"ttl": 600, "max_entries": 256, "show_spinner": False}
COLOR_BY = ("status", "margin")


@dataclass(frozen=True)
class MapView:
    """One indicator on the province's map, with the table of what it shows and the units it cannot draw."""

    fig: go.Figure
    table: pd.DataFrame  # the published numbers, names and headers in the interface language
    csv: bytes
    title: str
    not_drawn: tuple[str, ...] = ()  # names of units without a boundary (三沙)
    at: datetime = field(default_factory=datetime.now)


def map_table(gaps: pd.DataFrame, indicator, lang_: str) -> pd.DataFrame:
    """The gaps table as the page shows it (rounded, in words), region code first, one row per unit."""
    shown = gap_display_table(gaps, indicator, lang_).reset_index(drop=True)
    shown.insert(0, "region_code", gaps["region_code"].reset_index(drop=True))
    return shown


@st.cache_resource(**_CACHE)
def map_view(version: int, lang_: str, year: int, period: int, province: str, code: str, color_by: str) -> MapView:
    catalog, regions = reference()
    indicator = catalog[code]
    unit_codes = tuple(r.code for r in regions.children(province))
    gaps = gaps_in(lang_, year, period, unit_codes, (code,))
    units = units_of(province)
    title = t(
        "map_title",
        lang_,
        year=year,
        period=period_label(period, lang_),
        province=regions[province].full_name(lang_),
        units=units_word(province, lang_),
        indicator=indicator.name(lang_),
    )
    note = t("source_note", lang_, sources=target_sources(gaps))
    fig = city_map_figure(
        gaps,
        indicator,
        units,
        regions,
        lang_,
        title,
        source_note=note,
        color_by=color_by,
        subtitle=target_summary(gaps, indicator, lang_),
    )
    drawn = {u.code for u in units}
    table = map_table(gaps, indicator, lang_)
    return MapView(
        fig=fig,
        table=table,
        csv=csv_bytes(table),
        title=title,
        not_drawn=tuple(regions.name(c, lang_) for c in unit_codes if c not in drawn),
    )
