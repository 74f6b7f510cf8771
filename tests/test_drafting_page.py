"""从工作要点起草 through AppTest on SQLite and PostgreSQL: who may open it, a pasted plan drafted with the title's
defaults, a confirmed draft without an indicator refused with nothing saved, the indicator added to the catalog
from the page (audit entry, then usable), and the confirmed rows saved by the signed-in account with their clauses.

The plan is the 主要目标 paragraph of Hubei's 2023 work plan (tests/fixtures/plans/hubei_2023_gongzuoyaodian.txt,
source in tests/fixtures/plans/SOURCES.md).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from data_loaders import audit, store
from data_loaders.catalog_store import catalog_of
from data_loaders.db import make_engine

PLAN = (Path(__file__).parent / "fixtures" / "plans" / "hubei_2023_gongzuoyaodian.txt").read_text(encoding="utf-8")
PAGE = "pages/drafting.py"


def _open(app, role: str | None, sign_in_as):
    if role is not None:
        sign_in_as(role)
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


def _draft(app) -> pd.DataFrame:
    app.radio(key="draft_source").set_value("paste").run()
    app.text_area(key="draft_text").input(PLAN).run()
    assert [n.value for n in app.number_input if n.key.startswith("draft_year_")] == [2023]  # from the title
    next(t for t in app.text_input if t.key.startswith("draft_issuer_")).input("湖北省生态环境厅")
    app.button(key="draft_run").click().run()
    assert not app.exception, app.exception
    return app.session_state["draft_rows"]


def _decide(app, rows: pd.DataFrame, words: str, decision: str) -> int:
    """Set the decision of the draft whose clause holds the words, as its buttons would; its row number."""
    no = int(rows.loc[rows["source_clause"].str.contains(words, regex=False), "no"].iloc[0])
    app.session_state[f"draft_{app.session_state['draft_generation']}_{no}_decision"] = decision
    return no


def _targets_2023(db_url: str) -> pd.DataFrame:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return pd.read_sql(text("SELECT * FROM targets WHERE year = 2023"), conn)
    finally:
        engine.dispose()


def _messages(app, kind: str) -> str:
    return "\n".join(el.value for el in getattr(app, kind))


@pytest.mark.parametrize(("role", "offered"), [(None, False), ("viewer", False), ("submitter", False), ("admin", True)])
def test_only_analysts_and_admins_draft(app, sign_in_as, role, offered):
    if role is not None:
        sign_in_as(role)
    app.run()
    assert any(link.proto.page.endswith("drafting") for link in app.get("page_link")) is offered
    if not offered:  # not a page of theirs: the address leads nowhere
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(PAGE)


def test_a_confirmed_draft_without_indicator_is_refused_then_the_indicator_is_added_and_saved(app, sign_in_as, db_url):
    _open(app, "analyst", sign_in_as)
    assert any(link.proto.page.endswith("drafting") for link in app.get("page_link"))
    before = _targets_2023(db_url)
    rows = _draft(app)
    assert len(rows) >= 8 and set(rows["year"]) == {2023} and set(rows["region_code"]) == {"420000"}
    unmatched = _decide(app, rows, "省控断面(水域)优良比例达到", "confirm")
    sewage = _decide(app, rows, "农村生活污水治理率达", "confirm")
    rejected = _decide(app, rows, "劣Ⅴ类断面比例控制在", "reject")
    assert rows.loc[rows["no"] == unmatched, "indicator_code"].item() == ""  # 省控 is not the catalog's 国控 set
    app.button(key="draft_save").click().run()
    refused = _messages(app, "error")
    assert f"第 {unmatched} 条" in refused and "未选择指标" in refused
    assert len(_targets_2023(db_url)) == len(before)  # one refused row saves nothing

    form = {t.key: t for t in app.text_input}
    form["indicator_add_name_zh"].input("地表水省控断面(水域)优良比例")
    form["indicator_add_unit"].input("%")
    next(b for b in app.button if b.label == "加入目录").click().run()
    assert "已加入指标" in _messages(app, "success"), _messages(app, "error")
    engine = make_engine(db_url)
    try:
        added = [i for i in catalog_of(engine) if i.name_zh == "地表水省控断面(水域)优良比例"]
        log = audit.audit_log(engine, change="indicator_add")
    finally:
        engine.dispose()
    assert len(added) == 1 and added[0].code.startswith("added_") and added[0].max_value == 100
    assert list(log["account"]) == ["analyst"] and list(log["subject"]) == [added[0].code]

    # the new indicator is offered in the draft's own picker; chosen there, the row saves with the others
    picker = next(s for s in app.selectbox if s.key.endswith(f"_{unmatched}_indicator_code"))
    assert added[0].code in picker.options or added[0].name_zh in picker.options
    picker.set_value(added[0].code).run()
    app.button(key="draft_save").click().run()
    assert not app.exception, app.exception
    assert "已保存 2 条目标" in _messages(app, "success"), _messages(app, "error") + _messages(app, "warning")

    after = _targets_2023(db_url)
    new = after[~after["id"].isin(before["id"])]
    assert sorted(new["indicator_code"]) == sorted([added[0].code, "rural_sewage_rate"])
    assert set(new["created_by"]) == {"analyst"} and set(new["issuer_name"]) == {"湖北省生态环境厅"}
    assert set(new["source_file"]) == {"2023 年生态环境工作要点"}  # pasted text is cited by its title
    assert new.loc[new["indicator_code"] == "rural_sewage_rate", "value"].item() == 32
    assert "32%" in new.loc[new["indicator_code"] == "rural_sewage_rate", "source_clause"].item().replace(" ", "")
    assert not new["source_clause"].str.contains("劣Ⅴ类断面比例控制在", regex=False).any()
    remaining = app.session_state["draft_rows"]
    assert unmatched not in set(remaining["no"]) and sewage not in set(remaining["no"])
    assert rejected in set(remaining["no"])  # still on the page as rejected, never stored

    # the added indicator reads like any other: its target is in the targets table of the gaps engine
    engine = make_engine(db_url)
    try:
        stored = store.load_targets(engine, 2023, "420000", added[0].code)
    finally:
        engine.dispose()
    assert [t.value for t in stored] == [89.3]

    # drafted again, the plan's saved rows say they are targets already
    app.button(key="draft_run").click().run()
    cards = " ".join(m.value for m in app.markdown)
    saved_ids = sorted(int(i) for i in new["id"])
    assert all(f"已有目标（编号 {i}）" in cards for i in saved_ids), cards[:400]
    assert cards.count("已有目标") == 2


def test_the_page_in_english(app, sign_in_as):
    from ui.state import LANG

    sign_in_as("analyst")
    app.session_state[LANG] = "en"
    app.run()
    app.switch_page(PAGE).run()
    assert app.title[0].value == "Draft from a work plan"
    app.radio(key="draft_source").set_value("paste").run()
    app.text_area(key="draft_text").input(PLAN).run()
    app.button(key="draft_run").click().run()
    assert not app.exception, app.exception
    shown = _messages(app, "info") + " ".join(m.value for m in app.markdown)
    assert "candidate targets found" in shown and "Rural domestic sewage" in shown, shown[:500]
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in _messages(app, "info").split("“")[0])  # the sentence itself


def test_a_confirmed_draft_outside_the_analysts_province_is_refused(app, sign_in_as, db_url):
    """A Hunan analyst confirming Hubei's drafts: each refused once, in the data layer's words; nothing saved."""
    sign_in_as("analyst", codes=("430000",))
    _open(app, None, sign_in_as)
    before = _targets_2023(db_url)
    rows = _draft(app)
    _decide(app, rows, "农村生活污水治理率达", "confirm")
    _decide(app, rows, "劣Ⅴ类断面比例控制在", "confirm")
    app.button(key="draft_save").click().run()
    assert not app.exception, app.exception
    refused = _messages(app, "error")
    line = "账户 analyst 只能为 湖南 设定目标，不能为 湖北（420000）"
    assert refused.count(line) == 1 and not app.success, refused  # two targets of Hubei: one line in Chinese
    assert len(_targets_2023(db_url)) == len(before)
