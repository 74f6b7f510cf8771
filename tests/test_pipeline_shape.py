"""The import is one way through: its stage modules form no import cycle, share no private names, and a table
that is not year to date is never stored."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from data_loaders import store
from data_loaders.cells import TIDY_COLUMNS
from data_loaders.db import create_schema, make_engine

ROOT = Path(__file__).resolve().parent.parent
# In pipeline order; each may import only modules before it.
STAGES = ["cells", "workbook", "headers", "extract", "normalise", "value_checks", "checks", "tidy", "pipeline"]


def _imports(module: str) -> list[tuple[str, list[str]]]:
    tree = ast.parse((ROOT / "data_loaders" / f"{module}.py").read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("data_loaders."):
            out.append((node.module.removeprefix("data_loaders."), [a.name for a in node.names]))
    return out


@pytest.mark.parametrize("module", STAGES)
def test_a_stage_imports_only_earlier_stages(module):
    later = set(STAGES[STAGES.index(module) :])
    inside = [m for m, _ in _imports(module) if m in STAGES]
    assert not later & set(inside), f"{module} imports {sorted(later & set(inside))}: the pipeline goes one way"


@pytest.mark.parametrize("module", STAGES)
def test_no_private_name_crosses_a_module(module):
    private = [(m, n) for m, names in _imports(module) for n in names if n.startswith("_")]
    assert not private, f"{module} imports private names {private}"


def test_the_stage_import_graph_has_no_cycle():
    graph = {m: {i for i, _ in _imports(m) if i in STAGES} for m in STAGES}
    seen, stack = set(), set()

    def visit(m):
        assert m not in stack, f"import cycle through {m}"
        if m in seen:
            return
        stack.add(m)
        for n in graph[m]:
            visit(n)
        stack.discard(m)
        seen.add(m)

    for m in STAGES:
        visit(m)


def test_every_caller_uses_the_one_entry():
    """CLI, upload page, target-table import, bootstrap and bench parse through pipeline.parse_workbook only."""
    callers = ["cli.py", "ui/upload_flow.py", "data_loaders/target_tables.py", "data_loaders/bootstrap.py"]
    callers.append("bench/import_once.py")
    for path in callers:
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "parse_workbook" in text, path
        assert "open_workbook(" not in text and "read_sheet(" not in text, path


def test_commit_refuses_values_that_are_not_year_to_date(db_url):
    engine = make_engine(db_url)
    create_schema(engine)
    row = dict.fromkeys(TIDY_COLUMNS, "")
    row.update(region_code="420100", indicator_code="village_env_rectification", year=2024, period=6, value=25.0)
    row.update(numerator=float("nan"), denominator=float("nan"), sheet="Q2", cell="C3", basis="increment")
    with pytest.raises(store.NotYearToDate, match="Q2!C3"):
        store.commit_upload(engine, pd.DataFrame([row]), "q2.xlsx", "x" * 64)
    assert store.list_batches(engine).empty
    engine.dispose()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_pauses_for_a_parse_and_resumes_as_found(enabled):
    import gc

    from data_loaders.pipeline import UnreadableWorkbook, parse_workbook
    from indicators.catalog import load_catalog
    from indicators.regions import load_regions

    seen = []

    def rewrite(sheets):
        seen.append(gc.isenabled())
        return sheets

    (gc.enable if enabled else gc.disable)()
    try:
        parsed = parse_workbook(
            ROOT / "sample_data" / "hubei_2023_long.xlsx", load_catalog(), load_regions(), rewrite_sheets=rewrite
        )
        assert seen == [False] and len(parsed.tidy) > 200 and gc.isenabled() is enabled
        with pytest.raises(UnreadableWorkbook):
            parse_workbook(b"not a workbook", load_catalog(), load_regions())
        assert gc.isenabled() is enabled  # also after a refusal
    finally:
        gc.enable()
