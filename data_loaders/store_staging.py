"""PostgreSQL's write path of an upload: the changed rows by COPY into a temporary staging table, then set-based
statements; the foreign keys of observations checked once per batch where the role may skip the per-row checks."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_loaders.store_diff import OBS_KEY, diff_against_store

Progress = Callable[[str, int, int], None]  # (stage, done, total)


_STAGING = "upload_staging"
_STAGED = ["seq", *OBS_KEY, "value", "numerator", "denominator", "note", "old_id"]


def write_staged(
    s: Session, rows: pd.DataFrame, batch_id: int, progress: Progress | None, chunk: int, per_batch: bool = False
) -> tuple[int, int, int]:
    """PostgreSQL: the diff as on every backend (diff_against_store, the same comparison the preview shows), then
    the changed rows go by COPY into a temporary staging table and from there by set-based statements: one
    UPDATE … FROM supersedes every replaced value into history, INSERT … SELECT moves the rows (in chunk
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
        for start in range(0, total, chunk):
            conn.execute(
                text(f"{move} WHERE seq >= :low AND seq < :high"),
                {"batch": batch_id, "low": start, "high": start + chunk},
            )
            progress("written", min(start + chunk, total), total)
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
            raise refused_codes(column, table, missing)


def refused_codes(column: str, table: str, missing: list[str]) -> IntegrityError:
    """What a foreign-key trigger would raise for codes of `column` that name no row of `table`."""
    return IntegrityError(
        f"INSERT INTO observations ({column}) …",
        None,
        ValueError(f'insert on table "observations" violates foreign key: {column} {missing} not in "{table}"'),
    )
