"""Writing an upload: one transaction per file under the database's write lock, the diff against what is stored,
superseded values kept as history, the audit entry. SQLite (and any other backend) through a prepared executemany;
PostgreSQL through COPY (data_loaders.store_copy)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_loaders import audit
from data_loaders.audit import Change
from data_loaders.cells import YTD, clean_text
from data_loaders.db import IndicatorRow, Observation, RegionRow, UploadBatch
from data_loaders.store_copy import refused_codes, write_copied
from data_loaders.store_diff import diff_against_store, key_frame
from indicators.errors import BilingualError
from indicators.targets import TEXT_LIMITS

log = logging.getLogger(__name__)
WRITE_CHUNK = 50_000  # rows per bulk insert: progress is reported after each


@dataclass(frozen=True)
class BatchSummary:
    batch_id: int | None
    inserted: int
    updated: int
    unchanged: int
    already_imported: bool = False


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class NotYearToDate(BilingualError, ValueError):
    """A tidy table with values that are not year to date (an increment not turned into one): never stored."""

    def __init__(self, en: str, zh: str = "有数值不是年初至今累计值（增量未换算），未写入任何数据"):
        super().__init__(zh, en)


_OBS_COLUMNS = ["indicator_code", "region_code", "year", "period", "value", "numerator", "denominator", "note"]


def _row_columns(frame: pd.DataFrame) -> list[list]:
    """The _OBS_COLUMNS of `frame` as plain Python lists, NaN as None (what every DB-API driver binds)."""
    columns = []
    for c in _OBS_COLUMNS:
        if c in ("value", "numerator", "denominator"):
            numbers = frame[c].to_numpy(dtype="float64")
            values = numbers.astype(object)
            values[np.isnan(numbers)] = None
            columns.append(values.tolist())
        else:
            columns.append(frame[c].tolist())  # numpy scalars become Python ints, Arrow strings Python str
    return columns


def _bulk_insert_observations(session: Session, frame: pd.DataFrame, batch_id: int) -> None:
    """A raw executemany on SQLite (one prepared statement, the caller's transaction; the batch id and `current`
    written as constants, the rows streamed from columns), Core elsewhere; PostgreSQL goes through COPY
    instead (store_copy.write_copied)."""
    conn = session.connection()
    columns = _row_columns(frame)
    if conn.dialect.name != "sqlite":
        rows = [
            dict(zip(_OBS_COLUMNS, r, strict=True), batch_id=batch_id, current=True) for r in zip(*columns, strict=True)
        ]
        conn.execute(Observation.__table__.insert(), rows)
        return
    import sqlite3

    # Numerators, denominators or notes that are absent from every row (the usual long sheet) are written as
    # constants too: fewer parameters to bind per row. Only NULL and '' are written so, never a value from the file.
    names, bound, values = [*_OBS_COLUMNS, "batch_id", "current"], [], [str(int(batch_id)), "1"]
    for name, column in zip(_OBS_COLUMNS, columns, strict=True):
        constant = _sql_constant(column) if name in ("numerator", "denominator", "note") else None
        if constant is None:
            bound.append(column)
        values.insert(len(values) - 2, constant or "?")
    statement = f"INSERT INTO observations ({', '.join(names)}) VALUES ({', '.join(values)})"
    try:
        conn.connection.cursor().executemany(statement, zip(*bound, strict=True))
    except sqlite3.IntegrityError as exc:
        raise IntegrityError(statement, None, exc) from exc


def _sql_constant(column: list) -> str | None:
    """'NULL' or "''" when every value of `column` is None or every one is the empty string; None otherwise."""
    if not column or not (column[0] is None or column[0] == ""):
        return None
    first = column[0]
    if first is None:
        return "NULL" if column.count(None) == len(column) else None
    return "''" if column.count("") == len(column) else None


@contextmanager
def _foreign_keys_per_batch(conn: Connection) -> Iterator[bool]:
    """Whether the next transaction on `conn` checks the foreign keys of observations once for the batch
    (_check_codes) instead of row by row. SQLite looks up the three referenced rows for every inserted row; its
    PRAGMA foreign_keys cannot change inside a transaction, so it is switched off before the transaction begins
    and back on after it ends, on this connection only. PostgreSQL decides inside its transaction
    (store_copy._trust_batch)."""
    if conn.dialect.name != "sqlite":
        yield False
        return
    raw = conn.connection.dbapi_connection
    if raw.in_transaction or not raw.execute("PRAGMA foreign_keys").fetchone()[0]:
        yield not raw.in_transaction  # already off on this connection: the batch check is all there is
        return
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield True
    finally:
        try:
            raw.execute("PRAGMA foreign_keys=ON")
        except Exception as exc:  # a connection broken by the failure is discarded by the pool; log, don't mask
            log.warning("foreign keys not switched back on (connection discarded): %r", exc)
            conn.invalidate()


def _check_codes(s: Session, rows: pd.DataFrame) -> None:
    """Every region and indicator code of the batch names a reference row (what the foreign keys check row by row),
    once for the batch; the write lock this transaction holds keeps those rows from being deleted meanwhile."""
    for column, model, table in (("region_code", RegionRow, "regions"), ("indicator_code", IndicatorRow, "indicators")):
        codes = sorted({str(c) for c in rows[column].unique()})
        known: set[str] = set()
        for at in range(0, len(codes), 500):
            known.update(s.scalars(select(model.code).where(model.code.in_(codes[at : at + 500]))))
        if missing := [c for c in codes if c not in known]:
            raise refused_codes(column, table, missing[:5])


def find_committed_batch(engine: Engine | Session, sha256: str) -> int | None:
    query = select(UploadBatch.id).where(UploadBatch.sha256 == sha256, UploadBatch.status == "committed")
    if isinstance(engine, Session):
        return engine.execute(query).scalar()
    with engine.connect() as conn:
        return conn.execute(query).scalar()


_WRITE_LOCK = 0x45_4E_56_44  # any constant shared by every writer of this database


def serialize_writes(session: Session) -> None:
    """Take the database's write lock before reading what a write depends on, so that two imports of overlapping
    data run one after the other: the second sees the first's values and supersedes them, never a stale copy.
    PostgreSQL: a transaction-scoped advisory lock. SQLite: a write statement takes the RESERVED lock at once (the
    busy timeout makes the other writer wait) instead of two readers deadlocking when both try to upgrade."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK})
    elif conn.dialect.name == "sqlite":
        conn.execute(text("UPDATE upload_batches SET status = status WHERE 0 = 1"))


Progress = Callable[[str, int, int], None]  # (stage, done, total): stages "read", "validated", "written"


def commit_upload(
    engine: Engine,
    tidy: pd.DataFrame,
    file_name: str,
    sha256: str,
    uploaded_by: str = "",
    note: str = "",
    progress: Progress | None = None,
) -> BatchSummary:
    """Write a validated tidy table as one upload batch, all or nothing; superseded values stay as history.
    The comparison with what is stored happens inside the transaction, under the write lock, and the audit entry
    (by `uploaded_by`: an account name, or `cli:<login>` / `web` where nobody signed in) is written with it.
    Raises NotYearToDate for a table holding anything but year-to-date values."""
    if "basis" in tidy and (tidy["basis"] != YTD).any():
        bad = tidy.loc[tidy["basis"] != YTD, ["sheet", "cell"]].astype(str).agg("!".join, axis=1).tolist()
        raise NotYearToDate(f"not year-to-date values refused: {', '.join(bad[:5])}")
    file_name = clean_text(file_name)[-TEXT_LIMITS["file_name"] :]  # the end keeps the extension
    uploaded_by = clean_text(uploaded_by)[: TEXT_LIMITS["uploaded_by"]]
    with engine.connect() as conn, _foreign_keys_per_batch(conn) as per_batch, Session(bind=conn) as s, s.begin():
        serialize_writes(s)
        previous = find_committed_batch(s, sha256)
        if previous is not None:
            return BatchSummary(previous, 0, 0, len(tidy), already_imported=True)
        batch = UploadBatch(file_name=file_name, sha256=sha256, uploaded_by=uploaded_by, note=note)
        s.add(batch)
        s.flush()
        rows = key_frame(tidy)
        rows["note"] = tidy["note"].fillna("").astype(str).values if "note" in tidy else ""
        write = write_copied if s.connection().dialect.name == "postgresql" else _write_rows
        batch.rows_inserted, batch.rows_updated, batch.rows_unchanged = write(
            s, rows, batch.id, progress, WRITE_CHUNK, per_batch
        )
        audit.record(
            s,
            uploaded_by,
            Change.UPLOAD,
            file_name,
            f"{batch.rows_inserted} inserted, {batch.rows_updated} updated, {batch.rows_unchanged} unchanged",
            batch_id=batch.id,
        )
        return BatchSummary(batch.id, batch.rows_inserted, batch.rows_updated, batch.rows_unchanged)


def _write_rows(
    s: Session, rows: pd.DataFrame, batch_id: int, progress: Progress | None, chunk: int, per_batch: bool
) -> tuple[int, int, int]:
    """The diff against the current values in Python, then one UPDATE per 20,000 superseded ids and a prepared
    executemany of the changed rows (SQLite and any other backend), their codes checked once first when the
    foreign keys are not checked row by row. Returns (inserted, updated, unchanged)."""
    diff = diff_against_store(s.connection(), rows)
    changed = diff["change"] != "unchanged"
    to_retire = [int(i) for i in diff.loc[diff["change"] == "update", "old_id"]]
    for at in range(0, len(to_retire), 20_000):  # bound the statement's parameter count
        s.execute(
            update(Observation)
            .where(Observation.id.in_(to_retire[at : at + 20_000]))
            .values(current=False, superseded_by=batch_id)
        )
    rows = rows[changed.values]
    if per_batch:
        _check_codes(s, rows)
    total = len(rows)
    for start in range(0, total, chunk):
        _bulk_insert_observations(s, rows.iloc[start : start + chunk], batch_id)
        if progress:
            progress("written", min(start + chunk, total), total)
    inserted = int((diff["change"] == "insert").sum())
    return inserted, len(to_retire), int((diff["change"] == "unchanged").sum())
