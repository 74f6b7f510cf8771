"""Queries and writes. Every function takes an Engine first; a write is one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_loaders import audit
from data_loaders.audit import Change
from data_loaders.cells import YTD, clean_text
from data_loaders.db import IndicatorRow, Observation, RegionRow, TargetRow, UploadBatch, make_engine

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
from indicators.catalog import Catalog
from indicators.errors import BilingualError
from indicators.regions import RegionIndex
from indicators.targets import TEXT_LIMITS

OBS_KEY = ["indicator_code", "region_code", "year", "period"]
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
            s.merge(
                IndicatorRow(
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
            )


def load_observations(engine: Engine, years: list[int] | None = None) -> pd.DataFrame:
    """Current observations as a tidy frame (indicator_code, region_code, year, period, value, numerator, denominator)."""
    cols = [*OBS_KEY, "value", "numerator", "denominator"]
    q = select(*(getattr(Observation, c) for c in cols)).where(Observation.current.is_(True))
    if years:
        q = q.where(Observation.year.in_(years))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    df = pd.DataFrame(rows, columns=cols)
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
    return pd.DataFrame(rows, columns=cols)


def _frame(tidy: pd.DataFrame) -> pd.DataFrame:
    """The key and value columns of a tidy table with stable dtypes."""
    out = pd.DataFrame({k: tidy[k] for k in OBS_KEY})
    out = out.astype({"indicator_code": str, "region_code": str, "year": "int64", "period": "int64"})
    for col in ("value", "numerator", "denominator"):
        out[col] = pd.to_numeric(tidy[col], errors="coerce").astype("float64") if col in tidy else float("nan")
    return out


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a.isna() & b.isna()) | ((a - b).abs() <= 1e-9)


def diff_against_store(engine: Engine | Connection, tidy: pd.DataFrame) -> pd.DataFrame:
    """Each tidy row classified as insert / update / unchanged against the current stored value (old → new)."""
    new = _frame(tidy)
    if isinstance(engine, Engine):
        with engine.connect() as conn:
            current = _current_for(conn, new)
    else:
        current = _current_for(engine, new)
    merged = new.merge(current, on=OBS_KEY, how="left")
    unchanged = (
        _same(merged["value"], merged["old_value"])
        & _same(merged["numerator"], merged["old_numerator"])
        & _same(merged["denominator"], merged["old_denominator"])
    )
    merged["change"] = "update"
    merged.loc[unchanged, "change"] = "unchanged"
    merged.loc[merged["old_id"].isna(), "change"] = "insert"
    merged = merged.rename(columns={"value": "new_value"})
    return merged[[*OBS_KEY, "old_value", "new_value", "change", "old_id"]]


def _current_for(conn: Connection, new: pd.DataFrame) -> pd.DataFrame:
    cols = ["old_id", *OBS_KEY, "old_value", "old_numerator", "old_denominator"]
    if new.empty:
        return pd.DataFrame(columns=cols).astype({"year": "int64", "period": "int64", "old_value": "float64"})
    q = select(
        Observation.id,
        *(getattr(Observation, c) for c in OBS_KEY),
        Observation.value,
        Observation.numerator,
        Observation.denominator,
    ).where(
        Observation.current.is_(True),
        Observation.year.in_(sorted(int(y) for y in new["year"].unique())),
        Observation.indicator_code.in_(sorted(new["indicator_code"].unique())),
    )
    current = pd.DataFrame(conn.execute(q).all(), columns=cols)
    return current.astype(
        {
            "year": "int64",
            "period": "int64",
            "old_value": "float64",
            "old_numerator": "float64",
            "old_denominator": "float64",
        }
    )


_OBS_COLUMNS = [
    "indicator_code",
    "region_code",
    "year",
    "period",
    "value",
    "numerator",
    "denominator",
    "note",
    "batch_id",
    "current",
]


def _row_tuples(frame: pd.DataFrame) -> list[tuple]:
    """Plain Python tuples in _OBS_COLUMNS order, NaN as None (what every DB-API driver binds)."""
    columns = []
    for c in _OBS_COLUMNS:
        values = frame[c].tolist()  # numpy scalars become Python ints and floats
        if c in ("value", "numerator", "denominator"):
            values = [None if v is None or v != v else v for v in values]
        columns.append(values)
    return list(zip(*columns, strict=True))


def _bulk_insert_observations(session: Session, frame: pd.DataFrame) -> None:
    """A raw executemany on SQLite (one prepared statement, the caller's transaction), Core elsewhere; PostgreSQL
    goes through the staging table instead (_write_staged)."""
    conn = session.connection()
    rows = _row_tuples(frame)
    if conn.dialect.name != "sqlite":
        conn.execute(Observation.__table__.insert(), [dict(zip(_OBS_COLUMNS, r, strict=True)) for r in rows])
        return
    import sqlite3

    statement = f"INSERT INTO observations ({', '.join(_OBS_COLUMNS)}) VALUES ({', '.join('?' * len(_OBS_COLUMNS))})"
    try:
        conn.connection.cursor().executemany(statement, rows)
    except sqlite3.IntegrityError as exc:
        raise IntegrityError(statement, None, exc) from exc


def find_committed_batch(engine: Engine | Session, sha256: str) -> int | None:
    query = select(UploadBatch.id).where(UploadBatch.sha256 == sha256, UploadBatch.status == "committed")
    if isinstance(engine, Session):
        return engine.execute(query).scalar()
    with engine.connect() as conn:
        return conn.execute(query).scalar()


_WRITE_LOCK = 0x45_4E_56_44  # any constant shared by every writer of this database


def _serialize_writes(session: Session) -> None:
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
    with Session(engine) as s, s.begin():
        _serialize_writes(s)
        previous = find_committed_batch(s, sha256)
        if previous is not None:
            return BatchSummary(previous, 0, 0, len(tidy), already_imported=True)
        batch = UploadBatch(file_name=file_name, sha256=sha256, uploaded_by=uploaded_by, note=note)
        s.add(batch)
        s.flush()
        rows = _frame(tidy)
        rows["note"] = tidy["note"].fillna("").astype(str).values if "note" in tidy else ""
        write = _write_staged if s.connection().dialect.name == "postgresql" else _write_rows
        batch.rows_inserted, batch.rows_updated, batch.rows_unchanged = write(s, rows, batch.id, progress)
        audit.record(
            s,
            uploaded_by,
            Change.UPLOAD,
            file_name,
            f"{batch.rows_inserted} inserted, {batch.rows_updated} updated, {batch.rows_unchanged} unchanged",
            batch_id=batch.id,
        )
        return BatchSummary(batch.id, batch.rows_inserted, batch.rows_updated, batch.rows_unchanged)


def _write_rows(s: Session, rows: pd.DataFrame, batch_id: int, progress: Progress | None) -> tuple[int, int, int]:
    """The diff against the current values in Python, then one UPDATE per 20,000 superseded ids and a prepared
    executemany of the changed rows (SQLite and any other backend). Returns (inserted, updated, unchanged)."""
    diff = diff_against_store(s.connection(), rows)
    changed = diff["change"] != "unchanged"
    to_retire = [int(i) for i in diff.loc[diff["change"] == "update", "old_id"]]
    for chunk in range(0, len(to_retire), 20_000):  # bound the statement's parameter count
        s.execute(
            update(Observation)
            .where(Observation.id.in_(to_retire[chunk : chunk + 20_000]))
            .values(current=False, superseded_by=batch_id)
        )
    rows["batch_id"], rows["current"] = batch_id, True
    rows = rows[changed.values]
    total = len(rows)
    for start in range(0, total, WRITE_CHUNK):
        _bulk_insert_observations(s, rows.iloc[start : start + WRITE_CHUNK])
        if progress:
            progress("written", min(start + WRITE_CHUNK, total), total)
    inserted = int((diff["change"] == "insert").sum())
    return inserted, len(to_retire), int((diff["change"] == "unchanged").sum())


_STAGING = "upload_staging"
_STAGED = ["seq", *OBS_KEY, "value", "numerator", "denominator", "note", "old_id"]


def _write_staged(s: Session, rows: pd.DataFrame, batch_id: int, progress: Progress | None) -> tuple[int, int, int]:
    """PostgreSQL: the diff as on every backend (diff_against_store, the same comparison the preview shows), then
    the changed rows go by COPY into a temporary staging table and from there by set-based statements: one
    UPDATE … FROM supersedes every replaced value into history, INSERT … SELECT moves the rows (in WRITE_CHUNK
    slices when someone listens for progress). The foreign keys of observations are checked once for the batch
    when the role may skip the per-row checks (_trust_batch)."""
    conn = s.connection()
    diff = diff_against_store(conn, rows)
    changed = (diff["change"] != "unchanged").to_numpy()
    inserted = int((diff["change"] == "insert").sum())
    staged = rows[changed].reset_index(drop=True)
    staged["old_id"] = diff.loc[changed, "old_id"].to_numpy(dtype="float64")
    conn.execute(
        text(
            f"CREATE TEMPORARY TABLE {_STAGING} (seq integer NOT NULL, indicator_code text, region_code text, "
            "year integer, period integer, value double precision, numerator double precision, "
            "denominator double precision, note text, old_id integer) ON COMMIT DROP"
        )
    )
    _copy_rows(conn, _STAGING, _STAGED, _staged_csv(staged))
    if _trust_batch(conn):
        _check_references(conn)
    conn.execute(
        text(
            f"UPDATE observations o SET current = false, superseded_by = :batch FROM {_STAGING} st "
            "WHERE o.id = st.old_id"
        ),
        {"batch": batch_id},
    )
    names = ", ".join([*OBS_KEY, "value", "numerator", "denominator", "note"])
    move = f"INSERT INTO observations ({names}, batch_id, current) SELECT {names}, :batch, true FROM {_STAGING}"
    total = len(staged)
    if progress is None:
        conn.execute(text(move), {"batch": batch_id})
    else:
        for start in range(0, total, WRITE_CHUNK):
            conn.execute(
                text(f"{move} WHERE seq >= :low AND seq < :high"),
                {"batch": batch_id, "low": start, "high": start + WRITE_CHUNK},
            )
            progress("written", min(start + WRITE_CHUNK, total), total)
    return inserted, total - inserted, len(diff) - total


def _staged_csv(rows: pd.DataFrame) -> bytes:
    """The staged columns as CSV for COPY, written by Arrow in C: NaN as an empty field (NULL), text quoted (so an
    empty note stays an empty string)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    columns = {c: pa.Array.from_pandas(rows[c]) for c in _STAGED[1:-1]}
    old_id = pa.Array.from_pandas(rows["old_id"]).cast(pa.int64())  # NaN (a new row) → null
    table = pa.table({"seq": np.arange(len(rows)), **columns, "old_id": old_id})
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return sink.getvalue().to_pybytes()


def _copy_rows(conn: Connection, table: str, columns: list[str], data: bytes) -> None:
    import psycopg

    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)"
    try:
        with conn.connection.cursor() as cur, cur.copy(statement) as copy:
            for start in range(0, len(data), 1 << 20):
                copy.write(data[start : start + (1 << 20)])
    except psycopg.errors.IntegrityError as exc:
        raise IntegrityError(statement, None, exc) from exc


def _trust_batch(conn: Connection) -> bool:
    """Skip the per-row foreign-key triggers of this transaction (session_replication_role = replica, undone at its
    end) when the role may: the whole batch is then checked by _check_references, once. Without the privilege the
    triggers stay on and check every row, as before (correct, slower)."""
    if conn.dialect.server_version_info >= (15,):
        allowed = conn.execute(text("SELECT has_parameter_privilege('session_replication_role', 'SET')")).scalar()
    else:
        allowed = conn.execute(text("SELECT current_setting('is_superuser') = 'on'")).scalar()
    if allowed:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
    return bool(allowed)


_REFERENCES = (("region_code", "regions"), ("indicator_code", "indicators"))


def _check_references(conn: Connection) -> None:
    """What the foreign keys of observations check row by row, once for the batch: every staged code names a row
    of its reference table, and that row is locked against deletion (FOR KEY SHARE, as the trigger would) until the
    transaction ends. The batch ids written are this transaction's own batch row. IntegrityError otherwise."""
    for column, table in _REFERENCES:
        conn.execute(text(f"SELECT 1 FROM {table} WHERE code IN (SELECT {column} FROM {_STAGING}) FOR KEY SHARE"))
        missing = (
            conn.execute(
                text(
                    f"SELECT DISTINCT st.{column} FROM {_STAGING} st "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {table} r WHERE r.code = st.{column}) ORDER BY 1 LIMIT 5"
                )
            )
            .scalars()
            .all()
        )
        if missing:
            statement = f"INSERT INTO observations ({column}) …"
            raise IntegrityError(
                statement,
                None,
                ValueError(f'insert on table "observations" violates foreign key: {column} {missing} not in "{table}"'),
            )


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
        _serialize_writes(s)
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
