"""A stored issuer typed as HTML stays text in every chart: in the figure JSON the app sends, and in the image
kaleido draws from it (no SVG link to follow, no markup applied)."""

from __future__ import annotations

import json
import shutil
from xml.etree import ElementTree

import pandas as pd
import plotly.graph_objects as go
import pytest

from charts.gaps import actual_vs_target_figure, gap_bar_figure
from charts.overview import scorecard_figure
from charts.style import add_source_note
from charts.tables import target_sources, target_summary
from data_loaders import store
from data_loaders.bootstrap import init_database
from data_loaders.reports import gap_table, with_names
from indicators.catalog import load_catalog
from indicators.regions import load_regions
from indicators.targets import Target
from ui.wording import t

EVIL = '<a href="http://evil">x</a>'
EVIL_REGION = "<b>潜江</b><br><span style='font-size:80px'>大</span>"


def _evil_target() -> Target:
    """Stricter than Wuhan's own 56 %, so it is Wuhan's effective target and its issuer is named on the chart."""
    return Target(
        "rural_sewage_rate",
        "420100",
        2024,
        ">=",
        58.0,
        issuer_code="420000",
        issuer_name=EVIL,
        source_file=EVIL,
        source_clause=EVIL,
    )


@pytest.fixture
def gaps(engine) -> pd.DataFrame:
    catalog, regions = load_catalog(), load_regions()
    init_database(engine, catalog, regions, sample=True)
    store.add_targets(engine, [_evil_target()])
    codes = [r.code for r in regions.children("420000")]
    df = with_names(gap_table(engine, catalog, regions, 2024, 12, codes, ["rural_sewage_rate"]), catalog, regions)
    assert EVIL in set(df["target_issuer"])
    # a region name someone typed (a region table edited by hand): the charts treat it as text too
    return df.assign(region_name=df["region_name"].replace("潜江", EVIL_REGION))


def _figures(gaps: pd.DataFrame) -> dict[str, go.Figure]:
    catalog = load_catalog()
    ind = catalog["rural_sewage_rate"]
    title = t("gaps_title", "zh", year=2024, period="全年", indicator=ind.name("zh"))
    note = t("source_note", "zh", sources=target_sources(gaps))
    summary = target_summary(gaps, ind, "zh")
    return {
        "bars": gap_bar_figure(gaps, ind, "zh", title, note, subtitle=summary),
        "bars_pct": gap_bar_figure(gaps, ind, "zh", title, note, rank_by="margin_pct", subtitle=summary),
        "actual": actual_vs_target_figure(gaps, ind, "zh", title, note, subtitle=summary),
        "scorecard": scorecard_figure(gaps, catalog, list(gaps["region_code"]), "zh", EVIL, note),
    }


def _strings(node) -> list[str]:
    """Every text in a figure spec, however deep (fig.to_json() would hide "<" as \\u003c)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        node = list(node.values())
    if isinstance(node, list | tuple):
        return [s for item in node for s in _strings(item)]
    if hasattr(node, "tolist"):
        return _strings(node.tolist())
    return []


def test_issuer_and_region_markup_is_escaped_in_the_figure_json(gaps):
    for name, fig in _figures(gaps).items():
        spec = "\n".join(_strings(fig.to_plotly_json()))
        assert "<a" not in spec and "<b>" not in spec and "<span" not in spec, name
        assert '&lt;a href="http://evil"&gt;x&lt;/a&gt;' in spec, name
        assert "&lt;b&gt;潜江&lt;/b&gt;" in spec, name
    # our own markup survives: the subtitle line under the title
    assert "<br><sup>有效目标" in _figures(gaps)["bars"].layout.title.text


needs_browser = pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium not installed")


@needs_browser
def test_the_exported_image_has_no_link(gaps):
    """kaleido draws the PNG from the same figure in Chromium; its SVG shows what that drawing contains."""
    fig = _figures(gaps)["bars"]
    svg = fig.to_image(format="svg", width=1000, height=800).decode()
    assert "xlink:href" not in svg and "<a " not in svg
    root = ElementTree.fromstring(svg)
    drawn = "".join(root.itertext())
    assert EVIL in drawn and "<b>潜江</b>" in drawn  # the issuer and the region are drawn, as the text typed
    assert not [e for e in root.iter() if "80px" in e.get("style", "")]  # the typed <span style> applies nothing
    assert not [e for e in root.iter() if e.tag.endswith("}a")]
    # the check can fail: the same note unescaped does become a link in the image
    raw = go.Figure(go.Bar(x=[1], y=["a"]))
    raw.add_annotation(text=EVIL, x=0, y=0, showarrow=False)
    assert 'xlink:href="http://evil"' in raw.to_image(format="svg").decode()
    png = fig.to_image(format="png", width=1000, height=800)
    assert png.startswith(b"\x89PNG")


def test_source_note_is_plain_text():
    fig = go.Figure()
    add_source_note(fig, f"目标来源：{EVIL}", 70)
    assert fig.layout.annotations[0].text == '目标来源：&lt;a href="http://evil"&gt;x&lt;/a&gt;'


def test_gaps_page_sends_escaped_figure(app, db_url):
    """Through the app: the issuer stored by a person reaches the page's chart as text."""
    import streamlit as st

    from data_loaders.db import make_engine

    app.run()  # first start fills the database with the sample data
    engine = make_engine(db_url)
    store.add_targets(engine, [_evil_target()])
    engine.dispose()
    st.cache_data.clear()
    st.cache_resource.clear()  # the figures are kept per data version, which only the app's own writes bump
    app.run()
    assert not app.exception, app.exception
    fig = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert not [text for text in _strings(fig) if "<a" in text]
    assert '&lt;a href="http://evil"&gt;' in fig["layout"]["annotations"][0]["text"]
