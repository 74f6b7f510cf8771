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
ORIGINS = ("own", "stricter-parent", "inherited", "reference")
# A target for a region as a whole (湖北 农村生活污水治理率 46.58 %: the province's average, a reference for its cities)
# or for each subordinate region (各市（州）均…, 100 % disposal rates, 无劣Ⅴ类: inherited and graded).
SCOPES = ("whole", "each")


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
    scope: str = "whole"
    region_group: str = ""  # the region group the target is about: HB-13 for 全省国考城市
    tolerance: float | None = None  # "左右": met at value × tolerance (0.95 unless the plan says otherwise)
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
    for k in ("value", "tolerance"):
        if data.get(k) is not None:
            data[k] = float(data[k])
    for k in ("form", "issuer_code", "issuer_name", "binding", "source_file", "source_clause", "note", "scope"):
        if data.get(k) is None:
            data.pop(k, None)
    if data.get("region_group") is None:
        data.pop("region_group", None)
    data.setdefault("form", "absolute")
    if data.get("region_code") is not None:
        data["region_code"] = str(data["region_code"])
    return Target(**data)


def load_sample_targets(path: Path | None = None) -> list[Target]:
    """The targets taken from the seed work plans (sample_data/targets.csv)."""
    path = path or SAMPLE_DATA / "targets.csv"
    with open(path, encoding="utf-8") as fh:
        return [target_from_mapping(r) for r in csv.DictReader(fh)]
