"""年度趋势 Trends: one indicator, chosen regions, YTD values by year and period against each year's target."""

import streamlit as st

from charts.trends import trend_figure
from indicators.i18n import t
from pages.common import PROVINCE, bound_select, cached_trends, cached_years, chart_downloads, lang, reference

TREND_INDICATOR = "trend_indicator"
TREND_REGIONS = "trend_regions"

catalog, regions = reference()
lang_ = lang()
province = st.session_state[PROVINCE]
st.title(t("page_trends", lang_))

st.session_state.setdefault(TREND_INDICATOR, "pm25")
code = bound_select(
    st.selectbox, t("indicator", lang_), [i.code for i in catalog], TREND_INDICATOR, lambda c: catalog[c].name(lang_)
)
options = [province, *(r.code for r in regions.children(province))]
default = options[1:4]
chosen = st.multiselect(
    t("trend_regions", lang_), options, default=default, format_func=regions.name, key=TREND_REGIONS
)
years = sorted(y for y in cached_years() if y >= 2015)
series, targets = cached_trends(code, tuple(chosen), tuple(years))
fig = trend_figure(series, targets, catalog[code], lang_, t("trend_title", lang_, indicator=catalog[code].name(lang_)))
st.plotly_chart(fig, width="stretch", key="trend_chart")
chart_downloads(fig, series, f"trend_{code}", lang_, "trend")
