"""Remembered column decisions: which indicator an unmatched column of a source's workbook is, or "ignore"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from data_loaders import audit
from data_loaders.audit import Change
from data_loaders.db import ColumnMapping, make_engine
from indicators.matching import fold


def remember_mappings(engine: Engine, source: str, decisions: Mapping[str, str], confirmed_by: str) -> int:
    """Store (or replace) the decisions {header as written: indicator code or "ignore"} for a source; one
    transaction. Returns how many were stored."""
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        for header, code in decisions.items():
            key = fold(header)[:255]
            row = s.scalars(
                select(ColumnMapping).where(ColumnMapping.source == source, ColumnMapping.header_key == key)
            ).first()
            if row is None:
                row = ColumnMapping(source=source, header_key=key)
                s.add(row)
            row.header, row.indicator_code = header[:255], code
            row.confirmed_by, row.confirmed_at = confirmed_by[:64], now
        if decisions:
            detail = "; ".join(f"{header} = {code}" for header, code in decisions.items())
            audit.record(s, confirmed_by, Change.COLUMN_MAPPING, source, detail)
    return len(decisions)


def list_mappings(engine: Engine) -> pd.DataFrame:
    """Every remembered decision, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(ColumnMapping.__table__).order_by(ColumnMapping.confirmed_at.desc(), ColumnMapping.id.desc())
        ).all()
    cols = ["id", "source", "header_key", "header", "indicator_code", "confirmed_by", "confirmed_at"]
    return pd.DataFrame([dict(r._mapping) for r in rows], columns=cols)


def mappings_stamp(engine: Engine) -> tuple[int, int, str]:
    """Changes whenever a decision is stored or replaced: (how many, the highest id, the latest confirmation) — a cheap cache key."""
    from sqlalchemy import func

    with engine.connect() as conn:
        count, top, at = conn.execute(
            select(func.count(), func.max(ColumnMapping.id), func.max(ColumnMapping.confirmed_at))
        ).one()
    return int(count), int(top or 0), str(at or "")


@dataclass(frozen=True)
class RememberedMappings:
    """The decisions remembered for a source, {folded header: code or "ignore"}: what the import's normalise stage
    applies before asking. Holds a URL, not an engine (a parse may run in a child process)."""

    url: str

    def __call__(self, source: str) -> dict[str, str]:
        if not source:
            return {}
        engine = make_engine(self.url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(
                    select(ColumnMapping.header_key, ColumnMapping.indicator_code).where(ColumnMapping.source == source)
                ).all()
        finally:
            engine.dispose()
        return {key: code for key, code in rows}

    @classmethod
    def of(cls, engine: Engine) -> RememberedMappings:
        return cls(engine.url.render_as_string(hide_password=False))
