"""What a person sees of a reference: a province-wide figure drawn pale and hatched with its own legend and hover, and
an overview headline that counts graded verdicts only."""

from __future__ import annotations

import io

import pandas as pd

from tests.e2e.conftest import wait_for_app


def test_a_reference_row_looks_like_a_reference_not_a_verdict(page, app_url, artifacts):
    page.goto(app_url)  # 城市差距, 农村生活污水治理率, 2024 全年: Hubei's 46.58 % is a figure for the province
    wait_for_app(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    legend = [(t or "").strip() for t in chart.locator(".legend .traces").all_text_contents()]
    references = [i for i, name in enumerate(legend) if name.startswith("参照")]
    assert references, legend
    assert chart.locator("pattern").count() > 0  # hatched bars
    bar = chart.locator(".barlayer .trace").nth(references[0]).locator("path").first
    bar.hover(force=True)  # plotly listens on the drag layer above the bars
    chart.locator(".hoverlayer .hovertext").first.wait_for(timeout=10_000)
    hover = chart.locator(".hoverlayer").text_content() or ""
    assert "参照全省总体目标（未分解）" in hover and "≥46.58" in hover
    page.screenshot(path=str(artifacts / "gaps_reference.png"), full_page=True)
    table = page.locator('[data-testid="stDataFrame"]').first
    assert table.count() == 1


def test_overview_headline_counts_only_graded_verdicts(page, app_url, artifacts):
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("link", name="总览").click()
    page.get_by_role("heading", name="总览", exact=True).wait_for(timeout=30_000)
    wait_for_app(page)
    metrics = page.locator('[data-testid="stMetric"]')
    shown = {m.locator('[data-testid="stMetricLabel"]').inner_text(): m.locator('[data-testid="stMetricValue"]').inner_text()
             for m in metrics.all()}  # fmt: skip
    with page.expect_download() as d:
        page.get_by_role("button", name="下载数据(CSV)").click()
    gaps = pd.read_csv(io.BytesIO(open(d.value.path(), "rb").read()), encoding="utf-8-sig")
    graded = gaps[gaps["graded"]]
    assert shown["已达标"] == str(int((graded["status"] == "met").sum()))
    assert shown["滞后/未达标"] == str(int(graded["status"].isin(["behind", "not_met"]).sum()))
    references = int(gaps["status"].isin(["reference_met", "reference_not_met"]).sum())
    assert references > 0 and shown["参照总体目标（不评定）"] == str(references)
    page.screenshot(path=str(artifacts / "overview_counts.png"), full_page=True)
