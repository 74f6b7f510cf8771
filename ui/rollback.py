"""The upload page's rollback: a confirmation naming the batch, its file and how many values it restores, then the
rollback under the signed-in analyst's or admin's name."""

from __future__ import annotations

import streamlit as st

from charts.safe_text import for_markdown
from data_loaders import store
from data_loaders.permissions import check_rollback
from indicators.access import AccountRefused
from ui.auth import signed_in
from ui.data import clear_reads, engine, reference
from ui.faults import guarded
from ui.state import lang
from ui.wording import t

RESULT = "rollback_result"  # session state: ("success" | "error", text) shown after the dialog closes
PENDING = "rollback_pending"  # session state: the batch whose confirmation is open


def _close() -> None:
    st.session_state.pop(PENDING, None)


def _roll_back(batch_id: int) -> None:
    _close()
    lang_ = lang()
    try:
        account = check_rollback(engine(), signed_in(), batch_id, reference()[1])
        with guarded(f"rolling back batch {batch_id}", expected=(store.RollbackRefused,)):
            restored = store.rollback_batch(engine(), batch_id, by=account.name)
    except (AccountRefused, store.RollbackRefused) as exc:
        st.session_state[RESULT] = ("error", for_markdown(exc.text(lang_)))
        return
    clear_reads()
    st.session_state[RESULT] = ("success", t("rolled_back", lang_, id=batch_id, n=restored))


def confirmation_text(preview: store.RollbackPreview, lang_: str) -> str:
    """The confirmation's words: the batch, its file (the uploader's text, never markup) and the counts."""
    return t(
        "rollback_confirm_text",
        lang_,
        id=preview.batch_id,
        file=for_markdown(preview.file_name),
        written=preview.withdrawn,
        n=preview.restored,
    )


@st.dialog(" ", on_dismiss=_close)
def _confirm(batch_id: int, lang_: str) -> None:
    preview = store.rollback_preview(engine(), batch_id)
    if preview is None:
        st.error(t("rollback_missing", lang_, id=batch_id))
        return
    st.subheader(t("rollback_confirm_title", lang_))
    st.markdown(confirmation_text(preview, lang_))
    go, cancel = st.columns(2)
    if go.button(t("rollback_go", lang_, id=batch_id), type="primary", key="rollback_go"):
        _roll_back(batch_id)
        st.rerun()
    if cancel.button(t("cancel", lang_), key="rollback_cancel"):
        _close()
        st.rerun()


def rollback_control(committed: list[int], lang_: str) -> None:
    """Pick a committed batch and ask for its rollback; the confirmation stays open until confirmed or dismissed."""
    left, right = st.columns([3, 1])
    batch_id = left.selectbox(t("rollback_pick", lang_), committed, key="rollback_pick")
    if right.button(t("rollback", lang_), key="rollback"):
        st.session_state[PENDING] = int(batch_id)
    pending = st.session_state.get(PENDING)
    if pending is not None:
        _confirm(pending, lang_)


def show_rollback_result(lang_: str) -> None:
    """The outcome of a rollback confirmed in the dialog, once."""
    found = st.session_state.pop(RESULT, None)
    if found is not None:
        kind, text = found
        (st.success if kind == "success" else st.error)(text)
