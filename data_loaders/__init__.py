"""All I/O: Excel readers, validation, database schema and queries."""

import os


def _arrow_allocates_through_jemalloc() -> None:
    """Arrow's memory (the typed columns of an import, the CSV pieces of a COPY) through jemalloc where the pyarrow
    build has it, instead of its default mimalloc: a parse of 200,000 rows in a fresh process (every upload is parsed
    in a fresh child) took 1.53× a calamine read with jemalloc against 1.67× with mimalloc (medians of five,
    bench/RESULTS.md). An operator's ARROW_DEFAULT_MEMORY_POOL is left to decide."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a build without jemalloc (Windows): Arrow's default stays
        pass


_arrow_allocates_through_jemalloc()
