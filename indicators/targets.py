"""Targets as the work plans state them, and the effective target that applies."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, fields
from pathlib import Path

from indicators.catalog import SAMPLE_DATA

COMPARATORS = (">=", "<=", ">", "<", "=")
COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
FORMS = ("absolute", "relative", "pending")
ORIGINS = ("own", "stricter-parent", "inherited")


# Longest texts the database stores (data_loaders/db.py declares its columns with these).
TEXT_LIMITS = {"issuer_name": 64, "source_file": 255, "file_name": 255, "uploaded_by": 64}


@dataclass(frozen=True)
class Target:
    """One target clause: absolute (value), relative (change vs baseline_year) or pending (no number yet).

    For a relative target `value` is the change, in % of the baseline actual when
    relative_unit is "%" or in the indicator's own unit when it is "pp"/"abs";
    the number to meet is baseline × (1 + value/100) or baseline + value.
    """

    indicator_code: str
    region_code: str
    year: int
    comparator: str
    value: float | None
    form: str = "absolute"
    baseline_year: int | None = None
    relative_unit: str | None = None
    issuer_code: str = ""
    issuer_name: str = ""
    binding: str = ""
    source_file: str = ""
    source_clause: str = ""
    note: str = ""
    target_id: int | None = None

    @property
    def is_pending(self) -> bool:
        return self.form == "pending"


def target_from_mapping(row: dict) -> Target:
    """Build a Target from a CSV or database row (empty strings and NaN become None)."""

    def clean(v):
        if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
            return None
        return v

    names = {f.name for f in fields(Target)}
    data = {k: clean(v) for k, v in row.items() if k in names}
    for k in ("year", "baseline_year", "target_id"):
        if data.get(k) is not None:
            data[k] = int(float(data[k]))
    if data.get("value") is not None:
        data["value"] = float(data["value"])
    for k in ("form", "issuer_code", "issuer_name", "binding", "source_file", "source_clause", "note"):
        if data.get(k) is None:
            data.pop(k, None)
    data.setdefault("form", "absolute")
    if data.get("region_code") is not None:
        data["region_code"] = str(data["region_code"])
    return Target(**data)


def load_sample_targets(path: Path | None = None) -> list[Target]:
    """The targets taken from the seed work plans (sample_data/targets.csv)."""
    path = path or SAMPLE_DATA / "targets.csv"
    with open(path, encoding="utf-8") as fh:
        return [target_from_mapping(r) for r in csv.DictReader(fh)]
