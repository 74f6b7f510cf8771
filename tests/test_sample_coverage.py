"""sample_data/seed_observations.csv and clauses_not_targets.csv: every seed actual quotes the year-end summary, and
every figure in the work plans is either a target (test_sample_targets.py) or a clause explained as not one. The
checks fail (never skip) when ../shared/seeds/ is missing."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from indicators.targets import load_sample_targets
from tests.seed_documents import ACTUALS_FILE, PLAN_FILES, read_csv, read_seed_texts, squash

OBSERVATION_HEADER = (
    "indicator_code,region_code,year,period,value,numerator,denominator,source_file,source_clause"
).split(",")
QIANJIANG = "429005"


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    return read_seed_texts()


@pytest.fixture(scope="module")
def targets():
    return load_sample_targets()


@pytest.fixture(scope="module")
def observation_rows() -> list[dict]:
    header, rows = read_csv("seed_observations.csv")
    assert header == OBSERVATION_HEADER
    return rows


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
