"""The drafts CSV a person reviews: one row per DraftTarget, the confirm column left blank."""

from __future__ import annotations

import pandas as pd

from indicators.drafting import DraftTarget

DRAFT_COLUMNS = [
    "indicator_code",
    "indicator_text",
    "region_code",
    "year",
    "comparator",
    "value",
    "unit",
    "form",
    "baseline_year",
    "stretch",
    "source_clause",
    "confirm",
    "clause_start",
    "clause_end",
    "issuer",
    "source_file",
    "tolerance",
]
CONFIRM_YES = frozenset({"yes", "y", "1", "是", "true"})


def drafts_frame(drafts: list[DraftTarget], source_file: str = "") -> pd.DataFrame:
    """The drafts CSV a person reviews: DESIGN.md columns, confirm left blank (yes / 是 / y / 1 to accept)."""
    rows = [
        {
            "indicator_code": d.indicator_code or "",
            "indicator_text": d.indicator_text,
            "region_code": d.region_code or "",
            "year": d.year,
            "comparator": d.comparator,
            "value": d.value,
            "unit": d.unit,
            "form": d.form,
            "baseline_year": d.baseline_year,
            "stretch": "力争" if d.stretch else "",
            "source_clause": d.source_clause,
            "confirm": "",
            "clause_start": d.clause_start,
            "clause_end": d.clause_end,
            "issuer": d.issuer or "",
            "source_file": source_file,
            "tolerance": d.tolerance,
        }
        for d in drafts
    ]
    frame = pd.DataFrame(rows, columns=DRAFT_COLUMNS)
    for col in ("year", "baseline_year", "clause_start", "clause_end"):
        frame[col] = frame[col].astype("Int64")
    return frame
