"""Region groups (考核范围): named sets of regions a target or a province figure is about (DESIGN.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from indicators.catalog import SAMPLE_DATA


@dataclass(frozen=True)
class RegionGroup:
    code: str
    name_zh: str
    name_en: str
    province_code: str
    members: tuple[str, ...]
    source: str


def load_region_groups(path: Path | None = None) -> dict[str, RegionGroup]:
    """The groups shipped in sample_data/region_groups.csv, by code."""
    path = path or SAMPLE_DATA / "region_groups.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        return {
            r["code"]: RegionGroup(
                r["code"],
                r["name_zh"],
                r["name_en"],
                r["province_code"],
                tuple(m for m in r["members"].split("|") if m),
                r["source"],
            )
            for r in csv.DictReader(fh)
        }
