"""The mapping step in a real browser: a city's table with a column that matches no indicator → the person maps it →
commit → next quarter's file from the same city imports with no question asked."""

from __future__ import annotations

import re

from tests.e2e.conftest import open_upload_page
from tests.workbooks import book_bytes

HEADER = "扣除沙尘优良天数比率(%)"
COMMITTED = re.compile(r"已提交批次 (\d+)：")  # ui/wording_text.py "committed"


def xiaogan(tmp_path, name: str, period: str, good: float):
    path = tmp_path / name
    rows = [[f"2024年{period}孝感市环境空气质量"], ["地区", "PM2.5浓度(μg/m³)", HEADER], ["孝感", 41, good]]
    path.write_bytes(book_bytes({"表1": rows}))
    return path


def committed_batch(page) -> int:
    """The batch number the page reports after a commit: whatever the tests before this one imported on the shared
    server, the number is read, not assumed."""
    message = page.get_by_text(COMMITTED).first
    message.wait_for(timeout=30_000)
    return int(COMMITTED.search(message.inner_text()).group(1))


def test_map_a_column_once_and_the_next_quarter_asks_nothing(page, app_url, artifacts, tmp_path):
    open_upload_page(page, app_url)
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    uploader.set_input_files(str(xiaogan(tmp_path, "q1.xlsx", "1-3月", 77.7)))
    page.get_by_text("未能对应到指标的列").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="确认提交").count() == 0
    page.locator('[data-testid="stSelectbox"]').filter(has_text=HEADER).locator("input").click()
    page.get_by_role("option", name="空气质量优良天数比率 (good_air_ratio)").click()
    page.screenshot(path=str(artifacts / "upload_mapping.png"), full_page=True)
    page.get_by_role("button", name="确认对应关系").click()
    page.get_by_role("button", name="确认提交").wait_for(timeout=30_000)
    page.get_by_role("button", name="确认提交").click()
    first = committed_batch(page)

    open_upload_page(page, app_url)  # next quarter: a new visit
    uploader.set_input_files(str(xiaogan(tmp_path, "q2.xlsx", "1-6月", 79.1)))
    page.get_by_text("按确认的对应关系").first.wait_for(state="attached", timeout=30_000)  # said, not asked
    assert page.get_by_text("未能对应到指标的列").count() == 0
    page.get_by_role("button", name="确认提交").click()
    assert committed_batch(page) > first  # a new batch: the file was imported, not found already imported
    page.screenshot(path=str(artifacts / "upload_second_quarter.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
