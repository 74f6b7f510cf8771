"""The command line end to end on a real database: init, targets, import, gaps, batches, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import cli
from data_loaders import store
from data_loaders.db import make_engine
from indicators.targets import Target
from tests.cli_runner import run

REPO = Path(__file__).resolve().parent.parent
GAP_COLUMNS = [
    "region_code",
    "region_name",
    "indicator_code",
    "year",
    "period",
    "actual",
    "target",
    "comparator",
    "target_origin",
    "target_source",
    "margin",
    "margin_pct",
    "status",
]
TARGET_COLUMNS = [
    "region_code",
    "region_name",
    "indicator_code",
    "year",
    "comparator",
    "value",
    "form",
    "baseline_year",
    "issuer",
    "source_file",
    "source_clause",
]


def long_workbook(path: Path, rows: list[tuple]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["2024年各市州数据"])
    ws.append(["地区", "年份", "期间", "指标", "数值"])
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


@pytest.fixture
def db(db_url, capsys):
    code, _, err = run(capsys, "init", "--db", db_url)
    assert code == 0, err
    return db_url


def test_init_sample_then_targets_lists_seed_clauses(db_url, capsys):
    code, out, err = run(capsys, "init", "--db", db_url, "--sample")
    assert code == 0, err
    code, out, _ = run(capsys, "targets", "--db", db_url, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert set(TARGET_COLUMNS) <= set(rows[0])
    with open(REPO / "sample_data" / "targets.csv", encoding="utf-8") as fh:
        assert len(rows) == sum(1 for _ in csv.DictReader(fh))
    hubei_sewage = [
        r
        for r in rows
        if r["region_code"] == "420000" and r["indicator_code"] == "rural_sewage_rate" and r["year"] == "2024"
    ]
    assert hubei_sewage[0]["value"] == "46.58" and "46.58%" in hubei_sewage[0]["source_clause"]
    pending = [r for r in rows if r["form"] == "pending"]
    assert pending and all(r["value"] == "" for r in pending)
    code, out, _ = run(capsys, "targets", "--db", db_url, "--year", "2020", "--region", "430000", "--format", "json")
    hunan = json.loads(out)
    assert {r["region_code"] for r in hunan} == {"430000"} and any(
        r["indicator_code"] == "pm25" and r["value"] == 42 for r in hunan
    )


def test_import_then_gaps_follow_the_effective_target_rules(db, capsys, tmp_path):
    # A province-issued target for Wuhan that is stricter than Wuhan's own 56 % (DESIGN: stricter wins).
    engine = make_engine(db)
    store.add_targets(
        engine,
        [
            Target(
                "rural_sewage_rate",
                "420100",
                2024,
                ">=",
                58.0,
                issuer_code="420000",
                issuer_name="湖北省生态环境厅",
                source_file="test",
                source_clause="test clause",
            )
        ],
    )
    engine.dispose()
    book = long_workbook(
        tmp_path / "q4.xlsx",
        [
            (
                "武汉市",
                2024,
                "1-12月",
                "农村生活污水治理率",
                57.0,
            ),  # own 56 < province-issued 58 → stricter-parent, not met
            ("黄石", 2024, "全年", "农村生活污水治理率", 50.0),  # no own target → inherits Hubei 46.58, met
            ("潜江", 2024, "Q4", "农村生活污水治理率", 41.41),  # inherits 46.58, not met
            ("十堰", 2024, "第四季度", "农村生活污水治理率", 0),  # a real 0 is data
            ("武汉", 2024, "1-12月", "PM2.5", 38),  # Hubei's PM2.5 target is pending (national assessment)
        ],
    )
    code, out, err = run(capsys, "import", str(book), "--db", db)
    assert code == 0, err
    assert "5" in out
    code, out, err = run(
        capsys,
        "gaps",
        "--db",
        db,
        "--year",
        "2024",
        "--period",
        "Q4",
        "--region",
        "420000",
        "--indicator",
        "rural_sewage_rate",
    )
    assert code == 0, err
    gaps = pd.read_csv(io.StringIO(out), dtype={"region_code": str}).set_index("region_code")
    assert GAP_COLUMNS == [c for c in gaps.reset_index().columns if c in GAP_COLUMNS]
    wuhan, huangshi, qianjiang, shiyan = gaps.loc["420100"], gaps.loc["420200"], gaps.loc["429005"], gaps.loc["420300"]
    assert (wuhan.target, wuhan.target_origin, wuhan.status) == (58.0, "stricter-parent", "not_met")
    assert wuhan.margin == pytest.approx(-1.0)
    # Hubei's 46.58 % is the province's own average (scope whole): for a city it is a reference, never a verdict.
    assert (huangshi.target, huangshi.target_origin, huangshi.status) == (46.58, "reference", "reference_met")
    assert huangshi.margin == pytest.approx(3.42) and huangshi.margin_pct == pytest.approx(3.42 / 46.58)
    assert (qianjiang.status, qianjiang.margin, qianjiang.graded) == ("reference_not_met", pytest.approx(-5.17), False)
    assert (shiyan.actual, shiyan.status) == (0.0, "reference_not_met")
    assert gaps.loc["420500", "status"] == "no_data"  # Yichang sent nothing
    code, out, _ = run(
        capsys, "gaps", "--db", db, "--year", "2024", "--region", "420100", "--indicator", "pm25", "--format", "json"
    )
    pm25 = json.loads(out)[0]
    assert pm25["status"] == "pending_target" and pm25["actual"] == 38


def test_reimport_is_a_no_op_and_dry_run_writes_nothing(db, capsys, tmp_path, snapshot):
    book = long_workbook(tmp_path / "a.xlsx", [("武汉", 2024, "Q2", "PM2.5", 40)])
    assert run(capsys, "import", str(book), "--db", db)[0] == 0
    before = snapshot(db)
    code, out, _ = run(capsys, "import", str(book), "--db", db)
    assert code == 0 and "already imported" in out and snapshot(db) == before
    changed = long_workbook(tmp_path / "b.xlsx", [("武汉", 2024, "Q2", "PM2.5", 37)])
    code, out, _ = run(capsys, "import", str(changed), "--db", db, "--dry-run")
    assert code == 0 and "40" in out and "37" in out and snapshot(db) == before
    code, out, _ = run(capsys, "import", str(changed), "--db", db)
    assert code == 0 and "1 updated" in out
    code, out, _ = run(capsys, "batches", "--db", db)
    batches = list(csv.DictReader(io.StringIO(out)))
    assert list(batches[0])[0] == "id" and [b["file_name"] for b in batches] == ["b.xlsx", "a.xlsx"]


@pytest.mark.parametrize(
    "rows, cell, words",
    [
        ([("武昌", 2024, "Q2", "PM2.5", 40)], "A4", "武昌"),  # unknown city
        ([("武汉", 2024, "Q2", "PM2.5", "约40")], "E4", "约40"),  # non-numeric value
        ([("武汉", 2024, "Q2", "PM10浓度", 60)], "D4", "PM10浓度"),  # unknown indicator
    ],
)
def test_bad_workbook_is_refused_and_database_unchanged(db, capsys, tmp_path, rows, cell, words, snapshot):
    good = long_workbook(tmp_path / "good.xlsx", [("黄石", 2024, "Q2", "PM2.5", 41)])
    assert run(capsys, "import", str(good), "--db", db)[0] == 0
    before = snapshot(db)
    bad = long_workbook(tmp_path / "bad.xlsx", [("武汉", 2024, "Q2", "优良天数比例", 80.5), *rows])
    code, out, err = run(capsys, "import", str(bad), "--db", db)
    assert code == 1
    assert cell in err and words in err and "nothing was imported" in err
    assert snapshot(db) == before


def test_unreadable_file_exits_2_and_database_unchanged(db, capsys, tmp_path, snapshot):
    before = snapshot(db)
    fake = tmp_path / "not-a-workbook.xlsx"
    fake.write_text("地区,数值\n武汉,40\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(fake), "--db", db)
    assert code == 2 and "not-a-workbook.xlsx" in err
    assert run(capsys, "import", str(tmp_path / "missing.xlsx"), "--db", db)[0] == 2
    assert snapshot(db) == before


def test_bad_usage_exits_2(db, capsys):
    assert run(capsys, "gaps", "--db", db, "--year", "2024", "--period", "Q5")[0] == 2
    assert run(capsys, "gaps", "--db", db, "--year", "2024", "--indicator", "nope")[0] == 2
    assert run(capsys, "frobnicate")[0] == 2


def test_cli_runs_as_a_script(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    res = subprocess.run([sys.executable, "cli.py", "init", "--db", url], cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    res = subprocess.run(
        [sys.executable, "cli.py", "gaps", "--db", url, "--year", "2024", "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0 and json.loads(res.stdout)


def test_rollback_restores_exactly_the_replaced_values(db, capsys, tmp_path, snapshot):
    first = long_workbook(tmp_path / "a.xlsx", [("武汉", 2024, "Q2", "PM2.5", 40), ("黄石", 2024, "Q2", "PM2.5", 45)])
    assert run(capsys, "import", str(first), "--db", db)[0] == 0
    after_first = snapshot(db)
    second = long_workbook(tmp_path / "b.xlsx", [("武汉", 2024, "Q2", "PM2.5", 37), ("十堰", 2024, "Q2", "PM2.5", 30)])
    assert run(capsys, "import", str(second), "--db", db)[0] == 0
    third = long_workbook(tmp_path / "c.xlsx", [("十堰", 2024, "Q2", "PM2.5", 31)])
    assert run(capsys, "import", str(third), "--db", db)[0] == 0
    batches = {b["file_name"]: int(b["id"]) for b in csv.DictReader(io.StringIO(run(capsys, "batches", "--db", db)[1]))}

    code, _, err = run(capsys, "rollback", str(batches["b.xlsx"]), "--db", db)
    assert code == 1 and str(batches["c.xlsx"]) in err  # a later batch changed 十堰: refused, nothing touched
    assert run(capsys, "rollback", str(batches["c.xlsx"]), "--db", db)[0] == 0
    code, out, _ = run(capsys, "rollback", str(batches["b.xlsx"]), "--db", db)
    assert code == 0 and "1 values restored" in out
    engine = make_engine(db)
    current = store.load_observations(engine, [2024]).set_index("region_code")["value"].to_dict()
    engine.dispose()
    assert current == {"420100": 40.0, "420200": 45.0}  # exactly as after the first import
    obs, _ = snapshot(db)
    assert len(obs) == 5  # nothing deleted: every value is kept in history
    assert {o["id"]: o for o in obs if o["current"]} == {o["id"]: o for o in after_first[0] if o["current"]}
    assert run(capsys, "rollback", str(batches["b.xlsx"]), "--db", db)[0] == 1  # already rolled back
    assert run(capsys, "rollback", "999", "--db", db)[0] == 1
    # the rolled-back file can be imported again
    assert "1 updated" in run(capsys, "import", str(second), "--db", db)[1]


def target_table(path: Path, title: str, rows: list[tuple]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(["序号", "市州", "农村生活污水治理率目标(%)"])
    for i, r in enumerate(rows, start=1):
        ws.append([i, *r])
    wb.save(path)
    return path


def test_province_target_table_then_gaps_use_the_stricter_target(db_url, capsys, tmp_path):
    assert run(capsys, "init", "--db", db_url, "--sample")[0] == 0
    table = target_table(
        tmp_path / "t.xlsx",
        "湖北省生态环境厅关于下达2024年各市州农村生活污水治理率目标的通知",
        [("武汉市", 58), ("潜江市", 40)],
    )
    code, out, err = run(capsys, "targets", "--import", str(table), "--db", db_url, "--source", "鄂环函〔2024〕1号")
    assert code == 0 and "2 targets added" in out, err
    assert (
        "0 targets added"
        in run(capsys, "targets", "--import", str(table), "--db", db_url, "--source", "鄂环函〔2024〕1号")[1]
    )
    code, out, _ = run(
        capsys,
        "gaps",
        "--db",
        db_url,
        "--year",
        "2024",
        "--region",
        "420000",
        "--indicator",
        "rural_sewage_rate",
        "--format",
        "json",
    )
    gaps = {g["region_code"]: g for g in json.loads(out)}
    # Wuhan's own 56 yields to the province's 58; Qianjiang's 41.41 beats the 40 the province set for it.
    assert (gaps["420100"]["target"], gaps["420100"]["target_origin"], gaps["420100"]["status"]) == (
        58,
        "stricter-parent",
        "not_met",
    )
    assert (gaps["429005"]["target"], gaps["429005"]["target_origin"], gaps["429005"]["status"]) == (40, "own", "met")
    assert gaps["429005"]["target_source"] == "鄂环函〔2024〕1号" and "C4" in gaps["429005"]["target_clause"]
    assert gaps["420200"]["target_origin"] == "reference"  # cities not in the table see 46.58 as a reference only
    assert gaps["429005"]["graded"] and not gaps["420200"]["graded"]


def test_target_table_errors_are_refused(db, capsys, tmp_path, snapshot):
    before = snapshot(db)
    no_issuer = target_table(tmp_path / "a.xlsx", "2024年各市州农村生活污水治理率目标", [("武汉", 58)])
    code, _, err = run(capsys, "targets", "--import", str(no_issuer), "--db", db)
    assert code == 1 and "--issuer" in err
    bad_city = target_table(tmp_path / "b.xlsx", "湖北省生态环境厅2024年各市州农村生活污水治理率目标", [("武昌", 58)])
    code, _, err = run(capsys, "targets", "--import", str(bad_city), "--db", db)
    assert code == 1 and "B3" in err and "武昌" in err
    engine = make_engine(db)
    assert not [t for t in store.load_targets(engine) if t.source_file in ("a.xlsx", "b.xlsx")]
    engine.dispose()
    assert snapshot(db) == before


def test_import_shows_a_progress_bar_on_large_files(db, capsys, monkeypatch):
    monkeypatch.setattr(cli.ProgressBar, "MIN_TOTAL", 100)  # the sample workbook (272 values) counts as large here
    code, _, err = run(capsys, "import", str(REPO / "sample_data" / "hubei_2023_long.xlsx"), "--db", db)
    bars = [line for line in err.splitlines() if line.startswith("[")]
    assert code == 0 and bars[-1] == "[##########] 写入值 values written 272/272"
    assert any("读取行 rows read" in b for b in bars) and any("校验值 values checked 272/272" in b for b in bars)
    assert len(bars) <= 3 * 11  # at most one line per tenth and stage
    monkeypatch.setattr(cli.ProgressBar, "MIN_TOTAL", 20_000)
    code, _, err = run(capsys, "import", str(REPO / "sample_data" / "hubei_2024_wide.xlsx"), "--db", db)
    assert code == 0 and not [line for line in err.splitlines() if line.startswith("[")]  # small files: no bar


def test_retire_a_target_keeps_its_history_and_the_gaps_follow(db, capsys):
    def wuhan_sewage_targets():
        out = run(capsys, "targets", "--db", db, "--year", "2024", "--region", "420100", "--format", "json")[1]
        return [r for r in json.loads(out) if r["indicator_code"] == "rural_sewage_rate"]

    [own] = wuhan_sewage_targets()
    target_id = str(own["target_id"])
    code, out, err = run(capsys, "targets", "--db", db, "--retire", target_id, "--note", "由省厅统一下达")
    assert code == 0 and target_id in out, err
    assert wuhan_sewage_targets() == []
    code, _, err = run(capsys, "targets", "--db", db, "--retire", target_id)
    assert code == 1 and "已停用" in err and "already retired" in err
    code, out, _ = run(capsys, "targets", "--db", db, "--history", target_id, "--format", "json")
    [version] = json.loads(out)
    assert code == 0 and version["state"] == "retired" and version["retire_note"] == "由省厅统一下达"
    assert version["retired_by"] == cli.cli_author() and version["source_clause"] == own["source_clause"]
    code, out, _ = run(capsys, "gaps", "--db", db, "--year", "2024", "--region", "420100", "--indicator",
                       "rural_sewage_rate", "--format", "json")  # fmt: skip
    wuhan = next(r for r in json.loads(out) if r["region_code"] == "420100")
    assert wuhan["target"] == 46.58 and wuhan["target_origin"] == "reference"
    assert run(capsys, "targets", "--db", db, "--retire", "999999")[0] == 1
    assert run(capsys, "targets", "--db", db, "--history", "999999")[0] == 1


def test_targets_options_that_do_not_go_together_exit_2(db, capsys):
    assert run(capsys, "targets", "--db", db, "--retire", "1", "--history", "1")[0] == 2
    assert run(capsys, "targets", "--db", db, "--note", "why")[0] == 2
    assert run(capsys, "targets", "--db", db, "--retire", "one")[0] == 2
    engine = make_engine(db)
    assert 1 in {t.target_id for t in store.load_targets(engine)}  # nothing was retired
    engine.dispose()
