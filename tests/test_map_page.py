"""AppTest of the map and briefing pages: Hubei's 17 units drawn, colouring, English, the briefing's preview."""

from __future__ import annotations

import io
import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from ui.briefing_view import DOCX_MIME as DOCX
from ui.map_view import map_table


def _figure(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def _units(fig: dict) -> list[str]:
    return [tr["meta"] for tr in fig["data"] if tr.get("meta")]


def test_map_page_draws_hubei_then_hunan_in_both_languages(app):
    app.run()
    app.switch_page("pages/map.py").run()
    assert not app.exception, app.exception
    assert app.title[0].value == "地图"
    fig = _figure(app)
    assert len(_units(fig)) == 17
    assert "湖北省各市州" in fig["layout"]["title"]["text"]
    assert any(c.value == "示意图" for c in app.caption)

    app.radio(key="w_map_color_by").set_value("margin").run()
    assert not app.exception, app.exception
    assert any(tr.get("marker", {}).get("showscale") for tr in _figure(app)["data"])

    app.selectbox(key="w_province").set_value("430000").run()
    assert not app.exception, app.exception
    assert len(_units(_figure(app))) == 14

    app.radio(key="w_lang").set_value("en").run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Map"
    fig = _figure(app)
    assert "Hunan by city" in fig["layout"]["title"]["text"]
    assert any(c.value == "Schematic map" for c in app.caption)
    labels = next(tr for tr in fig["data"] if tr.get("name") == "labels")["text"]
    assert "Changsha" in labels


def test_hainan_names_the_unit_it_cannot_draw(app):
    app.run()
    app.selectbox(key="w_province").set_value("460000").run()
    app.switch_page("pages/map.py").run()
    assert not app.exception, app.exception
    assert any("三沙" in c.value for c in app.caption)


def test_map_table_is_the_published_table(catalog, regions):
    gaps = pd.DataFrame(
        {
            "region_code": ["420100", "420200"],
            "region_name": ["武汉", "黄石"],
            "actual": [42.0, None],
            "target": [40.0, 40.0],
            "comparator": ["<=", "<="],
            "margin": [-2.0, None],
            "margin_pct": [-0.05, None],
            "status": ["not_met", "no_data"],
            "yoy_change": [1.0, None],
            "yoy_unit": ["%", None],
            "target_origin": ["own", "own"],
            "target_issuer": ["省厅", "省厅"],
            "target_clause": ["", ""],
        }
    )
    table = map_table(gaps, catalog["pm25"], "zh")
    assert list(table["region_code"]) == ["420100", "420200"]
    assert table.iloc[0].tolist()[:5] == ["420100", "武汉", "42", "≤40", "-2"]
    back = pd.read_csv(io.BytesIO(table.to_csv(index=False).encode()), dtype=str)
    assert back.columns[1] == "地区"


def test_briefing_page_previews_and_generates(app):
    app.run()
    app.switch_page("pages/briefing.py").run()
    assert not app.exception, app.exception
    assert app.title[0].value == "季度通报"
    assert app.multiselect[0].value  # the default indicators: those most units reported
    assert app.dataframe and "排名" in app.dataframe[0].value.columns
    app.button(key="briefing_generate").click().run()
    assert not app.exception, app.exception
    assert any("通报已生成" in s.value for s in app.success)


def test_a_broken_template_is_named_in_the_interface_language(app):
    app.run()
    app.switch_page("pages/briefing.py").run()
    app.file_uploader(key="briefing_template").set_value(("ours.docx", b"not a word file", DOCX)).run()
    app.button(key="briefing_generate").click().run()
    assert not app.exception, app.exception
    errors = [e.value for e in app.error]  # Markdown source: the name is escaped (ours\.docx)
    assert any("无法读取 Word 模板" in e and "ours" in e for e in errors), errors
    assert not app.get("download_button")
