"""The checks a target passes before it is stored: every rule can fail, and names the field it is about."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indicators.target_checks import CHECKS, has_errors, parse_value, validate_target
from indicators.targets import Target, load_sample_targets

GOOD = Target(
    "rural_sewage_rate",
    "420100",
    2025,
    ">=",
    58.0,
    issuer_code="420100",
    issuer_name="武汉市生态环境局",
    binding="约束性",
    source_file="2025年工作要点",
    source_clause="农村生活污水治理率58%",
)
RELATIVE = replace(GOOD, indicator_code="co2_intensity", comparator="<=", value=-1.2, form="relative",
                   baseline_year=2024, relative_unit="%", source_clause="比上年下降1.2%以上")  # fmt: skip
PENDING = replace(GOOD, indicator_code="pm25", comparator="<=", value=None, form="pending",
                  source_clause="达到国家考核目标要求")  # fmt: skip


def problems(target, catalog, regions, **kw):
    return [(p.field, p.severity) for p in validate_target(target, catalog, regions, **kw)]


@pytest.mark.parametrize("target", [GOOD, RELATIVE, PENDING], ids=["absolute", "relative", "pending"])
def test_a_good_target_has_no_problem(catalog, regions, target):
    assert problems(target, catalog, regions) == []


def test_every_seed_target_passes(catalog, regions):
    seeds = load_sample_targets()
    for t in seeds:
        assert not has_errors(validate_target(t, catalog, regions, seeds)), t


@pytest.mark.parametrize(
    "base, changes, field",
    [
        (GOOD, {"indicator_code": "nope"}, "indicator_code"),
        (GOOD, {"region_code": "999999"}, "region_code"),
        (GOOD, {"year": 1999}, "year"),
        (GOOD, {"year": 2101}, "year"),
        (GOOD, {"comparator": "=>"}, "comparator"),
        (GOOD, {"form": "maybe"}, "form"),
        (GOOD, {"value": None}, "value"),
        (GOOD, {"value": float("nan")}, "value"),
        (GOOD, {"value": 150.0}, "value"),  # a ratio above 100 %
        (replace(GOOD, indicator_code="village_env_rectification"), {"value": -5.0}, "value"),  # a negative count
        (RELATIVE, {"value": None}, "value"),
        (RELATIVE, {"value": -100.0}, "value"),
        (PENDING, {"value": 42.0}, "value"),
        (RELATIVE, {"baseline_year": None}, "baseline_year"),
        (RELATIVE, {"baseline_year": 2025}, "baseline_year"),  # not before the target year
        (RELATIVE, {"relative_unit": None}, "relative_unit"),
        (RELATIVE, {"relative_unit": "kg"}, "relative_unit"),
        (GOOD, {"issuer_name": " "}, "issuer_name"),
        (GOOD, {"issuer_code": "999999"}, "issuer_code"),
        (GOOD, {"issuer_code": "420200"}, "issuer_code"),  # Huangshi sets no target for Wuhan
        (GOOD, {"binding": "强制性"}, "binding"),
        (GOOD, {"source_clause": ""}, "source_clause"),
    ],
)
def test_each_rule_refuses_what_it_guards(catalog, regions, base, changes, field):
    found = validate_target(replace(base, **changes), catalog, regions)
    assert (field, "error") in [(p.field, p.severity) for p in found]
    assert all(p.zh and p.en for p in found)


def test_a_province_target_for_a_city_is_fine(catalog, regions):
    assert problems(replace(GOOD, issuer_code="420000", issuer_name="湖北省生态环境厅"), catalog, regions) == []


@pytest.mark.parametrize(
    "changes",
    [{"comparator": "<="}, {"comparator": "<"}, {"indicator_code": "pm25", "comparator": ">=", "value": 35.0}],
)
def test_a_comparator_against_the_direction_is_a_warning(catalog, regions, changes):
    found = validate_target(replace(GOOD, **changes), catalog, regions)
    assert [(p.field, p.severity) for p in found] == [("comparator", "warning")]
    assert not has_errors(found)
    assert "≥" in found[0].zh or "≤" in found[0].zh or "<" in found[0].zh


def test_equals_is_never_a_direction_warning(catalog, regions):
    assert problems(replace(GOOD, comparator="="), catalog, regions) == []


def test_duplicate_is_refused_unless_it_replaces_that_target(catalog, regions):
    stored = replace(GOOD, value=56.0, target_id=7)
    found = validate_target(GOOD, catalog, regions, [stored])
    assert [(p.field, p.severity) for p in found] == [("indicator_code", "error")]
    assert "7" in found[0].zh and "修改" in found[0].zh and "edit" in found[0].en
    assert problems(GOOD, catalog, regions, existing=[stored], replacing=7) == []
    other_issuer = replace(stored, issuer_code="420000", issuer_name="湖北省生态环境厅")
    assert problems(GOOD, catalog, regions, existing=[other_issuer]) == []
    assert problems(GOOD, catalog, regions, existing=[replace(stored, year=2024)]) == []


def test_every_check_is_in_the_list():
    import indicators.target_checks as module

    named = {name for name in dir(module) if name.startswith("check_")}
    assert named == {c.__name__ for c in CHECKS}


@pytest.mark.parametrize(
    "text, expected",
    [("46.58", 46.58), ("46.58%", 46.58), (" 56 ", 56.0), ("１,５７１", 1571.0), ("−1.2", -1.2), ("+3", 3.0),
     ("", None), ("  ", None), (None, None), (42, 42.0)],
)  # fmt: skip
def test_parse_value(text, expected):
    assert parse_value(text) == expected


@pytest.mark.parametrize("text", ["abc", "56%%", "1.2.3", "五十"])
def test_parse_value_refuses_words(text):
    with pytest.raises(ValueError):
        parse_value(text)


def test_every_target_field_has_a_label_in_both_languages():
    from dataclasses import fields

    from ui.wording import TEXT

    missing = [f.name for f in fields(Target) if f.name != "target_id" and f"field_{f.name}" not in TEXT]
    assert not missing
