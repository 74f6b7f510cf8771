"""Two `streamlit run` servers on one PostgreSQL database, as behind the reverse proxy (README: Deployment): a value
imported through server A appears on server B at its next rerun, though B had the old value in its caches."""

from __future__ import annotations

import openpyxl
import pytest

from data_loaders.db import drop_schema, make_engine
from tests.conftest import PG_URL
from tests.e2e.conftest import open_upload_page, running_app, wait_for_app

pytestmark = pytest.mark.postgres

CHART = '[data-testid="stPlotlyChart"]'


def _workbook(path, value: float):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["地区", "年份", "期间", "指标", "数值"])
    ws.append(["神农架", 2024, "全年", "农村生活污水治理率", value])
    wb.save(path)
    return path


@pytest.fixture
def two_servers(tmp_path):
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL not set: two replicas need one PostgreSQL database")
    engine = make_engine(PG_URL)  # unreachable when set: tests/conftest.py fails the session, never skips
    drop_schema(engine)
    engine.dispose()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with running_app(tmp_path / "a", PG_URL) as a, running_app(tmp_path / "b", PG_URL) as b:
        yield a, b
    engine = make_engine(PG_URL)
    drop_schema(engine)
    engine.dispose()


def test_a_value_imported_through_one_server_appears_on_the_other(browser, two_servers, tmp_path, artifacts):
    a, b = two_servers
    reader = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
    reader.goto(b)
    wait_for_app(reader)
    before = reader.locator(CHART).first.inner_text()
    assert "神农架" in before and "0.67" not in before  # 37.64 against 46.58 in the sample data

    writer = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
    open_upload_page(writer, a, "analyst")
    writer.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        str(_workbook(tmp_path / "shennongjia.xlsx", 47.25))
    )
    writer.get_by_role("button", name="确认提交").click()
    writer.get_by_text("已提交批次").wait_for(timeout=30_000)

    # B's next rerun (another page and back, in the same session): its cached reads are keyed on the data version
    # it reads from the database, so it reads again.
    reader.get_by_role("link", name="总览").click()
    reader.get_by_role("heading", name="总览", exact=True).wait_for(timeout=30_000)
    reader.get_by_role("link", name="城市差距").click()
    wait_for_app(reader)
    reader.locator(CHART).first.filter(has_text="0.67").wait_for(timeout=30_000)  # 47.25 − 46.58: met now
    reader.screenshot(path=str(artifacts / "two_servers_b_after_a.png"), full_page=True)
    assert reader.locator('[data-testid="stException"]').count() == 0
    reader.context.close()
    writer.context.close()
