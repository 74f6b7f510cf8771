"""Header matching by meaning: a corpus of real bulletin headers from several provinces, and the rules one by one."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from indicators.catalog import Catalog, Indicator, load_catalog
from indicators.matching import HeaderMatch, fold, match_header, match_name

CORPUS = Path(__file__).parent / "fixtures" / "headers.csv"
NOT_MAPPED = ("unknown", "ambiguous")


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


def corpus_rows() -> list[dict]:
    with open(CORPUS, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def outcome(m: HeaderMatch) -> str:
    """The match written as the corpus writes its expectations."""
    if m.part in NOT_MAPPED:
        return "none"
    if m.part == "ignore":
        return "ignore"
    return m.code if m.part == "value" else f"{m.part}:{m.code}"


def test_corpus_is_real_and_wide():
    rows = corpus_rows()
    assert len(rows) >= 60
    assert {"湖北", "湖南"} <= {r["province"] for r in rows}
    assert len({r["province"] for r in rows} - {"全国"}) >= 4
    assert all(r["source"] for r in rows), "every header names where it was seen"


def test_corpus_expectations_name_catalog_codes(cat):
    for r in corpus_rows():
        expected = r["expected"]
        if expected in ("none", "ignore"):
            continue
        part, _, code = expected.rpartition(":")
        assert part in ("", "numerator", "denominator"), r
        assert code in cat, r


def test_corpus_no_wrong_mapping_and_95_percent_mapped(cat):
    rows = corpus_rows()
    wrong, mapped, mappable = [], 0, 0
    for r in rows:
        got = outcome(match_header(r["header"], cat, r["parent"]))
        expected = r["expected"]
        if expected not in ("none", "ignore"):
            mappable += 1
            mapped += got == expected
        if got != expected and got != "none":
            wrong.append((r["header"], r["parent"], expected, got))
    assert not wrong, f"wrong mappings: {wrong}"
    assert mapped >= 0.95 * mappable, f"mapped {mapped} of {mappable}"


@pytest.mark.parametrize(
    "header, parent, code",
    [
        ("比例(%)", "优良天数比例", "good_air_ratio"),
        ("比例（%）", "优良天数比例", "good_air_ratio"),
        ("实测值(%)", "优良天数率", "good_air_ratio"),
        ("浓度 (μg/m3)", "PM2.5", "pm25"),
        ("重污染天数", "重污染天数", "heavy_pollution_days"),
        ("Ⅰ~Ⅲ类比例(%)", "", "water_good_ratio"),
        ("比例(%)", "Ⅰ~Ⅲ类", "water_good_ratio"),
    ],
)
def test_merged_two_row_header(cat, header, parent, code):
    m = match_header(header, cat, parent)
    assert (m.code, m.part) == (code, "value")


def test_merged_header_parent_with_content_decides(cat):
    # '优良比例' alone is air; under '国考断面' it is water; under '省考断面' it is neither.
    assert match_header("优良比例", cat, "国考断面").code == "water_good_ratio"
    assert match_header("优良比例", cat, "省考断面").part in NOT_MAPPED
    # A period above a header adds nothing.
    assert match_header("优良率(%)", cat, "2024年1-6月").code == "good_air_ratio"


def test_long_format_indicator_name(cat):
    m = match_name("地表水考核断面水质优良比例", cat)
    assert (m.code, m.part) == ("water_good_ratio", "value")
    assert match_name("细颗粒物(PM2.5)平均浓度", cat).code == "pm25"


@pytest.mark.parametrize(
    "header",
    [
        "PM2.5(%)",
        "优良天数比例(μg/m³)",
        "优良天数比例(ug/m3)",
        "Ⅰ~Ⅲ类比例(微克/立方米)",
        "PM2.5浓度(个)",
        "优良天数比例(天)",
    ],
)
def test_unit_must_fit(cat, header):
    m = match_header(header, cat)
    assert m.part in NOT_MAPPED
    assert m.code is None


@pytest.mark.parametrize("header", ["PM2.5浓度(μg/m³)", "PM2.5(ug/m3)", "PM2.5浓度(微克/立方米)", "PM2.5均值(µg/m3)"])
def test_concentration_unit_spellings(cat, header):
    m = match_header(header, cat)
    assert (m.code, m.unit) == ("pm25", "μg/m³")


def test_a_concentration_header_never_maps_to_a_percentage(cat):
    pct = {i.code for i in cat if i.unit == "%"}
    for r in corpus_rows():
        m = match_header(r["header"], cat, r["parent"])
        if m.unit == "μg/m³":
            assert m.code not in pct, r


def test_numerator_and_denominator_columns(cat):
    assert outcome(match_header("Ⅰ~Ⅲ类断面数", cat)) == "numerator:water_good_ratio"
    assert outcome(match_header("劣V类断面数(个)", cat)) == "numerator:water_below_v_ratio"
    assert outcome(match_header("优良天数(天)", cat)) == "numerator:good_air_ratio"
    assert outcome(match_header("有效监测天数", cat)) == "denominator:good_air_ratio"
    assert outcome(match_header("应整治排污口数", cat)) == "denominator:outfall_rectification"


def test_shared_denominator_names_the_first_ratio_and_the_others(cat):
    m = match_header("断面总数", cat)
    assert (m.code, m.part) == ("water_good_ratio", "denominator")
    assert [c for c, _ in m.candidates] == ["water_good_ratio", "water_below_v_ratio"]


def test_an_indicators_own_alias_beats_being_a_numerator(cat):
    assert outcome(match_header("重污染天数(天)", cat)) == "heavy_pollution_days"
    assert outcome(match_header("完成生活污水治理行政村数", cat)) == "rural_sewage_villages"


def test_close_rivals_are_ambiguous_with_three_candidates():
    def ind(code: str, *aliases: str) -> Indicator:
        return Indicator(
            code, aliases[0], code, aliases, "%", "higher_better", "level", "ratio", 0, 100, 1, "x", "", "", ""
        )

    catalog = Catalog(
        [
            ind("a_ratio", "优良天数比例"),
            ind("b_ratio", "优良天数比率"),
            ind("c_ratio", "优良天数占比"),
            ind("d_ratio", "重污染天数比例"),
        ]
    )
    m = match_header("优良天数比例(%)", catalog)
    assert (m.part, m.code) == ("ambiguous", None)
    assert len(m.candidates) == 3
    assert {c for c, _ in m.candidates} == {"a_ratio", "b_ratio", "c_ratio"}


def test_unknown_returns_the_closest_three(cat):
    m = match_header("PM10浓度(μg/m³)", cat)
    assert m.part == "unknown" and m.code is None
    assert len(m.candidates) == 3 and m.candidates[0][0] == "pm25"
    assert m.candidates == tuple(sorted(m.candidates, key=lambda c: -c[1]))


@pytest.mark.parametrize(
    "header, parent",
    [
        ("排名", ""),
        ("序号", ""),
        ("名次", ""),
        ("排序", ""),
        ("PM2.5同比(%)", ""),
        ("环比", ""),
        ("首要污染物", ""),
        ("变化幅度", ""),
        ("升降", ""),
        ("增减(百分点)", ""),
        ("同比", "PM2.5浓度"),
        ("PM2.5", "同比变化"),
    ],
)
def test_ignore_words(cat, header, parent):
    m = match_header(header, cat, parent)
    assert (m.part, m.code, m.score) == ("ignore", None, 0.0)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Ⅰ~Ⅲ类", "I-III类"),
        ("Ⅰ~Ⅲ类", "一至三类"),
        ("Ⅰ～Ⅲ类", "Ⅰ—Ⅲ类"),
        ("Ⅰ－Ⅲ类", "I–III类"),
        ("劣Ⅴ类", "劣V类"),
        ("劣Ⅴ类", "劣五类"),
        ("μg/m³", "µg/m3"),
        ("ＰＭ２.５", "pm2.5"),
        ("优良 天数　比例", "优良天数比例"),
        ("（％）", "(%)"),
    ],
)
def test_fold_unifies_look_alikes(a, b):
    assert fold(a) == fold(b)


def test_fold_keeps_latin_words():
    assert fold("AQI优良率") == "aqi优良率"
    assert fold(None) == ""


def test_resolve_still_exact(cat):
    assert cat.resolve("优良天数比例") == "good_air_ratio"
    assert cat.resolve("优良天数比例比例(%)") is None


def test_catalog_parts_are_read(cat):
    assert "断面总数" in cat["water_good_ratio"].denominator_labels
    assert "优良天数" in cat["good_air_ratio"].numerator_labels
    assert cat["pm25"].numerator_labels == ()
    assert ("国考", "考核", "国控", "国家考核") in cat["water_good_ratio"].coinciding_terms


def test_memoised_and_fast(cat):
    labels = [r["header"] for r in corpus_rows()]
    for label in labels:
        match_name(label, cat)
    assert match_name(labels[0], cat) is match_name(labels[0], cat)
    start = time.perf_counter()
    for _ in range(100):
        for label in labels:
            match_name(label, cat)
    per_call = (time.perf_counter() - start) / (100 * len(labels))
    assert per_call < 0.001
    # A new label pays the full pipeline once: still well under a few milliseconds.
    start = time.perf_counter()
    for i in range(200):
        match_name(f"指标{i}浓度", cat)
    assert (time.perf_counter() - start) / 200 < 0.005
