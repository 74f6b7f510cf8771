"""The map and briefing pages in a real browser: Hubei's 17 and Hunan's 14 units drawn, the exported PNG shows
them, an English map, and the briefing downloads as a Word document."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from tests.e2e.conftest import REPO, wait_for_app
from tests.png_colours import LEGEND_SWATCH_PX, colour_areas

README_SCREENSHOTS = REPO / "docs" / "screenshots"  # refreshed only when UPDATE_SCREENSHOTS=1
SCREENSHOT_BYTES = 300_000
# The plotly figure of the page's chart as the browser holds it: the region code of every filled unit path.
UNIT_METAS = """() => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  return gd && gd.data ? gd.data.filter(t => t.meta).map(t => t.meta) : [];
}"""


@pytest.fixture
def screenshots(artifacts) -> Path:
    """Where the screenshots go: the test artifacts, or the README's docs/screenshots/ when UPDATE_SCREENSHOTS=1
    asks for them to be refreshed (a plain test run leaves the tracked files alone)."""
    return README_SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else artifacts


def _settled(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def _open(page, name: str) -> None:
    page.get_by_role("link", name=name).click()
    page.get_by_role("heading", name=name, exact=True).wait_for(timeout=30_000)
    _settled(page)


def _units_drawn(page, n: int) -> list[str]:
    page.wait_for_function(f"() => ({UNIT_METAS})().length === {n}", timeout=120_000)  # a busy machine
    return page.evaluate(UNIT_METAS)


def _screenshot(page, path: Path) -> None:
    """A viewport screenshot from the page's title, reduced to a palette PNG under 300 KB for the README."""
    page.locator("h1").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)
    img = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    img = img.resize((img.width * 3 // 4, img.height * 3 // 4), Image.LANCZOS).quantize(colors=96)
    img.save(path, optimize=True)
    assert path.stat().st_size < SCREENSHOT_BYTES, path


def _choose_province(page, name: str) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="省份")
    box.locator("input").click()
    box.locator("input").fill(name)  # the list is virtual: type to bring the option into it
    page.get_by_role("option", name=name, exact=True).click()


def test_map_of_hubei_and_hunan_png_and_english(page, app_url, artifacts, screenshots):
    page.goto(app_url)
    wait_for_app(page)
    _open(page, "地图")
    hubei = _units_drawn(page, 17)
    assert "420100" in hubei and "429021" in hubei  # 武汉 … 神农架林区
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    assert chart.locator(".scatterlayer path.js-fill").count() >= 17  # filled paths drawn, not only data
    text = chart.inner_text()
    assert "武汉" in text and "恩施" in text and "湖北省各市州" in text
    page.get_by_text("示意图", exact=True).wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_timeout(1000)
    _screenshot(page, screenshots / "map_hubei_zh.png")

    with page.expect_download(timeout=90_000) as d:
        page.get_by_role("button", name="下载图片(PNG)").click()
    png = Path(d.value.path()).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    (artifacts / "map_hubei_export.png").write_bytes(png)
    img = Image.open(io.BytesIO(png)).convert("L")
    assert img.width >= 900 and img.height >= 500
    # The sample's 2024 rural sewage rates: 武汉 below its own 56 %, the others met or missed the province's overall
    # 46.58 % (references). Each of those colours fills far more than its legend swatch; statuses no unit has, none.
    (width, height), areas = colour_areas(png)
    scale = width / 1000  # the page exports 1000 CSS pixels wide
    used = {"not_met", "reference_met", "reference_not_met"}
    for status in used:
        assert areas[status] > 3 * LEGEND_SWATCH_PX * scale**2, (status, areas)
    assert areas["reference_met"] + areas["reference_not_met"] > 0.1 * width * height, areas
    for status in {"met", "on_track", "behind", "pending_target"}:
        assert areas[status] < LEGEND_SWATCH_PX * scale**2, (status, areas)
    title = img.crop((0, 0, img.width, int(img.height * 0.08)))
    assert sum(title.histogram()[:128]) > 500  # the Chinese title is drawn

    with page.expect_download() as d:
        page.get_by_role("button", name="下载数据(CSV)").click()
    assert Path(d.value.path()).read_bytes().decode("utf-8-sig").count("\n") == 18  # header and 17 units

    _choose_province(page, "湖南省")
    hunan = _units_drawn(page, 14)
    assert "430100" in hunan and "433100" in hunan  # 长沙 … 湘西州

    page.locator('[data-testid="stRadio"] label').filter(has_text="English").click()
    page.get_by_role("heading", name="Map", exact=True).wait_for(timeout=30_000)
    _settled(page)
    english = page.locator('[data-testid="stPlotlyChart"]', has_text="Hunan by city").first
    english.wait_for(timeout=30_000)
    text = english.inner_text()
    legend = english.locator(".legend").first.text_content()
    assert "Changsha" in text and legend.strip() and not any("\u4e00" <= ch <= "\u9fff" for ch in legend), legend
    assert "无数据" not in text and "长沙" not in text
    page.get_by_text("Schematic map", exact=True).wait_for(timeout=30_000)
    assert len(_units_drawn(page, 14)) == 14
    page.wait_for_timeout(1000)
    _screenshot(page, screenshots / "map_hunan_en.png")


def test_briefing_page_downloads_a_word_document(page, app_url, artifacts, screenshots):
    page.goto(app_url)
    wait_for_app(page)
    _open(page, "季度通报")
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    title = page.locator('[data-testid="stHeading"]').filter(has_text="通报").last.inner_text().strip()
    assert "湖北省" in title and "通报" in title
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_timeout(1000)
    _screenshot(page, screenshots / "briefing_page.png")

    page.get_by_role("button", name="生成通报").click()
    button = page.get_by_role("button", name="下载 Word(.docx)")
    button.wait_for(timeout=240_000)
    with page.expect_download(timeout=60_000) as d:
        button.click()
    docx = Path(d.value.path())
    assert d.value.suggested_filename.endswith(".docx")
    (artifacts / "briefing_download.docx").write_bytes(docx.read_bytes())
    paragraphs = [p.text for p in Document(str(docx)).paragraphs]
    assert title in paragraphs
    assert page.get_by_role("button", name="下载 PDF").count() + page.get_by_text("LibreOffice").count() >= 1
