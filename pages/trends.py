"""年度趋势 Trends: one indicator, chosen regions, YTD values by year and period against each year's target."""

import streamlit as st

from ui.data import cached_years, data_version, reference
from ui.downloads import chart_downloads
from ui.faults import note_if_down
from ui.navigation import ensure_routed
from ui.state import PROVINCE, YEAR, bound_select, lang
from ui.views import trends_view
from ui.wording import t

ensure_routed()  # run alone by Streamlit (cold server, page address): run app.py instead

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
options = [province, *(r.code for r in regions.children(province))]
default = options[1:4]
chosen = st.multiselect(
    t("trend_regions", lang_), options, default=default, format_func=lambda c: regions.name(c, lang_), key=TREND_REGIONS
)
years = sorted(y for y in cached_years() if y >= 2015)
shown = trends_view(data_version(), lang_, code, tuple(chosen), tuple(years), year)
note_if_down(shown.at)
st.plotly_chart(shown.fig, width="stretch", key="trend_chart")
chart_downloads(shown.fig, shown.csv, f"trend_{code}", lang_, "trend")

if shown.pace_fig is not None:
    st.plotly_chart(shown.pace_fig, width="stretch", key="pace_chart")
    chart_downloads(shown.pace_fig, shown.pace_csv, f"pace_{code}_{year}", lang_, "pace")
