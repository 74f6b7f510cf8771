"""Drafting targets from plan text: one case per tricky phrasing (DESIGN.md, Targets drafted from a work plan)."""

from __future__ import annotations

import pytest

from indicators.draft_table import DRAFT_COLUMNS, drafts_frame
from indicators.drafting import draft_targets


def drafted(text, catalog, regions):
    return [
        (d.indicator_code or d.indicator_text, d.comparator, d.value, d.form, d.baseline_year, d.stretch, d.tolerance)
        for d in draft_targets(text, catalog, regions, year=2024, region="420000")
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("全省受污染耕地安全利用率达到92%以上", [("farmland_safe_use", ">=", 92, "absolute", None, False, None)]),
        ("农村生活污水治理率达到百分之四十六", [("rural_sewage_rate", ">=", 46, "absolute", None, False, None)]),
        ("PM2.5年均浓度控制在35微克/立方米以内", [("pm25", "<=", 35, "absolute", None, False, None)]),
        ("集中式饮用水水源水质达标率高于96.4%", [("drinking_water_ratio", ">", 96.4, "absolute", None, False, None)]),
        ("重污染天数比率低于1%", [("heavy_pollution_ratio", "<", 1, "absolute", None, False, None)]),
        ("无劣V类断面", [("water_below_v_ratio", "<=", 0, "absolute", None, False, None)]),
        ("基本消除劣Ⅴ类国控断面", [("water_below_v_ratio", "<=", 0, "absolute", None, False, None)]),
        ("全省地表水国控断面达到国家考核目标要求", [("water_good_ratio", ">=", None, "pending", None, False, None)]),
        ("完成1000个左右行政村环境整治", [("village_env_rectification", ">=", 1000, "absolute", None, False, 0.95)]),
        (
            "力争完成三个土壤污染治理与修复试点项目",
            [("soil_remediation_projects", ">=", 3, "absolute", None, True, None)],
        ),
        (
            "完成2至3个土壤污染治理与修复试点项目",
            [("soil_remediation_projects", ">=", 2, "absolute", None, False, None)],
        ),
        (
            "完成二至三个土壤污染治理与修复试点项目",
            [("soil_remediation_projects", ">=", 2, "absolute", None, False, None)],
        ),
        ("PM2.5年均浓度控制在30至35微克/立方米", [("pm25", "<=", 35, "absolute", None, False, None)]),
        (
            "重点行业重点重金属排放量比2013年下降10%",
            [("heavy_metal_emissions", "<=", -10, "relative", 2013, False, None)],
        ),
        (
            "单位生产总值二氧化碳排放比上年下降1.2%以上",
            [
                ("co2_intensity", "<=", -1.2, "relative", 2023, False, None),
                ("co2_intensity_reduction", ">=", 1.2, "absolute", None, False, None),
            ],
        ),
        (
            "二氧化硫、氮氧化物排放量分别比上年下降4%、5%以上",
            [
                ("二氧化硫排放量", "<=", -4, "relative", 2023, False, None),
                ("氮氧化物排放量", "<=", -5, "relative", 2023, False, None),
            ],
        ),
        (
            "氮氧化物重点工程减排量达到国家考核目标要求",
            [("nox_reduction_projects", ">=", None, "pending", None, False, None)],
        ),
        # Subject in the clause before; the other work joined by 和; parts in brackets; 不低于 is not 低于.
        (
            "深入推进长江入河排污口整治,确保2024年底前完成95%的整治任务",
            [("outfall_rectification", ">=", 95, "absolute", None, False, None)],
        ),
        (
            "完成重点支流排污口溯源和70%的整治任务",
            [("tributary_outfall_rectification", ">=", 70, "absolute", None, False, None)],
        ),
        (
            "完成长江入河排污口整治任务",
            [("outfall_rectification", ">=", 100, "absolute", None, False, None)],
        ),
        ("基本完成长江入河排污口整治任务", []),
        (
            "完成受污染耕地安全利用、严格管控536.55万亩（安全利用489万亩、严格管控不低于47.55万亩）",
            [
                ("farmland_safe_use_area", ">=", 489, "absolute", None, False, None),
                ("farmland_strict_control_area", ">=", 47.55, "absolute", None, False, None),
            ],
        ),
        # No worse than the year before (DESIGN.md: 稳中向好 is a relative target of 0); a grade's floor.
        ("全市生态质量指数(EQI)稳中向好", [("eqi", ">=", 0, "relative", 2023, False, None)]),
        ("地下水质量考核点位水质级别保持稳定", [("groundwater_v_ratio", "<=", 0, "relative", 2023, False, None)]),
        (
            "全省环境空气质量只能持续改善,不能倒退变差",
            [
                ("pm25", "<=", 0, "relative", 2023, False, None),
                ("good_air_ratio", ">=", 0, "relative", 2023, False, None),
            ],
        ),
        ("生态环境指数保持良好", [("ei", ">=", 55, "absolute", None, False, None)]),
        ("生态环境质量总体稳定并持续向好", []),
        (
            "地级城市集中式饮用水水源地水质稳定达标",
            [("drinking_water_ratio", ">=", None, "pending", None, False, None)],
        ),
        (
            "全市地表水国控、省控断面优良比例达到省考核要求",
            [("water_good_ratio", ">=", None, "pending", None, False, None)],
        ),
        ("不发生较大及以上突发环境事件", [("major_env_incidents", "=", 0, "absolute", None, False, None)]),
        (
            "PM2.5年平均浓度比2022年下降2%以上,下降幅度力争达到3%",
            [
                ("pm25", "<=", -2, "relative", 2022, False, None),
                ("pm25", "<=", -3, "relative", 2022, True, None),
            ],
        ),
        # A change with no baseline named (the person confirming fills it in); named regions are a scope.
        (
            "京津冀及周边地区、汾渭平原PM2.5浓度分别下降20%、15%",
            [("pm25", "<=", -20, "relative", None, False, None), ("pm25", "<=", -15, "relative", None, False, None)],
        ),
        ("PM2.5浓度下降到35微克/立方米", [("pm25", "<=", 35, "absolute", None, False, None)]),
        ("劣五类水体比例控制在1.8%以内", [("water_below_v_ratio", "<=", 1.8, "absolute", None, False, None)]),
        ("重污染天气比例保持在0.8%以下", [("heavy_pollution_ratio", "<=", 0.8, "absolute", None, False, None)]),
        ("全国地下水质量极差的比例控制在15%左右", [("groundwater_v_ratio", "<=", 15, "absolute", None, False, 0.95)]),
        ("城市建成区黑臭水体总体得到消除", [("black_odorous_elimination", ">=", 100, "absolute", None, False, None)]),
        (
            "全省地表水监测断面水质达到或好于Ⅲ类断面比例达到93.4%",
            [("water_good_ratio", ">=", 93.4, "absolute", None, False, None)],
        ),
        (
            "对27个省控断面进行调度,确保全年优良比例达到100%",
            [("省控断面优良比例", ">=", 100, "absolute", None, False, None)],
        ),
        ("PM2.5平均浓度好于国家考核目标2.1微克/立方米", []),
        ("优良天数比率比目标高1.5个百分点", []),
        ("2023年为41.2%", []),
        ("推动100家重点企业绩效升A晋B", []),
    ],
)
def test_phrasings(text, expected, catalog, regions):
    assert drafted(text, catalog, regions) == expected


def test_headline_restated_is_merged(catalog, regions):
    text = "农村生活污水治理率达到46.58%。\n加快农村治理,农村生活污水治理率达到46.58%。"
    (draft,) = draft_targets(text, catalog, regions)
    assert (draft.clause_start, draft.restated) == (0, 1)


def test_clause_offsets_point_into_the_text(catalog, regions):
    text = "一、主要目标\n全省受污染耕地安全利用率达到92%以上,农村生活污水治理率达到46.58%。"
    for d in draft_targets(text, catalog, regions):
        assert text[d.clause_start : d.clause_end] == d.source_clause


def test_defaults_from_the_title(catalog, regions):
    (d,) = draft_targets("湖北省生态环境厅2024年工作要点\n农村生活污水治理率达到46.58%", catalog, regions)
    assert (d.year, d.region_code, d.issuer) == (2024, "420000", "湖北省生态环境厅")


def test_drafts_frame_columns(catalog, regions):
    frame = drafts_frame(draft_targets("农村生活污水治理率达到46.58%", catalog, regions))
    assert list(frame.columns) == DRAFT_COLUMNS and frame["confirm"].tolist() == [""]
