"""A real `streamlit run app.py` on a free local port against a fresh database, driven by the system Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The accounts every test server has besides the first admin: name → (role, regions). Password: PASSWORD.
ACCOUNTS = {"analyst": ("analyst", ("420000",)), "wuhan": ("submitter", ("420100",))}


def seed_accounts(url: str) -> None:
    """The database filled as a first start would (sample data), with ACCOUNTS added when missing."""
    from data_loaders import accounts
    from data_loaders.bootstrap import open_database

    engine = open_database(url)
    try:
        for name, (role, regions) in ACCOUNTS.items():
            if accounts.get_account(engine, name) is None:
                accounts.add_account(engine, name, role, regions, password=PASSWORD, by="test")
    finally:
        engine.dispose()


@contextlib.contextmanager
def running_app(data_dir: Path, database_url: str | None = None):
    """`streamlit run app.py` on a free port with its own SQLite database (or `database_url`), holding ACCOUNTS;
    yields the base URL."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install chromium (bash dev.sh test does this as root)")
    port = _free_port()
    url_db = database_url or f"sqlite:///{data_dir / 'e2e.db'}"
    seed_accounts(url_db)
    env = {**os.environ, "DATABASE_URL": url_db, "ENV_DASHBOARD_DATA_DIR": str(data_dir)}
    log = open(data_dir / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("streamlit did not answer on /_stcore/health within 60 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("e2e-data")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN")
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def wait_for_app(page) -> None:
    """Wait until the script has finished running and a chart is drawn (two minutes: the first visit of a cold
    server on a busy two-core machine opens the database and imports pandas, plotly and the readers)."""
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=120_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)


def sign_in(page, url: str, name: str, password: str = PASSWORD) -> None:
    """Open the app (a new session) and sign in through the sidebar form; later steps must follow links, since
    reloading the page starts a new session."""
    page.goto(url)
    wait_for_app(page)
    submit_sign_in(page, name, password)
    page.locator('[data-testid="stSidebar"]').get_by_text("已登录").wait_for(timeout=30_000)


def submit_sign_in(page, name: str, password: str) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_label("账户名", exact=True).fill(name)
    sidebar.get_by_label("密码", exact=True).fill(password)
    sidebar.get_by_role("button", name="登录", exact=True).click()


def open_upload_page(page, url: str, name: str = "analyst") -> None:
    """Signed in as `name`, on the upload page."""
    sign_in(page, url, name)
    page.get_by_role("link", name="数据上传").click()
    page.get_by_role("heading", name="数据上传", exact=True).wait_for(timeout=30_000)


__all__ = ["wait_for_app", "shutil"]
