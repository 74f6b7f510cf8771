"""Every sample target and seed actual is traceable to a quoted clause of a real work plan."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from indicators.targets import COMPARATORS, FORMS, load_sample_targets

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"  # CI clones the repo with shared/ beside it


def squash(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    files = sorted(SEEDS.glob("0*.txt"))
    assert files, f"seed documents not found in {SEEDS}"  # fail, never skip: the clauses must be checked
    return {f.name: squash(f.read_text(encoding="utf-8")) for f in files}


@pytest.fixture(scope="module")
def targets():
    return load_sample_targets()


def test_every_target_is_well_formed(targets, catalog, regions):
    assert len(targets) >= 30
    for t in targets:
        assert t.indicator_code in catalog and t.region_code in regions and t.issuer_code in regions, t
        assert t.comparator in COMPARATORS and t.form in FORMS, t
        assert (t.value is None) == (t.form == "pending"), t
        if t.form == "relative":
            assert t.baseline_year and t.relative_unit in ("%", "pp", "abs"), t
        assert t.issuer_name and t.source_file and t.source_clause, t


def test_every_clause_is_quoted_verbatim(targets, seed_texts):
    for t in targets:
        assert squash(t.source_clause) in seed_texts[t.source_file], (t.source_file, t.source_clause)


def test_each_work_plan_contributes(targets):
    per_file = Counter(t.source_file[:3] for t in targets)
    assert all(per_file[f] >= 5 for f in ("000", "001", "002", "004")), per_file


@pytest.mark.parametrize(
    "region, year, indicator, comparator, value, form",
    [
        ("420000", 2024, "rural_sewage_rate", ">=", 46.58, "absolute"),
        ("420000", 2024, "village_env_rectification", ">=", 1571, "absolute"),
        ("420000", 2024, "pm25", "<=", None, "pending"),
        ("420100", 2024, "rural_sewage_rate", ">=", 56, "absolute"),
        ("420000", 2020, "co2_intensity", "<=", -1.2, "relative"),
        ("420000", 2020, "co2_intensity_reduction", ">=", 1.2, "absolute"),
        ("420000", 2020, "heavy_metal_emissions", "<=", -10, "relative"),
        ("430000", 2020, "pm25", "<=", 42, "absolute"),
        ("430000", 2020, "drinking_water_ratio", ">", 96.4, "absolute"),
    ],
)
def test_spot_checks(targets, region, year, indicator, comparator, value, form):
    match = [t for t in targets if (t.region_code, t.year, t.indicator_code, t.form) == (region, year, indicator, form)]
    assert match and match[0].comparator == comparator and match[0].value == value


def test_seed_actuals_quote_qianjiang_summary(seed_texts, catalog):
    with open(REPO / "sample_data" / "seed_observations.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    values = {r["indicator_code"]: float(r["value"]) for r in rows}
    assert values["pm25"] == 31 and values["good_air_ratio"] == 94 and values["rural_sewage_rate"] == 41.41
    for r in rows:
        assert r["indicator_code"] in catalog and r["region_code"] == "429005" and r["period"] == "12"
        assert squash(r["source_clause"]) in seed_texts[r["source_file"]], r["source_clause"]
