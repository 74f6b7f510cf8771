"""总览 Overview: who is behind, on what, by how much — one scorecard for the chosen year and period."""

from functools import partial

import streamlit as st

from charts.report_sheets import overview_report
from ui.data import data_version, reference
from ui.downloads import chart_downloads
from ui.faults import note_if_down
from ui.navigation import ensure_routed
from ui.state import PERIOD, PROVINCE, YEAR, lang
from ui.views import overview_view
from ui.wording import COUNT_LABELS, label, t

ensure_routed()  # run alone by Streamlit (cold server, page address): run app.py instead

catalog, regions = reference()
lang_ = lang()
year, period, province = st.session_state[YEAR], st.session_state[PERIOD], st.session_state[PROVINCE]
st.title(t("page_overview", lang_))

shown = overview_view(data_version(), lang_, year, period, province)
note_if_down(shown.at)
cols = st.columns(5)
for col, key in zip(cols, COUNT_LABELS, strict=True):
    col.metric(label(COUNT_LABELS, key, lang_), shown.counts[key])

for line in shown.province_lines:  # 湖北 PM2.5: 13个国考市州平均, not all 17
    st.caption(line)
st.plotly_chart(shown.fig, width="stretch", key="overview_chart")

stem = f"overview_{province}_{year}_{period:02d}"
report = partial(overview_report, shown.gaps, catalog, list(shown.region_codes), lang_, shown.title, shown.note)
chart_downloads(shown.fig, shown.csv, stem, lang_, "overview", width=1400, xlsx=report)
