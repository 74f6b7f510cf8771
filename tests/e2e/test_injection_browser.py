"""Stored and uploaded text is shown as text: an issuer typed as an HTML link, a sheet name and cells written as
Markdown links and images make no link and load no image — not in messages, labels, nor in the plotly SVG."""

from __future__ import annotations

import io
import zipfile

import pytest

from data_loaders import store
from data_loaders.bootstrap import init_database
from data_loaders.db import make_engine
from indicators.catalog import load_catalog
from indicators.regions import load_regions
from indicators.targets import Target
from tests.e2e.conftest import open_upload_page, running_app, wait_for_app
from tests.workbooks import book_bytes

ISSUER = '<a href="http://evil.example">点我</a>'
LINK = "[点我](http://evil.example)"
IMAGE = "![x](http://evil.example/x.png)"


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """The app on a database whose Wuhan target (stricter, so in force and named on the chart) has ISSUER."""
    data_dir = tmp_path_factory.mktemp("e2e-injection")
    engine = make_engine(f"sqlite:///{data_dir / 'e2e.db'}")
    init_database(engine, load_catalog(), load_regions(), sample=True)
    target = Target(
        "rural_sewage_rate",
        "420100",
        2024,
        ">=",
        58.0,
        issuer_code="420000",
        issuer_name=ISSUER,
        source_file=LINK,
        source_clause=IMAGE,
    )
    store.add_targets(engine, [target])
    engine.dispose()
    with running_app(data_dir) as url:
        yield url


def _no_outside_link_or_image(page) -> None:
    """Nothing on the page, HTML or SVG, links to or loads from evil.example."""
    found = page.evaluate(
        """() => [...document.querySelectorAll('*')].filter(e =>
            ['href', 'src', 'xlink:href', 'srcset', 'style'].some(a => (e.getAttribute(a) || '').includes('evil.example'))
            || (e.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '').includes('evil.example')
        ).map(e => e.outerHTML.slice(0, 200))"""
    )
    assert found == []
    assert page.locator('a[href*="evil.example"]').count() == 0
    assert page.locator('img[src*="evil.example"]').count() == 0
    assert page.locator('[data-testid="stPlotlyChart"] svg a').count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0


def test_gaps_page_shows_the_issuer_as_text(page, hostile_app, artifacts):
    page.goto(hostile_app)
    wait_for_app(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    assert ISSUER in chart.inner_text()  # the source note names the issuer as it was typed
    _no_outside_link_or_image(page)
    page.locator('[data-testid="stRadio"] label').filter(has_text="实际值").click()  # the other chart
    page.wait_for_timeout(1000)
    wait_for_app(page)
    assert ISSUER in page.locator('[data-testid="stPlotlyChart"]').first.inner_text()
    _no_outside_link_or_image(page)
    page.screenshot(path=str(artifacts / "injection_gaps.png"), full_page=True)


def _renamed_sheet(data: bytes, old: str, new: str) -> bytes:
    """Excel refuses [ ] / : in a sheet name; a crafted file has them anyway."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = body.replace(f'name="{old}"'.encode(), f'name="{new}"'.encode())
            dst.writestr(item, body)
    return out.getvalue()


def test_upload_page_shows_sheet_header_and_region_as_text(page, hostile_app, artifacts, tmp_path):
    rows = [["2024年1-3月孝感市环境空气质量"], ["地区", "PM2.5浓度(μg/m³)", IMAGE], ["孝感", 41, 77.7], [LINK, 40, 70]]
    path = tmp_path / "q1.xlsx"
    path.write_bytes(_renamed_sheet(book_bytes({"表1": rows}), "表1", LINK))
    open_upload_page(page, hostile_app)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    page.get_by_text("未能对应到指标的列").wait_for(timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    label = page.locator('[data-testid="stSelectbox"]').filter(has_text="对应").first.inner_text()
    label = label.replace("\u200b", "")  # the zero-width space that keeps GFM from linking a bare http://
    assert LINK in label and IMAGE in label  # the mapping step names sheet and header as they are written
    _no_outside_link_or_image(page)
    page.get_by_role("button", name="确认对应关系").click()  # nothing chosen: the warning, still no link
    page.get_by_text("请为每一列选择指标").wait_for(timeout=30_000)
    _no_outside_link_or_image(page)
    page.screenshot(path=str(artifacts / "injection_upload.png"), full_page=True)
