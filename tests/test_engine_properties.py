"""Hypothesis properties of effective-target resolution and the gap engine."""

from __future__ import annotations

import math
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.catalog import load_catalog
from indicators.engine import History, assess, effective_target
from indicators.regions import load_regions
from indicators.targets import Target

CATALOG, REGIONS = load_catalog(), load_regions()
CITY, PROVINCE = "420100", "420000"

# Four decimals, as bureaus write them; no NaN or infinity (missing values have their own tests).
numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 4))
comparators = st.sampled_from([">=", "<=", ">", "<", "="])
all_codes = st.sampled_from([i.code for i in CATALOG])
level_codes = st.sampled_from([i.code for i in CATALOG if i.kind == "level"])
periods = st.integers(min_value=1, max_value=12)
issuers = st.sampled_from([CITY, PROVINCE])


def no_baseline(*_):
    return None


def own(code: str, value: float, comparator: str, issuer: str = CITY) -> Target:
    return Target(code, CITY, 2024, comparator, value, issuer_code=issuer)


def effective(code: str, value: float, comparator: str):
    return effective_target(CATALOG[code], CITY, 2024, [own(code, value, comparator)], REGIONS, no_baseline)


def satisfied(margin: float, comparator: str) -> bool:
    return {">=": margin >= 0, "<=": margin >= 0, ">": margin > 0, "<": margin > 0, "=": margin == 0}[comparator]


@given(all_codes, numbers, numbers, comparators, periods)
def test_flipping_direction_flips_the_sign_of_the_margin(code, actual, target, comparator, period):
    ind = CATALOG[code]
    flipped = replace(ind, direction="lower_better" if ind.higher_better else "higher_better")
    eff = effective(code, target, comparator)
    assert assess(ind, actual, eff, period).margin == -assess(flipped, actual, eff, period).margin


@given(all_codes, numbers, numbers, comparators)
def test_met_exactly_when_the_margin_satisfies_the_comparator(code, actual, target, comparator):
    gap = assess(CATALOG[code], actual, effective(code, target, comparator), 12)
    assert gap.status in ("met", "not_met")
    assert (gap.status == "met") == satisfied(gap.margin, comparator)


@given(all_codes, numbers, numbers, comparators, st.integers(min_value=1, max_value=11))
def test_before_year_end_the_margin_sign_is_the_status(code, actual, target, comparator, period):
    """Measured against the value expected at the period, the margin is ≥ 0 exactly when the region is on track."""
    gap = assess(CATALOG[code], actual, effective(code, target, comparator), period)
    assert gap.status in ("on_track", "behind")
    assert (gap.status == "on_track") == (gap.margin >= 0)


@given(all_codes, numbers, numbers, comparators, periods, numbers, numbers)
def test_the_published_value_and_the_status_never_disagree(code, actual, target, comparator, period, same, end):
    """Grading the published (rounded) figure again gives the same verdict: what a person reads is what was graded."""
    ind, eff = CATALOG[code], effective(code, target, comparator)
    history = History(same, end)
    gap = assess(ind, actual, eff, period, history)
    again = assess(ind, gap.actual, eff, period, history)
    assert gap.actual == ind.published(actual) and (again.status, again.margin) == (gap.status, gap.margin)


@given(all_codes, numbers, numbers, periods, numbers, numbers)
def test_expected_values_stay_in_the_valid_range(code, target, actual, period, same, end):
    ind = CATALOG[code]
    gap = assess(ind, actual, effective(code, target, ">="), period, History(same, end))
    if period < 12:
        assert ind.min_value <= gap.expected <= ind.max_value


@given(all_codes, numbers, numbers, periods)
def test_a_reference_is_shown_and_never_graded(code, actual, target, period):
    whole = Target(code, PROVINCE, 2024, ">=", target, issuer_code=PROVINCE, scope="whole")
    eff = effective_target(CATALOG[code], CITY, 2024, [whole], REGIONS, no_baseline)
    gap = assess(CATALOG[code], actual, eff, period)
    if CATALOG[code].aggregation == "sum":
        assert gap.status == "no_target" and not gap.graded  # a province's total is no yardstick for a city
    else:
        assert gap.status in ("reference_met", "reference_not_met") and not gap.graded


@given(all_codes, numbers, comparators, periods)
def test_a_real_zero_actual_is_never_no_data(code, target, comparator, period):
    gap = assess(CATALOG[code], 0.0, effective(code, target, comparator), period)
    assert gap.status != "no_data" and gap.actual == 0.0 and gap.margin is not None


@given(all_codes, st.lists(numbers, min_size=1, max_size=8), st.sampled_from([">=", "<="]))
def test_stricter_wins_over_any_list_of_own_targets(code, values, comparator):
    ind = CATALOG[code]
    clauses = [own(code, v, comparator) for v in values]
    eff = effective_target(ind, CITY, 2024, clauses, REGIONS, no_baseline)
    assert eff.value == (max(values) if ind.higher_better else min(values))
    assert eff.origin == "own" and not eff.pending


@given(
    all_codes,
    st.lists(st.tuples(numbers, st.booleans(), issuers), min_size=1, max_size=6),
    st.randoms(use_true_random=False),
)
def test_resolution_ignores_clause_order_and_names_its_origin(code, specs, rnd):
    """Own and province-issued clauses for one city, weak or strict comparators, in any order."""
    ind = CATALOG[code]
    signs = (">", ">=") if ind.higher_better else ("<", "<=")
    clauses = [own(code, v, signs[0] if strict else signs[1], issuer) for v, strict, issuer in specs]
    eff = effective_target(ind, CITY, 2024, clauses, REGIONS, no_baseline)
    shuffled = list(clauses)
    rnd.shuffle(shuffled)
    again = effective_target(ind, CITY, 2024, shuffled, REGIONS, no_baseline)
    assert (again.value, again.comparator, again.origin) == (eff.value, eff.comparator, eff.origin)
    assert eff.value == (max if ind.higher_better else min)(v for v, _, _ in specs)
    parent_won = eff.winner.issuer_code == PROVINCE
    has_own = any(issuer == CITY for _, _, issuer in specs)
    assert (eff.origin == "stricter-parent") == (parent_won and has_own)


@settings(max_examples=200)
@given(all_codes, numbers, numbers.filter(lambda v: v != 0), comparators, periods)
def test_margin_pct_has_the_sign_of_the_margin(code, actual, target, comparator, period):
    gap = assess(CATALOG[code], actual, effective(code, target, comparator), period)
    if gap.margin_pct is None:  # measured against 0 (an expected value held at the bottom of the valid range)
        assert (gap.expected if period < 12 else target) == 0
        return
    if gap.margin == 0:
        assert gap.margin_pct == 0
    else:
        assert math.copysign(1, gap.margin_pct) == math.copysign(1, gap.margin)


@given(numbers.filter(lambda v: v > 0), st.floats(min_value=0, max_value=1e6, allow_nan=False), periods)
def test_count_pace_is_actual_over_the_linear_schedule(target, actual, period):
    ind = CATALOG["village_env_rectification"]
    gap = assess(ind, actual, effective(ind.code, target, ">="), period)
    expected = min(round(target * period / 12, 10), ind.max_value) if period < 12 else target
    assert (gap.expected if period < 12 else target) == expected
    if period < 12:
        assert gap.status == ("on_track" if gap.actual >= gap.expected else "behind")
    if expected:
        assert math.isclose(gap.pace, gap.actual / expected)


@given(
    st.floats(min_value=0, max_value=100, allow_nan=False),
    st.floats(min_value=0.1, max_value=100, allow_nan=False),
    st.floats(min_value=0.1, max_value=100, allow_nan=False),
    st.integers(min_value=1, max_value=11),
)
def test_projections_stay_in_the_valid_range(ytd, same, full, period):
    """A Q1 good-air ratio of 99.5 % with last year's Q1 well below its full year is never projected above 100 %."""
    import pandas as pd

    from indicators.projection import year_end_projections

    series = pd.DataFrame(
        [("武汉", 2023, period, same), ("武汉", 2023, 12, full), ("武汉", 2024, period, ytd)],
        columns=["region_name", "year", "period", "value"],
    )
    ind = CATALOG["good_air_ratio"]
    got = year_end_projections(series, (ind.min_value, ind.max_value))
    assert len(got) == 1 and ind.min_value <= got.iloc[0]["value"] <= ind.max_value
