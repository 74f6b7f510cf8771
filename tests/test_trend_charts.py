"""Trend chart with its year-end projection, its CSV, and the 序时进度 chart for count indicators."""

from __future__ import annotations

import pandas as pd
import pytest

from charts.pace import pace_figure
from charts.trends import trend_csv_table, trend_figure
from indicators.pace import pace_table
from indicators.projection import year_end_projections

LABEL_ZH = "年末预测（按上年同期比例推算）"
LABEL_EN = "Year-end projection (from last year's same-period ratio)"


@pytest.fixture
def pm25():
    rows = [("武汉", 2023, p, v) for p, v in ((3, 60), (6, 50), (9, 42), (12, 40))]
    rows += [("武汉", 2024, 3, 55), ("武汉", 2024, 6, 45)]
    rows += [("黄石", 2024, 3, 50), ("黄石", 2024, 6, 41)]  # no 2023: no projection
    series = pd.DataFrame(rows, columns=["region_name", "year", "period", "value"])
    targets = pd.DataFrame(
        [("武汉", 2023, 42.0), ("武汉", 2024, 38.0), ("黄石", 2023, None), ("黄石", 2024, 40.0)],
        columns=["region_name", "year", "target"],
    )
    return series, targets


def by_name(fig, name):
    return [tr for tr in fig.data if tr.name == name]


def test_projection_drawn_hollow_and_dotted_and_labelled(catalog, pm25):
    series, targets = pm25
    projections = year_end_projections(series)
    fig = trend_figure(series, targets, catalog["pm25"], "zh", "PM2.5", projections)
    (marker,) = by_name(fig, "武汉 年末预测")
    assert list(marker.x) == ["2024年全年"] and marker.y[0] == pytest.approx(36.0)  # 45 × 40/50
    assert marker.marker.symbol == "circle-open" and marker.mode == "markers"
    assert "预测值，非实测" in marker.hovertemplate and "0.800" in marker.hovertemplate
    segment = next(tr for tr in fig.data if tr.line.dash == "dot" and tr.showlegend is False)
    assert list(segment.x) == ["2024年1-6月", "2024年全年"] and list(segment.y) == [45, pytest.approx(36.0)]
    (legend,) = by_name(fig, LABEL_ZH)
    assert legend.showlegend is not False and legend.marker.symbol == "circle-open"
    assert not by_name(fig, "黄石 年末预测")
    # The 2024 target runs on to the projected year end, so the projection can be read against it.
    wuhan_2024 = next(tr for tr in by_name(fig, "武汉 目标") if tr.x[0] == "2024年1-3月")
    assert list(wuhan_2024.x) == ["2024年1-3月", "2024年全年"] and list(wuhan_2024.y) == [38.0, 38.0]
    assert list(fig.layout.xaxis.categoryarray) == [
        "2023年1-3月",
        "2023年1-6月",
        "2023年1-9月",
        "2023年全年",
        "2024年1-3月",
        "2024年1-6月",
        "2024年全年",
    ]


def test_no_projection_traces_without_projections(catalog, pm25):
    series, targets = pm25
    fig = trend_figure(series, targets, catalog["pm25"], "en", "PM2.5")
    assert not by_name(fig, LABEL_EN) and not [tr for tr in fig.data if (tr.name or "").endswith("projection")]
    assert "2024 Full year" not in fig.layout.xaxis.categoryarray
    fig = trend_figure(series, targets, catalog["pm25"], "en", "PM2.5", year_end_projections(series))
    assert by_name(fig, LABEL_EN) and by_name(fig, "武汉 year-end projection")


def test_trend_csv_marks_projection_rows(pm25):
    series, _ = pm25
    table = trend_csv_table(series, year_end_projections(series), "zh")
    assert list(table.columns) == ["region_name", "year", "period", "value", "value_type", "note"]
    assert (table["value_type"] == "actual").sum() == len(series)
    projected = table[table["value_type"] == "projection"]
    assert projected[["region_name", "year", "period"]].values.tolist() == [["武汉", 2024, 12]]
    assert projected["value"].iloc[0] == pytest.approx(36.0)
    assert projected["note"].iloc[0].startswith(LABEL_ZH) and "2023年全年/2023年1-6月" in projected["note"].iloc[0]
    assert trend_csv_table(series, None, "zh")["value_type"].eq("actual").all()


@pytest.fixture
def villages():
    series = pd.DataFrame(
        [("武汉", 2024, 3, 30.0), ("武汉", 2024, 6, 100.0), ("潜江", 2024, 12, 39.0)],
        columns=["region_name", "year", "period", "value"],
    )
    targets = pd.DataFrame([("武汉", 2024, 183.0), ("潜江", 2024, None)], columns=["region_name", "year", "target"])
    return pace_table(series, targets, 2024)


def test_pace_chart_draws_actuals_and_the_target_share_line(catalog, villages):
    fig = pace_figure(villages, catalog["rural_sewage_villages"], "zh", "序时进度")
    (line,) = by_name(fig, "武汉 序时进度")
    assert list(line.x) == ["1-3月", "1-6月", "1-9月", "全年"]
    assert list(line.y) == [183 * p / 12 for p in (3, 6, 9, 12)] and line.line.dash == "dash"
    (actual,) = by_name(fig, "武汉 累计完成")
    assert list(actual.x) == ["1-3月", "1-6月"] and list(actual.y) == [30.0, 100.0]
    assert list(actual.customdata) == ["66%", "109%"]  # share of 序时进度: 30/45.75, 100/91.5
    assert line.line.color == actual.line.color
    (qianjiang,) = by_name(fig, "潜江 累计完成")
    assert list(qianjiang.x) == ["全年"] and not by_name(fig, "潜江 序时进度")
    assert "潜江" in fig.layout.annotations[0].text and "未画序时进度线" in fig.layout.annotations[0].text


def test_pace_chart_in_english_and_without_data(catalog, villages):
    fig = pace_figure(villages, catalog["rural_sewage_villages"], "en", "Pace")
    assert by_name(fig, "武汉 time-elapsed pace") and list(fig.layout.xaxis.categoryarray)[-1] == "Full year"
    empty = pace_figure(villages.iloc[0:0], catalog["rural_sewage_villages"], "zh", "空")
    assert len(empty.data) == 0 and not empty.layout.annotations
