"""Warm AppTest reruns of each page after a sidebar change, against a national-scale database (JSON out)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def build_database(url: str) -> None:
    from bench.national import national_observations, national_regions, national_targets
    from data_loaders import store
    from data_loaders.db import create_schema, make_engine
    from indicators.catalog import load_catalog

    catalog, regions = load_catalog(), national_regions()
    engine = make_engine(url)
    create_schema(engine)
    store.load_reference_tables(engine, catalog, regions)
    store.add_targets(engine, national_targets(catalog, regions, 2024))
    obs = national_observations(catalog, regions, range(2015, 2025))
    obs["note"] = "synthetic"
    store.commit_upload(engine, obs, "national.xlsx", "bench-national")


def main(url: str) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    results = {}
    for page in ("pages/gaps.py", "pages/overview.py", "pages/trends.py", "pages/catalog.py"):
        st.cache_data.clear()
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
        at.switch_page(page).run()
        times = []
        for period in (3, 6, 9, 12, 3, 6):
            t0 = time.perf_counter()
            at.selectbox(key="w_period").set_value(period).run()
            times.append(time.perf_counter() - t0)
            assert not at.exception, at.exception
        results[page] = sorted(times[2:])[len(times[2:]) // 2]  # warm: the first two fill the caches
    print(json.dumps(results))


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build_database(sys.argv[2])
    else:
        main(sys.argv[1])
