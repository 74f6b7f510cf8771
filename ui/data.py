"""The UI's way to the data: cached engine, reference data and PNG exporter, cached reads, and the data version."""

from __future__ import annotations

import itertools
import time
from datetime import date

import pandas as pd
import streamlit as st

from charts.export import PngExporter
from data_loaders import store
from data_loaders.bootstrap import open_database
from data_loaders.reports import gap_table, trend_tables
from data_loaders.settings import database_url
from indicators.catalog import Catalog, load_catalog
from indicators.regions import RegionIndex, load_regions
from ui.faults import last_good, stamped

FALLBACK_PROVINCE = "420000"  # the sidebar's province while no province has data (the sample targets are Hubei's)


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


def fallback_period() -> tuple[int, int]:
    """The year and period shown while nothing has been imported: last year, whole year."""
    return date.today().year - 1, 12


@last_good(caption=False)  # the sidebar's years: the charts' captions say how old the data is
@st.cache_data(ttl=600, show_spinner=False)
@stamped
def cached_years() -> list[int]:
    return store.available_years(engine()) or [fallback_period()[0]]


@last_good(caption=False)
@st.cache_data(ttl=600, show_spinner=False)
@stamped
def cached_newest_period() -> tuple[int, int] | None:
    return store.newest_period(engine())


@last_good(caption=False)
@st.cache_data(ttl=600, show_spinner=False)
@stamped
def provinces_with_data(year: int) -> list[str]:
    """Provinces, in code order, holding a current observation of the year for themselves or a place inside them."""
    _, regions = reference()
    provinces = set()
    for code in store.load_observations(engine(), [year])["region_code"].unique():
        for place in (code, *regions.ancestors(code)):
            if place in regions and regions[place].level == "province":
                provinces.add(place)
                break
    return sorted(provinces)


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
    cached_newest_period.clear()
    provinces_with_data.clear()
    _data_version = next(_writes)
