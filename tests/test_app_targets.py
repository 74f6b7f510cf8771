"""AppTest of the catalog page's target forms: add with validation, warnings, retire, fill a pending target; every
target write limited to the account's regions (the pick lists offer only its targets), and refused once the account
may no longer write (issue 11)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_loaders import accounts, store
from data_loaders.db import TargetRow, make_engine
from indicators.targets import Target
from tests.accounts_support import audit_count
from tests.test_cli import target_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Every test here writes through the pages: an analyst of Hubei is signed in.
pytestmark = pytest.mark.usefixtures("analyst")


def _targets_shown(at: AppTest):
    return at.dataframe[0].value  # the year's targets, first table of the catalog page


def _fill_add_form(at: AppTest, **values) -> None:
    for field in ("indicator_code", "region_code", "issuer_code", "comparator", "binding"):
        if field in values:
            at.selectbox(key=f"target_add_{field}").set_value(values[field])
    for field in ("value", "issuer_name", "source_file", "note"):
        if field in values:
            at.text_input(key=f"target_add_{field}").input(values[field])
    if "source_clause" in values:
        at.text_area(key="target_add_source_clause").input(values["source_clause"])


def test_add_target_form_refuses_a_bad_value_then_adds_a_good_one(app):
    app.run()
    app.switch_page("pages/catalog.py").run()
    before = len(_targets_shown(app))
    _fill_add_form(
        app,
        indicator_code="rural_sewage_rate",
        region_code="420200",
        issuer_code="420200",
        issuer_name="黄石市生态环境局",
        source_file="黄石市2024年生态环境工作要点",
        source_clause="农村生活污水治理率达到48.5%",
        value="150",
    )
    app.button(key="target_add_save").click().run()
    assert not app.exception, app.exception
    assert "目标值" in app.error[0].value and "0–100" in app.error[0].value and not app.success
    assert len(_targets_shown(app)) == before

    app.text_input(key="target_add_value").input("48.5")
    app.button(key="target_add_save").click().run()
    assert not app.exception, app.exception
    assert "已添加" in app.success[0].value and not app.error
    table = _targets_shown(app)
    assert len(table) == before + 1
    added = table[(table["地区"] == "黄石") & (table["指标"] == "农村生活污水治理率")].iloc[0]
    assert added["目标"] == "≥48.50%" and added["原文"] == "农村生活污水治理率达到48.5%"

    app.switch_page("pages/gaps.py").run()
    gaps = app.dataframe[0].value.set_index("地区")
    assert gaps.loc["黄石", "目标值 (%)"] == "≥48.50" and gaps.loc["黄石", "目标来源"] == "本级目标"


def test_add_target_warns_about_direction_and_saves_on_second_submit(app):
    app.run()
    app.radio(key="w_lang").set_value("en").run()
    app.switch_page("pages/catalog.py").run()
    before = len(_targets_shown(app))
    _fill_add_form(
        app,
        indicator_code="rural_sewage_rate",
        region_code="420300",
        issuer_code="420300",
        comparator="<=",
        value="50",
        issuer_name="十堰市生态环境局",
        source_clause="农村生活污水治理率不高于50%",
    )
    app.button(key="target_add_save").click().run()
    assert not app.exception, app.exception
    assert "Comparator" in app.warning[0].value and "higher is better" in app.warning[0].value
    assert len(_targets_shown(app)) == before
    app.button(key="target_add_save").click().run()
    assert "Target added" in app.success[0].value and len(_targets_shown(app)) == before + 1


def test_retire_a_target_needs_confirmation_and_keeps_it_out_of_the_gaps(app):
    app.run()
    app.switch_page("pages/catalog.py").run()
    table = _targets_shown(app)
    wuhan = table[(table["地区"] == "武汉") & (table["指标"] == "农村生活污水治理率")].iloc[0]
    target_id = int(wuhan["编号"])
    app.radio(key="w_target_action").set_value("retire").run()
    app.selectbox(key="w_target_pick").set_value(target_id).run()
    app.text_input(key="target_retire_note").input("武汉目标由省厅统一下达")
    app.button(key="target_retire_save").click().run()
    assert not app.exception, app.exception
    assert "确认" in app.error[0].value and target_id in set(_targets_shown(app)["编号"])

    app.checkbox(key="target_retire_confirm").check()
    app.button(key="target_retire_save").click().run()
    assert not app.exception, app.exception
    assert f"目标 {target_id} 已停用" in app.success[0].value
    assert target_id not in set(_targets_shown(app)["编号"])

    app.switch_page("pages/gaps.py").run()
    gaps = app.dataframe[0].value.set_index("地区")
    assert gaps.loc["武汉", "目标值 (%)"] == "≥46.58" and gaps.loc["武汉", "目标来源"] == "参照全省总体目标（未分解）"


def test_pending_target_filled_in_through_the_edit_form(app):
    app.run()
    app.switch_page("pages/catalog.py").run()
    pending = app.dataframe[1].value
    target_id = int(pending[pending["指标"] == "细颗粒物(PM2.5)平均浓度"].iloc[0]["编号"])
    app.selectbox(key="w_pending_pick").set_value(target_id).run()
    app.button(key="pending_fill").click().run()
    assert not app.exception, app.exception
    fk = f"target_edit_{target_id}_fill"
    assert app.radio(key=f"{fk}_form").value == "absolute" and str(target_id) in app.info[0].value
    app.text_input(key=f"{fk}_value").input("36")
    app.button(key=f"{fk}_save").click().run()
    assert not app.exception, app.exception
    assert f"目标 {target_id} 已修改" in app.success[0].value
    table = _targets_shown(app)
    filled = table[(table["地区"] == "湖北") & (table["指标"] == "细颗粒物(PM2.5)平均浓度")].iloc[0]
    assert filled["目标"] == "≤36μg/m³" and "达到国家考核目标要求" in filled["原文"]  # the clause is kept
    assert target_id not in set(table["编号"])
    app.radio(key="w_target_action").set_value("edit").run()  # the history of the new row shows the pending one
    history = app.dataframe[-2].value
    assert history["编号"].tolist()[0] == target_id and history["状态"].tolist() == ["已修改", "在用"]


def test_saving_an_unchanged_edit_adds_no_history(app):
    app.run()
    app.switch_page("pages/catalog.py").run()
    before = set(_targets_shown(app)["编号"])
    app.radio(key="w_target_action").set_value("edit").run()
    target_id = app.selectbox(key="w_target_pick").value
    app.button(key=f"target_edit_{target_id}_save").click().run()
    assert not app.exception, app.exception
    assert "没有改动" in app.info[0].value and not app.success
    assert set(_targets_shown(app)["编号"]) == before


# A target of Changsha (Hunan) in the year the catalog page shows: outside the Hubei analyst's province.
CHANGSHA = Target(
    "rural_sewage_rate",
    "430100",
    2024,
    ">=",
    50.0,
    issuer_code="430000",
    issuer_name="湖南省生态环境厅",
    source_file="湖南省2024年目标",
    source_clause="长沙农村生活污水治理率达到50%",
)


def _stored(url: str) -> tuple[list[dict], int]:
    """Every target row, all columns, and the audit log's length: what a refused write leaves as it was."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(TargetRow.__table__).order_by(TargetRow.id)).all()
        return [dict(r._mapping) for r in rows], audit_count(engine)
    finally:
        engine.dispose()


@pytest.fixture
def changsha_id(db_url, analyst) -> int:
    engine = make_engine(db_url)
    try:
        return store.add_target(engine, CHANGSHA, by="test")
    finally:
        engine.dispose()


def _wuhan_id(at: AppTest) -> int:
    table = _targets_shown(at)
    return int(table[(table["地区"] == "武汉") & (table["指标"] == "农村生活污水治理率")].iloc[0]["编号"])


def _add(at: AppTest, region: str) -> None:
    _fill_add_form(at, indicator_code="rural_sewage_rate", region_code=region, issuer_code=region, value="60",
                   issuer_name="生态环境局", source_clause="农村生活污水治理率达到60%")  # fmt: skip
    at.button(key="target_add_save").click().run()


def _edit(at: AppTest, target_id: int) -> None:
    at.radio(key="w_target_action").set_value("edit").run()
    at.selectbox(key="w_target_pick").set_value(target_id).run()
    at.text_input(key=f"target_edit_{target_id}_value").input("61")
    at.button(key=f"target_edit_{target_id}_save").click().run()


def _retire(at: AppTest, target_id: int) -> None:
    at.radio(key="w_target_action").set_value("retire").run()
    at.selectbox(key="w_target_pick").set_value(target_id).run()
    at.text_input(key="target_retire_note").input("由上级统一下达")
    at.checkbox(key="target_retire_confirm").check()
    at.button(key="target_retire_save").click().run()


def _import(at: AppTest, tmp_path, province: str, city: str) -> None:
    title = f"{province}生态环境厅关于下达2024年各市州农村生活污水治理率目标的通知"
    book = target_table(tmp_path / f"{city}.xlsx", title, [(city, 58)]).read_bytes()
    at.file_uploader(key="target_table").set_value((f"{city}.xlsx", book, XLSX)).run()
    if not at.error:
        at.button(key="target_commit").click().run()


def _set_regions(url: str, codes: tuple[str, ...]) -> None:
    engine = make_engine(url)
    try:
        accounts.update_account(engine, "analyst", regions=codes, by="test")
    finally:
        engine.dispose()


def _pick_ids(at: AppTest, key: str) -> set[int]:
    """The target ids a pick list offers (its options are the labels '#12 武汉 · …')."""
    return {int(label.split()[0].lstrip("#")) for label in at.selectbox(key=key).options}


def _province_of(url: str, target_ids: set[int]) -> set[str]:
    engine = make_engine(url)
    try:
        return {store.load_target(engine, i).region_code[:2] for i in target_ids}
    finally:
        engine.dispose()


@pytest.mark.parametrize(("role", "provinces"), [("analyst", {"42"}), ("admin", {"42", "43"})])
def test_edit_retire_and_fill_offer_only_the_targets_the_account_may_write(
    app, db_url, sign_in_as, changsha_id, role, provinces
):
    engine = make_engine(db_url)
    try:
        pending_id = store.add_target(engine, replace(CHANGSHA, value=None, form="pending"), by="test")
    finally:
        engine.dispose()
    if role == "admin":
        sign_in_as("admin")
    app.run()
    app.switch_page("pages/catalog.py").run()
    assert {changsha_id, pending_id} <= set(_targets_shown(app)["编号"])  # the table lists every target
    assert pending_id in set(app.dataframe[1].value["编号"])
    for action in ("edit", "retire"):
        app.radio(key="w_target_action").set_value(action).run()
        assert not app.exception, app.exception
        offered = _pick_ids(app, "w_target_pick")
        assert _province_of(db_url, offered) == provinces and (changsha_id in offered) == (role == "admin")
    pending = _pick_ids(app, "w_pending_pick")
    assert _province_of(db_url, pending) == provinces and (pending_id in pending) == (role == "admin")


@pytest.mark.parametrize("write", ["add", "import"])
def test_a_hubei_analyst_writes_no_hunan_target_but_a_hubei_one(app, db_url, changsha_id, tmp_path, write):
    app.run()
    app.switch_page("pages/catalog.py").run()
    before = _stored(db_url)
    if write == "add":
        _add(app, "430100")
    else:
        _import(app, tmp_path, "湖南省", "长沙")
    assert not app.exception, app.exception
    refusal = app.error[0].value
    assert "账户 analyst 只能为 湖北 设定目标，不能为 长沙（430100）" in refusal and not app.success
    assert not [b for b in app.button if b.key == "target_commit"]
    assert _stored(db_url) == before  # nothing written, nothing audited

    app.switch_page("pages/catalog.py").run()  # the positive control: the same write for Wuhan (Hubei)
    if write == "add":
        _add(app, "420200")
    else:
        _import(app, tmp_path, "湖北省", "武汉")
    assert not app.exception, app.exception
    assert app.success and not app.error, [e.value for e in app.error]
    assert _stored(db_url)[1] == before[1] + 1  # one audit entry, under the analyst's name


@pytest.mark.parametrize("write", ["edit", "retire"])
def test_a_target_picked_before_the_account_lost_its_region_is_not_written(app, db_url, write):
    """The pick list offered Wuhan while the analyst was Hubei's; the save, after an admin made it Hunan's, is
    refused by the callback, which reads the account again. Made Hubei's again, the same save goes through."""
    app.run()
    app.switch_page("pages/catalog.py").run()
    wuhan = _wuhan_id(app)
    app.radio(key="w_target_action").set_value(write).run()
    app.selectbox(key="w_target_pick").set_value(wuhan).run()
    fk = f"target_edit_{wuhan}" if write == "edit" else "target_retire"
    if write == "edit":
        app.text_input(key=f"{fk}_value").input("61")
    else:
        app.text_input(key=f"{fk}_note").input("由上级统一下达")
        app.checkbox(key=f"{fk}_confirm").check()
    _set_regions(db_url, ("430000",))
    before = _stored(db_url)
    app.button(key=f"{fk}_save").click().run()
    assert not app.exception, app.exception
    assert "账户 analyst 只能为 湖南 设定目标，不能为 武汉（420100）" in app.error[0].value and not app.success
    assert _stored(db_url) == before

    _set_regions(db_url, ("420000",))
    app.run()
    app.radio(key="w_target_action").set_value(write).run()
    app.selectbox(key="w_target_pick").set_value(wuhan).run()
    if write == "edit":
        app.text_input(key=f"{fk}_value").input("61")
    else:
        app.text_input(key=f"{fk}_note").input("由上级统一下达")
        app.checkbox(key=f"{fk}_confirm").check()
    app.button(key=f"{fk}_save").click().run()
    assert not app.exception, app.exception
    assert app.success and not app.error, [e.value for e in app.error]
    assert _stored(db_url)[1] == before[1] + 2  # the regions put back, then the write, under the analyst's name


def test_editing_a_hunan_target_into_a_hubei_one_is_refused(app, db_url, changsha_id):
    """Picked while the analyst also had Hunan, saved (moved to Huangshi) after it lost Hunan: refused for the old
    target, which it may no longer write, though the new one is within its regions."""
    _set_regions(db_url, ("420000", "430000"))
    app.run()
    app.switch_page("pages/catalog.py").run()
    app.radio(key="w_target_action").set_value("edit").run()
    app.selectbox(key="w_target_pick").set_value(changsha_id).run()
    fk = f"target_edit_{changsha_id}"
    app.selectbox(key=f"{fk}_region_code").set_value("420200")
    app.selectbox(key=f"{fk}_issuer_code").set_value("420200")
    _set_regions(db_url, ("420000",))
    before = _stored(db_url)
    app.button(key=f"{fk}_save").click().run()
    assert not app.exception, app.exception
    assert "不能为 长沙（430100）" in app.error[0].value and "420200" not in app.error[0].value
    assert _stored(db_url) == before


def _demote(url: str, change: str) -> None:
    engine = make_engine(url)
    try:
        if change == "disabled":
            accounts.set_disabled(engine, "analyst", by="test")
        else:
            accounts.update_account(engine, "analyst", role="viewer", by="test")
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ("disabled", "未保存：账户 analyst 已停用"),
        ("viewer", "未保存：账户 analyst（viewer）无权执行此操作"),
        ("idle", "长时间未操作，已自动退出"),
    ],
    ids=["disabled", "viewer", "idle"],
)
def test_a_save_clicked_after_the_account_lost_the_right_writes_nothing(app, db_url, monkeypatch, change, says):
    """The save runs as a callback, before app.py reads the account again: the callback reads it itself."""
    import ui.auth as auth

    start = auth.now()
    monkeypatch.setattr(auth, "now", lambda: start)
    app.run()
    app.switch_page("pages/catalog.py").run()
    _fill_add_form(app, indicator_code="rural_sewage_rate", region_code="420200", issuer_code="420200", value="60",
                   issuer_name="黄石市生态环境局", source_clause="农村生活污水治理率达到60%")  # fmt: skip
    before = _stored(db_url)
    if change == "idle":
        monkeypatch.setattr(auth, "now", lambda: start + timedelta(minutes=31))
    else:
        _demote(db_url, change)
        before = (before[0], before[1] + 1)  # the change itself is audited
    app.button(key="target_add_save").click().run()
    assert not app.exception, app.exception
    assert _stored(db_url) == before
    shown = [m.value for m in (*app.sidebar.error, *app.sidebar.info)]
    assert any(says in m for m in shown), shown
    assert not app.success and not [f for f in app.get("form") if f.key == "target_add"]
