"""Tables laid out as bureaus publish them import without hand editing (tests/fixtures/published/SOURCES.md).

Each workbook is rebuilt from a published bulletin by tests/fixtures/published/build_published.py; its
<name>.expected.csv holds what a clerk expects the import to produce. The expectations are not relaxed to fit the
importer: a table the importer cannot read yet fails here and says why."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from data_loaders.pipeline import parse_workbook

PUBLISHED = Path(__file__).resolve().parent / "fixtures" / "published"
TABLES = sorted(p.name.removesuffix(".expected.csv") for p in PUBLISHED.glob("*.expected.csv"))
KEY = ["region_code", "indicator_code", "year", "period"]
COLUMNS = [*KEY, "value", "numerator", "denominator"]
# Tables today's importer cannot read yet, and why (the header matcher in progress is meant to read them). Strict:
# once a table imports as expected its entry must go, so this list cannot go stale.
NOT_YET: dict[str, str] = {}


def _expected(name: str) -> pd.DataFrame:
    df = pd.read_csv(PUBLISHED / f"{name}.expected.csv", dtype={"region_code": str, "indicator_code": str})
    return _normalised(df)


def _normalised(df: pd.DataFrame) -> pd.DataFrame:
    """The tidy columns a clerk checks, typed and in one order, so two tables compare cell by cell."""
    out = pd.DataFrame(
        {
            "region_code": df["region_code"].astype(str),
            "indicator_code": df["indicator_code"].astype(str),
            "year": pd.to_numeric(df["year"]).astype("int64"),
            "period": pd.to_numeric(df["period"]).astype("int64"),
            **{c: pd.to_numeric(df[c], errors="coerce").astype("float64") for c in COLUMNS[4:]},
        }
    )
    return out.sort_values(KEY).reset_index(drop=True)


def test_every_workbook_has_its_expectations():
    workbooks = sorted(p.stem for p in PUBLISHED.glob("*.xlsx"))
    assert workbooks == TABLES and len(TABLES) >= 3


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(reason=NOT_YET[n], strict=True)) if n in NOT_YET else n for n in TABLES],
)
def test_published_table_imports_as_a_clerk_expects(name, catalog, regions):
    parsed = parse_workbook(PUBLISHED / f"{name}.xlsx", catalog, regions)
    errors = parsed.problems[parsed.problems["severity"] == "error"]
    shown = parsed.problems[["sheet", "cell", "column", "value", "problem_en", "severity"]].to_string()
    assert errors.empty, f"{name}: the import needs hand editing:\n{shown}"
    for column in ("numerator", "denominator"):
        if column not in parsed.tidy:
            parsed.tidy[column] = None
    pd.testing.assert_frame_equal(_normalised(parsed.tidy[COLUMNS]), _expected(name), check_exact=False, rtol=1e-9)
