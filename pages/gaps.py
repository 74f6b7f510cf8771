"""城市差距 Gaps by city: one indicator, every city's margin to its effective target."""

from functools import partial

import streamlit as st

from charts.report_sheets import gaps_report
from ui.data import data_version, reference
from ui.downloads import chart_downloads
from ui.faults import note_if_down
from ui.navigation import ensure_routed
from ui.state import PERIOD, PROVINCE, YEAR, bound_select, lang
from ui.views import gaps_figure, gaps_view
from ui.wording import t

ensure_routed()  # run alone by Streamlit (cold server, page address): run app.py instead

INDICATOR = "gaps_indicator"
GAPS_VIEW = "gaps_view"

catalog, regions = reference()
lang_ = lang()
year, period, province = st.session_state[YEAR], st.session_state[PERIOD], st.session_state[PROVINCE]
st.title(t("page_gaps", lang_))

codes = [i.code for i in catalog]
st.session_state.setdefault(INDICATOR, "rural_sewage_rate")
code = bound_select(st.selectbox, t("indicator", lang_), codes, INDICATOR, lambda c: catalog[c].name(lang_))
indicator = catalog[code]

shown = gaps_view(data_version(), lang_, year, period, province, code)
note_if_down(shown.at)
st.caption(t("counts", lang_, **shown.counts))
if shown.province_line:
    st.caption(shown.province_line)
views = {
    "margin": t("view_margin", lang_),
    "margin_pct": t("view_margin_pct", lang_),
    "actual": t("view_actual", lang_),
}
view = bound_select(st.radio, t("gaps_view", lang_), list(views), GAPS_VIEW, views.get, horizontal=True)
fig = gaps_figure(data_version(), lang_, year, period, province, code, view)
st.plotly_chart(fig, width="stretch", key="gaps_chart")

st.dataframe(shown.table, hide_index=True, width="stretch")

file_stem = f"gaps_{code}_{year}_{period:02d}"
rank_by = "margin_pct" if view == "margin_pct" else "margin"
report = partial(gaps_report, shown.gaps, indicator, catalog, regions, lang_, shown.plain_title, shown.note, rank_by)
chart_downloads(fig, shown.csv, file_stem, lang_, "gaps", xlsx=report)
