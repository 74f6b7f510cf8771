"""The sidebar's session state: its keys, their defaults (set in one place), and widgets bound to them."""

from __future__ import annotations

import streamlit as st

from data_loaders.settings import setting
from indicators.periods import period_label
from ui.data import FALLBACK_PROVINCE, cached_newest_period, fallback_period, provinces_with_data

# Session-state keys, initialised in one place (init_state).
LANG = "lang"
YEAR = "year"
PERIOD = "period"
PROVINCE = "province"
PERIODS = (3, 6, 9, 12)


def init_state() -> None:
    """Set the sidebar's defaults a session lacks: the newest year and period with data, and the first province
    holding data in that year (last year, whole year and Hubei while nothing has been imported)."""
    state = st.session_state
    state.setdefault(LANG, setting("ENV_DASHBOARD_LANG") or "zh")
    if YEAR in state and PERIOD in state and PROVINCE in state:
        return  # every later run of the session: no reads
    newest = cached_newest_period()
    year, period = newest or fallback_period()
    state.setdefault(YEAR, year)
    state.setdefault(PERIOD, period)
    if PROVINCE not in state:
        provinces = provinces_with_data(year) if newest else []
        state[PROVINCE] = provinces[0] if provinces else FALLBACK_PROVINCE


def lang() -> str:
    return st.session_state.get(LANG, "zh")


def period_options(lang_: str) -> dict[int, str]:
    return {p: period_label(p, lang_) for p in PERIODS}


def bound_select(widget, label: str, options: list, state_key: str, format_func=str, **kwargs):
    """A selectbox/radio whose value lives in session_state[state_key] and survives a language switch.

    Streamlit recreates a widget whose label or format changes (it does when the language changes) and
    would reset it to its first option; the widget therefore gets its own key and its value is copied
    back and forth from the canonical key.
    """
    widget_key = f"w_{state_key}"
    if st.session_state.get(state_key) not in options:
        st.session_state[state_key] = options[0]
    st.session_state[widget_key] = st.session_state[state_key]

    def sync() -> None:
        st.session_state[state_key] = st.session_state[widget_key]

    return widget(label, options, key=widget_key, format_func=format_func, on_change=sync, **kwargs)
