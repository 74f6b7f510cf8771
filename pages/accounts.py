"""账户与审计 Accounts & audit: the audit log for analysts and admins; the accounts themselves for admins."""

import streamlit as st

from indicators.access import Action
from ui.account_admin import accounts_section, audit_section
from ui.auth import allowed
from ui.navigation import ensure_routed
from ui.state import lang
from ui.wording import t

ensure_routed()  # run alone by Streamlit (cold server, page address): run app.py instead

lang_ = lang()
admin = allowed(Action.ACCOUNT_ADMIN)
st.title(t("page_accounts" if admin else "page_audit", lang_))

if not allowed(Action.VIEW_AUDIT):  # the navigation does not offer this page then; a stale address gets nothing
    st.stop()
if admin:
    accounts_section(lang_)
audit_section(lang_)
