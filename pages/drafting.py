"""从工作要点起草 Draft targets from a work plan: upload or paste, review the drafts, save the confirmed ones."""

import streamlit as st

from data_loaders.documents import Document, read_txt
from indicators.access import Action
from indicators.periods import FIRST_YEAR, LAST_YEAR
from ui.auth import allowed
from ui.data import reference
from ui.drafting_view import (
    CONFIRM,
    DEFAULTS,
    DOC,
    PENDING,
    REJECT,
    ROWS,
    Defaults,
    defaults_of,
    discard_drafts,
    document_key,
    pasted_source_name,
    read_plan,
    review,
    save_confirmed,
    show_flash,
    start_drafts,
)
from ui.indicator_form import add_indicator_form
from ui.navigation import ensure_routed
from ui.state import PROVINCE, lang
from ui.wording import t

ensure_routed()  # run alone by Streamlit (cold server, page address): run app.py instead

catalog, regions = reference()
lang_ = lang()
st.title(t("page_drafting", lang_))
if not allowed(Action.TARGET_WRITE):  # the navigation hides the page; a bookmarked address still lands here
    st.info(t("drafting_needs_analyst", lang_))
    st.stop()
st.caption(t("drafting_intro", lang_))

source = st.radio(
    t("drafting_source", lang_),
    ["upload", "paste"],
    format_func=lambda s: t(f"drafting_{s}", lang_),
    horizontal=True,
    key="draft_source",
)
document: Document | None = None
if source == "upload":
    upload = st.file_uploader(t("drafting_file_label", lang_), type=["docx", "pdf", "txt"], key="draft_file")
    if upload is not None:
        document = read_plan(upload.getvalue(), upload.name, lang_)
else:
    pasted = st.text_area(t("drafting_paste_label", lang_), height=220, key="draft_text")
    if pasted.strip():
        document = read_txt(pasted.encode("utf-8"), pasted_source_name(pasted))

if document is not None:
    found = defaults_of(document, regions)
    key = document_key(document)  # the fields start from each new document's own title
    st.caption(t("drafting_defaults", lang_))
    a, b, c = st.columns([1, 2, 3])
    year = a.number_input(
        t("field_year", lang_), FIRST_YEAR, LAST_YEAR, value=found.year, step=1, key=f"draft_year_{key}"
    )  # fmt: skip
    province = st.session_state[PROVINCE]
    codes = list(dict.fromkeys([found.region or province, province, *(r.code for r in regions.children(province))]))
    region = b.selectbox(
        t("field_region_code", lang_), codes, format_func=lambda r: regions.name(r, lang_), key=f"draft_region_{key}"
    )
    issuer = c.text_input(t("field_issuer_name", lang_), value=found.issuer, key=f"draft_issuer_{key}")
    if st.button(t("drafting_run", lang_), type="primary", key="draft_run"):
        chosen = Defaults(int(year) if year is not None else None, region, issuer.strip())
        start_drafts(document, chosen, catalog, regions)

show_flash()
if ROWS in st.session_state:
    drafted_from: Document = st.session_state[DOC]
    rows = st.session_state[ROWS]
    if rows.empty:
        st.info(t("drafting_none", lang_, name=drafted_from.name))
    else:
        st.info(t("drafting_found", lang_, name=drafted_from.name, n=len(rows)))
        edited = review(catalog, regions, st.session_state[DEFAULTS].region or st.session_state[PROVINCE], lang_)
        counts = edited["decision"].value_counts()
        tally = {"confirmed": CONFIRM, "rejected": REJECT, "pending": PENDING}
        st.caption(t("drafting_tally", lang_, **{k: int(counts.get(v, 0)) for k, v in tally.items()}))
        left, right = st.columns([1, 1])
        if left.button(t("drafting_save", lang_), type="primary", key="draft_save"):
            save_confirmed(edited, st.session_state[DEFAULTS], catalog, regions, lang_)
            st.rerun()
        right.button(t("drafting_discard", lang_), key="draft_discard", on_click=discard_drafts)

add_indicator_form(lang_)
