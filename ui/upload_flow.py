"""One uploaded file on the upload page: parsed once per content (SHA-256), its problems, the mapping step for
columns that match no indicator, the diff against what is stored, and its own commit."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from charts.export import csv_bytes
from charts.safe_text import for_markdown
from charts.tables import observation_table
from data_loaders import store
from data_loaders.cells import IGNORE
from data_loaders.mapping_store import RememberedMappings, mappings_stamp, remember_mappings
from data_loaders.permissions import refuse_outside
from data_loaders.pipeline import ParsedUpload, UnreadableWorkbook, parse_workbook
from data_loaders.sandbox import run_isolated
from data_loaders.settings import max_upload_bytes, parse_memory_bytes, parse_seconds
from indicators.access import Action
from indicators.terms import Severity
from ui.auth import signed_in
from ui.data import clear_reads, engine, reference
from ui.downloads import progress_reporter
from ui.faults import guarded
from ui.wording import t

_PARSED = "parsed_uploads"  # session state: {(sha256, mappings stamp): ParsedUpload | UnreadableWorkbook}
_KEEP = 40  # parsed files kept per session: a quarter's 17 city workbooks and some


@dataclass(frozen=True)
class UploadedFile:
    name: str
    data: bytes
    sha256: str


def uploaded(upload) -> UploadedFile:
    data = upload.getvalue()
    return UploadedFile(upload.name, data, store.sha256_of(data))


def parsed(file: UploadedFile, lang_: str) -> ParsedUpload | UnreadableWorkbook:
    """The file parsed, or why it cannot be read; parsed again only when its content or the remembered column
    decisions change, not on every rerun."""
    cache = st.session_state.setdefault(_PARSED, {})
    key = (file.sha256, mappings_stamp(engine()))
    if key not in cache:
        catalog, regions = reference()
        try:
            cache[key] = run_isolated(  # a hostile workbook kills the child, never the server
                parse_workbook,
                file.data,
                catalog,
                regions,
                prior=store.StoredValues.of(engine()),
                remembered=RememberedMappings.of(engine()),
                max_bytes=max_upload_bytes(),
                progress=progress_reporter(lang_),
                memory_bytes=parse_memory_bytes(),
                seconds=parse_seconds(),
            )
        except UnreadableWorkbook as exc:
            cache[key] = exc
        while len(cache) > _KEEP:
            cache.pop(next(iter(cache)))
    return cache[key]


def mapping_step(file: UploadedFile, result: ParsedUpload, lang_: str) -> None:
    """Ask what each column of numbers that matches nothing is; remember the answers for the file's region."""
    catalog, _ = reference()
    st.subheader(t("mapping_title", lang_))
    st.caption(t("mapping_help", lang_))
    codes = [c.code for c in catalog]
    chosen = {}
    for i, row in result.unmatched.iterrows():
        first = [c for c in row["suggestions"].split("|") if c in catalog]
        options = ["", *first, IGNORE, *(c for c in codes if c not in first)]
        chosen[row["header"]] = st.selectbox(
            # a widget label is Markdown: the sheet name and header are the uploader's text
            t("mapping_pick", lang_, **{k: for_markdown(row[k]) for k in ("sheet", "cell", "header")}),
            options,
            format_func=lambda c: (
                t("mapping_choose", lang_)
                if c == ""
                else t("mapping_ignore", lang_)
                if c == IGNORE
                else f"{catalog[c].name(lang_)} ({c})"
            ),
            key=f"map_{file.sha256[:12]}_{i}",
        )
    if st.button(t("mapping_confirm", lang_), key=f"map_confirm_{file.sha256[:12]}"):
        if not all(chosen.values()):
            st.warning(t("mapping_incomplete", lang_))
            return
        with guarded(f"remembering column mappings for {result.source}"):
            remember_mappings(engine(), result.source, chosen, confirmed_by=signed_in().name)
        source = for_markdown(reference()[1].name(result.source))
        st.success(t("mapping_saved", lang_, n=len(chosen), source=source))
        st.rerun()


def file_section(file: UploadedFile, lang_: str) -> None:
    """Everything about one uploaded file, down to its commit button."""
    catalog, regions = reference()
    st.divider()
    st.text(t("file_heading", lang_, name=file.name))  # a file name is the uploader's text: never markup
    result = parsed(file, lang_)
    if isinstance(result, UnreadableWorkbook):
        st.error(t("unreadable", lang_, zh=for_markdown(result.zh), en=for_markdown(result.en)))
        return
    key = file.sha256[:12]
    account = signed_in()
    if account is None or not account.may(Action.UPLOAD):
        st.warning(t("auth_upload_needs_account", lang_))
        return
    # Rows for regions outside the account's own are errors like any other, each naming its sheet and cell.
    refused = refuse_outside(result.tidy, account, regions)
    if not refused.empty:
        problems = pd.concat([result.problems, refused], ignore_index=True)
        result = replace(result, problems=problems)
    if not result.problems.empty:
        st.subheader(t("problems", lang_))
        st.dataframe(result.problems, hide_index=True, width="stretch")
        st.download_button(
            t("problems_csv", lang_),
            csv_bytes(result.problems),
            "problems.csv",
            "text/csv",
            key=f"problems_csv_{key}",
            on_click="ignore",
        )
    if not result.unmatched.empty and result.source:
        mapping_step(file, result, lang_)
    if result.has_errors:
        st.error(t("errors_block", lang_, n=int((result.problems["severity"] == Severity.ERROR).sum())))
        return
    diff = store.diff_against_store(engine(), result.tidy)
    counts = diff["change"].value_counts()
    st.subheader(t("preview", lang_, n=len(result.tidy)))
    st.caption(t("diff_counts", lang_, **{k: int(counts.get(k, 0)) for k in ("insert", "update", "unchanged")}))
    st.dataframe(observation_table(result.tidy, catalog, regions, lang_), hide_index=True, width="stretch")
    updates = diff[diff["change"] == "update"]
    if not updates.empty:
        st.subheader(t("diff", lang_))
        st.dataframe(observation_table(updates, catalog, regions, lang_), hide_index=True, width="stretch")
    if st.button(t("commit", lang_), type="primary", key=f"commit_{key}"):
        with guarded("committing an upload"):
            summary = store.commit_upload(
                engine(),
                result.tidy,
                file.name,
                file.sha256,
                uploaded_by=account.name,
                progress=progress_reporter(lang_),
            )
        clear_reads()
        if summary.already_imported:
            st.info(t("already", lang_, id=summary.batch_id))
        else:
            counts = {"inserted": summary.inserted, "updated": summary.updated, "unchanged": summary.unchanged}
            st.success(t("committed", lang_, id=summary.batch_id, **counts))
