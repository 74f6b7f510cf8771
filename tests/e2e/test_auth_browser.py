"""Sign-in in a real browser: signing in and out, the lockout after repeated wrong passwords, a submitter's
navigation, and a sample workbook refused for the cities outside the submitter's own."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.e2e.conftest import open_upload_page, sign_in, submit_sign_in, wait_for_app

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "hubei_2024_wide.xlsx"  # every Hubei city


def sidebar_links(page) -> list[str]:
    return page.locator('[data-testid="stSidebar"] a').all_inner_texts()


def test_submitter_signs_in_sees_upload_but_no_accounts_then_signs_out(page, app_url, artifacts):
    page.goto(app_url)
    wait_for_app(page)
    assert not any("数据上传" in x for x in sidebar_links(page))  # nobody signed in: reading only
    sign_in(page, app_url, "wuhan")
    links = " ".join(sidebar_links(page))
    assert "数据上传" in links and "审计" not in links and "账户" not in links
    assert page.get_by_text("已登录：wuhan（填报人）").is_visible()
    page.screenshot(path=str(artifacts / "signed_in_submitter.png"), full_page=True)
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("button", name="登录", exact=True).wait_for(timeout=30_000)
    assert not any("数据上传" in x for x in sidebar_links(page))


def test_five_wrong_passwords_lock_the_account(page, app_url, artifacts):
    page.goto(app_url)
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    for attempt in range(1, 6):
        submit_sign_in(page, "admin", f"wrong password {attempt}")
        # the run that handled this attempt has finished when it has emptied the password field
        sidebar.get_by_label("密码", exact=True).and_(page.locator('input[value=""]')).wait_for(timeout=30_000)
        words = "账户已锁定" if attempt == 5 else "用户名或密码错误"
        sidebar.locator('[data-testid="stAlert"]').filter(has_text=words).wait_for(timeout=30_000)
    message = sidebar.locator('[data-testid="stAlert"]').inner_text()
    assert "分钟后再试" in message and "后可再试" in message  # how long, and the time it opens again
    page.screenshot(path=str(artifacts / "sign_in_locked.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_submitter_upload_of_other_cities_is_refused_cell_by_cell(page, app_url, artifacts):
    open_upload_page(page, app_url, "wuhan")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(SAMPLE))
    page.get_by_text("个错误，修改后重新上传").wait_for(timeout=60_000)
    page.screenshot(path=str(artifacts / "upload_refused_regions.png"), full_page=True)
    assert page.get_by_role("button", name="确认提交").count() == 0
    with page.expect_download() as d:
        page.get_by_role("button", name="下载问题清单(CSV)").click()
    problems = pd.read_csv(d.value.path(), encoding="utf-8-sig", dtype=str)
    refused = problems[problems["column"] == "region_code"]
    assert len(refused) > 10 and refused["cell"].notna().all() and refused["sheet"].notna().all()
    assert refused["problem_zh"].str.contains("账户 wuhan 只能填报 武汉").all()
    assert "420100" not in set(refused["value"])  # Wuhan's own rows pass
