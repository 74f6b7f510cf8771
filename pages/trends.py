"""年度趋势 Trends: one indicator, chosen regions, YTD values by year and period against each year's target."""

import streamlit as st

from charts.pace import pace_figure
from charts.trends import trend_csv_table, trend_figure
from indicators.i18n import t
from indicators.pace import pace_table
from indicators.projection import year_end_projections
from pages.common import (
    PROVINCE,
    YEAR,
    bound_select,
    cached_trends,
    cached_years,
    chart_downloads,
    in_language,
    lang,
    reference,
)

TREND_INDICATOR = "trend_indicator"
TREND_REGIONS = "trend_regions"

catalog, regions = reference()
lang_ = lang()
province, year = st.session_state[PROVINCE], st.session_state[YEAR]
st.title(t("page_trends", lang_))

st.session_state.setdefault(TREND_INDICATOR, "pm25")
code = bound_select(
    st.selectbox, t("indicator", lang_), [i.code for i in catalog], TREND_INDICATOR, lambda c: catalog[c].name(lang_)
)
indicator = catalog[code]
options = [province, *(r.code for r in regions.children(province))]
default = options[1:4]
chosen = st.multiselect(
    t("trend_regions", lang_), options, default=default, format_func=lambda c: regions.name(c, lang_), key=TREND_REGIONS
)
years = sorted(y for y in cached_years() if y >= 2015)
series, targets = (in_language(df, lang_) for df in cached_trends(code, tuple(chosen), tuple(years)))
# Only a YTD level (a mean or a ratio) scales with last year's seasonal shape; counts have the pace chart.
projections = year_end_projections(series) if indicator.kind == "level" else None
title = t("trend_title", lang_, indicator=indicator.name(lang_))
fig = trend_figure(series, targets, indicator, lang_, title, projections, t("trend_source_note", lang_))
st.plotly_chart(fig, width="stretch", key="trend_chart")
chart_downloads(fig, trend_csv_table(series, projections, lang_), f"trend_{code}", lang_, "trend")

if indicator.kind == "count":
    pace = pace_table(series, targets, year)
    pace_fig = pace_figure(
        pace,
        indicator,
        lang_,
        t("pace_title", lang_, year=year, indicator=indicator.name(lang_)),
        t("trend_source_note", lang_),
    )
    st.plotly_chart(pace_fig, width="stretch", key="pace_chart")
    chart_downloads(pace_fig, pace, f"pace_{code}_{year}", lang_, "pace")
