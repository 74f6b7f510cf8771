"""The comparison of a tidy table with the stored current values: what the upload preview shows and what a commit
writes (insert / update / unchanged, old → new)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from data_loaders.db import Observation, rows_frame

OBS_KEY = ["indicator_code", "region_code", "year", "period"]


def key_frame(tidy: pd.DataFrame) -> pd.DataFrame:
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
    new = key_frame(tidy)
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
    current = rows_frame(conn.execute(q).all(), cols)
    return current.astype(
        {
            "year": "int64",
            "period": "int64",
            "old_value": "float64",
            "old_numerator": "float64",
            "old_denominator": "float64",
        }
    )
