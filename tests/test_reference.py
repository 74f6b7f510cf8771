"""Catalog, regions and period parsing: the names bureaus write resolve to the right codes."""

from __future__ import annotations

import pytest

from indicators.periods import find_year_period, parse_period, parse_year, period_label

DESIGN_CODES = {
    "pm25",
    "good_air_ratio",
    "heavy_pollution_ratio",
    "heavy_pollution_days",
    "water_good_ratio",
    "water_below_v_ratio",
    "drinking_water_ratio",
    "black_odorous_elimination",
    "rural_sewage_rate",
    "farmland_safe_use",
    "contaminated_land_safe_use",
    "co2_intensity",
    "co2_intensity_reduction",
    "heavy_metal_emissions",
    "hazardous_waste_disposal",
    "medical_waste_disposal",
    "eqi",
    "outfall_rectification",
    "village_env_rectification",
    "rural_black_odorous_treated",
}


def test_catalog_has_every_design_code_with_all_fields(catalog):
    assert DESIGN_CODES <= {i.code for i in catalog}
    for ind in catalog:
        assert ind.name_zh and ind.name_en and ind.unit and ind.definition_zh and ind.standard, ind.code
        assert ind.min_value < ind.max_value
    assert catalog["village_env_rectification"].kind == "count"
    assert catalog["pm25"].direction == "lower_better" and catalog["good_air_ratio"].direction == "higher_better"


@pytest.mark.parametrize(
    "label, code",
    [
        ("PM2.5", "pm25"),
        ("PM2.5累计浓度均值", "pm25"),
        ("优良天数比例", "good_air_ratio"),
        ("优良天数比率", "good_air_ratio"),
        ("Ⅰ~Ⅲ类断面比例", "water_good_ratio"),
        ("农村生活污水治理率", "rural_sewage_rate"),
        ("ＰＭ２.５", "pm25"),
        ("rural_sewage_rate", "rural_sewage_rate"),
        ("不存在的指标", None),
    ],
)
def test_indicator_aliases(catalog, label, code):
    assert catalog.resolve(label) == code


def test_regions_cover_hubei_and_hunan(regions):
    hubei = {r.code for r in regions.children("420000")}
    hunan = {r.code for r in regions.children("430000")}
    assert len(hubei) == 17 and {"420100", "422800", "429004", "429005", "429006", "429021"} <= hubei
    assert len(hunan) == 14 and {"430100", "433100"} <= hunan
    assert regions.ancestors("429005") == ["420000", "000000"]


@pytest.mark.parametrize(
    "name, code",
    [
        ("武汉", "420100"),
        ("武汉市", "420100"),
        ("恩施", "422800"),
        ("恩施州", "422800"),
        ("恩施土家族苗族自治州", "422800"),
        ("神农架", "429021"),
        ("神农架林区", "429021"),
        ("襄樊", "420600"),
        ("湘西", "433100"),
        ("湘西州", "433100"),
        ("武 汉", "420100"),
        ("武汉*", "420100"),
        ("420100", "420100"),
        (420100.0, "420100"),
        ("潜江市", "429005"),
        ("北京", "110000"),
        ("南昌市", "360100"),
        ("纽约", None),
        ("", None),
    ],
)
def test_region_names(regions, name, code):
    assert regions.resolve(name) == code


def test_unknown_region_gets_suggestions(regions):
    assert "武汉" in regions.suggest("武昌")


@pytest.mark.parametrize(
    "text, period",
    [
        ("Q1", 3),
        ("q2", 6),
        ("第二季度", 6),
        ("二季度", 6),
        ("1-6月", 6),
        ("1—4月", 4),
        ("上半年", 6),
        ("前三季度", 9),
        ("全年", 12),
        ("2024年1-6月", 6),
        ("1-12月", 12),
        ("annual", 12),
        (6, 6),
        (9.0, 9),
        ("13", None),
        ("下半年", None),
        (None, None),
    ],
)
def test_parse_period(text, period):
    assert parse_period(text) == period


def test_parse_year_and_title():
    assert parse_year("2024年") == 2024 and parse_year(2023.0) == 2023 and parse_year("abc") is None
    assert find_year_period("2024年1-6月各市州环境质量状况") == (2024, 6)
    assert find_year_period("表1 2020年1-7月各市州所在城市环境空气质量状况") == (2020, 7)
    assert find_year_period("2023年第三季度") == (2023, 9)
    assert period_label(6) == "1-6月" and period_label(12, "en") == "Full year"
