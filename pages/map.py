"""地图 Map: the province's cities coloured by status (or by margin) for one indicator, from shipped boundaries."""

import streamlit as st

from ui.data import data_version, reference
from ui.downloads import chart_downloads
from ui.faults import note_if_down
from ui.map_view import COLOR_BY, map_view
from ui.navigation import ensure_routed
from ui.state import PERIOD, PROVINCE, YEAR, bound_select, lang
from ui.wording import t

ensure_routed()  # run alone by Streamlit (cold server, page address): run app.py instead

INDICATOR = "map_indicator"
COLOR = "map_color_by"

catalog, regions = reference()
lang_ = lang()
year, period, province = st.session_state[YEAR], st.session_state[PERIOD], st.session_state[PROVINCE]
st.title(t("page_map", lang_))

codes = [i.code for i in catalog]
st.session_state.setdefault(INDICATOR, "rural_sewage_rate")
code = bound_select(st.selectbox, t("indicator", lang_), codes, INDICATOR, lambda c: catalog[c].name(lang_))
colors = {c: t(f"map_by_{c}", lang_) for c in COLOR_BY}
color_by = bound_select(st.radio, t("map_color_by", lang_), list(colors), COLOR, colors.get, horizontal=True)

shown = map_view(data_version(), lang_, year, period, province, code, color_by)
note_if_down(shown.at)
st.plotly_chart(shown.fig, width="stretch", key="map_chart")
st.caption(t("map_caption", lang_))
if shown.not_drawn:
    st.caption(t("map_not_drawn", lang_, names=t("names_sep", lang_).join(shown.not_drawn)))

chart_downloads(shown.fig, shown.csv, f"map_{province}_{code}_{year}_{period:02d}", lang_, "map", width=1000)
st.dataframe(shown.table, hide_index=True, width="stretch")
