"""Import one workbook end to end in a fresh process and report time, peak memory and a calamine read of the same
file (median of three, after the import) as JSON."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from bench.national import national_regions
from data_loaders import store
from data_loaders.db import create_schema, make_engine
from data_loaders.pipeline import parse_workbook
from indicators.catalog import load_catalog


def main(path: str, url: str) -> None:
    catalog, regions = load_catalog(), national_regions()
    engine = make_engine(url)
    create_schema(engine)
    store.load_reference_tables(engine, catalog, regions)
    t0 = time.perf_counter()
    data = Path(path).read_bytes()
    parsed = parse_workbook(data, catalog, regions, prior=store.StoredValues.of(engine), max_bytes=1 << 30)
    t1 = time.perf_counter()
    if parsed.has_errors:
        raise SystemExit(f"benchmark workbook has errors: {parsed.problems.head()}")
    summary = store.commit_upload(engine, parsed.tidy, Path(path).name, store.sha256_of(data), uploaded_by="bench")
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The baseline read in the same process, right after: the ratio then holds up when the machine's load changes
    # between one import and the next (the peak above is already taken).
    from python_calamine import CalamineWorkbook

    reads = []
    for _ in range(3):
        t3 = time.perf_counter()
        CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
        reads.append(time.perf_counter() - t3)
    print(
        json.dumps(
            {
                "rows": len(parsed.tidy),
                "inserted": summary.inserted,
                "parse_s": t1 - t0,
                "commit_s": t2 - t1,
                "total_s": t2 - t0,
                "peak_mb": peak_mb,
                "calamine_s": sorted(reads)[1],
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
