"""A person's upload flow in a real browser: template → fill → upload → preview → commit → gaps; and a bad file."""

from __future__ import annotations

import openpyxl
import pandas as pd

from tests.e2e.conftest import open_upload_page, wait_for_app


def test_template_fill_upload_commit_then_gaps(page, app_url, artifacts, tmp_path):
    open_upload_page(page, app_url)
    with page.expect_download() as d:
        page.get_by_role("button", name="下载填报模板").click()
    template = tmp_path / "template.xlsx"
    d.value.save_as(template)
    wb = openpyxl.load_workbook(template)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[2]]
    col = header.index("农村生活污水治理率(%)") + 1
    rows = {ws.cell(row=r, column=1).value: r for r in range(3, ws.max_row + 1)}
    ws.cell(row=rows["神农架"], column=col, value=47.25)  # was 37.64 in the sample: now above 46.58
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)

    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(filled))
    page.get_by_text("将替换已有数值").wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "upload_preview.png"), full_page=True)
    page.get_by_role("button", name="确认提交").click()
    page.get_by_text("已提交批次").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0

    page.get_by_role("link", name="城市差距").click()
    wait_for_app(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').first.inner_text()
    assert "0.67" in chart  # 神农架: 47.25 − 46.58 now shown as a met margin
    page.screenshot(path=str(artifacts / "gaps_after_upload.png"), full_page=True)


def test_defective_workbook_names_the_cell_and_commits_nothing(page, app_url, artifacts, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["地区", "年份", "期间", "指标", "数值"])
    ws.append(["武汉", 2024, "全年", "农村生活污水治理率", "约60"])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    open_upload_page(page, app_url)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(bad))
    page.get_by_text("个错误，修改后重新上传").wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "upload_problems.png"), full_page=True)
    assert page.get_by_role("button", name="确认提交").count() == 0
    # The grid draws on a canvas: read the problems through their CSV download, as a clerk would.
    with page.expect_download() as d:
        page.get_by_role("button", name="下载问题清单(CSV)").click()
    problems = pd.read_csv(d.value.path(), encoding="utf-8-sig")
    row = problems.iloc[0]
    assert (row["sheet"], row["cell"], row["severity"]) == ("数据", "E2", "error") and "约60" in row["problem_zh"]
