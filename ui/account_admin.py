"""The accounts page's parts: the audit log with its CSV (analysts and admins) and the admin's account controls."""

from __future__ import annotations

from datetime import date

import streamlit as st

from charts.safe_text import for_markdown
from charts.tables import audit_table
from data_loaders import accounts
from data_loaders.audit import audit_log
from indicators.access import AccountRefused, Action
from indicators.terms import Role
from ui.auth import writer_for
from ui.data import engine
from ui.downloads import csv_download
from ui.state import lang
from ui.wording import t

SHOWN = 500  # newest audit entries on the page; the CSV has them all
RESULT = "account_admin_result"  # session state: the outcome of the last account change, shown once


def audit_section(lang_: str) -> None:
    """Who did what when, and the batch or target it touched, newest first; the whole log as CSV."""
    log = audit_log(engine())
    st.subheader(t("audit_heading", lang_, n=min(SHOWN, len(log))))
    st.dataframe(audit_table(log.head(SHOWN), lang_), hide_index=True, width="stretch")
    csv_download(log, t("audit_csv", lang_), f"audit_{date.today():%Y%m%d}", "audit_csv")  # in UTC, as read


def _done(change, *args, **kwargs) -> None:
    """Run an account change under the admin's name; keep its outcome for the next run."""
    if (admin := writer_for(Action.ACCOUNT_ADMIN)) is None:
        return
    try:
        account = change(engine(), *args, by=admin.name, **kwargs)
    except AccountRefused as exc:
        st.session_state[RESULT] = ("error", exc.text(lang()))
        return
    st.session_state[RESULT] = ("success", t("account_done", lang(), name=account.name))


def _add() -> None:
    state = st.session_state
    password = state.get("acc_new_password") or None
    _done(
        accounts.add_account,
        state.get("acc_new_name", ""),
        state.get("acc_new_role", Role.VIEWER),
        regions=(state.get("acc_new_regions") or "").split(),
        display_name=state.get("acc_new_display", ""),
        password=password,
        sso_identity=state.get("acc_new_sso") or None,
        must_change_password=password is not None,
    )


def _reset(name: str) -> None:
    password = st.session_state.get("acc_reset_password", "")
    _done(accounts.set_password, name, password, must_change=True)


def accounts_section(lang_: str) -> None:
    """The account list, a form to add one, and disable / enable / reset the password of one."""
    st.subheader(t("accounts_heading", lang_))
    found = st.session_state.pop(RESULT, None)
    if found is not None:
        (st.success if found[0] == "success" else st.error)(for_markdown(found[1]))
    listed = accounts.list_accounts(engine())
    st.dataframe(listed, hide_index=True, width="stretch")
    with st.form("account_add", clear_on_submit=True):
        st.markdown(f"**{t('account_add', lang_)}**")
        st.text_input(t("auth_name", lang_), key="acc_new_name")
        st.selectbox(
            t("account_role", lang_), list(Role), key="acc_new_role", format_func=lambda r: t(f"role_{r}", lang_)
        )
        st.text_input(t("account_regions", lang_), key="acc_new_regions")
        st.text_input(t("account_display", lang_), key="acc_new_display")
        st.text_input(t("auth_password", lang_), type="password", key="acc_new_password")
        st.text_input(t("account_sso", lang_), key="acc_new_sso")
        st.form_submit_button(t("account_add", lang_), on_click=_add)
    if listed.empty:
        return
    name = st.selectbox(t("account_pick", lang_), listed["name"].tolist(), key="acc_pick")
    disabled = bool(listed.loc[listed["name"] == name, "disabled"].iloc[0])
    toggle = "account_enable" if disabled else "account_disable"
    st.button(t(toggle, lang_), key="acc_toggle", on_click=_done, args=(accounts.set_disabled, name, not disabled))
    with st.form("account_reset", clear_on_submit=True):
        st.text_input(t("auth_new_password", lang_), type="password", key="acc_reset_password")
        st.form_submit_button(t("account_reset", lang_), on_click=_reset, args=(name,))
