"""Who is signed in on this session: the sidebar's sign-in form (or single sign-on), sign-out, idle expiry, the
forced password change, `allowed(action)` for every write control and `writer_for(action)` for every write callback.

Only the account name and the time of the last activity live in session state; the account itself is read again
on every run (`resolve_account`), so a disable or a role change applies at the next click. A button's callback runs
before that, so every write callback asks `writer_for`, which reads the account again too.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from streamlit.errors import StreamlitSecretNotFoundError

from charts.safe_text import for_markdown
from data_loaders import accounts, first_admin
from data_loaders.settings import data_dir, session_idle_minutes
from indicators.access import Account, AccountRefused, Action, require, session_expired
from ui.data import engine
from ui.state import lang
from ui.wording import t

log = logging.getLogger(__name__)

# Session-state keys.
SIGNED_IN = "account_name"  # the signed-in account's name
LAST_ACTIVE = "account_last_active"  # when this session last ran a script, for idle expiry
ACCOUNT = "account"  # this run's Account (or None), set by resolve_account at the start of every run
EXPIRED = "account_expired"  # the session just ended for idleness: say so once
REFUSED = "account_write_refused"  # a write refused because the account may no longer do it: say why once


def now() -> datetime:
    """The clock sign-in and idle expiry use (tests patch it)."""
    return datetime.now(UTC)


def sso_configured() -> bool:
    """Single sign-on is on when .streamlit/secrets.toml has an [auth] section (Streamlit's OIDC settings)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return False


def account_for_user(db: Engine, user: Mapping[str, object]) -> Account | None:
    """The account a single sign-on identity (st.user as a mapping) belongs to; None when not logged in.
    AccountRefused when the provider's identity has no account or a disabled one."""
    if not user.get("is_logged_in"):
        return None
    return accounts.account_for_identity(db, user)


def sign_out() -> None:
    for key in (SIGNED_IN, LAST_ACTIVE, ACCOUNT):
        st.session_state.pop(key, None)


def _start(account: Account) -> None:
    st.session_state[SIGNED_IN] = account.name
    st.session_state[LAST_ACTIVE] = now()
    st.session_state.pop(EXPIRED, None)


def _expire(name: str) -> None:
    log.info("session of %s ended after %s idle minutes", name, session_idle_minutes())
    sign_out()
    st.session_state[EXPIRED] = True
    if sso_configured() and st.user.is_logged_in:
        st.logout()  # else the provider's identity signs the account straight back in at the next run


def _reread() -> Account | None:
    """The signed-in account as the database has it now, its idle clock restarted; None when nobody is signed in or
    the session has been idle too long (signed out: the sign-in form says so). A disabled or removed account is
    signed out; the disabled one is returned all the same, so that a refused write can say why."""
    state = st.session_state
    name, moment = state.get(SIGNED_IN), now()
    if name is None:
        return None
    try:
        account = accounts.get_account(engine(), name)
    except SQLAlchemyError as exc:
        # Down: the account this session resolved last stands, so its reader still gets the cached charts (and
        # their "data as of"); every write fails anyway, with the app's message. Nobody new signs in meanwhile.
        account = state.get(ACCOUNT)
        if account is None or account.name != name:
            raise
        log.warning("account %s not re-read (%s): the last one read stands", name, type(exc).__name__)
    last = state.get(LAST_ACTIVE)
    if last is not None and session_expired(last, moment, session_idle_minutes()):
        _expire(name)
        return None
    if account is None or account.disabled:
        sign_out()
    else:
        state[LAST_ACTIVE] = moment
    return account


def resolve_account() -> Account | None:
    """This run's account (app.py calls it once per run): re-read from the database, None when nobody is signed
    in, the session has been idle too long, or the account has been disabled or removed."""
    state = st.session_state
    if state.get(SIGNED_IN) is None and sso_configured() and st.user.is_logged_in:
        try:
            found = account_for_user(engine(), st.user.to_dict())
        except AccountRefused as exc:
            state[ACCOUNT] = None
            st.sidebar.error(for_markdown(exc.text(lang())))
            return None
        if found is not None:
            _start(found)
    account = _reread()
    state[ACCOUNT] = account if account is not None and not account.disabled else None
    return state[ACCOUNT]


def writer_for(action: Action | str) -> Account | None:
    """The account a write callback acts as, read again from the database. Callbacks run before app.py's
    resolve_account, so the last run's account may have expired, been disabled or lost the role or a region since.
    None when it may not write now: nothing is to be written, and the sidebar says why."""
    account = _reread()
    if account is None and st.session_state.get(EXPIRED):
        return None  # the sign-in form says the session ended
    try:
        return require(account, action)
    except AccountRefused as exc:
        st.session_state[REFUSED] = t("auth_write_refused", lang(), why=exc.text(lang()))
        return None


def _show_refusal() -> None:
    """A write refused by `writer_for` at this click, once."""
    refused = st.session_state.pop(REFUSED, None)
    if refused:
        st.error(for_markdown(refused))


def signed_in() -> Account | None:
    """The account app.py resolved for this run (None: nobody)."""
    return st.session_state.get(ACCOUNT)


def allowed(action: Action | str) -> bool:
    """Whether the signed-in account may do the action (nobody signed in: no write at all)."""
    account = signed_in()
    return account is not None and account.may(action)


def _submit_sign_in() -> None:
    state, lang_ = st.session_state, lang()
    name, password = state.get("sign_in_name", ""), state.get("sign_in_password", "")
    state["sign_in_password"] = ""  # the password never stays in session state
    try:
        account = accounts.sign_in(engine(), name, password, now=now())
    except AccountRefused as exc:
        state["sign_in_refusal"] = exc.text(lang_) + _unlock_time(name, lang_)
        return
    state.pop("sign_in_refusal", None)
    _start(account)


def _unlock_time(name: str, lang_: str) -> str:
    """For a locked account, when it opens again (local time); nothing otherwise."""
    account = accounts.get_account(engine(), (name or "").strip()) if name else None
    until = account.locked_until if account is not None else None
    if until is None or until <= now():
        return ""
    return " " + t("auth_locked_until", lang_, at=until.astimezone().strftime("%H:%M"))


def sign_in_form(lang_: str) -> None:
    """The sidebar's sign-in: the OIDC button where single sign-on is configured, else name and password."""
    if st.session_state.pop(EXPIRED, False):
        st.info(t("auth_expired", lang_))
    _show_refusal()
    if sso_configured():
        if st.button(t("auth_sso", lang_), key="sso_login"):
            st.login()
        return
    with st.form("sign_in", border=True):
        st.text_input(t("auth_name", lang_), key="sign_in_name")
        st.text_input(t("auth_password", lang_), type="password", key="sign_in_password")
        st.form_submit_button(t("auth_sign_in", lang_), on_click=_submit_sign_in)
    first = data_dir() / first_admin.INITIAL_PASSWORD_FILE
    if first.exists():  # a fresh install: say where the one-time password is (never the password itself)
        st.caption(t("auth_first_admin", lang_, path=for_markdown(str(first))))
    refusal = st.session_state.get("sign_in_refusal")
    if refusal:  # the data layer's words: never which of name and password was wrong
        st.error(for_markdown(refusal))


def account_box(account: Account, lang_: str) -> None:
    """The sidebar's line naming who is signed in and as what, with the sign-out button."""
    st.caption(t("auth_signed_in_as", lang_, who=for_markdown(account.label), role=t(f"role_{account.role}", lang_)))
    _show_refusal()
    if st.button(t("auth_sign_out", lang_), key="sign_out"):
        sign_out()
        if sso_configured() and st.user.is_logged_in:
            st.logout()
        st.rerun()


def _submit_new_password() -> None:
    state, lang_ = st.session_state, lang()
    if (account := writer_for(Action.VIEW)) is None:  # any enabled account may set its own password
        return
    new, again = state.get("new_password", ""), state.get("new_password_again", "")
    state["new_password"] = state["new_password_again"] = ""
    if new != again:
        state["new_password_refusal"] = t("auth_passwords_differ", lang_)
        return
    try:
        accounts.set_password(engine(), account.name, new, by=account.name)
    except AccountRefused as exc:
        state["new_password_refusal"] = exc.text(lang_)
        return
    state.pop("new_password_refusal", None)
    first_admin.ensure_initial_admin(engine())  # removes the spent one-time password file


def change_password_form(account: Account, lang_: str) -> None:
    """The page a first sign-in (or an admin's reset) shows instead of the dashboard: choose a new password."""
    st.title(t("auth_change_title", lang_))
    st.info(t("auth_must_change", lang_, who=for_markdown(account.label)))
    with st.form("change_password"):
        st.text_input(t("auth_new_password", lang_), type="password", key="new_password")
        st.text_input(t("auth_new_password_again", lang_), type="password", key="new_password_again")
        st.form_submit_button(t("auth_change", lang_), on_click=_submit_new_password)
    refusal = st.session_state.get("new_password_refusal")
    if refusal:
        st.error(for_markdown(refusal))
