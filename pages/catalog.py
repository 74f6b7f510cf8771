"""指标与目标 Catalog & targets: what each indicator means, every target with its source clause, and the target forms."""

import streamlit as st

from charts.export import csv_bytes
from charts.safe_text import for_markdown
from charts.tables import catalog_table, targets_display_table
from data_loaders import store
from data_loaders.pipeline import UnreadableWorkbook
from data_loaders.target_tables import read_target_table
from ui.data import cached_targets, clear_reads, data_version, engine, in_language, reference
from ui.faults import guarded
from ui.navigation import ensure_routed
from ui.state import YEAR, lang
from ui.target_form import manage_targets, pending_fill
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
    pending_fill(pending, lang_)

manage_targets(targets, year, lang_)

with st.expander(t("target_import", lang_)):
    upload = st.file_uploader(t("target_import", lang_), type=["xlsx", "xls"], key="target_table")
    issuer = st.text_input(t("target_issuer", lang_), key="target_issuer") or None
    if upload is not None:
        try:
            parsed = read_target_table(upload.getvalue(), catalog, regions, issuer=issuer, source_name=upload.name)
        except UnreadableWorkbook as exc:
            st.error(t("unreadable", lang_, zh=for_markdown(exc.zh), en=for_markdown(exc.en)))
        else:
            if not parsed.problems.empty:
                st.dataframe(parsed.problems, hide_index=True, width="stretch")
            st.caption(t("target_read", lang_, n=len(parsed.targets)))
            if not parsed.has_errors and st.button(t("target_commit", lang_), key="target_commit"):
                with guarded("importing a target table"):
                    added = store.add_targets(engine(), parsed.targets)
                clear_reads()
                st.success(t("target_added", lang_, n=added))

st.subheader(t("indicators_heading", lang_))
st.dataframe(catalog_table(catalog, lang_), hide_index=True, width="stretch")
