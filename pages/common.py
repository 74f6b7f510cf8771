"""The UI edge shared by all pages: cached engine, reference data, sidebar state, exports."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import pandas as pd
import streamlit as st

from charts.export import PngExporter
from data_loaders import store
from data_loaders.bootstrap import open_database
from data_loaders.reports import gap_table, trend_tables
from data_loaders.settings import database_url, setting
from indicators.catalog import Catalog, load_catalog
from indicators.periods import period_label
from indicators.regions import RegionIndex, load_regions
from ui.faults import last_good, stamped


def _leave_legacy_pages_mode() -> None:
    """Streamlit still knows its old multipage mode: when a server's first visitor opens a page address
    (…/trends), it runs pages/trends.py on its own, without app.py, its sidebar or its session defaults.
    Switch that mode off and start the run again through app.py, which routes to the same page."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_legacy_pages_mode()

# Session-state keys, initialised in one place (init_state).
LANG = "lang"
YEAR = "year"
PERIOD = "period"
PROVINCE = "province"
PERIODS = (3, 6, 9, 12)


@st.cache_resource
def reference() -> tuple[Catalog, RegionIndex]:
    return load_catalog(), load_regions()


@st.cache_resource
def engine():
    catalog, regions = reference()
    return open_database(database_url(), catalog, regions)


@st.cache_resource
def png_exporter() -> PngExporter:
    return PngExporter()


@last_good
@st.cache_data(ttl=600, show_spinner=False)
@stamped
def cached_gaps(
    year: int, period: int, region_codes: tuple[str, ...] | None, indicator_codes: tuple[str, ...] | None
) -> pd.DataFrame:
    catalog, regions = reference()
    return gap_table(engine(), catalog, regions, year, period, region_codes, indicator_codes)


@last_good
@st.cache_data(ttl=600, show_spinner=False)
@stamped
def cached_trends(indicator_code: str, region_codes: tuple[str, ...], years: tuple[int, ...]):
    catalog, regions = reference()
    return trend_tables(engine(), catalog, regions, indicator_code, list(region_codes), list(years))


def in_language(df: pd.DataFrame, lang_: str) -> pd.DataFrame:
    """The table with region and indicator names in the interface language beside its codes."""
    from data_loaders.reports import with_names

    catalog, regions = reference()
    return with_names(df, catalog, regions, lang_)


def gaps_in(lang_: str, *args) -> pd.DataFrame:
    """cached_gaps(*args) with region names in the interface language."""
    return in_language(cached_gaps(*args), lang_)


@last_good(caption=False)  # the sidebar's years: the charts' captions say how old the data is
@st.cache_data(ttl=600, show_spinner=False)
@stamped
def cached_years() -> list[int]:
    return store.available_years(engine()) or [2024]


# Bumped by every write: figures and tables cached by their inputs carry it in their key (ui/views.py). Starting
# from the clock, a fresh process (or a reloaded module) never meets an entry filed under an older count.
_writes = itertools.count(time.time_ns())
_data_version = next(_writes)


@st.cache_data(ttl=600, show_spinner=False, max_entries=64)
def cached_targets(version: int, year: int) -> pd.DataFrame:
    """The year's targets as the catalog page lists them, read once per data version."""
    from data_loaders.reports import target_table

    catalog, regions = reference()
    return target_table(engine(), catalog, regions, year=year)


def data_version() -> int:
    """The number of the latest write seen by this server; part of the key of every cached figure and table."""
    return _data_version


def clear_reads() -> None:
    """Call after every write so pages show the new values."""
    global _data_version
    cached_gaps.clear()
    cached_trends.clear()
    cached_years.clear()
    _data_version = next(_writes)


def init_state() -> None:
    defaults = {LANG: setting("ENV_DASHBOARD_LANG") or "zh", YEAR: 2024, PERIOD: 12, PROVINCE: "420000"}
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)


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


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chart_downloads(
    fig,
    data: pd.DataFrame | bytes,
    stem: str,
    lang_: str,
    key: str,
    width: int = 1000,
    xlsx: Callable[[], bytes] | None = None,
) -> None:
    """The chart's data as CSV (a frame, or its csv_bytes already built), its PNG and, when given, an Excel
    report, side by side.

    PNG and Excel are built only on click; no download reruns the page.
    """
    from charts.export import csv_bytes
    from ui.wording import t

    columns = st.columns(3 if xlsx is not None else 2)
    columns[0].download_button(
        t("download_csv", lang_),
        data if isinstance(data, bytes) else csv_bytes(data),
        f"{stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    exporter = png_exporter()
    if exporter.available:
        columns[1].download_button(
            t("download_png", lang_),
            lambda: exporter.to_png(fig, width=width),
            f"{stem}.png",
            "image/png",
            key=f"{key}_png",
            on_click="ignore",
        )
    else:
        columns[1].info(t("png_unavailable", lang_))
    if xlsx is not None:
        columns[2].download_button(
            t("download_xlsx", lang_), xlsx, f"{stem}.xlsx", XLSX_MIME, key=f"{key}_xlsx", on_click="ignore"
        )


def lang() -> str:
    return st.session_state.get(LANG, "zh")


def period_options(lang_: str) -> dict[int, str]:
    return {p: period_label(p, lang_) for p in PERIODS}


# Share of the bar each import stage fills: reading the sheets, checking the values, writing them.
_STAGES = {"read": (0.0, 0.5), "validated": (0.5, 0.6), "written": (0.6, 1.0)}


def progress_reporter(lang_: str):
    """An import progress callback drawing one st.progress bar: (stage, done, total) as data_loaders report it."""
    from ui.wording import t

    bar = st.progress(0.0)

    def report(stage: str, done: int, total: int) -> None:
        start, end = _STAGES.get(stage, (0.0, 1.0))
        share = done / total if total else 1.0
        bar.progress(
            min(1.0, start + (end - start) * share), text=t(f"progress_{stage}", lang_, done=done, total=total)
        )

    return report
