"""城市差距 Gaps by city: one indicator, every city's margin to its effective target."""

from functools import partial

import streamlit as st

from charts.gaps import actual_vs_target_figure, gap_bar_figure
from charts.report_sheets import gaps_report
from charts.tables import gap_display_table, gap_summary_counts, target_sources, target_summary
from indicators.i18n import t
from indicators.periods import period_label
from pages.common import PERIOD, PROVINCE, YEAR, bound_select, chart_downloads, gaps_in, lang, reference

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

region_codes = tuple(r.code for r in regions.children(province))
gaps = gaps_in(lang_, year, period, region_codes, (code,))

st.caption(t("counts", lang_, **gap_summary_counts(gaps)))
plain_title = t("gaps_title", lang_, year=year, period=period_label(period, lang_), indicator=indicator.name(lang_))
title = f"{plain_title}<br><sup>{target_summary(gaps, indicator, lang_)}</sup>"
note = t("source_note", lang_, sources=target_sources(gaps))
views = {
    "margin": t("view_margin", lang_),
    "margin_pct": t("view_margin_pct", lang_),
    "actual": t("view_actual", lang_),
}
view = bound_select(st.radio, t("gaps_view", lang_), list(views), GAPS_VIEW, views.get, horizontal=True)
if view == "actual":
    fig = actual_vs_target_figure(gaps, indicator, lang_, title, note)
else:
    fig = gap_bar_figure(gaps, indicator, lang_, title, note, rank_by=view)
st.plotly_chart(fig, width="stretch", key="gaps_chart")

table = gap_display_table(gaps, indicator, lang_)
st.dataframe(table, hide_index=True, width="stretch")

file_stem = f"gaps_{code}_{year}_{period:02d}"
rank_by = "margin_pct" if view == "margin_pct" else "margin"
report = partial(gaps_report, gaps, indicator, catalog, regions, lang_, plain_title, note, rank_by)
chart_downloads(fig, gaps, file_stem, lang_, "gaps", xlsx=report)
