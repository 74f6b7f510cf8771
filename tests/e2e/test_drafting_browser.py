"""从工作要点起草 in a real browser: an analyst uploads a real plan as .docx, confirms two drafts and rejects one; the
two appear in the targets table with their clauses, the rejected one nowhere.

The plan is Hubei's 2023 work plan (tests/fixtures/plans/hubei_2023_gongzuoyaodian.txt, source in SOURCES.md),
written into a .docx with python-docx the way a bureau's Word file holds it: one paragraph per line.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pandas as pd
from sqlalchemy import create_engine, text

from tests.e2e.conftest import running_app, sign_in

PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "hubei_2023_gongzuoyaodian.txt"
CONFIRMED = ("农村生活污水治理率达 32%", "受污染耕地安全利用率稳定在 91%以上")
REJECTED = "劣Ⅴ类断面比例控制在 0.3%以内"


def _plan_docx(path: Path) -> Path:
    document = docx.Document()
    for line in PLAN.read_text(encoding="utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    document.save(path)
    return path


def _card(page, clause_words: str):
    """The row of the draft's card whose clause holds these words: the clause beside its decision buttons."""
    rows = page.locator('[data-testid="stHorizontalBlock"]').filter(has=page.locator('[data-testid="stButtonGroup"]'))
    return rows.filter(has_text=clause_words).last


def _targets_2023(database: Path) -> pd.DataFrame:
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        return pd.read_sql(text("SELECT * FROM targets WHERE year = 2023"), conn)


def test_analyst_drafts_confirms_two_rejects_one(page, artifacts, tmp_path):
    with running_app(tmp_path) as url:  # its own database: the test counts the rows it holds
        _draft_confirm_reject(page, url, artifacts, tmp_path, tmp_path / "e2e.db")


def _draft_confirm_reject(page, url: str, artifacts: Path, tmp_path: Path, database: Path) -> None:
    before = _targets_2023(database)
    sign_in(page, url, "analyst")
    page.get_by_role("link", name="从工作要点起草").click()
    page.get_by_role("heading", name="从工作要点起草", exact=True).wait_for(timeout=30_000)

    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        str(_plan_docx(tmp_path / "湖北省2023年生态环境工作要点.docx"))
    )
    main = page.locator('[data-testid="stMain"]')
    year = main.get_by_label("年份", exact=True).first
    year.wait_for(timeout=60_000)
    assert year.input_value() == "2023"  # read from the title
    main.get_by_label("下达单位", exact=True).first.fill("湖北省生态环境厅")
    page.get_by_role("button", name="起草候选目标").click()
    page.get_by_text("条候选目标").first.wait_for(timeout=60_000)
    page.screenshot(path=str(artifacts / "drafting_drafts.png"), full_page=True)

    for words in CONFIRMED:
        card = _card(page, words)
        card.locator("button", has_text="确认").click()
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    _card(page, REJECTED).locator("button", has_text="驳回").click()
    page.get_by_text("已确认 2 条，已驳回 1 条").wait_for(timeout=30_000)
    # the figure is highlighted in its clause
    assert _card(page, CONFIRMED[0]).locator("strong").filter(has_text="32").count() >= 1
    page.screenshot(path=str(artifacts / "drafting_review.png"), full_page=True)

    page.get_by_role("button", name="保存已确认的目标").click()
    page.get_by_text("已保存 2 条目标").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0

    page.get_by_role("link", name="指标与目标").click()
    page.get_by_role("heading", name="指标与目标", exact=True).wait_for(timeout=30_000)
    year_box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    year_box.click()
    page.get_by_role("option", name="2023", exact=True).click()
    page.get_by_role("heading", name="2023年目标").wait_for(timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV", exact=True).click()
    shown = pd.read_csv(download.value.path(), encoding="utf-8-sig", dtype=str)
    clauses = " ".join(shown["source_clause"].fillna(""))
    for words in CONFIRMED:
        assert words.replace(" ", "") in clauses.replace(" ", ""), words
    assert REJECTED.replace(" ", "") not in clauses.replace(" ", "")
    drafted = shown[shown["source_file"] == "湖北省2023年生态环境工作要点.docx"]
    assert sorted(drafted["indicator_code"]) == ["farmland_safe_use", "rural_sewage_rate"]
    assert set(drafted["issuer"]) == {"湖北省生态环境厅"}
    page.screenshot(path=str(artifacts / "drafting_saved_targets.png"), full_page=True)
    after = _targets_2023(database)
    assert len(after) == len(before) + 2  # the rejected draft and the undecided ones left nothing
    assert set(after["created_by"]) - set(before["created_by"]) <= {"analyst"}
    assert (after["created_by"] == "analyst").sum() == 2
