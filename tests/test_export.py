"""Export bytes: CSV with BOM and formula escaping; PNG with Chinese text through one guarded browser."""

from __future__ import annotations

import io
import shutil
import threading

import pandas as pd
import plotly.graph_objects as go
import pytest

from charts.export import PngExporter, csv_bytes
from charts.safe_text import spreadsheet_cell


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("=1+2", "'=1+2"),
        ("+cmd", "'+cmd"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-3.5", "-3.5"),
        ("+4", "+4"),
        ("武汉", "武汉"),
        (3.5, 3.5),
        ("", ""),
    ],
)
def test_spreadsheet_cell(cell, expected):
    assert spreadsheet_cell(cell) == expected


def test_csv_has_bom_chinese_and_escapes_text_only():
    df = pd.DataFrame({"地区": ["武汉", '=HYPERLINK("x")'], "margin": [-1.5, 2.0], "note": ["-2", "@x"]})
    data = csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["地区", "margin", "note"]
    assert back["地区"].tolist() == ["武汉", '\'=HYPERLINK("x")']
    assert back["margin"].tolist() == [-1.5, 2.0]  # numeric cells untouched
    assert back["note"].astype(str).tolist() == ["-2", "'@x"]


needs_browser = pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium not installed")


@pytest.fixture(scope="module")
def exporter():
    return PngExporter()


def _figure(title: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=[1, -2, 3], y=["武汉", "黄石", "潜江"], orientation="h"))
    fig.update_layout(title=title, font={"family": "Noto Sans CJK SC"}, height=400)
    return fig


@needs_browser
def test_png_renders_chinese_title(exporter):
    from PIL import Image

    png = exporter.to_png(_figure("农村生活污水治理率差距"), width=600, height=400, scale=1)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    img = Image.open(io.BytesIO(png)).convert("L")
    assert img.size == (600, 400)
    # The title strip holds dark glyph pixels (boxes for missing glyphs would too, but far fewer).
    title_strip = img.crop((0, 0, 600, 60))
    dark = sum(title_strip.histogram()[:128])
    assert dark > 300


@needs_browser
def test_png_export_is_thread_safe(exporter):
    titles = [f"图{i}" for i in range(4)]
    results: dict[str, bytes] = {}

    def work(title):
        results[title] = exporter.to_png(_figure(title), width=300, height=200, scale=1)

    threads = [threading.Thread(target=work, args=(t,)) for t in titles]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len({results[t] for t in titles}) == len(titles)  # each thread got its own image
