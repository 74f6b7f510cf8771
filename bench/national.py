"""Synthetic national-scale reference data: 1 nation, 31 provinces, 337 prefecture-level cities."""

from __future__ import annotations

import random

import pandas as pd

from indicators.catalog import Catalog
from indicators.regions import Region, RegionIndex, load_regions
from indicators.targets import Target

N_PROVINCES = 31
N_CITIES = 337


def national_regions() -> RegionIndex:
    """The shipped regions plus synthetic provinces (codes 5x0000…) and cities, to 31 provinces and 337 cities."""
    real = list(load_regions())
    provinces = [r for r in real if r.level == "province"]
    cities = [r for r in real if r.level == "city"]
    out = list(real)
    shipped = len(provinces)
    taken = {r.code for r in real}
    p = 0
    while len(provinces) < N_PROVINCES:
        code = f"{50 + p}0000"
        p += 1
        if code in taken:  # a real province shipped with that code (510000 四川)
            continue
        prov = Region(code, f"合成省{p:02d}", f"合成省{p:02d}", (), "province", "000000")
        provinces.append(prov)
        out.append(prov)
    i = 0
    synthetic = provinces[shipped:]
    while len(cities) < N_CITIES:
        prov = synthetic[i % len(synthetic)]
        code = f"{prov.code[:2]}{(i // len(synthetic)) + 1:02d}00"
        i += 1
        city = Region(code, f"合成市{code}", f"合成市{code}", (), "city", prov.code)
        cities.append(city)
        out.append(city)
    return RegionIndex(out)


def national_targets(catalog: Catalog, regions: RegionIndex, year: int) -> list[Target]:
    """One province target per indicator, and an own target for every other city (stricter-wins work to do)."""
    rng = random.Random(7)
    targets = []
    for ind in catalog:
        comparator = ">=" if ind.higher_better else "<="
        mid = (ind.min_value + min(ind.max_value, 100)) / 2
        for r in regions:
            if r.level == "province" or (r.level == "city" and rng.random() < 0.5):
                targets.append(
                    Target(
                        ind.code,
                        r.code,
                        year,
                        comparator,
                        round(mid * rng.uniform(0.8, 1.2), 2),
                        issuer_code=r.code,
                        source_file="synthetic",
                    )
                )
    return targets


def national_observations(catalog: Catalog, regions: RegionIndex, years: range) -> pd.DataFrame:
    """Every city × indicator × year × quarter, synthetic values."""
    rng = random.Random(11)
    cities = [r.code for r in regions if r.level == "city"]
    rows = []
    for ind in catalog:
        hi = min(ind.max_value, 100)
        lo = max(ind.min_value, 1.0) if ind.unit == "%" else ind.min_value  # shares as bureaus write them: 85.7
        for code in cities:
            for y in years:
                for p in (3, 6, 9, 12):
                    rows.append((ind.code, code, y, p, round(rng.uniform(lo, hi), 2)))
    return pd.DataFrame(rows, columns=["indicator_code", "region_code", "year", "period", "value"])
