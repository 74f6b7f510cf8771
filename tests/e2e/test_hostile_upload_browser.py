"""A hostile workbook uploaded in a real browser: the person reads why it was refused, and the server lives on."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from tests.e2e.conftest import open_upload_page, running_app

BOMB = Path(__file__).resolve().parents[1] / "fixtures" / "bad" / "sparse_bomb.xlsx"
FILE_INPUT = '[data-testid="stFileUploader"] input[type="file"]'


def _upload_bomb_and_check_the_server_lives(page, url: str, words_zh: str, words_en: str) -> None:
    open_upload_page(page, url)
    page.locator(FILE_INPUT).set_input_files(str(BOMB))
    page.locator('[data-testid="stAlert"]').filter(has_text=words_zh).wait_for(timeout=60_000)
    # The page speaks one language at a time: switched to English, the same upload is refused in English.
    page.locator('[data-testid="stRadio"] label').filter(has_text="English").click()
    page.locator('[data-testid="stAlert"]').filter(has_text=words_en).wait_for(timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert urllib.request.urlopen(f"{url}/_stcore/health", timeout=5).read() == b"ok"
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("heading", name="Overview", exact=True).wait_for(timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_sparse_bomb_is_refused_by_its_size_and_the_server_keeps_running(page, app_url):
    _upload_bomb_and_check_the_server_lives(
        page,
        app_url,
        "工作表“Sheet1”的数据区域为200,000行×16,384列",
        "Sheet 'Sheet1' spans 200,000 rows × 16,384 columns",
    )


def test_with_the_size_checks_lifted_only_the_parsing_child_dies(page, tmp_path, monkeypatch):
    """calamine itself gets the sheet and aborts on the allocation: in the child, under its memory limit."""
    monkeypatch.setenv("ENV_DASHBOARD_MAX_COLUMNS", "20000")
    monkeypatch.setenv("ENV_DASHBOARD_MAX_CELLS", str(10**12))
    monkeypatch.setenv("ENV_DASHBOARD_PARSE_MEMORY_MB", "1024")
    with running_app(tmp_path) as url:
        _upload_bomb_and_check_the_server_lives(
            page, url, "读取工作簿时超出内存或时间上限", "over the memory or time limit"
        )
