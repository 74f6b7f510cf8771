"""sample_data/targets.csv and seed_observations.csv: well formed and traceable to the seed documents.

Every target and every seed actual quotes a clause of a real work plan or year-end summary in
../shared/seeds/. The clause check fails (never skips) when that folder is missing: CI always
checks the repository out with shared/ beside it.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from indicators.catalog import SAMPLE_DATA
from indicators.groups import load_region_groups
from indicators.targets import COMPARATORS, FORMS, SCOPES, load_sample_targets

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # = REPO.parent / "shared" / "seeds"

TARGET_HEADER = (
    "indicator_code,region_code,year,comparator,value,form,baseline_year,relative_unit,"
    "issuer_code,issuer_name,binding,source_file,source_clause,note,scope,region_group,tolerance"
).split(",")
OBSERVATION_HEADER = (
    "indicator_code,region_code,year,period,value,numerator,denominator,source_file,source_clause"
).split(",")

# The seed documents: plan year and issuing region. 003 holds actuals, the others targets.
PLAN_FILES = {
    "000_db2cb1991d068b04.txt": (2024, "420000"),  # 湖北省生态环境厅 2024年全省生态环境工作要点
    "001_686ff3aa1e7726dc.txt": (2024, "420100"),  # 武汉市生态环境局 2024年工作安排
    "002_e0f97597f939ebae.txt": (2020, "420000"),  # 湖北省生态环境厅 2020年全省生态环境工作要点
    "004_2e4457c838a86613.txt": (2020, "430000"),  # 湖南省2020年生态环境保护工作要点
}
ACTUALS_FILE = "003_1448b639da31bb50.txt"  # 潜江市生态环境局2024年工作总结
QIANJIANG = "429005"

RELATIVE_UNITS = ("%", "pp", "abs")
BINDINGS = ("", "约束性", "预期性")


def squash(text: str) -> str:
    """Drop every whitespace character: the seed files wrap lines and pad numbers with spaces."""
    return re.sub(r"\s+", "", text)


def read_csv(name: str) -> tuple[list[str], list[dict]]:
    with open(SAMPLE_DATA / name, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    # Fail, never skip: without the seeds the clauses cannot be checked.
    assert SEEDS.is_dir(), f"seed documents not found at {SEEDS} (shared/ must sit beside the repository)"
    texts = {f.name: squash(f.read_text(encoding="utf-8")) for f in sorted(SEEDS.glob("*.txt"))}
    missing = (set(PLAN_FILES) | {ACTUALS_FILE}) - set(texts)
    assert not missing, f"seed documents missing from {SEEDS}: {sorted(missing)}"
    return texts


@pytest.fixture(scope="module")
def target_rows() -> list[dict]:
    header, rows = read_csv("targets.csv")
    assert header == TARGET_HEADER
    return rows


@pytest.fixture(scope="module")
def targets():
    return load_sample_targets()


@pytest.fixture(scope="module")
def observation_rows() -> list[dict]:
    header, rows = read_csv("seed_observations.csv")
    assert header == OBSERVATION_HEADER
    return rows


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


# --- seed_observations.csv --------------------------------------------------------------------------------------


def test_observations_are_well_formed(observation_rows, catalog, regions, seed_texts):
    assert observation_rows
    keys = Counter((r["indicator_code"], r["region_code"], r["year"], r["period"]) for r in observation_rows)
    assert [k for k, n in keys.items() if n > 1] == []
    for r in observation_rows:
        assert r["indicator_code"] in catalog and r["region_code"] in regions.by_code, r
        assert (r["region_code"], r["year"], r["period"], r["source_file"]) == (QIANJIANG, "2024", "12", ACTUALS_FILE)
        ind = catalog[r["indicator_code"]]
        value = float(r["value"])
        assert ind.min_value <= value <= ind.max_value, r
        assert (r["numerator"] == "") == (r["denominator"] == ""), r
        if r["numerator"]:
            num, den = float(r["numerator"]), float(r["denominator"])
            assert 0 <= num <= den and value == round(num / den * 100, 2), r
        assert squash(r["source_clause"]) in seed_texts[r["source_file"]], r["source_clause"]


def test_qianjiang_actuals(observation_rows):
    got = {r["indicator_code"]: r for r in observation_rows}
    assert float(got["pm25"]["value"]) == 31
    assert float(got["good_air_ratio"]["value"]) == 94
    assert float(got["rural_sewage_rate"]["value"]) == 41.41
    outfalls = got["outfall_rectification"]
    assert (float(outfalls["value"]), outfalls["numerator"], outfalls["denominator"]) == (97.35, "110", "113")


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


# --- clauses_not_targets.csv and coverage ----------------------------------------------------------------------

NOT_TARGET_HEADER = ["source_file", "clause", "reason"]

# A number followed by one of these units is a figure a plan could set as a target.
UNITS = "% ％ 个 条 家 项 天 微克/立方米 吨 万亩 亩 场 次 处 座 套 件 省市".split()
FIGURE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:" + "|".join(re.escape(u) for u in UNITS) + ")")

# Numbers followed by a unit that are neither target nor non-target clause: dates, ordinals. Each with its reason;
# each must still occur (a stale entry fails).
EXCLUDED: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def not_target_rows() -> list[dict]:
    header, rows = read_csv("clauses_not_targets.csv")
    assert header == NOT_TARGET_HEADER
    return rows


def test_not_target_clauses_are_quoted_verbatim(not_target_rows, seed_texts, targets):
    assert len(not_target_rows) >= 20
    target_clauses = {(t.source_file, squash(t.source_clause)) for t in targets}
    seen = set()
    for r in not_target_rows:
        assert r["source_file"] in PLAN_FILES, r
        assert r["clause"].strip() and r["reason"].strip(), r
        assert squash(r["clause"]) in seed_texts[r["source_file"]], (r["source_file"], r["clause"])
        key = (r["source_file"], squash(r["clause"]))
        assert key not in target_clauses, r  # a clause is a target or not, never both
        assert key not in seen, r
        seen.add(key)


def covered_spans(text: str, clauses: list[str]) -> list[tuple[int, int]]:
    spans = []
    for clause in clauses:
        start = text.find(clause)
        assert start >= 0, clause
        while start >= 0:
            spans.append((start, start + len(clause)))
            start = text.find(clause, start + 1)
    return spans


def test_every_figure_in_the_plans_is_a_target_or_explained(targets, not_target_rows, seed_texts):
    figures_seen = 0
    uncovered = []
    used_exclusions = set()
    for name in PLAN_FILES:
        text = seed_texts[name]
        clauses = [squash(t.source_clause) for t in targets if t.source_file == name]
        clauses += [squash(r["clause"]) for r in not_target_rows if r["source_file"] == name]
        spans = covered_spans(text, clauses)
        found = list(FIGURE.finditer(text))
        assert len(found) >= 5, (name, len(found))  # the scan reads the plan, it cannot pass on an empty text
        figures_seen += len(found)
        for m in found:
            if any(a <= m.start() and m.end() <= b for a, b in spans):
                continue
            if (name, m.group()) in EXCLUDED:
                used_exclusions.add((name, m.group()))
                continue
            uncovered.append((name, m.group(), text[max(0, m.start() - 20) : m.end() + 10]))
    assert uncovered == []
    assert figures_seen >= 60  # 000, 001, 002 and 004 hold about 70 such figures
    assert used_exclusions == set(EXCLUDED)


def test_the_figure_scan_finds_what_it_should(seed_texts):
    found = {m.group() for name in PLAN_FILES for m in FIGURE.finditer(seed_texts[name])}
    assert {"46.58%", "1571个", "123条", "1.2%", "42微克/立方米", "45天", "536.55万亩", "53条", "60次"} <= found
    assert "2024年" not in found and "2.5" not in found  # years and PM2.5 are not figures
