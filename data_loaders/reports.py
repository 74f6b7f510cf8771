"""Tables the pages and the CLI show: gaps and targets, read from the store and computed by the engine.

The tables are keyed by codes; `with_names` adds the region and indicator names in the reader's language at the
edge, just before a table is shown or exported.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pandas as pd
from sqlalchemy.engine import Engine

from data_loaders import store
from indicators.aggregation import aggregate_parents
from indicators.catalog import Catalog
from indicators.engine import compute_gaps
from indicators.groups import load_region_groups
from indicators.regions import RegionIndex

TARGET_COLUMNS = [
    "target_id",
    "region_code",
    "indicator_code",
    "year",
    "comparator",
    "value",
    "unit",
    "form",
    "baseline_year",
    "relative_unit",
    "binding",
    "issuer",
    "source_file",
    "source_clause",
    "scope",
    "region_group",
    "tolerance",
    "note",
]


def gap_table(
    engine: Engine,
    catalog: Catalog,
    regions: RegionIndex,
    year: int,
    period: int,
    region_codes: Iterable[str] | None = None,
    indicator_codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Every requested region's gap to its effective target for one year and period.

    A parent region without uploaded values gets them aggregated from its children; `value_source` says
    where each actual came from: uploaded, aggregated, or approximate (flag it wherever it is shown).
    """
    targets = store.load_targets(engine)
    years = sorted({year, year - 1} | {t.baseline_year for t in targets if t.baseline_year})
    observations = store.load_observations(engine, years)
    wanted = list(region_codes) if region_codes is not None else [r.code for r in regions if r.level != "nation"]
    parents = [c for c in wanted if regions[c].level != "city"]
    computed = aggregate_parents(observations, catalog, regions, parents, group_scopes(targets, year, parents))
    if not computed.empty:
        observations = pd.concat([observations.assign(value_source="uploaded"), computed], ignore_index=True)
    return compute_gaps(catalog, regions, targets, observations, year, period, wanted, indicator_codes)


@lru_cache(maxsize=1)
def _shipped_groups() -> dict:
    return load_region_groups()  # read once per process, not on every gap table


def group_scopes(targets, year: int, parents: list[str]) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    """(indicator, parent) → (group, members) for the parents' targets that name a region group (全省国考城市)."""
    groups = _shipped_groups()
    return {
        (t.indicator_code, t.region_code): (t.region_group, groups[t.region_group].members)
        for t in targets
        if t.year == year and t.region_code in parents and t.region_group in groups
    }


def target_table(
    engine: Engine,
    catalog: Catalog,
    regions: RegionIndex,
    year: int | None = None,
    region_code: str | None = None,
    indicator_code: str | None = None,
) -> pd.DataFrame:
    """Targets with unit, issuer and source clause, one row per clause (keyed by codes: see with_names)."""
    rows = []
    for t in store.load_targets(engine, year, region_code, indicator_code):
        ind = catalog.by_code.get(t.indicator_code)
        rows.append(
            {
                "target_id": t.target_id,
                "region_code": t.region_code,
                "indicator_code": t.indicator_code,
                "year": t.year,
                "comparator": t.comparator,
                "value": t.value,
                "unit": ind.unit if ind else "",
                "form": t.form,
                "baseline_year": t.baseline_year,
                "relative_unit": t.relative_unit,
                "binding": t.binding,
                "issuer": t.issuer_name,
                "source_file": t.source_file,
                "source_clause": t.source_clause,
                "scope": t.scope,
                "region_group": t.region_group,
                "tolerance": t.tolerance,
                "note": t.note,
            }
        )
    df = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    return df.astype({"baseline_year": "Int64", "target_id": "Int64"})


def trend_tables(
    engine: Engine,
    catalog: Catalog,
    regions: RegionIndex,
    indicator_code: str,
    region_codes: list[str],
    years: list[int],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Actual values by year and period for the regions (region_code, year, period, value), and each region-year's
    effective target (region_code, year, target); keyed by codes: see with_names."""
    from indicators.engine import effective_target

    targets = store.load_targets(engine, indicator_code=indicator_code)
    obs = store.load_observations(engine, sorted(set(years) | {y - 1 for y in years}))
    baseline = {(r.indicator_code, r.region_code, r.year): r.value for r in obs[obs["period"] == 12].itertuples()}
    ind = catalog[indicator_code]
    series = obs[
        (obs["indicator_code"] == indicator_code) & obs["region_code"].isin(region_codes) & obs["year"].isin(years)
    ]
    series = series[["region_code", "year", "period", "value"]]
    rows = [
        (
            code,
            y,
            effective_target(ind, code, y, targets, regions, lambda i, r, yy: baseline.get((i, r, yy))).value,
        )
        for code in region_codes
        for y in years
    ]
    return series, pd.DataFrame(rows, columns=["region_code", "year", "target"])


def with_names(table: pd.DataFrame, catalog: Catalog, regions: RegionIndex, lang: str = "zh") -> pd.DataFrame:
    """The table with names in `lang` beside its codes: region_name after region_code; indicator_name, and the
    indicator's unit unless the table has one, after indicator_code. A code the reference data does not know stands
    for its own name; names already there are replaced, so a second call changes nothing."""
    out = table.copy(deep=False)
    if "region_code" in out:
        names = {c: regions.name(c, lang) for c in out["region_code"].unique()}
        _beside(out, "region_code", "region_name", out["region_code"].map(names))
    if "indicator_code" in out:
        codes = out["indicator_code"]
        known = {c: catalog.by_code.get(c) for c in codes.unique()}
        _beside(
            out, "indicator_code", "indicator_name", codes.map({c: i.name(lang) if i else c for c, i in known.items()})
        )
        if "unit" not in table:
            _beside(out, "indicator_name", "unit", codes.map({c: i.unit if i else "" for c, i in known.items()}))
    return out


def _beside(table: pd.DataFrame, anchor: str, column: str, values: pd.Series) -> None:
    if column in table:
        del table[column]
    table.insert(table.columns.get_loc(anchor) + 1, column, values.astype(object))
