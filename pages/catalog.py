"""指标与目标 Catalog & targets: what each indicator means, every target with its source clause, and the target forms."""

import streamlit as st

from charts.export import csv_bytes
from charts.tables import catalog_table, targets_display_table
from indicators.access import Action
from ui.auth import allowed
from ui.data import cached_targets, data_version, in_language, reference
from ui.navigation import ensure_routed
from ui.state import YEAR, lang
from ui.target_form import manage_targets, pending_fill, target_import
from ui.wording import t

ensure_routed()  # run alone by Streamlit (cold server, page address): run app.py instead

catalog, regions = reference()
lang_ = lang()
year = st.session_state[YEAR]
st.title(t("page_catalog", lang_))

targets = in_language(cached_targets(data_version(), year), lang_)
st.subheader(t("targets_heading", lang_, year=year))
shown = targets_display_table(targets, catalog, lang_)
st.dataframe(shown, hide_index=True, width="stretch")
st.download_button("CSV", csv_bytes(targets), f"targets_{year}.csv", "text/csv", key="targets_csv", on_click="ignore")

pending = targets[targets["form"] == "pending"]
if not pending.empty:
    st.subheader(t("pending_heading", lang_))
    st.dataframe(targets_display_table(pending, catalog, lang_), hide_index=True, width="stretch")
    if allowed(Action.TARGET_WRITE):
        pending_fill(pending, lang_)


if allowed(Action.TARGET_WRITE):  # an analyst's or admin's: everyone else reads the targets
    st.page_link("pages/drafting.py", label=t("drafting_open", lang_), icon=":material/auto_awesome:")
    manage_targets(targets, year, lang_)
    target_import(lang_)

st.subheader(t("indicators_heading", lang_))
st.dataframe(catalog_table(catalog, lang_), hide_index=True, width="stretch")
