"""Region groups (考核范围): named sets of regions a target or a province figure is about (DESIGN.md).

`HB-13` 湖北13个国考市州 and `HB-17` 湖北17个市州 give different province air figures, so a province value
always says which group it is over. Shipped in sample_data/region_groups.csv with the source of each membership.
"""

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

    def __contains__(self, region_code: object) -> bool:
        return region_code in self.members


def load_region_groups(path: Path | None = None) -> dict[str, RegionGroup]:
    """The groups shipped in sample_data/region_groups.csv, by code (members are GB/T 2260 codes separated by |).

    No file, no groups. A code or a member listed twice is a ValueError: the second would vanish silently."""
    path = path or SAMPLE_DATA / "region_groups.csv"
    if not path.exists():
        return {}
    groups: dict[str, RegionGroup] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            code = r["code"].strip()
            if code in groups:
                raise ValueError(f"region group {code} listed twice in {path.name}")
            members = tuple(m.strip() for m in r["members"].split("|") if m.strip())
            if len(set(members)) != len(members):
                raise ValueError(f"region group {code} lists a member twice")
            groups[code] = RegionGroup(
                code,
                r["name_zh"].strip(),
                r["name_en"].strip(),
                r["province_code"].strip(),
                members,
                r["source"].strip(),
            )
    return groups
