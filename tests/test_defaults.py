"""The sidebar's defaults follow the data: the newest year and period holding a current value, the first province
with data in that year; last year, whole year and Hubei on an empty database. Real SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from data_loaders import store
from data_loaders.bootstrap import init_database

APP = str(Path(__file__).resolve().parent.parent / "app.py")
NANJING, WUHAN = "320100", "420100"


def tidy(rows: list[tuple[str, int, int, float]]) -> pd.DataFrame:
    """pm25 values as an import writes them: (region_code, year, period, value)."""
    df = pd.DataFrame(rows, columns=["region_code", "year", "period", "value"])
    df.insert(1, "indicator_code", "pm25")
    df["numerator"] = float("nan")
    df["denominator"] = float("nan")
    df["note"] = ""
    return df


@pytest.fixture
def empty(engine, catalog, regions):
    """Schema, regions, catalog and seed targets; no observations."""
    init_database(engine, catalog, regions, sample=False)
    return engine


def commit(engine, rows, name: str) -> int:
    return store.commit_upload(engine, tidy(rows), name, name, uploaded_by="test").batch_id


def test_newest_period_of_an_empty_database_is_none(empty):
    assert store.newest_period(empty) is None


def test_newest_period_is_the_latest_year_then_its_latest_period(empty):
    commit(empty, [(WUHAN, 2023, 12, 40.0), (WUHAN, 2024, 3, 41.0)], "a.xlsx")
    assert store.newest_period(empty) == (2024, 3)
    commit(empty, [(NANJING, 2024, 9, 30.0), (NANJING, 2024, 6, 31.0)], "b.xlsx")
    assert store.newest_period(empty) == (2024, 9)


def test_a_rolled_back_batch_is_not_data(empty):
    commit(empty, [(WUHAN, 2024, 6, 41.0)], "a.xlsx")
    later = commit(empty, [(WUHAN, 2025, 3, 38.0)], "b.xlsx")
    assert store.newest_period(empty) == (2025, 3)
    store.rollback_batch(empty, later)
    assert store.newest_period(empty) == (2024, 6)


def app_on(url: str, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture(autouse=True)
def _fresh_caches():
    yield
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()


def test_the_sidebar_opens_on_the_newest_period_and_a_province_with_data(empty, db_url, monkeypatch):
    commit(empty, [(WUHAN, 2024, 12, 40.0), (NANJING, 2025, 3, 30.0), (NANJING, 2025, 6, 31.0)], "a.xlsx")
    at = app_on(db_url, monkeypatch).run()
    assert not at.exception, at.exception
    assert (at.session_state["year"], at.session_state["period"]) == (2025, 6)
    assert at.session_state["province"] == "320000"  # Hubei has no 2025 values: Jiangsu, not a fixed 420000
    assert at.selectbox(key="w_year").value == 2025
    assert at.selectbox(key="w_period").value == 6
    assert at.selectbox(key="w_province").value == "320000"


def test_a_choice_made_in_the_session_stays(empty, db_url, monkeypatch):
    commit(empty, [(WUHAN, 2024, 12, 40.0), (NANJING, 2025, 6, 31.0)], "a.xlsx")
    at = app_on(db_url, monkeypatch).run()
    at.selectbox(key="w_year").set_value(2024).run()
    at.selectbox(key="w_province").set_value("420000").run()
    assert not at.exception, at.exception
    assert (at.session_state["year"], at.session_state["province"]) == (2024, "420000")


def test_an_empty_database_opens_on_last_year_whole_year(empty, db_url, monkeypatch):
    at = app_on(db_url, monkeypatch).run()
    assert not at.exception, at.exception
    assert at.session_state["period"] == 12
    assert at.session_state["province"] == "420000"
    last_year = date.today().year - 1
    years = at.selectbox(key="w_year").options
    # the year list holds the seed targets' years; last year is chosen when it is one of them
    assert at.session_state["year"] == (last_year if str(last_year) in years else int(years[0]))
