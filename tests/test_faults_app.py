"""The app's own message, never Streamlit's error box: on every page with the database unreachable, for a defect in
a page, and on the writes when the database is read-only."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import cli
from data_loaders.faults import MESSAGES, READ_ONLY, UNEXPECTED, UNREACHABLE

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ("pages/gaps.py", "pages/overview.py", "pages/trends.py", "pages/upload.py", "pages/catalog.py")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_on(url: str, monkeypatch):
    """An AppTest of app.py on the URL (the `app` fixture of conftest, for a URL of the test's own)."""
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


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def shows(at, kind: str) -> bool:
    zh, en = MESSAGES[kind]
    return any(zh in text and en in text for text in errors(at))


def test_every_page_says_the_database_is_unreachable(monkeypatch):
    at = app_on(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/dashboard", monkeypatch)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert shows(at, UNREACHABLE), (page, errors(at))
        assert errors(at)[0].startswith("数据库暂时无法连接：请稍后重试，或联系管理员检查数据库服务（DATABASE_URL）")


def test_a_defect_in_a_page_shows_the_apps_message(tmp_path, monkeypatch):
    import ui.views

    def broken(*args, **kwargs):
        raise RuntimeError("a defect in a chart builder")

    at = app_on(f"sqlite:///{tmp_path / 'app.db'}", monkeypatch)
    monkeypatch.setattr(ui.views, "gap_bar_figure", broken)  # where the gaps page's figure is built
    at.run()
    assert not at.exception, at.exception
    assert shows(at, UNEXPECTED), errors(at)
    assert at.title[0].value == "城市差距"  # what was drawn before the defect stays


@pytest.fixture
def read_only_url(tmp_path) -> str:
    """A database with the sample data, opened read-only (root writes through chmod; `mode=ro` stops it)."""
    from data_loaders import accounts
    from data_loaders.db import make_engine

    path = tmp_path / "ro.db"
    assert cli.main(["init", "--sample", "--db", f"sqlite:///{path}"]) == 0
    engine = make_engine(f"sqlite:///{path}")
    accounts.add_account(engine, "analyst", "analyst", ["420000"], password="correct horse battery", by="test")
    engine.dispose()
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def analyst_app(url: str, monkeypatch):
    """app_on(url) with the analyst of the read-only database signed in (writes are offered, then refused)."""
    at = app_on(url, monkeypatch)
    at.session_state["account_name"] = "analyst"
    return at


def test_rollback_on_a_read_only_database(read_only_url, monkeypatch):
    at = analyst_app(read_only_url, monkeypatch)
    at.run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception and not errors(at)
    at.button(key="rollback").click().run()
    at.button(key="rollback_go").click().run()
    assert not at.exception, at.exception
    assert shows(at, READ_ONLY), errors(at)
    assert not at.success


def test_target_retire_on_a_read_only_database(read_only_url, monkeypatch):
    at = analyst_app(read_only_url, monkeypatch)
    at.run()
    at.switch_page("pages/catalog.py").run()
    at.radio(key="w_target_action").set_value("retire").run()
    at.text_input(key="target_retire_note").set_value("replaced by the 2024 allocation table")
    at.checkbox(key="target_retire_confirm").check()
    at.button(key="target_retire_save").click().run()
    assert not at.exception, at.exception
    assert shows(at, READ_ONLY), errors(at)
