"""The UI's way to the data: cached engine, reference data and PNG exporter, cached reads, and the data version."""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from charts.export import PngExporter
from data_loaders import audit, store
from data_loaders.bootstrap import open_database
from data_loaders.catalog_store import catalog_of
from data_loaders.first_admin import ensure_initial_admin
from data_loaders.reports import gap_table, trend_tables
from data_loaders.settings import data_dir, database_url
from indicators.catalog import Catalog, load_catalog
from indicators.regions import RegionIndex, load_regions
from ui.faults import last_good, stamped

FALLBACK_PROVINCE = "420000"  # the sidebar's province while no province has data (the sample targets are Hubei's)
VERSION = "data_version"  # session state: the data version read at the start of this script run
_READS = {"show_spinner": False, "max_entries": 256}  # no ttl: the data version in each key says when to read again
log = logging.getLogger(__name__)


@st.cache_resource
def shipped() -> tuple[Catalog, RegionIndex]:
    """The catalog and regions shipped in sample_data/ (read once per process)."""
    return load_catalog(), load_regions()


@st.cache_resource(max_entries=8, show_spinner=False)
def _reference(version: int) -> tuple[Catalog, RegionIndex]:
    catalog, regions = shipped()
    return catalog_of(engine(), catalog), regions


def reference() -> tuple[Catalog, RegionIndex]:
    """The catalog with the indicators people added (as of this run's data version), and the regions."""
    version = st.session_state.get(VERSION)
    if version is None:
        return shipped()
    try:
        return _reference(version)
    except SQLAlchemyError as exc:  # down: the shipped catalog; begin_run has already said the database is down
        log.warning("indicators added to the catalog not read (%s)", type(exc).__name__)
        return shipped()


@st.cache_resource
def engine():
    catalog, regions = shipped()
    opened = open_database(database_url(), catalog, regions)
    # Once per process: on a first start with no admin, the one-time password is logged and written to a file.
    try:
        if ensure_initial_admin(opened) is not None:
            log.warning("sign in as admin with the password in %s", data_dir() / "initial_admin_password")
    except (SQLAlchemyError, OSError) as exc:  # a read-only database or data directory: reading goes on
        log.warning("no initial admin account created (%s: %s)", type(exc).__name__, exc)
    return opened


@st.cache_resource
def png_exporter() -> PngExporter:
    return PngExporter()


@last_good
@st.cache_data(**_READS)
@stamped
def _gaps(
    version: int, year: int, period: int, region_codes: tuple[str, ...] | None, indicator_codes: tuple[str, ...] | None
) -> pd.DataFrame:
    catalog, regions = reference()
    return gap_table(engine(), catalog, regions, year, period, region_codes, indicator_codes)


def cached_gaps(
    year: int, period: int, region_codes: tuple[str, ...] | None, indicator_codes: tuple[str, ...] | None
) -> pd.DataFrame:
    """The gap table, read once per data version."""
    return _gaps(data_version(), year, period, region_codes, indicator_codes)


@last_good
@st.cache_data(**_READS)
@stamped
def _trends(version: int, indicator_code: str, region_codes: tuple[str, ...], years: tuple[int, ...]):
    catalog, regions = reference()
    return trend_tables(engine(), catalog, regions, indicator_code, list(region_codes), list(years))


def cached_trends(indicator_code: str, region_codes: tuple[str, ...], years: tuple[int, ...]):
    """The trend tables (series, targets), read once per data version."""
    return _trends(data_version(), indicator_code, region_codes, years)


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
@st.cache_data(**_READS)
@stamped
def _years(version: int) -> list[int]:
    return store.available_years(engine()) or [fallback_period()[0]]


def cached_years() -> list[int]:
    return _years(data_version())


@last_good(caption=False)
@st.cache_data(**_READS)
@stamped
def _newest_period(version: int) -> tuple[int, int] | None:
    return store.newest_period(engine())


def cached_newest_period() -> tuple[int, int] | None:
    return _newest_period(data_version())


def provinces_with_data(year: int) -> list[str]:
    return _provinces_with_data(data_version(), year)


@last_good(caption=False)
@st.cache_data(**_READS)
@stamped
def _provinces_with_data(version: int, year: int) -> list[str]:
    """Provinces, in code order, holding a current observation of the year for themselves or a place inside them."""
    _, regions = reference()
    provinces = set()
    for code in store.load_observations(engine(), [year])["region_code"].unique():
        for place in (code, *regions.ancestors(code)):
            if place in regions and regions[place].level == "province":
                provinces.add(place)
                break
    return sorted(provinces)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_targets(version: int, year: int) -> pd.DataFrame:
    """The year's targets as the catalog page lists them, read once per data version."""
    from data_loaders.reports import target_table

    catalog, regions = reference()
    return target_table(engine(), catalog, regions, year=year)


_last_version = [0]  # the newest version this process read: kept while the database does not answer


def read_data_version() -> int:
    """Read the data version from the database (app.py, once per script run, and after a write of this session).

    It moves with every committed write on every replica (audit.data_version), so a cached read keyed on it is
    never another replica's stale copy; while the database is down the last version read stands and the reads
    fall back to their last good results.
    """
    try:
        _last_version[0] = audit.data_version(engine())
    except Exception as exc:  # down: begin_run has already said so; the cached results say how old they are
        log.warning("data version not read (%s): keeping %s", type(exc).__name__, _last_version[0])
    st.session_state[VERSION] = _last_version[0]
    return _last_version[0]


def data_version() -> int:
    """This script run's data version; part of the key of every cached read, figure and table."""
    version = st.session_state.get(VERSION)
    return read_data_version() if version is None else version


def clear_reads() -> None:
    """Call after every write: this replica drops what it read and the rest of the run sees the new version."""
    _gaps.clear()
    _trends.clear()
    _years.clear()
    _newest_period.clear()
    _provinces_with_data.clear()
    read_data_version()
