"""数据上传 Upload: template, upload, problems, diff, commit, history and rollback."""

import streamlit as st

from charts.export import csv_bytes
from charts.tables import batch_table, observation_table
from data_loaders import store
from data_loaders.excel import UnreadableWorkbook, parse_workbook, with_year_to_date
from data_loaders.sandbox import run_isolated
from data_loaders.settings import max_upload_bytes, parse_memory_bytes, parse_seconds
from data_loaders.template import template_bytes
from indicators.i18n import t
from pages.common import PERIOD, PROVINCE, YEAR, clear_reads, engine, lang, progress_reporter, reference

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
upload = st.file_uploader(
    t("upload_label", lang_), type=["xlsx", "xlsm", "xls"], key="upload_file", help=t("upload_help", lang_, mb=limit_mb)
)
if upload is not None:
    data = upload.getvalue()
    try:
        parsed = run_isolated(  # a hostile workbook kills the child, never the server
            parse_workbook,
            data,
            catalog,
            regions,
            max_bytes=max_upload_bytes(),
            progress=progress_reporter(lang_),
            memory_bytes=parse_memory_bytes(),
            seconds=parse_seconds(),
        )
    except UnreadableWorkbook as exc:
        st.error(t("unreadable", lang_, zh=exc.message_zh, en=exc.message_en))
        st.stop()
    parsed = with_year_to_date(engine(), parsed)
    if not parsed.problems.empty:
        st.subheader(t("problems", lang_))
        st.dataframe(parsed.problems, hide_index=True, width="stretch")
        st.download_button(
            t("problems_csv", lang_),
            csv_bytes(parsed.problems),
            "problems.csv",
            "text/csv",
            key="problems_csv",
            on_click="ignore",
        )
    if parsed.has_errors:
        st.error(t("errors_block", lang_, n=int((parsed.problems["severity"] == "error").sum())))
        st.stop()
    diff = store.diff_against_store(engine(), parsed.tidy)
    counts = diff["change"].value_counts()
    st.subheader(t("preview", lang_, n=len(parsed.tidy)))
    st.caption(t("diff_counts", lang_, **{k: int(counts.get(k, 0)) for k in ("insert", "update", "unchanged")}))
    st.dataframe(observation_table(parsed.tidy, catalog, regions, lang_), hide_index=True, width="stretch")
    updates = diff[diff["change"] == "update"]
    if not updates.empty:
        st.subheader(t("diff", lang_))
        st.dataframe(observation_table(updates, catalog, regions, lang_), hide_index=True, width="stretch")
    if st.button(t("commit", lang_), type="primary", key="commit"):
        summary = store.commit_upload(
            engine(),
            parsed.tidy,
            upload.name,
            store.sha256_of(data),
            uploaded_by="web",
            progress=progress_reporter(lang_),
        )
        clear_reads()
        if summary.already_imported:
            st.info(t("already", lang_, id=summary.batch_id))
        else:
            st.success(
                t(
                    "committed",
                    lang_,
                    id=summary.batch_id,
                    inserted=summary.inserted,
                    updated=summary.updated,
                    unchanged=summary.unchanged,
                )
            )

st.subheader(t("history", lang_))
batches = store.list_batches(engine())
st.dataframe(batch_table(batches, lang_), hide_index=True, width="stretch")
committed = batches.loc[batches["status"] == "committed", "id"].tolist()
if committed:
    left, right = st.columns([3, 1])
    batch_id = left.selectbox(t("rollback_pick", lang_), committed, key="rollback_pick")
    if right.button(t("rollback", lang_), key="rollback"):
        try:
            restored = store.rollback_batch(engine(), int(batch_id))
            clear_reads()
            st.success(t("rolled_back", lang_, id=batch_id, n=restored))
        except store.RollbackRefused as exc:
            st.error(exc.message_en if lang_ == "en" else exc.message_zh)
