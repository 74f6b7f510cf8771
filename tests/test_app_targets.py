"""AppTest of the catalog page's target forms: add with validation, warnings, retire, fill a pending target."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

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
