"""Every province works, not only Hubei and Hunan: 江西 360000 gets a template with its 11 cities, the template
filled in imports (CLI and data layer), its gaps list the 11 cities and the map draws them; and every page opens
for 江西 and for a municipality (北京 110000, whose units are districts)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

import cli
from charts.map import city_map_figure
from data_loaders import store
from data_loaders.boundaries import units_of
from data_loaders.db import make_engine
from data_loaders.pipeline import parse_workbook
from data_loaders.reports import gap_table, with_names

JIANGXI = "360000"
PAGES = ["pages/gaps.py", "pages/overview.py", "pages/trends.py", "pages/map.py", "pages/briefing.py"]
PAGES += ["pages/upload.py", "pages/catalog.py"]


def _filled(template: bytes, catalog, n_units: int, shift: float) -> bytes:
    """The template with a plausible value in every cell, as a bureau sends it back."""
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    for row in range(3, 3 + n_units):
        for col, ind in enumerate(catalog, start=2):
            value = (ind.min_value + min(ind.max_value, 100)) / 2 + row / 10 + shift
            ws.cell(row=row, column=col, value=round(value, 1))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _gap_units(engine, catalog, regions, period: int, code: str):
    units = [r.code for r in regions.children(JIANGXI)]
    gaps = gap_table(engine, catalog, regions, 2024, period, units, [code])
    return with_names(gaps, catalog, regions, "zh")


def test_jiangxi_template_import_gaps_and_map(db_url, catalog, regions, tmp_path, capsys):
    cities = regions.children(JIANGXI)
    assert len(cities) == 11
    assert cli.main(["init", "--db", db_url]) == 0
    template = tmp_path / "jiangxi_q3.xlsx"
    assert cli.main(["template", "--year", "2024", "--period", "Q3", "--province", JIANGXI, "-o", str(template)]) == 0
    ws = openpyxl.load_workbook(template).worksheets[0]
    listed = [ws.cell(row=row, column=1).value for row in range(3, 3 + len(cities))]
    assert [regions.resolve(v) for v in listed] == [c.code for c in cities]

    # through the CLI: Q3
    filled = tmp_path / "jiangxi_q3_filled.xlsx"
    filled.write_bytes(_filled(template.read_bytes(), catalog, len(cities), 0.0))
    capsys.readouterr()
    assert cli.main(["import", str(filled), "--db", db_url]) == 0, capsys.readouterr().err
    # through the data layer, as the upload page does: the Q2 template
    from data_loaders.template import template_bytes

    data = _filled(template_bytes(catalog, regions, 2024, 6, JIANGXI), catalog, len(cities), -0.5)
    parsed = parse_workbook(data, catalog, regions)
    assert not parsed.has_errors, parsed.problems.to_string()
    engine = make_engine(db_url)
    try:
        summary = store.commit_upload(engine, parsed.tidy, "jiangxi_q2.xlsx", store.sha256_of(data))
        assert summary.inserted == len(parsed.tidy)
        for period in (6, 9):
            gaps = _gap_units(engine, catalog, regions, period, "pm25")
            assert set(gaps["region_code"]) == {c.code for c in cities}
            assert gaps["actual"].notna().all()
        # No region group is listed for 江西: its own figure is worked out over all its 11 cities, as the statistics
        # do it (PM2.5: the arithmetic mean of the cities' published values), and says so.
        (province,) = gap_table(engine, catalog, regions, 2024, 9, [JIANGXI], ["pm25"]).itertuples()
        mean = catalog["pm25"].published(gaps["actual"].mean())
        assert (province.value_source, province.aggregate_over, province.actual) == ("aggregated", "", mean)
        fig = city_map_figure(gaps, catalog["pm25"], units_of(JIANGXI), regions, "zh", "江西")
        assert sorted(tr.meta for tr in fig.data if tr.meta) == sorted(c.code for c in cities)
        labels = next(tr for tr in fig.data if tr.name == "labels").text
        assert "南昌" in labels and "赣州" in labels
    finally:
        engine.dispose()


@pytest.mark.parametrize("province", [JIANGXI, "110000"])
def test_every_page_opens_for_another_province(app, analyst, province):
    app.run()  # signed in as an analyst: the upload page is among the pages
    app.selectbox(key="w_province").set_value(province).run()
    assert not app.exception, app.exception
    for path in PAGES:
        app.switch_page(path).run()
        assert not app.exception, (path, app.exception)
    app.switch_page("pages/map.py").run()
    fig = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert (
        len([tr for tr in fig["data"] if tr.get("meta")]) == len(units_of(province)) == {JIANGXI: 11}.get(province, 16)
    )


def test_a_municipality_reads_as_districts(app):
    app.run()
    app.selectbox(key="w_province").set_value("110000").run()
    app.switch_page("pages/overview.py").run()
    assert not app.exception, app.exception
    title = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    assert "北京市各区" in title and "各市州" not in title
    app.radio(key="w_lang").set_value("en").run()
    options = app.selectbox(key="w_province").options
    assert "Beijing" in options and "Hubei" in options
    assert not any(o.endswith(" Province") for o in options)
    title = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    assert "by district" in title
