"""`cli.py targets --import-drafts` and `--import` on a database `cli.py init` never ran on: one line in both languages
saying to run it, exit 2, no traceback and nothing written (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import csv

from openpyxl import Workbook
from sqlalchemy import inspect

from data_loaders.bootstrap import is_initialised
from data_loaders.db import TargetRow, create_schema, make_engine
from tests.cli_runner import run

DRAFT = {
    "indicator_code": "pm25",
    "indicator_text": "PM2.5浓度",
    "region_code": "420100",
    "year": "2026",
    "comparator": "<=",
    "value": "35",
    "unit": "μg/m³",
    "form": "absolute",
    "source_clause": "PM2.5浓度控制在35微克/立方米以内",
    "confirm": "yes",
}


def drafts_csv(tmp_path) -> str:
    path = tmp_path / "drafts.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(DRAFT))
        writer.writeheader()
        writer.writerow(DRAFT)
    return str(path)


def target_table(tmp_path) -> str:
    path = tmp_path / "targets.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["湖北省生态环境厅关于下达2024年各市州农村生活污水治理率目标的通知"])
    ws.append(["序号", "市州", "农村生活污水治理率(%)"])
    ws.append([1, "武汉市", 58])
    wb.save(path)
    return str(path)


def said_to_init(code: int, out: str, err: str) -> None:
    assert code == 2, (out, err)
    assert "python cli.py init" in err and "尚未初始化" in err and "has not been initialised" in err
    assert "Traceback" not in err and "Error" not in err and "targets added" not in out


def test_import_drafts_on_a_database_never_initialised(db_url, capsys, tmp_path):
    said_to_init(*run(capsys, "targets", "--import-drafts", drafts_csv(tmp_path), "--issuer", "武汉市生态环境局",
                      "--db", db_url))  # fmt: skip
    engine = make_engine(db_url)
    try:
        assert not inspect(engine).has_table(TargetRow.__tablename__)  # refused before anything was created
    finally:
        engine.dispose()


def test_import_drafts_on_a_schema_without_reference_data(db_url, capsys, tmp_path):
    """Tables made by an earlier run but no indicators or regions: still not initialised."""
    engine = make_engine(db_url)
    try:
        create_schema(engine)
        assert not is_initialised(engine)
        said_to_init(*run(capsys, "targets", "--import-drafts", drafts_csv(tmp_path), "--issuer", "武汉市生态环境局",
                          "--db", db_url))  # fmt: skip
        said_to_init(*run(capsys, "targets", "--import", target_table(tmp_path), "--db", db_url))
    finally:
        engine.dispose()


def test_after_init_the_same_drafts_go_in(db_url, capsys, tmp_path):
    assert run(capsys, "init", "--db", db_url)[0] == 0
    drafts = drafts_csv(tmp_path)
    code, out, err = run(capsys, "targets", "--import-drafts", drafts, "--issuer", "测试局", "--db", db_url)
    assert code == 0 and "1 targets added" in out, err


def test_a_workbook_import_on_a_database_never_initialised(db_url, capsys, tmp_path):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "sample_data" / "hubei_2024_wide.xlsx"
    code, out, err = run(capsys, "import", str(sample), "--db", db_url)
    assert code == 2 and "python cli.py init" in err and "Traceback" not in err, (out, err)
    engine = make_engine(db_url)
    try:
        assert not inspect(engine).has_table("observations")
    finally:
        engine.dispose()
