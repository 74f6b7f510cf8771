"""Add an indicator the catalog lacks (drafting page): an analyst's or admin's, recorded in the audit log."""

from __future__ import annotations

import streamlit as st

from charts.safe_text import for_markdown
from data_loaders.catalog_store import IndicatorRefused, NewIndicator, add_indicator
from indicators.access import Action
from indicators.catalog import DIRECTIONS
from ui.auth import allowed, writer_for
from ui.data import clear_reads, engine, reference
from ui.faults import report, text_of
from ui.state import lang
from ui.wording import DIRECTION, label, pick, t

FORM = "indicator_add"
FLASH = "indicator_flash"


def _submit() -> None:
    state = st.session_state
    lang_ = lang()
    if (account := writer_for(Action.TARGET_WRITE)) is None:
        return
    new = NewIndicator(
        name_zh=state[f"{FORM}_name_zh"],
        unit=state[f"{FORM}_unit"],
        direction=state[f"{FORM}_direction"],
        decimals=int(state[f"{FORM}_decimals"]),
        name_en=state[f"{FORM}_name_en"],
        definition_zh=state[f"{FORM}_definition"],
    )
    try:
        code = add_indicator(engine(), new, reference()[0], by=account.name)
    except IndicatorRefused as exc:
        state[FLASH] = ("error", for_markdown(pick(exc.zh, exc.en, lang_)))
        return
    except Exception as exc:  # the app's message, never a stack trace; the log keeps the details
        state[FLASH] = ("error", text_of(report(exc, "adding an indicator")))
        return
    clear_reads()
    for field in ("name_zh", "name_en", "unit", "definition"):
        state[f"{FORM}_{field}"] = ""
    state[FLASH] = ("success", t("indicator_added", lang_, name=for_markdown(new.name_zh.strip()), code=code))


def add_indicator_form(lang_: str) -> None:
    if not allowed(Action.TARGET_WRITE):
        return
    with st.expander(t("indicator_add_heading", lang_), expanded=FLASH in st.session_state):
        st.caption(t("indicator_add_help", lang_))
        if FLASH in st.session_state:
            kind, text = st.session_state.pop(FLASH)
            getattr(st, kind)(text)
        with st.form(FORM):
            a, b = st.columns(2)
            a.text_input(t("indicator_name_zh", lang_), key=f"{FORM}_name_zh")
            b.text_input(t("indicator_name_en", lang_), key=f"{FORM}_name_en")
            a, b, c = st.columns(3)
            a.text_input(t("indicator_unit", lang_), key=f"{FORM}_unit", placeholder="% / 个 / 微克/立方米")
            b.selectbox(
                t("indicator_direction", lang_),
                list(DIRECTIONS),
                format_func=lambda d: label(DIRECTION, d, lang_),
                key=f"{FORM}_direction",
            )
            c.number_input(t("indicator_decimals", lang_), 0, 4, value=1, step=1, key=f"{FORM}_decimals")
            st.text_input(t("indicator_definition", lang_), key=f"{FORM}_definition")
            st.form_submit_button(t("indicator_add", lang_), on_click=_submit)
