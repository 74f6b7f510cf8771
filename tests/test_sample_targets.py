"""sample_data/targets.csv: well formed and traceable to the seed documents (the seed actuals and the clauses that
are not targets: test_sample_coverage.py).

Every target quotes a clause of a real work plan or year-end summary in
../shared/seeds/. The clause check fails (never skips) when that folder is missing: CI always
checks the repository out with shared/ beside it.
"""

from __future__ import annotations

from collections import Counter

import pytest

from indicators.groups import load_region_groups
from indicators.targets import COMPARATORS, FORMS, SCOPES, load_sample_targets
from tests.seed_documents import PLAN_FILES, read_csv, read_seed_texts, squash

TARGET_HEADER = (
    "indicator_code,region_code,year,comparator,value,form,baseline_year,relative_unit,"
    "issuer_code,issuer_name,binding,source_file,source_clause,note,scope,region_group,tolerance"
).split(",")
RELATIVE_UNITS = ("%", "pp", "abs")
BINDINGS = ("", "约束性", "预期性")


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    return read_seed_texts()


@pytest.fixture(scope="module")
def target_rows() -> list[dict]:
    header, rows = read_csv("targets.csv")
    assert header == TARGET_HEADER
    return rows


@pytest.fixture(scope="module")
def targets():
    return load_sample_targets()


# --- targets.csv ------------------------------------------------------------------------------------------------


def test_every_row_loads(target_rows, targets):
    assert len(targets) == len(target_rows) > 0
    for row, t in zip(target_rows, targets, strict=True):
        assert (t.indicator_code, t.region_code, t.year, t.form) == (
            row["indicator_code"],
            row["region_code"],
            int(row["year"]),
            row["form"],
        )


def test_targets_are_well_formed(targets, catalog, regions):
    for t in targets:
        assert t.indicator_code in catalog, t
        assert t.region_code in regions.by_code and t.issuer_code in regions.by_code, t
        assert t.comparator in COMPARATORS and t.form in FORMS, t
        assert (t.value is None) == (t.form == "pending"), t  # a value exactly when not pending
        if t.form == "relative":
            assert t.baseline_year and t.baseline_year < t.year and t.relative_unit in RELATIVE_UNITS, t
        else:
            assert t.baseline_year is None and t.relative_unit is None, t
        assert t.binding in BINDINGS, t
        assert t.issuer_name and t.source_file and t.source_clause, t
        assert len(t.source_clause) <= 160, t


def test_comparator_points_the_indicator_s_way(targets, catalog):
    # "not less than" for higher-is-better, "not more than" for lower-is-better (also for relative changes);
    # "=" only for "不发生…" (a count that must stay 0).
    for t in targets:
        allowed = (">=", ">") if catalog[t.indicator_code].higher_better else ("<=", "<")
        if t.comparator == "=":
            assert t.value == 0 and catalog[t.indicator_code].kind == "count" and "发生" in t.source_clause, t
        else:
            assert t.comparator in allowed, t


def test_absolute_values_are_within_the_catalog_range(targets, catalog):
    for t in targets:
        if t.form == "absolute":
            ind = catalog[t.indicator_code]
            assert ind.min_value <= t.value <= ind.max_value, t


def test_year_and_issuer_follow_the_document(targets):
    for t in targets:
        assert t.source_file in PLAN_FILES, t  # 003 holds actuals, not targets
        year, issuer = PLAN_FILES[t.source_file]
        assert (t.year, t.issuer_code, t.region_code) == (year, issuer, issuer), t


def test_no_duplicate_targets(targets):
    # The store deduplicates on this key: a duplicate row would vanish silently.
    keys = Counter(
        (t.indicator_code, t.region_code, t.year, t.form, t.source_file, t.source_clause, t.issuer_code)
        for t in targets
    )
    assert [k for k, n in keys.items() if n > 1] == []


def test_every_clause_is_quoted_verbatim(targets, seed_texts):
    for t in targets:
        assert squash(t.source_clause) in seed_texts[t.source_file], (t.source_file, t.source_clause)


def test_each_work_plan_contributes(targets):
    per_file = Counter(t.source_file for t in targets)
    assert all(per_file[f] >= 5 for f in PLAN_FILES), per_file


def test_pending_targets_are_kept(targets):
    pending = {(t.source_file[:3], t.indicator_code, t.region_code, t.year) for t in targets if t.form == "pending"}
    assert {
        ("000", "pm25", "420000", 2024),
        ("000", "good_air_ratio", "420000", 2024),
        ("000", "heavy_pollution_ratio", "420000", 2024),
        ("000", "water_good_ratio", "420000", 2024),
        ("002", "black_odorous_elimination", "420000", 2020),
    } <= pending


def find(targets, region, year, indicator, form=None):
    hits = [
        t
        for t in targets
        if (t.region_code, t.year, t.indicator_code) == (region, year, indicator) and form in (None, t.form)
    ]
    assert len(hits) == 1, (region, year, indicator, form, hits)
    return hits[0]


@pytest.mark.parametrize(
    "region, year, indicator, comparator, value, form",
    [
        ("420000", 2024, "rural_sewage_rate", ">=", 46.58, "absolute"),
        ("420000", 2024, "farmland_safe_use", ">=", 92, "absolute"),
        ("420000", 2024, "outfall_rectification", ">=", 95, "absolute"),
        ("420000", 2024, "outfall_acceptance", ">=", 80, "absolute"),
        ("420000", 2024, "village_env_rectification", ">=", 1571, "absolute"),
        ("420000", 2024, "rural_black_odorous_treated", ">=", 123, "absolute"),
        ("420000", 2024, "pm25", "<=", None, "pending"),
        ("420100", 2024, "rural_sewage_rate", ">=", 56, "absolute"),
        ("420100", 2024, "water_below_v_ratio", "<=", 0, "absolute"),
        ("420100", 2024, "hazardous_waste_disposal", ">=", 100, "absolute"),
        ("420100", 2024, "medical_waste_disposal", ">=", 100, "absolute"),
        ("420100", 2024, "outfall_acceptance", ">=", 60, "absolute"),
        ("420100", 2024, "rural_black_odorous_treated", ">=", 53, "absolute"),
        ("420000", 2020, "water_good_ratio", ">=", 88.6, "absolute"),
        ("420000", 2020, "water_below_v_ratio", "<=", 0, "absolute"),
        ("420000", 2020, "co2_intensity_reduction", ">=", 1.2, "absolute"),
        ("420000", 2020, "village_env_rectification", ">=", 1000, "absolute"),
        ("430000", 2020, "pm25", "<=", 42, "absolute"),
        ("430000", 2020, "good_air_ratio", ">=", 83, "absolute"),
        ("430000", 2020, "heavy_pollution_days", "<=", 45, "absolute"),
        ("430000", 2020, "water_good_ratio", ">=", 93.3, "absolute"),
        ("430000", 2020, "drinking_water_ratio", ">", 96.4, "absolute"),
        ("430000", 2020, "black_odorous_elimination", ">=", 90, "absolute"),
        ("430000", 2020, "contaminated_land_safe_use", ">=", 90, "absolute"),
    ],
)
def test_spot_checks(targets, region, year, indicator, comparator, value, form):
    t = find(targets, region, year, indicator, form)
    assert (t.comparator, t.value) == (comparator, value)


def test_relative_targets(targets):
    co2 = find(targets, "420000", 2020, "co2_intensity", "relative")
    assert (co2.comparator, co2.value, co2.baseline_year, co2.relative_unit) == ("<=", -1.2, 2019, "%")
    metals = find(targets, "420000", 2020, "heavy_metal_emissions", "relative")
    assert (metals.comparator, metals.value, metals.baseline_year, metals.relative_unit) == ("<=", -10, 2013, "%")
    reduction = find(targets, "420000", 2020, "co2_intensity_reduction")
    assert reduction.source_clause == co2.source_clause  # the same clause gives both
    eqi = find(targets, "420100", 2024, "eqi", "relative")
    assert (eqi.comparator, eqi.value, eqi.baseline_year, eqi.relative_unit) == (">=", 0, 2023, "abs")


def test_clerk_notes_where_the_number_needs_reading(targets):
    assert "基本消除" in find(targets, "420000", 2020, "water_below_v_ratio").note
    assert "合计" in find(targets, "430000", 2020, "heavy_pollution_days").note
    assert "左右" in find(targets, "420000", 2020, "village_env_rectification").note


def test_wuhan_183_villages_are_sewage_not_rectification(targets):
    # "完成183个行政村生活污水治理" counts villages whose sewage is treated, not villages rectified.
    wuhan_2024 = {t.indicator_code: t for t in targets if (t.region_code, t.year) == ("420100", 2024)}
    assert "village_env_rectification" not in wuhan_2024
    assert wuhan_2024["rural_sewage_villages"].value == 183


# --- scope, region group, tolerance, binding --------------------------------------------------------------------


def test_every_row_states_its_scope(target_rows, targets):
    assert {r["scope"] for r in target_rows} <= set(SCOPES)
    assert all(r["scope"] for r in target_rows)  # filled on every row, not left to the default
    assert {t.scope for t in targets} == {"whole", "each"}  # both occur


def test_the_scope_s_reason_is_in_the_note(targets):
    # The note quotes the words that decide the scope: 全省/全市/合计 for a whole, 100%/无劣/不发生/均 for each.
    for t in targets:
        assert "范围：" in t.note, t


@pytest.mark.parametrize(
    "region, year, indicator, scope",
    [
        ("420000", 2024, "rural_sewage_rate", "whole"),  # 全省平均 46.58 %: a city at 41 % may have met its own
        ("420000", 2024, "village_env_rectification", "whole"),  # 1571个: a total
        ("420000", 2024, "pm25", "whole"),
        ("420100", 2024, "hazardous_waste_disposal", "each"),  # 100 %
        ("420100", 2024, "medical_waste_disposal", "each"),
        ("420100", 2024, "water_below_v_ratio", "each"),  # 无劣Ⅴ类
        ("420100", 2024, "lake_below_v_ratio", "each"),
        ("420000", 2020, "water_below_v_ratio", "each"),
        ("430000", 2020, "heavy_pollution_days", "whole"),  # 14个市州…合计
    ],
)
def test_scope_spot_checks(targets, region, year, indicator, scope):
    assert find(targets, region, year, indicator).scope == scope


def test_region_groups_exist_and_fit_the_region(targets, regions):
    groups = load_region_groups()
    for t in targets:
        if t.region_group:
            assert t.region_group in groups, t
            assert groups[t.region_group].province_code in {t.region_code, regions[t.region_code].parent_code}, t
    hubei_air_2024 = [
        t
        for t in targets
        if (t.region_code, t.year, t.source_file[:3]) == ("420000", 2024, "000") and "国考城市" in t.source_clause
    ]
    air = {t.indicator_code: t.region_group for t in hubei_air_2024}
    assert air["pm25"] == air["good_air_ratio"] == air["heavy_pollution_ratio"] == "HB-13"
    assert find(targets, "430000", 2020, "heavy_pollution_days").region_group == "HN-14"


def test_tolerance_only_where_the_clause_says_zuoyou(targets):
    for t in targets:
        says = "左右" in t.source_clause
        assert (t.tolerance is not None) == says, t
        if says:
            assert 0 < t.tolerance < 1 and "左右" in t.note, t
    assert find(targets, "420000", 2020, "village_env_rectification").tolerance == 0.95


def test_binding_where_the_text_says_so(targets):
    for t in targets:
        if t.binding:
            assert t.binding in t.source_clause or t.binding in t.note, t
    binding = {(t.indicator_code, t.year) for t in targets if t.binding == "约束性"}
    assert binding == {("pm25", 2020), ("good_air_ratio", 2020)}  # 002: 全省环境空气质量…约束性指标必须完成


def test_the_known_misses_are_targets(targets):
    for region, codes in (
        ("420000", ("nox_reduction_projects", "vocs_reduction_projects", "cod_reduction_projects", "nh3n_reduction_projects")),
        ("420100", ("nox_reduction_projects", "vocs_reduction_projects", "cod_reduction_projects",
                    "nh3n_reduction_projects", "tp_reduction_projects")),
    ):  # fmt: skip
        for code in codes:
            assert find(targets, region, 2024, code).form == "pending"
    assert find(targets, "420000", 2024, "tributary_outfall_rectification").value == 70
    assert find(targets, "420000", 2024, "lake_outfall_rectification").value == 80
    incidents = find(targets, "420100", 2024, "major_env_incidents")
    assert (incidents.comparator, incidents.value) == ("=", 0)
    groundwater = find(targets, "420000", 2020, "groundwater_v_ratio")
    assert (groundwater.form, groundwater.comparator, groundwater.value, groundwater.baseline_year) == (
        "relative", "<=", 0, 2019,
    )  # fmt: skip
    assert "保持稳定" in groundwater.note
