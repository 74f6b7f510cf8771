"""Text and cost bounded by design: control characters and over-long texts give the same result on SQLite and
PostgreSQL, problems are capped, echoed cell text is cut, and suggestions are computed once per distinct name."""

from __future__ import annotations

import time

from sqlalchemy import select

import cli
from data_loaders import store
from data_loaders.cells import MAX_PROBLEMS
from data_loaders.db import Observation, make_engine
from data_loaders.pipeline import parse_workbook
from indicators.target_checks import validate_target
from indicators.targets import Target
from tests.workbooks import book_bytes, long_rows


def test_control_characters_in_a_note_are_cleaned_on_both_backends(db_url, tmp_path, capsys):
    assert cli.main(["init", "--db", db_url]) == 0
    note = "监测_x0000_站_x0007_数据"  # OOXML escapes: read as NUL and BEL
    rows = [["地区", "年份", "期间", "指标", "数值", "备注"], ["武汉", 2024, "1-6月", "PM2.5", 40, note]]
    name = "武汉" * 140 + ".xlsx"  # 285 characters: over the 255 the batch table holds
    path = tmp_path / "a.xlsx"  # the file system allows 255 bytes; the page passes the browser's name through
    path.write_bytes(book_bytes({"数据": rows}))
    assert cli.main(["import", "--db", db_url, str(path)]) == 0, capsys.readouterr().err
    engine = make_engine(db_url)
    with engine.connect() as conn:
        notes = conn.execute(select(Observation.note).where(Observation.current.is_(True))).scalars().all()
    assert notes == ["监测站数据"]
    obs = store.load_observations(engine, [2024])
    summary = store.commit_upload(engine, obs.assign(value=41.0), name, "f" * 64, uploaded_by="x" * 100)
    batches = store.list_batches(engine)
    row = batches[batches["id"] == summary.batch_id].iloc[0]
    assert len(row["file_name"]) == 255 and row["file_name"].endswith(".xlsx") and len(row["uploaded_by"]) == 64
    engine.dispose()


def test_a_target_with_an_overlong_issuer_or_a_nul_is_refused_before_the_database(catalog, regions):
    long = Target("pm25", "420100", 2024, "<=", 40.0, issuer_code="420100", issuer_name="武" * 65, source_clause="x")
    nul = Target("pm25", "420100", 2024, "<=", 40.0, issuer_code="420100", issuer_name="武汉", source_clause="a\x00b")
    assert any("过长" in p.zh and p.field == "issuer_name" for p in validate_target(long, catalog, regions))
    assert any("控制字符" in p.zh and p.field == "source_clause" for p in validate_target(nul, catalog, regions))


def test_thousands_of_unknown_regions_are_capped_and_cheap(catalog, regions):
    rows = [(f"城市{i:04d}", 2024, "1-6月", "PM2.5", 40) for i in range(3000)]
    data = book_bytes({"数据": long_rows(*rows)})
    start = time.perf_counter()
    parsed = parse_workbook(data, catalog, regions)
    elapsed = time.perf_counter() - start
    assert len(parsed.problems) == MAX_PROBLEMS + 1
    last = parsed.problems.iloc[-1]
    assert last["severity"] == "error" and f"另有{3000 - MAX_PROBLEMS:,}个问题未列出" in last["problem_zh"]
    assert parsed.has_errors and elapsed < 10  # generous: a bound on the design, not a benchmark


def test_echoed_cell_text_is_cut(catalog, regions):
    huge = "某" * 5000
    parsed = parse_workbook(book_bytes({"数据": long_rows((huge, 2024, "1-6月", "PM2.5", 40))}), catalog, regions)
    p = parsed.problems.iloc[0]
    assert len(p["value"]) <= 80 and len(p["problem_zh"]) < 200 and "…" in p["problem_zh"]
