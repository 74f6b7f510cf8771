"""总览 Overview: who is behind, on what, by how much — one scorecard for the chosen year and period."""

from functools import partial

import streamlit as st

from charts.overview import scorecard_figure
from charts.report_sheets import overview_report
from charts.tables import gap_summary_counts, target_sources
from indicators.i18n import t
from indicators.periods import period_label
from pages.common import PERIOD, PROVINCE, YEAR, chart_downloads, gaps_in, lang, reference

catalog, regions = reference()
lang_ = lang()
year, period, province = st.session_state[YEAR], st.session_state[PERIOD], st.session_state[PROVINCE]
st.title(t("page_overview", lang_))

region_codes = (province, *(r.code for r in regions.children(province)))  # province row: aggregated when not uploaded
gaps = gaps_in(lang_, year, period, region_codes, None)
counts = gap_summary_counts(gaps)
cols = st.columns(5)
labels = (
    ("met", "已达标", "Met"),
    ("on_track", "进度正常", "On track"),
    ("behind", "滞后/未达标", "Behind / not met"),
    ("pending", "目标待定", "Target pending"),
    ("reference", "参照总体目标（不评定）", "Reference only (not graded)"),
)
for col, (key, zh, en) in zip(cols, labels, strict=True):
    col.metric(en if lang_ == "en" else zh, counts[key])

title = t(
    "overview_title",
    lang_,
    year=year,
    period=period_label(period, lang_),
    province=regions[province].name if lang_ == "zh" else regions.name(province, "en"),
)
note = t("source_note", lang_, sources=target_sources(gaps))
fig = scorecard_figure(gaps, catalog, list(region_codes), lang_, title, note)
st.plotly_chart(fig, width="stretch", key="overview_chart")

stem = f"overview_{province}_{year}_{period:02d}"
report = partial(overview_report, gaps, catalog, list(region_codes), lang_, title, note)
chart_downloads(fig, gaps, stem, lang_, "overview", width=1400, xlsx=report)
