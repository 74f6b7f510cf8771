"""Stage 6 of an import (tidy): the one table everything after the import sees — region_code, indicator_code, year,
period, value[, numerator, denominator] and where each value came from (data_loaders.cells.TIDY_COLUMNS)."""

from __future__ import annotations

import pandas as pd

from data_loaders.cells import OK, TIDY_COLUMNS


def tidy_table(df: pd.DataFrame) -> pd.DataFrame:
    """Every fully resolved, finite, year-to-date value of the normalised cells table."""
    keep = df["keyed"] & (df["value_state"] == OK)
    needed = [
        c
        for c in ("region_code", "indicator_code", "year", "period", "value", "numerator", "numerator_state")
        + ("denominator", "denominator_state", "note", "sheet", "value_col", "row", "basis", "from_period")
        if c in df
    ]
    rows = df[needed] if keep.all() else df.loc[keep, needed]  # only the columns kept: the table has 40 more
    parts_ok = (rows["numerator_state"] == OK) & (rows["denominator_state"] == OK)
    tidy = pd.DataFrame(
        {
            "region_code": rows["region_code"].astype(str),
            "indicator_code": rows["indicator_code"].astype(str),
            "year": rows["year"].astype("int64"),
            "period": rows["period"].astype("int64"),
            "value": rows["value"].astype("float64"),
            "numerator": rows["numerator"].where(parts_ok).astype("float64"),
            "denominator": rows["denominator"].where(parts_ok).astype("float64"),
            "note": rows["note"].fillna("").astype(str),
            "sheet": rows["sheet"].astype(str),
            "cell": rows["value_col"].astype(str) + rows["row"].astype("int64").astype(str),
            "basis": rows["basis"].astype(str) if "basis" in rows else "ytd",
            "from_period": rows["from_period"].astype("float64") if "from_period" in rows else float("nan"),
        },
        columns=TIDY_COLUMNS,
    )
    return tidy.reset_index(drop=True)
