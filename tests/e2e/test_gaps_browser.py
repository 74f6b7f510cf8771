"""What a person sees on the gaps page in a real browser: chart, table, downloads, language switch."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from PIL import Image

from tests.e2e.conftest import running_app, wait_for_app


def test_gaps_page_in_chinese_then_english(page, app_url, artifacts):
    page.goto(app_url)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_role("heading", name="城市差距").is_visible()
    svg_text = page.locator('[data-testid="stPlotlyChart"]').first.inner_text()
    assert "潜江" in svg_text and "武汉" in svg_text
    page.screenshot(path=str(artifacts / "gaps_zh.png"), full_page=True)

    page.locator('[data-testid="stRadio"] label').filter(has_text="English").click()
    page.get_by_role("heading", name="Gaps by city").wait_for(timeout=30_000)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    # The switch keeps the sidebar's choices (a widget whose label changes must not reset to its first option).
    # The chart is redrawn in place: wait for the English one rather than read the Chinese one still on screen.
    page.locator('[data-testid="stPlotlyChart"]', has_text="Full year 2024").first.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stRadio"] input[type="radio"]').nth(1).is_checked()
    page.screenshot(path=str(artifacts / "gaps_en.png"), full_page=True)


def test_csv_and_png_downloads(page, app_url, artifacts):
    page.goto(app_url)
    wait_for_app(page)
    with page.expect_download() as d:
        page.get_by_role("button", name="下载数据(CSV)").click()
    data = open(d.value.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"region_code": str})
    assert len(df) == 17 and set(df["indicator_code"]) == {"rural_sewage_rate"}

    with page.expect_download(timeout=60_000) as d:
        page.get_by_role("button", name="下载图片(PNG)").click()
    png = open(d.value.path(), "rb").read()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    (artifacts / "gaps_chart.png").write_bytes(png)
    img = Image.open(io.BytesIO(png)).convert("L")
    hist = img.histogram()
    assert max(hist) / sum(hist) < 0.95  # not a blank image
    title = img.crop((0, 0, img.width, int(img.height * 0.08)))
    assert sum(title.histogram()[:128]) > 500  # the Chinese title is drawn


def test_every_page_opens_in_both_languages(page, app_url, artifacts):
    page.goto(app_url)
    wait_for_app(page)
    for lang, names in (
        (
            "zh",
            ["城市差距", "总览", "年度趋势", "地图", "季度通报", "指标与目标"],
        ),  # 数据上传 needs an account: test_auth_browser
        ("en", ["Gaps by city", "Overview", "Trends", "Map", "Briefing", "Catalog & targets"]),
    ):
        if lang == "en":
            page.locator('[data-testid="stRadio"] label').filter(has_text="English").click()
            page.get_by_role("link", name=names[0]).wait_for(timeout=30_000)
        for name in names:
            page.get_by_role("link", name=name).click()
            page.get_by_role("heading", name=name, exact=True).wait_for(timeout=30_000)
            page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
            assert page.locator('[data-testid="stException"]').count() == 0, (lang, name)
            page.wait_for_timeout(1500)  # let the last element draw before the screenshot
            page.screenshot(path=str(artifacts / f"page_{lang}_{names.index(name)}.png"), full_page=True)


def test_excel_report_download(page, app_url):
    import openpyxl

    page.goto(app_url)
    wait_for_app(page)
    with page.expect_download(timeout=60_000) as d:
        page.get_by_role("button", name="下载 Excel 报表").click()
    assert d.value.suggested_filename.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(open(d.value.path(), "rb").read()))  # the temp path has no .xlsx
    assert wb.sheetnames == ["差距排名", "目标依据"]
    ws = wb["差距排名"]
    assert "农村生活污水治理率" in ws["A1"].value
    header = [c.value for c in ws[3]]
    region, actual = header.index("地区") + 1, header.index("实际值") + 1
    rows = {ws.cell(r, region).value: r for r in range(4, 21)}
    assert len(rows) == 17 and isinstance(ws.cell(rows["潜江"], actual).value, float)


@pytest.mark.parametrize(("path", "heading"), [("overview", "总览"), ("trends", "年度趋势"), ("map", "地图")])
def test_a_fresh_server_opens_a_page_from_its_own_address(page, tmp_path, path, heading):
    """The first visitor of a newly started server arrives on a bookmarked page address (…/trends): the page
    shows with its sidebar and navigation, never a stack trace (Streamlit's old pages/ mode would run it alone)."""
    with running_app(tmp_path) as url:
        page.goto(f"{url}/{path}")
        page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=60_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0, path
        # The app's own navigation: st.navigation registers the pages on this first run and Streamlit reruns once,
        # so the links may follow the heading by a moment.
        page.get_by_role("link", name="城市差距").wait_for(state="visible", timeout=30_000)
        assert page.get_by_role("link", name="common").count() == 0  # not the pages/ folder listing
