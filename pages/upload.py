"""数据上传 Upload: template, upload, problems, diff, commit, history and rollback."""

import streamlit as st

from charts.tables import batch_table
from data_loaders import store
from data_loaders.settings import max_upload_bytes
from data_loaders.template import template_bytes
from indicators.access import Action
from ui.auth import allowed
from ui.data import engine, reference
from ui.navigation import ensure_routed
from ui.rollback import rollback_control, show_rollback_result
from ui.state import PERIOD, PROVINCE, YEAR, lang
from ui.upload_flow import file_section, uploaded
from ui.wording import t

ensure_routed()  # run alone by Streamlit (cold server, page address): run app.py instead

catalog, regions = reference()
lang_ = lang()
year, period, province = st.session_state[YEAR], st.session_state[PERIOD], st.session_state[PROVINCE]
st.title(t("page_upload", lang_))

st.download_button(
    t("template_download", lang_),
    template_bytes(catalog, regions, year, period, province),
    f"template_{province}_{year}_{period:02d}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="template_download",
    on_click="ignore",
)

limit_mb = max_upload_bytes() // (1024 * 1024)
uploads = st.file_uploader(
    t("upload_label", lang_),
    type=["xlsx", "xlsm", "xls"],
    key="upload_file",
    accept_multiple_files=True,
    help=t("upload_files_help", lang_, mb=limit_mb),
)
# Each file is checked and committed on its own: one city's defective workbook must not hold back sixteen good ones,
# and a batch (with its rollback) stays one file a clerk can name.
for upload in uploads or []:
    file_section(uploaded(upload), lang_)

st.subheader(t("history", lang_))
batches = store.list_batches(engine())
st.dataframe(batch_table(batches, lang_), hide_index=True, width="stretch")
committed = batches.loc[batches["status"] == "committed", "id"].tolist()
if committed and allowed(Action.ROLLBACK):  # an analyst's or admin's, after a confirmation naming what it undoes
    rollback_control(committed, lang_)
show_rollback_result(lang_)
