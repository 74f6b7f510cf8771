"""Streamlit entry: page config, navigation over explicit pages, the shared sidebar."""

import streamlit as st

from data_loaders.settings import configure_logging, public_read
from indicators.access import Action, can_read
from ui.auth import account_box, allowed, change_password_form, resolve_account, sign_in_form
from ui.data import cached_years, engine, read_data_version, reference
from ui.faults import begin_run, guarded
from ui.navigation import run_page, sidebar_links
from ui.state import LANG, PERIOD, PROVINCE, YEAR, bound_select, init_state, lang, period_options
from ui.wording import LANGUAGE_NAMES, t


def main() -> None:
    configure_logging()
    st.set_page_config(page_title=t("app_title"), page_icon="🌿", layout="wide")

    begin_run(engine)  # is the database there? Charts served from cache then say how old they are
    with guarded("checking who is signed in"):
        account = resolve_account()  # re-read every run: a disable or a role change applies at once
    if not can_read(account, public_read()):  # reading needs an account: only the sign-in form
        with st.sidebar:
            sign_in_form(lang())
        st.title(t("app_title", lang()))
        st.info(t("auth_required", lang()))
        st.stop()
    if account is not None and account.must_change_password:
        change_password_form(account, lang())
        st.stop()
    with guarded("reading the years"):
        read_data_version()  # once per run, from the database: another replica's write is seen at this rerun  # database unreachable or misconfigured: the app's message, never a stack trace
        years = cached_years()
        init_state()  # the defaults follow the data: newest year and period, first province with data

    pages = [
        st.Page("pages/gaps.py", title=t("page_gaps", lang()), icon=":material/bar_chart:", default=True),
        st.Page("pages/overview.py", title=t("page_overview", lang()), icon=":material/grid_view:"),
        st.Page("pages/trends.py", title=t("page_trends", lang()), icon=":material/show_chart:"),
        st.Page("pages/map.py", title=t("page_map", lang()), icon=":material/map:"),
        st.Page("pages/briefing.py", title=t("page_briefing", lang()), icon=":material/description:"),
    ]
    if allowed(Action.UPLOAD):  # the navigation offers only what the role may use
        pages.append(st.Page("pages/upload.py", title=t("page_upload", lang()), icon=":material/upload_file:"))
    pages.append(st.Page("pages/catalog.py", title=t("page_catalog", lang()), icon=":material/menu_book:"))
    if allowed(Action.TARGET_WRITE):  # 指标与目标 → 从工作要点起草
        pages.append(st.Page("pages/drafting.py", title=t("page_drafting", lang()), icon=":material/auto_awesome:"))
    if allowed(Action.VIEW_AUDIT):
        title = t("page_accounts" if allowed(Action.ACCOUNT_ADMIN) else "page_audit", lang())
        pages.append(st.Page("pages/accounts.py", title=title, icon=":material/manage_accounts:"))
    page = st.navigation(pages, position="hidden")  # the sidebar lists the pages itself (ui/navigation.py)

    with st.sidebar:
        if account is None:
            sign_in_form(lang())
        else:
            account_box(account, lang())
        sidebar_links(pages)
        bound_select(st.radio, "语言 Language", list(LANGUAGE_NAMES), LANG, LANGUAGE_NAMES.get, horizontal=True)
        current = lang()
        bound_select(st.selectbox, t("sidebar_year", current), years, YEAR)
        options = period_options(current)
        bound_select(st.selectbox, t("sidebar_period", current), list(options), PERIOD, options.get)
        _, regions = reference()
        provinces = {
            r.code: t("province_option", current, name=r.full_name(current)) for r in regions if r.level == "province"
        }
        bound_select(st.selectbox, t("sidebar_province", current), list(provinces), PROVINCE, provinces.get)

    with guarded(f"drawing the page {page.url_path or 'gaps'}"):  # any exception: the app's message, never Streamlit's
        run_page(page)


# Not when a child process of multiprocessing imports this script by path as __mp_main__ (the parser's sandbox,
# data_loaders/sandbox.py): it would run the whole app, reading the database, before parsing.
if __name__ == "__main__":
    main()
