"""Streamlit entry: page config, navigation over explicit pages, the shared sidebar."""

import streamlit as st

from indicators.i18n import t
from pages.common import LANG, PERIOD, PROVINCE, YEAR, cached_years, init_state, lang, period_options, reference

st.set_page_config(page_title="生态环境目标差距看板", page_icon="🌿", layout="wide")
init_state()

try:
    years = cached_years()
except Exception:  # database unreachable or misconfigured: a sentence, never a stack trace
    st.error(t("db_error", lang()))
    st.stop()
if st.session_state[YEAR] not in years:
    st.session_state[YEAR] = years[0]

with st.sidebar:
    st.radio(t("sidebar_lang", lang()), options=["zh", "en"], key=LANG, horizontal=True,
             format_func=lambda x: "中文" if x == "zh" else "English")
    current = lang()
    st.selectbox(t("sidebar_year", current), options=years, key=YEAR)
    options = period_options(current)
    st.selectbox(t("sidebar_period", current), options=list(options), key=PERIOD, format_func=options.get)
    _, regions = reference()
    provinces = {r.code: r.name for r in regions if r.level == "province"}
    st.selectbox(t("sidebar_province", current), options=list(provinces), key=PROVINCE, format_func=provinces.get)

pages = [st.Page("pages/gaps.py", title=t("page_gaps", lang()), icon="📊", default=True)]
st.navigation(pages).run()
