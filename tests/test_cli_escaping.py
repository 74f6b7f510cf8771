"""The CLI's files and messages treat stored text as data: formula cells quoted in every CSV it writes
(targets, gaps, batches), terminal escape codes from a workbook shown, never obeyed."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest

from data_loaders import store
from data_loaders.db import make_engine
from indicators.targets import Target
from tests.cli_runner import run

HYPERLINK = '=HYPERLINK("http://x")'
DDE = "+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1)"
HOSTILE = (HYPERLINK, DDE, AT_SUM)


@pytest.fixture
def hostile_db(db_url, capsys):
    """A database whose stored issuer, clause, source file and batch file name are formulas."""
    assert run(capsys, "init", "--db", db_url)[0] == 0
    engine = make_engine(db_url)
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
                issuer_name=HYPERLINK,
                source_file=AT_SUM,
                source_clause=DDE,
            )
        ],
    )
    tidy = pd.DataFrame(
        {
            "region_code": ["420100"],
            "indicator_code": ["rural_sewage_rate"],
            "year": [2024],
            "period": [12],
            "value": [-3.5],
        }
    )
    store.commit_upload(engine, tidy, DDE, "0" * 64, uploaded_by=HYPERLINK)
    engine.dispose()
    return db_url


def _cells(path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


@pytest.mark.parametrize(
    "command, stored",
    [
        (["targets", "--year", "2024"], {HYPERLINK, DDE, AT_SUM}),  # issuer, clause, source file
        (["gaps", "--year", "2024", "--indicator", "rural_sewage_rate"], {HYPERLINK, DDE}),  # issuer, clause
        (["batches"], {DDE, HYPERLINK}),  # file name, uploaded by
    ],
)
def test_csv_files_quote_stored_formulas(hostile_db, capsys, tmp_path, command, stored):
    out = tmp_path / "out.csv"
    code, _, err = run(capsys, *command, "--db", hostile_db, "-o", str(out))
    assert code == 0, err
    cells = _cells(out)
    for text in stored:
        assert "'" + text in cells, (text, command)
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
    assert not [c for c in cells if c.startswith("-") and not _is_number(c)]


def test_csv_on_stdout_is_quoted_too_and_numbers_stay_numbers(hostile_db, capsys):
    code, out, _ = run(capsys, "gaps", "--year", "2024", "--indicator", "rural_sewage_rate", "--db", hostile_db)
    assert code == 0
    rows = list(csv.DictReader(out.splitlines()))
    wuhan = next(r for r in rows if r["region_code"] == "420100")
    assert wuhan["target_issuer"] == "'" + HYPERLINK and wuhan["target_clause"] == "'" + DDE
    assert float(wuhan["actual"]) == -3.5 and float(wuhan["margin"]) < 0  # a real negative number is not quoted


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_problems_printed_without_terminal_escapes(db_url, capsys, tmp_path):
    assert run(capsys, "init", "--db", db_url)[0] == 0
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["2024年各市州数据"])
    ws.append(["地区", "年份", "期间", "指标", "数值"])
    # XML cannot hold ESC or BEL: Excel writes them as _x001B_, which the reader turns back into the characters
    ws.append(["_x001B_[2J_x001B_]0;pwned_x0007_武汉", 2024, "1-12月", "农村生活污水治理率", 57.0])
    ws.append(["\x9b31m黄石\u202e", 2024, "1-12月", "农村生活污水治理率", 50.0])
    path = tmp_path / "esc.xlsx"
    wb.save(path)
    code, out, err = run(capsys, "import", str(path), "--db", db_url)
    assert code == 1, (out, err)
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in err and raw not in out
    assert "\\x1b[2J" in err  # shown as text where the problem quotes the cell
