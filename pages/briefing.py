"""季度通报 Briefing: preview the quarterly briefing of a province, then generate it as Word (and PDF)."""

import streamlit as st

from charts.safe_text import for_markdown
from data_loaders.settings import max_upload_bytes
from ui.briefing_view import DOCX_MIME, briefing_preview, default_codes, generate, ranking_frame, template_too_large
from ui.data import data_version, reference
from ui.navigation import ensure_routed
from ui.state import PERIOD, PROVINCE, YEAR, lang
from ui.wording import COUNT_LABELS, label, t

ensure_routed()  # run alone by Streamlit (cold server, page address): run app.py instead

RESULT = "briefing_result"  # (what it was made from, Briefing)

catalog, regions = reference()
lang_ = lang()
year, period, province = st.session_state[YEAR], st.session_state[PERIOD], st.session_state[PROVINCE]
st.title(t("page_briefing", lang_))

defaults = default_codes(data_version(), year, period, province)
codes = st.multiselect(
    t("briefing_indicators", lang_),
    [i.code for i in catalog],
    default=defaults,
    format_func=lambda c: catalog[c].name(lang_),
    key=f"briefing_codes_{province}_{year}_{period}",  # a new province or period starts from its own defaults
)
if not codes:
    st.info(t("briefing_no_indicators", lang_))
    st.stop()

context = briefing_preview(data_version(), lang_, year, period, province, tuple(codes))
st.subheader(context["title"])
st.caption(f"{context['issuer']} · {context['date']}")
st.markdown(for_markdown(context["headline"]))
cols = st.columns(len(COUNT_LABELS))
for col, key in zip(cols, COUNT_LABELS, strict=True):
    col.metric(label(COUNT_LABELS, key, lang_), context["counts"][key])
for line in context["province_lines"]:
    st.caption(line)

with st.expander(t("briefing_tables", lang_), expanded=True):
    for entry in context["indicators"]:
        st.markdown(f"**{for_markdown(entry['table_title'])}**")
        st.caption(entry["summary"])
        st.dataframe(ranking_frame(entry), hide_index=True, width="stretch")
for key in ("lagging", "pending"):
    if context[key]:
        with st.expander(f"{context['labels'][key]}（{len(context[key])}）", expanded=False):
            st.text("\n".join(context[key]))

limit_mb = max_upload_bytes() // (1024 * 1024)
upload = st.file_uploader(
    t("briefing_template", lang_),
    type=["docx"],
    key="briefing_template",
    help=t("briefing_template_help", lang_, mb=limit_mb),
)
template = None
if upload is not None:
    if template_too_large(upload.size):
        st.warning(t("briefing_template_too_large", lang_, mb=limit_mb))
    else:
        template = (upload.name, upload.getvalue())

made_from = (data_version(), lang_, year, period, province, tuple(codes), upload.file_id if upload else None)
stem = f"briefing_{province}_{year}_{period:02d}"
if st.button(t("briefing_generate", lang_), type="primary", key="briefing_generate"):
    with st.spinner(t("briefing_generate", lang_)):
        st.session_state[RESULT] = (made_from, generate(context, stem, lang_, template))

made, result = st.session_state.get(RESULT, (None, None))
if result is not None and made == made_from:
    if result.error:
        st.error(for_markdown(result.error))
    else:
        st.success(t("briefing_ready", lang_, name=result.name))
        left, right = st.columns(2)
        left.download_button(
            t("briefing_download_docx", lang_),
            result.docx,
            result.name,
            DOCX_MIME,
            key="briefing_docx",
            on_click="ignore",
        )
        if result.pdf is not None:
            right.download_button(
                t("briefing_download_pdf", lang_),
                result.pdf,
                f"{stem}.pdf",
                "application/pdf",
                key="briefing_pdf",
                on_click="ignore",
            )
        else:
            right.info(for_markdown(result.pdf_note))
