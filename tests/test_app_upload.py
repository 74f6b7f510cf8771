"""The upload page with bureaus' own tables: several files at once, a merged header, a ratio with its counts, and the
mapping step for a column of numbers that matches nothing (remembered for the next quarter's file)."""

from __future__ import annotations

import pytest

from data_loaders.db import make_engine
from data_loaders.mapping_store import list_mappings
from tests.workbooks import book_bytes, stored_values

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DUST = "降尘量(吨/平方公里·月)"
DUSTLESS = "扣除沙尘优良天数比率(%)"


# Every test here writes through the pages: an analyst of Hubei is signed in.
pytestmark = pytest.mark.usefixtures("analyst")


def wuhan_air(period: str, good: float) -> bytes:
    return book_bytes(
        {"表1": [[f"2024年{period}武汉市环境空气质量"], ["地区", "PM2.5浓度(μg/m³)", DUSTLESS], ["武汉", 38, good]]}
    )


def open_upload(app):
    app.run()
    app.switch_page("pages/upload.py").run()
    assert not app.exception, app.exception


def upload(app, *files: tuple[str, bytes]):
    app.file_uploader(key="upload_file").set_value([(name, data, XLSX) for name, data in files]).run()
    assert not app.exception, app.exception


def commit_buttons(app):
    return [b for b in app.button if b.key.startswith("commit_")]


def test_several_files_each_with_its_own_problems_and_commit(app, db_url):
    open_upload(app)
    merged = book_bytes(
        {
            "表1": [
                ["2024年1-6月各市州环境空气质量"],
                ["排名", "城市", "优良天数比例", None],
                [None, None, "比例(%)", "同比(百分点)"],
                [1, "黄石", 88.8, 1.2],
            ]
        }
    )
    counts = book_bytes(
        {
            "表1": [
                ["2024年1-6月地表水"],
                ["市州", "断面总数(个)", "Ⅰ~Ⅲ类断面数(个)", "Ⅰ~Ⅲ类比例(%)"],
                ["鄂州", 4, 3, 75.0],
            ]
        }
    )
    bad = book_bytes({"表1": [["2024年1-6月"], ["地区", "PM2.5浓度(μg/m³)"], ["武昌", 40]]})
    upload(app, ("merged.xlsx", merged), ("counts.xlsx", counts), ("bad.xlsx", bad))
    assert len(commit_buttons(app)) == 2  # the defective file holds back only itself
    assert len(app.error) == 1 and "1" in app.error[0].value
    for button in commit_buttons(app):
        button.click().run()
        assert not app.exception, app.exception
    values = stored_values(db_url)
    assert values[("420200", "good_air_ratio", 6)][0] == 88.8
    assert values[("420700", "water_good_ratio", 6)] == (75.0, 3.0, 4.0)


def test_mapping_step_then_next_quarter_asks_nothing(app, db_url, monkeypatch):
    import ui.upload_flow as flow

    calls = []
    real = flow.parse_workbook
    monkeypatch.setattr(
        flow, "run_isolated", lambda fn, *a, memory_bytes, seconds, **kw: calls.append(1) or fn(*a, **kw)
    )
    open_upload(app)
    upload(app, ("q1.xlsx", wuhan_air("1-3月", 80.2)))
    assert real is flow.parse_workbook
    assert not commit_buttons(app) and "对应不到任何指标" in app.dataframe[0].value["problem_zh"].iloc[0]
    (pick,) = [s for s in app.selectbox if s.key.startswith("map_")]
    assert pick.options[1].startswith("空气质量优良天数比率")  # the closest indicator offered first
    app.run()
    assert len(calls) == 1  # a rerun does not parse the same file again
    pick.set_value("good_air_ratio").run()
    next(b for b in app.button if b.key.startswith("map_confirm_")).click().run()
    assert not app.exception, app.exception
    commit_buttons(app)[0].click().run()
    assert stored_values(db_url)[("420100", "good_air_ratio", 3)][0] == 80.2
    saved = list_mappings(make_engine(db_url))
    assert saved[["source", "header", "indicator_code", "confirmed_by"]].values.tolist() == [
        ["420100", DUSTLESS, "good_air_ratio", "analyst"]
    ]

    upload(app, ("q2.xlsx", wuhan_air("1-6月", 82.4)))
    assert not [s for s in app.selectbox if s.key.startswith("map_")]  # no question this time
    commit_buttons(app)[0].click().run()
    assert stored_values(db_url)[("420100", "good_air_ratio", 6)][0] == 82.4


def test_ignoring_a_column_imports_the_rest(app, db_url):
    open_upload(app)
    upload(app, ("q1.xlsx", wuhan_air("1-3月", 80.2)))
    next(s for s in app.selectbox if s.key.startswith("map_")).set_value("ignore").run()
    next(b for b in app.button if b.key.startswith("map_confirm_")).click().run()
    commit_buttons(app)[0].click().run()
    values = stored_values(db_url)
    assert values[("420100", "pm25", 3)][0] == 38 and values[("420100", "good_air_ratio", 3)][0] != 80.2
