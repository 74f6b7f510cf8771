"""Benchmark: import, gap table, PNG export at national scale; one table of figures and ratios from one run.

python -m bench [--rows 200000] [--pg URL] [--skip-openpyxl]
python -m bench --load [bench.load options]   (twenty sessions on one server; see bench/load.py)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd

from bench.national import national_observations, national_regions, national_targets
from indicators.catalog import load_catalog
from indicators.engine import compute_gaps
from indicators.periods import period_label

CACHE = Path(__file__).resolve().parent / ".cache"
REPO = Path(__file__).resolve().parent.parent


def timed(fn, repeat: int = 1) -> float:
    """Median wall time of fn over `repeat` calls."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def long_workbook(rows: int) -> Path:
    """A long-format workbook of `rows` national-scale rows, written once and cached (openpyxl is slow to write)."""
    path = CACHE / f"long_{rows}_v2.xlsx"  # bump when the generator changes
    if path.exists():
        return path
    import openpyxl

    CACHE.mkdir(exist_ok=True)
    catalog, regions = load_catalog(), national_regions()
    obs = national_observations(catalog, regions, range(2015, 2025)).head(rows)
    names = {r.code: r.short_name for r in regions}
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(["地区", "年份", "期间", "指标", "数值"])
    for rec in obs.itertuples(index=False):
        ws.append(
            [names[rec.region_code], rec.year, period_label(rec.period), catalog[rec.indicator_code].name_zh, rec.value]
        )
    wb.save(path)
    return path


def import_in_subprocess(path: Path, url: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_once", str(path), url],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if "--load" in sys.argv[1:]:
        from bench import load

        sys.argv = [f"{sys.argv[0]} --load", *(a for a in sys.argv[1:] if a != "--load")]
        load.main()
        return
    ap = argparse.ArgumentParser(prog="python -m bench")
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL", ""), help="PostgreSQL URL (wiped!)")
    ap.add_argument("--skip-openpyxl", action="store_true", help="skip the slow pandas+openpyxl read")
    args = ap.parse_args()
    rows: list[tuple[str, str, str]] = []

    path = long_workbook(args.rows)
    from python_calamine import CalamineWorkbook

    t_cal = timed(lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(), repeat=3)
    rows.append(("calamine read alone", f"{t_cal:.2f} s", "baseline"))
    with tempfile.TemporaryDirectory() as tmp:
        res = import_in_subprocess(path, f"sqlite:///{tmp}/bench.db")
    rows.append(
        (
            f"import {res['rows']:,} rows → SQLite (parse {res['parse_s']:.2f} s + write {res['commit_s']:.2f} s)",
            f"{res['total_s']:.2f} s",
            f"{res['total_s'] / t_cal:.2f}× calamine (goal ≤ 2.5)",
        )
    )
    rows.append(("peak memory of that import", f"{res['peak_mb']:.0f} MB", "goal ≤ 800 MB"))
    if args.pg:
        from data_loaders.db import drop_schema, make_engine

        eng = make_engine(args.pg)
        drop_schema(eng)
        eng.dispose()
        pg = import_in_subprocess(path, args.pg)
        rows.append(
            (
                f"import → PostgreSQL (parse {pg['parse_s']:.2f} s + write {pg['commit_s']:.2f} s)",
                f"{pg['total_s']:.2f} s",
                f"{pg['total_s'] / t_cal:.2f}× calamine (goal ≤ 2.0)",
            )
        )
    if not args.skip_openpyxl:
        t_opx = timed(lambda: pd.read_excel(path, engine="openpyxl"))
        rows.append(
            (
                "pandas.read_excel(openpyxl) alone",
                f"{t_opx:.2f} s",
                f"import is {t_opx / res['total_s']:.1f}× faster (goal ≥ 5)",
            )
        )

    catalog, regions = load_catalog(), national_regions()
    targets = national_targets(catalog, regions, 2024)
    obs = national_observations(catalog, regions, range(2015, 2025))
    hubei = ["420000", *(r.code for r in regions.children("420000"))]
    t_prov = timed(lambda: compute_gaps(catalog, regions, targets, obs, 2024, 6, hubei), repeat=5)
    t_nat = timed(lambda: compute_gaps(catalog, regions, targets, obs, 2024, 6), repeat=3)
    n_nat = len([r for r in regions if r.level != "nation"])
    rows.append(
        (f"gap table, province scale ({len(hubei)} regions × {len(catalog)} indicators)", f"{t_prov * 1000:.0f} ms", "")
    )
    rows.append(
        (
            f"gap table, national scale ({n_nat} regions × {len(catalog)} indicators, {len(obs):,} observations)",
            f"{t_nat * 1000:.0f} ms",
            f"goal ≤ 1 s; {t_nat / t_prov:.1f}× province for {n_nat / len(hubei):.1f}× regions",
        )
    )

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/national.db"
        subprocess.run(
            [sys.executable, "-m", "bench.apptest_rerun", "build", url], cwd=REPO, check=True, capture_output=True
        )
        out = subprocess.run(
            [sys.executable, "-m", "bench.apptest_rerun", url], cwd=REPO, check=True, capture_output=True, text=True
        )
        for page, seconds in json.loads(out.stdout.strip().splitlines()[-1]).items():
            rows.append(
                (
                    f"AppTest rerun of {page} after a period change, warm, national DB",
                    f"{seconds:.2f} s",
                    "goal ≤ 0.5 s",
                )
            )

    from charts.export import PngExporter, browser_path
    from charts.gaps import gap_bar_figure

    if browser_path():
        exporter = PngExporter()
        gaps = compute_gaps(catalog, regions, targets, obs, 2024, 6, hubei, ["pm25"])
        fig = gap_bar_figure(gaps, catalog["pm25"], "zh", "PM2.5 差距", "合成数据")
        exporter.to_png(fig)  # warm-up: starts the browser
        t_png = timed(lambda: exporter.to_png(fig), repeat=5)
        t_batch = timed(lambda: [exporter.to_png(fig) for _ in range(17)])
        rows.append(("PNG export, warm, one chart", f"{t_png:.2f} s", "goal ≤ 0.5 s"))
        rows.append(("PNG export, batch of 17 city charts", f"{t_batch:.2f} s", f"{t_batch / 17:.2f} s per chart"))

    print(
        f"# Benchmark {date.today()} — {platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()})"
    )
    print("| measure | figure | ratio / goal |\n|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")


if __name__ == "__main__":
    main()
