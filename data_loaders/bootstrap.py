"""Create the schema and fill it with the catalog, regions, seed targets and (optionally) sample actuals."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine

from data_loaders import store
from data_loaders.db import IndicatorRow, RegionRow, create_schema, make_engine
from indicators.catalog import SAMPLE_DATA, Catalog, load_catalog
from indicators.regions import RegionIndex, load_regions
from indicators.targets import load_sample_targets

SAMPLE_WORKBOOKS = ("hubei_2023_long.xlsx", "hubei_2024_wide.xlsx")
SEED_OBSERVATIONS = "seed_observations.csv"


@dataclass(frozen=True)
class InitSummary:
    targets_added: int
    batches: list[store.BatchSummary]


def init_database(engine: Engine, catalog: Catalog, regions: RegionIndex, sample: bool = False) -> InitSummary:
    """Create or upgrade the schema and load reference data; idempotent."""
    create_schema(engine)
    store.load_reference_tables(engine, catalog, regions)
    added = store.add_targets(engine, load_sample_targets())
    batches = load_sample_actuals(engine, catalog, regions) if sample else []
    return InitSummary(added, batches)


def is_initialised(engine: Engine) -> bool:
    """Whether `cli.py init` has run on the database: its indicators and regions are loaded, without which no target
    or value can be stored."""
    if not inspect(engine).has_table(IndicatorRow.__tablename__):
        return False
    with engine.connect() as conn:
        return all(conn.execute(select(row.code).limit(1)).first() is not None for row in (IndicatorRow, RegionRow))


def load_sample_actuals(engine: Engine, catalog: Catalog, regions: RegionIndex) -> list[store.BatchSummary]:
    """Import the sample workbooks and the seed document's actuals through the normal import path."""
    from data_loaders.pipeline import parse_workbook

    out = []
    for name in SAMPLE_WORKBOOKS:
        data = (SAMPLE_DATA / name).read_bytes()
        parsed = parse_workbook(data, catalog, regions, prior=store.StoredValues.of(engine))
        if parsed.has_errors:
            raise RuntimeError(f"sample workbook {name} has errors:\n{parsed.problems}")
        out.append(store.commit_upload(engine, parsed.tidy, name, store.sha256_of(data), uploaded_by="sample"))
    raw = (SAMPLE_DATA / SEED_OBSERVATIONS).read_bytes()
    seed = pd.read_csv(SAMPLE_DATA / SEED_OBSERVATIONS, dtype={"region_code": str})
    seed["note"] = "来源 source: " + seed["source_file"] + " “" + seed["source_clause"] + "”"
    out.append(store.commit_upload(engine, seed, SEED_OBSERVATIONS, store.sha256_of(raw), uploaded_by="seed"))
    return out


def open_database(url: str, catalog: Catalog | None = None, regions: RegionIndex | None = None) -> Engine:
    """An engine on the URL; an empty database is created and filled with the sample data first (first start)."""
    engine = make_engine(url)
    if not inspect(engine).has_table("observations"):
        init_database(engine, catalog or load_catalog(), regions or load_regions(), sample=True)
    else:
        create_schema(engine)  # upgrade an existing database to the newest migration
    return engine
