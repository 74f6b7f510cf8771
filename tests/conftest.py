"""Shared fixtures: real SQLite in tmp_path, and real PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from data_loaders.db import drop_schema, make_engine
from indicators.catalog import load_catalog
from indicators.regions import load_regions

PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def pytest_sessionstart(session):
    """A set TEST_DATABASE_URL that does not answer is a failure, never a skip."""
    if not PG_URL:
        return
    try:
        engine = make_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # pragma: no cover - exercised only when the server is down
        pytest.exit(f"TEST_DATABASE_URL is set but PostgreSQL is unreachable: {exc}", returncode=3)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def regions():
    return load_regions()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A URL to an empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL not set")
    engine = make_engine(PG_URL)
    drop_schema(engine)
    engine.dispose()
    yield PG_URL
    engine = make_engine(PG_URL)
    drop_schema(engine)
    engine.dispose()


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


def _snapshot(url: str) -> tuple[list, list]:
    """Every observation and upload-batch row of a database, all columns, in id order."""
    from sqlalchemy import select

    from data_loaders.db import Observation, UploadBatch, make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            obs = conn.execute(select(Observation.__table__).order_by(Observation.id)).all()
            batches = conn.execute(select(UploadBatch.__table__).order_by(UploadBatch.id)).all()
        return [dict(r._mapping) for r in obs], [dict(r._mapping) for r in batches]
    finally:
        engine.dispose()


@pytest.fixture
def snapshot():
    """snapshot(url) → the database's observations and batches, to show that a refused import changed nothing."""
    return _snapshot


APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app(db_url, monkeypatch, tmp_path):
    """An AppTest of app.py on a fresh database (SQLite, and PostgreSQL when configured), nobody signed in."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("ENV_DASHBOARD_DATA_DIR", str(tmp_path))  # the one-time admin password file goes there
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


PASSWORD = "correct horse battery"  # long enough for ENV_DASHBOARD_MIN_PASSWORD
ROLE_REGIONS = {"viewer": (), "submitter": ("420100",), "analyst": ("420000",), "admin": ()}  # Wuhan; Hubei


@pytest.fixture
def add_account(db_url, catalog, regions):
    """add_account(name, role, regions=None) → the account, in the app's database (created with the sample data
    first, as the app's first start would); its password is PASSWORD."""
    from data_loaders import accounts
    from data_loaders.bootstrap import open_database

    def add(name: str, role: str, codes: tuple[str, ...] | None = None, **kwargs):
        eng = open_database(db_url, catalog, regions)
        try:
            codes = ROLE_REGIONS[role] if codes is None else codes
            return accounts.add_account(eng, name, role, codes, password=PASSWORD, by="test", **kwargs)
        finally:
            eng.dispose()

    return add


@pytest.fixture
def sign_in_as(app, add_account):
    """sign_in_as(role) → the account: an account of that role signed in on the AppTest session."""
    from ui.auth import SIGNED_IN

    def sign(role: str, name: str | None = None, codes: tuple[str, ...] | None = None):
        account = add_account(name or role, role, codes)
        app.session_state[SIGNED_IN] = account.name
        return account

    return sign


@pytest.fixture
def analyst(sign_in_as):
    """The AppTest session signed in as an analyst of Hubei: commits, rollbacks and target writes are allowed."""
    return sign_in_as("analyst")
