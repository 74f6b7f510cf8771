"""Hypothesis properties of the gap engine."""

from __future__ import annotations

import math
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.catalog import load_catalog
from indicators.engine import assess, effective_target
from indicators.regions import load_regions
from indicators.targets import Target

CATALOG, REGIONS = load_catalog(), load_regions()
values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 4))
comparators = st.sampled_from([">=", "<=", ">", "<", "="])
level_codes = st.sampled_from([i.code for i in CATALOG if i.kind == "level"])
periods = st.integers(min_value=1, max_value=12)


def effective(code, value, comparator):
    target = Target(code, "420100", 2024, comparator, value, issuer_code="420100")
    return effective_target(CATALOG[code], "420100", 2024, [target], REGIONS, lambda *_: None)


@given(level_codes, values, values, comparators)
def test_flipping_direction_flips_the_margin(code, actual, target, comparator):
    ind = CATALOG[code]
    flipped = replace(ind, direction="lower_better" if ind.higher_better else "higher_better")
    eff = effective(code, target, comparator)
    a, b = assess(ind, actual, eff, 12).margin, assess(flipped, actual, eff, 12).margin
    assert a == -b


@given(level_codes, values, values, comparators)
def test_met_exactly_when_margin_satisfies_comparator(code, actual, target, comparator):
    gap = assess(CATALOG[code], actual, effective(code, target, comparator), 12)
    satisfied = {
        ">=": gap.margin >= 0,
        "<=": gap.margin >= 0,
        ">": gap.margin > 0,
        "<": gap.margin > 0,
        "=": gap.margin == 0,
    }[comparator]
    assert (gap.status == "met") == satisfied and gap.status in ("met", "not_met")


@given(st.sampled_from([i.code for i in CATALOG]), values, comparators, periods)
def test_a_real_zero_is_never_no_data(code, target, comparator, period):
    gap = assess(CATALOG[code], 0.0, effective(code, target, comparator), period)
    assert gap.status != "no_data" and gap.actual == 0.0


@given(level_codes, st.lists(values, min_size=1, max_size=6))
def test_stricter_wins_over_any_list(code, targets):
    ind = CATALOG[code]
    comparator = ">=" if ind.higher_better else "<="
    cands = [Target(code, "420100", 2024, comparator, v, issuer_code="420100") for v in targets]
    eff = effective_target(ind, "420100", 2024, cands, REGIONS, lambda *_: None)
    assert eff.value == (max(targets) if ind.higher_better else min(targets))


@settings(max_examples=200)
@given(level_codes, values, values.filter(lambda v: v != 0), comparators, periods)
def test_margin_pct_has_the_sign_of_margin(code, actual, target, comparator, period):
    gap = assess(CATALOG[code], actual, effective(code, target, comparator), period)
    assert math.copysign(1, gap.margin_pct) == math.copysign(1, gap.margin) or gap.margin == 0
