"""Benchmark: import, gap table, PNG export at national scale; one table of figures and ratios from one run.

python -m bench [--rows 200000] [--pg URL] [--skip-openpyxl] [--import-only]
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
    ap.add_argument("--repeat", type=int, default=3, help="imports per backend (the median ratio is reported)")
    ap.add_argument("--import-only", action="store_true", help="only the import rows (calamine, SQLite, PG, openpyxl)")
    args = ap.parse_args()
    rows: list[tuple[str, str, str]] = []

    path = long_workbook(args.rows)
    from python_calamine import CalamineWorkbook

    # Each import is timed against a calamine read in its own process, right after it, three times over; the
    # median ratio is reported (the machine is shared: a ratio of two moments minutes apart is not a measurement).
    t_cal = timed(lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(), repeat=3)
    rows.append(("calamine read alone (this process)", f"{t_cal:.2f} s", "baseline"))

    def imports(url_of) -> dict:
        runs = []
        for i in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                runs.append(import_in_subprocess(path, url_of(tmp, i)))
        for r in runs:
            r["ratio"] = r["total_s"] / r["calamine_s"]
        median = sorted(runs, key=lambda r: r["ratio"])[len(runs) // 2]
        median["ratios"] = ", ".join(f"{r['ratio']:.2f}" for r in runs)
        median["peak_mb"] = max(r["peak_mb"] for r in runs)
        return median

    res = imports(lambda tmp, i: f"sqlite:///{tmp}/bench.db")
    sqlite_ratio = res["ratio"]
    rows.append(
        (
            f"import {res['rows']:,} rows → SQLite (parse {res['parse_s']:.2f} s + write {res['commit_s']:.2f} s; "
            f"calamine {res['calamine_s']:.2f} s in that process)",
            f"{res['total_s']:.2f} s",
            f"**{sqlite_ratio:.2f}×** calamine (goal ≤ 2.5); runs: {res['ratios']}",
        )
    )
    rows.append(("peak memory of an import (largest of the runs)", f"{res['peak_mb']:.0f} MB", "goal ≤ 800 MB"))
    pg_ratio = None
    if args.pg:
        from data_loaders.db import drop_schema, make_engine

        def fresh_pg(tmp: str, i: int) -> str:
            eng = make_engine(args.pg)
            drop_schema(eng)
            eng.dispose()
            return args.pg

        pg = imports(fresh_pg)
        pg_ratio = pg["ratio"]
        rows.append(
            (
                f"import → PostgreSQL (parse {pg['parse_s']:.2f} s + write {pg['commit_s']:.2f} s; "
                f"calamine {pg['calamine_s']:.2f} s in that process)",
                f"{pg['total_s']:.2f} s",
                f"**{pg_ratio:.2f}×** calamine (goal ≤ 2.0); runs: {pg['ratios']}",
            )
        )
    opx_ratio = None
    if not args.skip_openpyxl:
        t_opx = timed(lambda: pd.read_excel(path, engine="openpyxl"))
        t_cal2 = timed(lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(), repeat=3)
        # openpyxl / import, both through calamine reads taken next to them: (openpyxl / calamine) / (import / calamine)
        opx_ratio = t_opx / t_cal2 / sqlite_ratio
        rows.append(
            (
                f"pandas.read_excel(openpyxl) alone (calamine {t_cal2:.2f} s next to it)",
                f"{t_opx:.2f} s",
                f"{t_opx / t_cal2:.1f}× calamine: the SQLite import is **{opx_ratio:.1f}×** faster (goal ≥ 5)",
            )
        )
    goals = [
        f"SQLite {sqlite_ratio:.2f}× calamine (≤ 2.5: {'met' if sqlite_ratio <= 2.5 else 'missed'})",
        f"PostgreSQL {pg_ratio:.2f}× (≤ 2.0: {'met' if pg_ratio <= 2.0 else 'missed'})" if pg_ratio else "",
        f"{opx_ratio:.1f}× faster than openpyxl (≥ 5: {'met' if opx_ratio >= 5 else 'missed'})" if opx_ratio else "",
        f"peak {res['peak_mb']:.0f} MB (≤ 800: {'met' if res['peak_mb'] <= 800 else 'missed'})",
    ]
    load = "load average {:.1f} / {:.1f} / {:.1f} (1 / 5 / 15 min)".format(*os.getloadavg())
    print("import goals, one run: " + "; ".join(g for g in goals if g) + f"; {load}", file=sys.stderr, flush=True)
    rows.append(("import goals, this run", "; ".join(g for g in goals if g), load))
    if args.import_only:
        _print_table(rows)
        return

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
        from data_loaders import store
        from data_loaders.db import make_engine

        national_db = make_engine(url)
        t_read = timed(lambda: store.load_observations(national_db, [2023, 2024]), repeat=3)
        national_db.dispose()
        rows.append(
            (
                "reading two years' current observations from that national DB (what a page reads after an import)",
                f"{t_read * 1000:.0f} ms",
                "",
            )
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
        from data_loaders.reports import with_names

        gaps = with_names(compute_gaps(catalog, regions, targets, obs, 2024, 6, hubei, ["pm25"]), catalog, regions)
        fig = gap_bar_figure(gaps, catalog["pm25"], "zh", "PM2.5 差距", "合成数据")
        exporter.to_png(fig)  # warm-up: starts the browser
        t_png = timed(lambda: exporter.to_png(fig), repeat=5)
        t_batch = timed(lambda: [exporter.to_png(fig) for _ in range(17)])
        rows.append(("PNG export, warm, one chart", f"{t_png:.2f} s", "goal ≤ 0.5 s"))
        rows.append(("PNG export, batch of 17 city charts", f"{t_batch:.2f} s", f"{t_batch / 17:.2f} s per chart"))

    _print_table(rows)


def _print_table(rows: list[tuple[str, str, str]]) -> None:
    print(
        f"# Benchmark {date.today()} — {platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()})"
    )
    print("| measure | figure | ratio / goal |\n|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")


if __name__ == "__main__":
    main()
