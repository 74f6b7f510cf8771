"""Shared builders for the engine tests: region codes, target clauses, baselines."""

from __future__ import annotations

from indicators.engine import EffectiveTarget, effective_target
from indicators.targets import Target

NATION, HUBEI, WUHAN, HUANGSHI, XIANGYANG, QIANJIANG = "000000", "420000", "420100", "420200", "420600", "429005"
OBS_COLUMNS = ["indicator_code", "region_code", "year", "period", "value"]


def clause(ind, region, value, comparator=">=", issuer=None, form="absolute", year=2024, scope="each", **kw) -> Target:
    """A target clause for `region`, issued by the region itself unless `issuer` says otherwise; for every
    subordinate region (`each`) unless `scope="whole"` makes it a figure for the region as a whole."""
    return Target(ind, region, year, comparator, value, form=form, issuer_code=issuer or region, scope=scope, **kw)


def co2_relative(region, issuer=None) -> Target:
    """比上年下降1.2%以上: co2_intensity at most the previous year's actual × 0.988."""
    return clause("co2_intensity", region, -1.2, "<=", issuer, form="relative", baseline_year=2023, relative_unit="%")


def baselines(table: dict):
    return lambda ind, region, year: table.get((ind, region, year))


NO_BASELINE = baselines({})


def given_target(catalog, regions, ind, value, comparator, region=WUHAN) -> EffectiveTarget:
    return effective_target(catalog[ind], region, 2024, [clause(ind, region, value, comparator)], regions, NO_BASELINE)
