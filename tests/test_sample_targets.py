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
from indicators.targets import COMPARATORS, FORMS, load_sample_targets

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # = REPO.parent / "shared" / "seeds"

TARGET_HEADER = (
    "indicator_code,region_code,year,comparator,value,form,baseline_year,relative_unit,"
    "issuer_code,issuer_name,binding,source_file,source_clause,note"
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
    # "not less than" for higher-is-better, "not more than" for lower-is-better (also for relative changes).
    for t in targets:
        allowed = (">=", ">") if catalog[t.indicator_code].higher_better else ("<=", "<")
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
