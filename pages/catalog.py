"""指标与目标 Catalog & targets: what each indicator means and every target with its source clause."""

import streamlit as st

from charts.export import csv_bytes
from charts.tables import catalog_table, targets_display_table
from data_loaders.reports import target_table
from indicators.i18n import t
from pages.common import YEAR, engine, lang, reference

catalog, regions = reference()
lang_ = lang()
year = st.session_state[YEAR]
st.title(t("page_catalog", lang_))

targets = target_table(engine(), catalog, regions, year=year)
st.subheader(t("targets_heading", lang_, year=year))
shown = targets_display_table(targets, catalog, lang_)
st.dataframe(shown, hide_index=True, width="stretch")
st.download_button("CSV", csv_bytes(targets), f"targets_{year}.csv", "text/csv", key="targets_csv", on_click="ignore")

pending = targets[targets["form"] == "pending"]
if not pending.empty:
    st.subheader(t("pending_heading", lang_))
    st.dataframe(targets_display_table(pending, catalog, lang_), hide_index=True, width="stretch")

st.subheader(t("indicators_heading", lang_))
st.dataframe(catalog_table(catalog, lang_), hide_index=True, width="stretch")
