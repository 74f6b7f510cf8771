"""AppTest smoke: the dashboard opens on a fresh database, fills itself with the sample data, and draws the gaps page."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest


def values(trace: dict, axis: str = "y") -> list:
    """A trace's numbers, whether plotly wrote them as a list or as base64 typed-array data."""
    import base64

    import numpy as np

    data = trace[axis]
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def chart(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_gaps_page_opens_with_sample_data(app):
    app.run()
    assert not app.exception, app.exception
    assert app.title[0].value == "城市差距"
    fig = chart(app)
    bars = [y for trace in fig["data"] for y in trace["y"]]
    assert len(bars) == 17 and "潜江" in bars  # every Hubei city is on the chart
    assert "农村生活污水治理率" in fig["layout"]["title"]["text"]
    table = app.dataframe[0].value
    assert len(table) == 17 and "目标来源" in table.columns


def test_changing_indicator_period_and_language(app):
    app.run()
    app.selectbox(key="w_gaps_indicator").set_value("pm25").run()
    app.selectbox(key="w_period").set_value(6).run()
    assert not app.exception, app.exception
    fig = chart(app)
    assert "1-6月" in fig["layout"]["title"]["text"] and "PM2.5" in fig["layout"]["title"]["text"]
    app.radio(key="w_lang").set_value("en").run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Gaps by city"
    assert "Jan–Jun" in chart(app)["layout"]["title"]["text"]


def test_hunan_without_data_shows_no_exception(app):
    app.run()
    app.selectbox(key="w_province").set_value("430000").run()
    assert not app.exception, app.exception
    assert len(app.dataframe[0].value) == 14


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(rows) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["地区", "年份", "期间", "指标", "数值"])
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _frame_with(at: AppTest, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def _commit_button(at: AppTest):
    """The one file's commit button (each uploaded file has its own, keyed by its content)."""
    (button,) = [b for b in at.button if b.key.startswith("commit_")]
    return button


def test_upload_problems_then_commit_shows_on_gaps_page(app, analyst):
    app.run()
    app.switch_page("pages/upload.py").run()
    assert not app.exception, app.exception
    bad = _workbook([("武昌", 2024, "全年", "农村生活污水治理率", 50)])
    app.file_uploader(key="upload_file").set_value([("bad.xlsx", bad, XLSX)]).run()
    assert not app.exception, app.exception
    problems = _frame_with(app, "problem_zh")
    assert problems.iloc[0]["cell"] == "A2" and "武昌" in problems.iloc[0]["problem_zh"]
    assert app.error and not [b for b in app.button if b.key.startswith("commit_")]

    good = _workbook([("武汉", 2024, "全年", "农村生活污水治理率", 61.5)])
    app.file_uploader(key="upload_file").set_value([("good.xlsx", good, XLSX)]).run()
    assert _frame_with(app, "新值").iloc[0]["新值"] == 61.5  # Wuhan had a sample value: a diff
    bars = app.get("progress")
    assert bars and bars[-1].proto.value == 60 and "已校验 1 个数值" in bars[-1].proto.text  # read, then checked
    _commit_button(app).click().run()
    assert not app.exception, app.exception
    assert "1" in app.success[0].value
    written = [b.proto for b in app.get("progress") if "写入" in b.proto.text]
    assert written and written[-1].value == 100 and "1/1" in written[-1].text

    app.switch_page("pages/gaps.py").run()
    table = app.dataframe[0].value.set_index("地区")
    assert table.loc["武汉", "实际值 (%)"] == "61.50" and table.loc["武汉", "状态"] == "已达标"


def test_commit_busts_the_cached_gaps_view_and_figure(app, analyst):
    """The gaps page's table, chart and CSV are cached by their inputs and the data version: a write must bump it."""

    def wuhan(at: AppTest) -> tuple[str, list[str]]:
        table = at.dataframe[0].value.set_index("地区")
        hover = [h for trace in chart(at)["data"] for h in trace.get("hovertext") or [] if h.startswith("武汉")]
        return table.loc["武汉", "实际值 (%)"], hover

    app.run()
    before, before_hover = wuhan(app)
    assert before != "61.50" and before_hover and "61.50" not in before_hover[0]
    app.switch_page("pages/overview.py").run()  # cache the other views too

    app.switch_page("pages/upload.py").run()
    good = _workbook([("武汉", 2024, "全年", "农村生活污水治理率", 61.5)])
    app.file_uploader(key="upload_file").set_value([("good.xlsx", good, XLSX)]).run()
    _commit_button(app).click().run()
    assert not app.exception, app.exception

    app.switch_page("pages/gaps.py").run()
    after, after_hover = wuhan(app)
    assert after == "61.50" and "61.50" in after_hover[0]
    app.switch_page("pages/overview.py").run()
    cells = [t for row in chart(app)["data"][0]["text"] for t in row]
    assert any(c.startswith("61.50") for c in cells), cells


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_opens_in_both_languages(app, lang, sign_in_as):
    sign_in_as("admin")  # every page offered
    app.run()
    app.radio(key="w_lang").set_value(lang).run()
    pages = ("pages/gaps.py", "pages/overview.py", "pages/trends.py", "pages/upload.py", "pages/catalog.py")
    for page in (*pages, "pages/accounts.py"):
        app.switch_page(page).run()
        assert not app.exception, (page, lang, app.exception)
        assert app.title[0].value in {
            "城市差距",
            "Gaps by city",
            "总览",
            "Overview",
            "年度趋势",
            "Trends",
            "数据上传",
            "Upload",
            "指标与目标",
            "Catalog & targets",
            "账户与审计",
            "Accounts & audit",
        }


def test_catalog_page_lists_targets_with_clauses_and_pending(app):
    app.run()
    app.switch_page("pages/catalog.py").run()
    targets = app.dataframe[0].value
    wuhan = targets[(targets["地区"] == "武汉") & (targets["指标"] == "农村生活污水治理率")].iloc[0]
    assert wuhan["目标"] == "≥56.00%" and wuhan["原文"] == "农村生活污水治理率56%"
    pending = app.dataframe[1].value
    assert (pending["类型"] == "目标待定").all() and "细颗粒物(PM2.5)平均浓度" in set(pending["指标"])


def test_overview_scorecard_colours_every_city(app):
    app.run()
    app.switch_page("pages/overview.py").run()
    assert not app.exception, app.exception
    heatmap = chart(app)["data"][0]
    assert len(heatmap["y"]) == 18 and heatmap["y"][0] == "湖北" and "潜江" in heatmap["y"]
    province_water = heatmap["text"][0][heatmap["x"].index("地表水考核断面水质优良(Ⅰ~Ⅲ类)比例")]
    assert province_water.startswith("≈")  # a ratio averaged without its section counts is flagged
    province_good_air = heatmap["text"][0][heatmap["x"].index("空气质量优良天数比率")]
    assert not province_good_air.startswith("≈")  # air: the mean of the cities is how bulletins compute it
    assert "农村生活污水治理率" in heatmap["x"] and "细颗粒物(PM2.5)平均浓度" in heatmap["x"]
    qianjiang = heatmap["y"].index("潜江")
    col = heatmap["x"].index("农村生活污水治理率")
    assert heatmap["text"][qianjiang][col] == "41.41<br>-5.17"  # the seed document's actual and its gap
    # 0 = first status, "met"; an approximate value ("≈") is shown in its colour but never counted
    met_cells = sum(
        z == 0 and not text.startswith("≈")
        for zs, texts in zip(heatmap["z"], heatmap["text"], strict=True)
        for z, text in zip(zs, texts, strict=True)
    )
    assert [m.value for m in app.metric][0] == str(met_cells)


def test_target_table_upload_on_catalog_page(app, analyst):
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["湖北省生态环境厅关于下达2024年各市州农村生活污水治理率目标的通知"])
    ws.append(["市州", "农村生活污水治理率目标(%)"])
    ws.append(["武汉", 58])
    buf = io.BytesIO()
    wb.save(buf)
    app.run()
    app.switch_page("pages/catalog.py").run()
    app.file_uploader(key="target_table").set_value(("t.xlsx", buf.getvalue(), XLSX)).run()
    app.button(key="target_commit").click().run()
    assert not app.exception, app.exception
    assert "1" in app.success[0].value
    app.switch_page("pages/gaps.py").run()
    table = app.dataframe[0].value.set_index("地区")
    assert table.loc["武汉", "目标值 (%)"] == "≥58.00" and table.loc["武汉", "目标来源"] == "上级目标更严"


def test_trends_page_draws_actuals_and_target_steps(app):
    app.run()
    app.switch_page("pages/trends.py").run()
    app.selectbox(key="w_trend_indicator").set_value("rural_sewage_rate").run()
    assert not app.exception, app.exception
    fig = chart(app)
    lines = [tr for tr in fig["data"] if tr.get("mode") == "lines+markers"]
    assert {tr["name"] for tr in lines} == {"武汉", "黄石", "十堰"}
    wuhan = next(tr for tr in lines if tr["name"] == "武汉")
    assert len(wuhan["x"]) == 8 and wuhan["x"][0] == "2023年1-3月"  # 2023 and 2024, four quarters each
    steps = [tr for tr in fig["data"] if tr.get("mode") == "lines"]
    wuhan_2024 = next(tr for tr in steps if tr["name"] == "武汉 目标" and tr["x"][0] == "2024年1-3月")
    assert values(wuhan_2024) == [56.0, 56.0]  # Wuhan's own 2024 target


def test_gaps_views_margin_pct_and_actual_vs_target(app):
    app.run()
    app.radio(key="w_gaps_view").set_value("margin_pct").run()
    assert not app.exception, app.exception
    bars = chart(app)["data"]
    labels = [label for trace in bars for label in trace["text"]]
    assert "-11.1%" in labels  # Qianjiang: (41.41 − 46.58) / 46.58
    app.radio(key="w_gaps_view").set_value("actual").run()
    assert not app.exception, app.exception
    traces = chart(app)["data"]
    target = next(tr for tr in traces if tr.get("name") == "有效目标")
    assert "武汉" in target["y"] and len(target["y"]) == 17


def test_overview_and_gaps_pages_offer_an_excel_report(app):
    app.run()
    for page, label in (("pages/overview.py", "下载 Excel 报表"), ("pages/gaps.py", "下载 Excel 报表")):
        app.switch_page(page).run()
        assert not app.exception, (page, app.exception)
        assert label in [b.proto.label for b in app.get("download_button")], page
    app.radio(key="w_lang").set_value("en").run()
    assert "Download Excel report" in [b.proto.label for b in app.get("download_button")]


def _chart_by_key(at: AppTest, key: str) -> dict:
    return next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if key in c.proto.id)


def test_trends_count_indicator_shows_pace_chart(app):
    app.run()
    app.switch_page("pages/trends.py").run()
    assert len(app.get("plotly_chart")) == 1  # PM2.5 is a level indicator: no pace chart
    app.selectbox(key="w_trend_indicator").set_value("rural_sewage_villages").run()
    assert not app.exception, app.exception
    charts = app.get("plotly_chart")
    assert len(charts) == 2
    pace = _chart_by_key(app, "pace_chart")
    assert "序时进度" in pace["layout"]["title"]["text"] and "2024年" in pace["layout"]["title"]["text"]
    wuhan = next(tr for tr in pace["data"] if tr["name"] == "武汉 序时进度")
    assert values(wuhan) == [45.75, 91.5, 137.25, 183.0]  # Wuhan's own 183 villages × p/12
    assert "黄石" in pace["layout"]["annotations"][0]["text"]  # no target of its own: no line, and it says so
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels.count("下载数据(CSV)") == 2
    app.multiselect(key="trend_regions").set_value([]).run()  # no region chosen: empty charts, no error
    assert not app.exception, app.exception


def test_trends_year_end_projection_after_a_half_year_upload(app, analyst):
    app.run()
    app.switch_page("pages/upload.py").run()
    book = _workbook([("武汉", 2025, "1-6月", "PM2.5浓度", 40)])
    app.file_uploader(key="upload_file").set_value([("h1.xlsx", book, XLSX)]).run()
    _commit_button(app).click().run()
    assert not app.exception, app.exception
    app.switch_page("pages/trends.py").run()
    assert not app.exception, app.exception
    fig = _chart_by_key(app, "trend_chart")
    wuhan = next(tr for tr in fig["data"] if tr.get("name") == "武汉")
    point = dict(zip(wuhan["x"], values(wuhan), strict=True))
    projection = next(tr for tr in fig["data"] if tr.get("name") == "武汉 年末预测")
    assert projection["x"] == ["2025年全年"] and projection["marker"]["symbol"] == "circle-open"
    expected = 40 * point["2024年全年"] / point["2024年1-6月"]
    assert values(projection)[0] == pytest.approx(expected)
    assert any(tr.get("name") == "年末预测（按上年同期比例推算）" for tr in fig["data"])
    assert not any(tr.get("name") == "黄石 年末预测" for tr in fig["data"])  # no 2025 value for Huangshi


def test_english_interface_names_regions_in_english(app):
    app.run()
    app.radio(key="w_lang").set_value("en").run()
    assert not app.exception, app.exception
    bars = [y for trace in chart(app)["data"] for y in trace["y"]]
    assert "Qianjiang" in bars and "Wuhan" in bars and not any("潜江" in str(b) for b in bars)
    assert app.selectbox(key="w_province").format_func("430000") == "Hunan"
    app.switch_page("pages/overview.py").run()
    assert not app.exception, app.exception
    heatmap = next(tr for tr in _chart_by_key(app, "overview_chart")["data"] if tr["type"] == "heatmap")
    assert heatmap["y"][0] == "Hubei" and "Enshi" in heatmap["y"]
    assert _chart_by_key(app, "overview_chart")["layout"]["title"]["text"].startswith("Hubei, Full year 2024")


def test_every_chart_carries_its_source_note_for_the_png(app):
    """An exported PNG must say where its numbers come from: each chart has the note as an annotation."""
    app.run()
    for page, key in (
        ("pages/gaps.py", "gaps_chart"),
        ("pages/overview.py", "overview_chart"),
        ("pages/trends.py", "trend_chart"),
    ):
        app.switch_page(page).run()
        assert not app.exception, (page, app.exception)
        texts = [a["text"] for a in _chart_by_key(app, key)["layout"].get("annotations", [])]
        assert any(text.startswith("数据来源：各市州报送数据") for text in texts), (page, texts)
