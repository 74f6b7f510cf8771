"""Queries and writes. Every function takes an Engine first; a write is one transaction. The write of an upload
lives in data_loaders.store_write (PostgreSQL's COPY path in store_copy), the diff in store_diff; their public
names are importable from here, where pages and the CLI reach every query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from data_loaders import audit
from data_loaders.audit import Change
from data_loaders.cells import clean_text
from data_loaders.db import IndicatorRow, Observation, RegionRow, TargetRow, UploadBatch, make_engine, rows_frame
from data_loaders.store_diff import OBS_KEY, diff_against_store  # noqa: F401
from data_loaders.store_write import (  # noqa: F401
    WRITE_CHUNK,
    BatchSummary,
    NotYearToDate,
    Progress,
    commit_upload,
    find_committed_batch,
    serialize_writes,
    sha256_of,
)

# Targets live in their own module; pages and the CLI reach every query through `store`.
from data_loaders.target_store import (  # noqa: F401
    TargetRefused,
    add_target,
    add_targets,
    load_target,
    load_targets,
    retire_target,
    target_history,
    update_target,
)
from indicators.catalog import Catalog, Indicator
from indicators.errors import BilingualError
from indicators.regions import RegionIndex


@dataclass(frozen=True)
class StoredValues:
    """The stored year-to-date values of some years, keyed (region, indicator, year, period): the base the import's
    normalise stage adds an increment to. Holds a URL, not an engine, so a parse in a child process opens its own
    connection."""

    url: str

    def __call__(self, years) -> dict[tuple[str, str, int, int], float]:
        engine = make_engine(self.url)
        try:
            obs = load_observations(engine, sorted(set(years)))
        finally:
            engine.dispose()
        return {
            (r.region_code, r.indicator_code, int(r.year), int(r.period)): float(r.value)
            for r in obs.itertuples(index=False)
        }

    @classmethod
    def of(cls, engine: Engine) -> StoredValues:
        return cls(engine.url.render_as_string(hide_password=False))


def load_reference_tables(engine: Engine, catalog: Catalog, regions: RegionIndex) -> None:
    """Insert or refresh the catalog and regions rows (idempotent)."""
    with Session(engine) as s, s.begin():
        for r in regions:
            s.merge(
                RegionRow(
                    code=r.code,
                    name=r.name,
                    short_name=r.short_name,
                    aliases="|".join(r.aliases),
                    level=r.level,
                    parent_code=r.parent_code,
                )
            )
        for i in catalog:
            s.merge(indicator_row(i))


def indicator_row(i: Indicator) -> IndicatorRow:
    """The indicators-table row of a catalog indicator (shipped, or added by a person: data_loaders.catalog_store)."""
    return IndicatorRow(
        code=i.code,
        name_zh=i.name_zh,
        name_en=i.name_en,
        aliases="|".join(i.aliases),
        unit=i.unit,
        direction=i.direction,
        kind=i.kind,
        aggregation=i.aggregation,
        min_value=i.min_value,
        max_value=i.max_value,
        decimals=i.decimals,
        category=i.category,
        definition_zh=i.definition_zh,
        definition_en=i.definition_en,
        standard=i.standard,
    )


def load_observations(engine: Engine, years: list[int] | None = None) -> pd.DataFrame:
    """Current observations as a tidy frame (indicator_code, region_code, year, period, value, numerator, denominator)."""
    cols = [*OBS_KEY, "value", "numerator", "denominator"]
    q = select(*(getattr(Observation, c) for c in cols)).where(Observation.current.is_(True))
    if years:
        q = q.where(Observation.year.in_(years))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    df = rows_frame(rows, cols)
    return df.astype(
        {"year": "int64", "period": "int64", "value": "float64", "numerator": "float64", "denominator": "float64"}
    )


def list_batches(engine: Engine) -> pd.DataFrame:
    """Upload history, newest first."""
    cols = [
        "id",
        "file_name",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "rows_inserted",
        "rows_updated",
        "rows_unchanged",
        "status",
        "note",
        "rolled_back_by",
        "rolled_back_at",
    ]
    with engine.connect() as conn:
        rows = conn.execute(select(*(getattr(UploadBatch, c) for c in cols)).order_by(UploadBatch.id.desc())).all()
    return rows_frame(rows, cols)


def available_years(engine: Engine) -> list[int]:
    """Years with targets or observations, newest first."""
    with engine.connect() as conn:
        years = set(conn.execute(select(Observation.year).distinct()).scalars())
        years |= set(conn.execute(select(TargetRow.year).where(TargetRow.retired.is_(False)).distinct()).scalars())
    return sorted(years, reverse=True)


class RollbackRefused(BilingualError):
    """The batch cannot be rolled back (unknown, already rolled back, or later batches changed its values)."""


@dataclass(frozen=True)
class RollbackPreview:
    """What rolling a batch back would do, for the confirmation that names it."""

    batch_id: int
    file_name: str
    status: str
    withdrawn: int  # current values the batch wrote, retired by the rollback
    restored: int  # values the batch replaced, current again after the rollback


def rollback_preview(engine: Engine, batch_id: int) -> RollbackPreview | None:
    """The batch's file and how many values a rollback would withdraw and restore; None when there is no batch."""
    with engine.connect() as conn:
        batch = conn.execute(
            select(UploadBatch.file_name, UploadBatch.status).where(UploadBatch.id == batch_id)
        ).first()
        if batch is None:
            return None
        withdrawn = conn.execute(
            select(func.count())
            .select_from(Observation)
            .where(Observation.batch_id == batch_id, Observation.current.is_(True))
        ).scalar()
        restored = conn.execute(
            select(func.count()).select_from(Observation).where(Observation.superseded_by == batch_id)
        ).scalar()
    return RollbackPreview(batch_id, batch.file_name, batch.status, int(withdrawn or 0), int(restored or 0))


def rollback_batch(engine: Engine, batch_id: int, by: str = audit.UNNAMED) -> int:
    """Restore exactly the values the batch replaced and retire the values it wrote; returns rows restored.
    `by` (who, recorded with the batch and in the audit log) must have been allowed to: data_loaders.permissions."""
    with Session(engine) as s, s.begin():
        serialize_writes(s)
        batch = s.get(UploadBatch, batch_id, with_for_update=True)
        if batch is None:
            raise RollbackRefused(f"批次 {batch_id} 不存在", f"Batch {batch_id} does not exist")
        if batch.status != "committed":
            raise RollbackRefused(f"批次 {batch_id} 已回滚", f"Batch {batch_id} is already rolled back")
        later = s.scalars(
            select(Observation.superseded_by)
            .where(Observation.batch_id == batch_id, Observation.superseded_by.is_not(None))
            .distinct()
        ).all()
        if later:
            ids = ", ".join(str(i) for i in sorted(later))
            raise RollbackRefused(
                f"批次 {batch_id} 的数值已被后续批次 {ids} 更新，请先回滚后续批次",
                f"Values of batch {batch_id} were since replaced by batch {ids}; roll that back first",
            )
        s.execute(
            update(Observation)
            .where(Observation.batch_id == batch_id, Observation.current.is_(True))
            .values(current=False)
        )
        restored = s.execute(
            update(Observation).where(Observation.superseded_by == batch_id).values(current=True, superseded_by=None)
        ).rowcount
        batch.status = "rolled_back"
        batch.rolled_back_by, batch.rolled_back_at = clean_text(by or audit.UNNAMED)[:64], datetime.now(UTC)
        audit.record(
            s, by, Change.ROLLBACK, batch.file_name, f"{int(restored or 0)} values restored", batch_id=batch_id
        )
        return int(restored or 0)


def newest_period(engine: Engine) -> tuple[int, int] | None:
    """The newest (year, period) holding a current observation; None when nothing has been imported."""
    with engine.connect() as conn:
        row = conn.execute(
            select(Observation.year, Observation.period)
            .where(Observation.current.is_(True))
            .order_by(Observation.year.desc(), Observation.period.desc())
            .limit(1)
        ).first()
    return None if row is None else (int(row.year), int(row.period))
