"""The effective-target rules of DESIGN.md "Effective target", as a table of cases."""

from __future__ import annotations

import pytest

from indicators.engine import (
    NO_TARGET,
    effective_target,
)
from tests.engine_cases import (
    HUANGSHI,
    HUBEI,
    NATION,
    NO_BASELINE,
    QIANJIANG,
    WUHAN,
    baselines,
    clause,
    co2_relative,
)

# --- Effective target -------------------------------------------------------------------------------------------

EFFECTIVE_CASES = [
    # id, indicator, clauses, region, baseline table, value, comparator, origin, from_region, pending
    (
        "own only",
        "rural_sewage_rate",
        [clause("rural_sewage_rate", WUHAN, 56)],
        WUHAN,
        {},
        56,
        ">=",
        "own",
        WUHAN,
        False,
    ),
    (
        "higher_better: province-issued 60 beats Wuhan's own 56",
        "rural_sewage_rate",
        [clause("rural_sewage_rate", WUHAN, 56), clause("rural_sewage_rate", WUHAN, 60, issuer=HUBEI)],
        WUHAN,
        {},
        60,
        ">=",
        "stricter-parent",
        WUHAN,
        False,
    ),
    (
        "lower_better: province-issued 35 beats Wuhan's own 38",
        "pm25",
        [clause("pm25", WUHAN, 38, "<="), clause("pm25", WUHAN, 35, "<=", issuer=HUBEI)],
        WUHAN,
        {},
        35,
        "<=",
        "stricter-parent",
        WUHAN,
        False,
    ),
    (
        "Wuhan's own stricter 62 stays own",
        "rural_sewage_rate",
        [clause("rural_sewage_rate", WUHAN, 62), clause("rural_sewage_rate", WUHAN, 60, issuer=HUBEI)],
        WUHAN,
        {},
        62,
        ">=",
        "own",
        WUHAN,
        False,
    ),
    (
        "lower_better: own stricter 33 stays own",
        "pm25",
        [clause("pm25", WUHAN, 33, "<="), clause("pm25", WUHAN, 35, "<=", issuer=HUBEI)],
        WUHAN,
        {},
        33,
        "<=",
        "own",
        WUHAN,
        False,
    ),
    (
        "two own-issued targets: the strictest, still own",
        "pm25",
        [clause("pm25", WUHAN, 38, "<="), clause("pm25", WUHAN, 36, "<=")],
        WUHAN,
        {},
        36,
        "<=",
        "own",
        WUHAN,
        False,
    ),
    (
        "equal values: a strict comparator is stricter",
        "drinking_water_ratio",
        [
            clause("drinking_water_ratio", WUHAN, 96.4, ">="),
            clause("drinking_water_ratio", WUHAN, 96.4, ">", issuer=HUBEI),
        ],
        WUHAN,
        {},
        96.4,
        ">",
        "stricter-parent",
        WUHAN,
        False,
    ),
    (
        "equal value and comparator: the parent is not stricter, own",
        "rural_sewage_rate",
        [clause("rural_sewage_rate", WUHAN, 58, issuer=HUBEI), clause("rural_sewage_rate", WUHAN, 58)],
        WUHAN,
        {},
        58,
        ">=",
        "own",
        WUHAN,
        False,
    ),
    (
        "only a province-issued target for the city: it is the city's own",
        "rural_sewage_rate",
        [clause("rural_sewage_rate", WUHAN, 58, issuer=HUBEI)],
        WUHAN,
        {},
        58,
        ">=",
        "own",
        WUHAN,
        False,
    ),
    (
        "city has none: inherited from the province",
        "rural_sewage_rate",
        [clause("rural_sewage_rate", HUBEI, 46.58), clause("rural_sewage_rate", WUHAN, 56)],
        HUANGSHI,
        {},
        46.58,
        ">=",
        "inherited",
        HUBEI,
        False,
    ),
    (
        "city and province have none: inherited from the nation, two levels up",
        "good_air_ratio",
        [clause("good_air_ratio", NATION, 87.5)],
        QIANJIANG,
        {},
        87.5,
        ">=",
        "inherited",
        NATION,
        False,
    ),
    (
        "the nearest ancestor wins over the nation",
        "good_air_ratio",
        [clause("good_air_ratio", NATION, 87.5), clause("good_air_ratio", HUBEI, 86.2)],
        QIANJIANG,
        {},
        86.2,
        ">=",
        "inherited",
        HUBEI,
        False,
    ),
    (
        "pending only",
        "pm25",
        [clause("pm25", HUBEI, None, "<=", form="pending")],
        HUBEI,
        {},
        None,
        "<=",
        "own",
        HUBEI,
        True,
    ),
    (
        "pending + numeric: the number wins",
        "pm25",
        [clause("pm25", WUHAN, None, "<=", form="pending"), clause("pm25", WUHAN, 40, "<=")],
        WUHAN,
        {},
        40,
        "<=",
        "own",
        WUHAN,
        False,
    ),
    (
        "relative −1.2% vs the previous year's actual",
        "co2_intensity",
        [co2_relative(HUBEI)],
        HUBEI,
        {("co2_intensity", HUBEI, 2023): 0.80},
        0.7904,
        "<=",
        "own",
        HUBEI,
        False,
    ),
    (
        "relative without the baseline actual: pending",
        "co2_intensity",
        [co2_relative(HUBEI)],
        HUBEI,
        {("co2_intensity", HUBEI, 2022): 0.80},
        None,
        "<=",
        "own",
        HUBEI,
        True,
    ),
    (
        "relative without baseline loses to an absolute clause",
        "co2_intensity",
        [co2_relative(WUHAN), clause("co2_intensity", WUHAN, 0.9, "<=", issuer=HUBEI)],
        WUHAN,
        {},
        0.9,
        "<=",
        "own",
        WUHAN,
        False,
    ),
    (
        "inherited relative target resolves against the city's own baseline",
        "co2_intensity",
        [co2_relative(HUBEI)],
        WUHAN,
        {("co2_intensity", HUBEI, 2023): 0.80, ("co2_intensity", WUHAN, 2023): 0.50},
        0.494,
        "<=",
        "inherited",
        HUBEI,
        False,
    ),
    (
        "eqi 稳中向好: no lower than last year (+0 abs)",
        "eqi",
        [clause("eqi", WUHAN, 0, form="relative", baseline_year=2023, relative_unit="abs")],
        WUHAN,
        {("eqi", WUHAN, 2023): 70.41},
        70.41,
        ">=",
        "own",
        WUHAN,
        False,
    ),
    (
        "a province's count total is not inherited by a city",
        "village_env_rectification",
        [clause("village_env_rectification", HUBEI, 1571, scope="whole")],
        QIANJIANG,
        {},
        None,
        None,
        None,
        None,
        True,
    ),
    ("no target anywhere", "eqi", [clause("eqi", WUHAN, 70)], HUANGSHI, {}, None, None, None, None, True),
    (
        "a province's figure for the province as a whole is only a reference for a city",
        "rural_sewage_rate",
        [clause("rural_sewage_rate", HUBEI, 46.58, scope="whole")],
        QIANJIANG,
        {},
        46.58,
        ">=",
        "reference",
        HUBEI,
        False,
    ),
    (
        "the nation's target for each region beats the province's figure for itself",
        "hazardous_waste_disposal",
        [clause("hazardous_waste_disposal", NATION, 100), clause("hazardous_waste_disposal", HUBEI, 95, scope="whole")],
        WUHAN,
        {},
        100,
        ">=",
        "inherited",
        NATION,
        False,
    ),
    (
        "an allocation table's row for the city is its own graded target",
        "rural_sewage_rate",
        [
            clause("rural_sewage_rate", HUBEI, 46.58, scope="whole"),
            clause("rural_sewage_rate", QIANJIANG, 40, issuer=HUBEI),
        ],
        QIANJIANG,
        {},
        40,
        ">=",
        "own",
        QIANJIANG,
        False,
    ),
]


@pytest.mark.parametrize(
    "ind, clauses, region, table, value, comparator, origin, from_region, pending",
    [pytest.param(*case[1:], id=case[0]) for case in EFFECTIVE_CASES],
)
def test_effective_target(
    catalog, regions, ind, clauses, region, table, value, comparator, origin, from_region, pending
):
    eff = effective_target(catalog[ind], region, 2024, clauses, regions, baselines(table))
    assert eff.value == (None if value is None else pytest.approx(value))
    assert (eff.comparator, eff.origin, eff.from_region, eff.pending) == (comparator, origin, from_region, pending)
    assert eff.reason_zh and eff.reason_en
    if origin is None:
        assert eff.winner is None
    else:
        assert eff.winner in clauses


def test_stricter_parent_reason_names_both_targets(catalog, regions):
    clauses = [clause("pm25", WUHAN, 38, "<="), clause("pm25", WUHAN, 35, "<=", issuer=HUBEI)]
    eff = effective_target(catalog["pm25"], WUHAN, 2024, clauses, regions, NO_BASELINE)
    assert eff.reason_zh == "上级下达目标(≤35)严于本级目标(≤38)，以上级为准"
    assert eff.winner is clauses[1] and "35" in eff.reason_en and "38" in eff.reason_en


def test_pending_winner_is_the_pending_clause(catalog, regions):
    pending = clause("water_good_ratio", HUBEI, None, form="pending", source_clause="达到国家考核目标要求")
    eff = effective_target(catalog["water_good_ratio"], WUHAN, 2024, [pending], regions, NO_BASELINE)
    assert eff.pending and eff.winner is pending and eff.origin == "inherited" and eff.from_region == HUBEI


def test_a_reference_is_never_graded(catalog, regions):
    whole = clause("rural_sewage_rate", HUBEI, 46.58, scope="whole")
    eff = effective_target(catalog["rural_sewage_rate"], QIANJIANG, 2024, [whole], regions, NO_BASELINE)
    assert not eff.graded and "参照湖北" in eff.reason_zh and "not graded" in eff.reason_en


def test_no_target_anywhere_is_documented_constant(catalog, regions):
    eff = effective_target(catalog["pm25"], WUHAN, 2024, [], regions, NO_BASELINE)
    assert eff == NO_TARGET and eff.reason_zh == "本年度无适用目标" and eff.reason_en == "No target applies this year"


def test_targets_of_other_years_do_not_apply(catalog, regions):
    eff = effective_target(
        catalog["pm25"], WUHAN, 2024, [clause("pm25", WUHAN, 35, "<=", year=2023)], regions, NO_BASELINE
    )
    assert eff == NO_TARGET


# --- Gap and pace -----------------------------------------------------------------------------------------------
