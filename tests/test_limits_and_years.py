"""Every limit comes from the declared settings and every year bound from indicators/periods.py: a target table is
held to the upload limit, and a year is accepted alike by the cells, the command line and the target checks."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

import cli
from data_loaders import store
from data_loaders.db import make_engine
from data_loaders.settings import SETTINGS, max_upload_bytes
from data_loaders.target_tables import read_target_table
from data_loaders.workbook import Limits, UnreadableWorkbook
from indicators.periods import FIRST_YEAR, LAST_YEAR, find_year_period, parse_year
from indicators.target_checks import validate_target
from indicators.targets import Target
from tests.cli_runner import run

ROOT = Path(__file__).resolve().parent.parent
TITLE = "湖北省生态环境厅关于下达2024年各市州农村生活污水治理率目标的通知"


def target_workbook(path: Path, cities: int = 2) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.append(["序号", "市州", "农村生活污水治理率目标(%)"])
    for i, city in enumerate(["武汉市", "黄石市", "十堰市", "宜昌市"][:cities], start=1):
        ws.append([i, city, 50 + i])
    wb.save(path)
    return path


# --- limits ------------------------------------------------------------------------------------------------------


def test_a_target_table_over_the_upload_limit_is_refused_in_both_languages(catalog, regions, monkeypatch, tmp_path):
    book = target_workbook(tmp_path / "t.xlsx")
    assert read_target_table(book.read_bytes(), catalog, regions).targets  # under the default limit: read
    monkeypatch.setenv("ENV_DASHBOARD_MAX_UPLOAD_MB", "0.001")  # ~1 KB: the same setting as an upload
    with pytest.raises(UnreadableWorkbook) as refused:
        read_target_table(book.read_bytes(), catalog, regions)
    assert "KB" in refused.value.zh and "KB" in refused.value.en
    assert refused.value.zh != refused.value.en


def test_cli_refuses_a_target_table_over_the_limit_and_changes_nothing(db_url, capsys, monkeypatch, tmp_path):
    assert run(capsys, "init", "--db", db_url)[0] == 0
    engine = make_engine(db_url)
    before = store.load_targets(engine)
    book = target_workbook(tmp_path / "t.xlsx", cities=4)
    monkeypatch.setenv("ENV_DASHBOARD_MAX_UPLOAD_MB", "0.001")
    code, out, err = run(capsys, "targets", "--import", str(book), "--db", db_url)
    assert code == 2, (out, err)
    assert "无法读取" in err and "cannot read" in err and "targets added" not in out
    assert store.load_targets(engine) == before
    monkeypatch.delenv("ENV_DASHBOARD_MAX_UPLOAD_MB")
    code, out, err = run(capsys, "targets", "--import", str(book), "--db", db_url)
    assert code == 0 and "4 targets added" in out, err  # the same table under the limit goes in
    engine.dispose()


def test_sheet_limits_come_from_the_settings(monkeypatch):
    monkeypatch.setenv("ENV_DASHBOARD_MAX_COLUMNS", "77")
    monkeypatch.setenv("ENV_DASHBOARD_MAX_CELLS", "7777")
    monkeypatch.setenv("ENV_DASHBOARD_MAX_UPLOAD_MB", "3")
    limits = Limits.from_settings()
    assert (limits.max_columns, limits.max_cells, limits.max_bytes) == (77, 7777, max_upload_bytes())
    assert max_upload_bytes() == 3 * 1024 * 1024


def test_no_size_limit_is_written_into_the_code():
    """Byte, row, column and cell limits are declared in data_loaders/settings.py only: no other module of
    data_loaders/ sets a default for them."""
    declared = {s.name for s in SETTINGS}
    assert {"ENV_DASHBOARD_MAX_UPLOAD_MB", "ENV_DASHBOARD_MAX_ROWS", "ENV_DASHBOARD_MAX_COLUMNS"} <= declared
    tree = ast.parse((ROOT / "data_loaders" / "workbook.py").read_text(encoding="utf-8"))
    limits = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == "Limits")
    defaults = [a.target.id for a in limits.body if isinstance(a, ast.AnnAssign) and a.value is not None]
    assert defaults == []


# --- years -------------------------------------------------------------------------------------------------------


def cli_accepts_year(year: int) -> bool:
    try:
        cli.build_parser().parse_args(["gaps", "--year", str(year)])
    except SystemExit:
        return False
    return True


def target_accepts_year(year: int, catalog, regions) -> bool:
    target = Target(
        "rural_sewage_rate", "420100", 2024, ">=", 56.0, issuer_code="420100", issuer_name="武汉市生态环境局"
    )
    return not [p for p in validate_target(replace(target, year=year), catalog, regions) if p.field == "year"]


@pytest.mark.parametrize("year", [FIRST_YEAR - 1, FIRST_YEAR, 2024, LAST_YEAR, LAST_YEAR + 1])
def test_year_bounds_agree_across_cells_cli_and_target_checks(year, catalog, regions, capsys):
    inside = FIRST_YEAR <= year <= LAST_YEAR
    assert (parse_year(year) is not None) == inside  # a year cell
    assert (parse_year(f"{year}年") is not None) == inside
    assert (find_year_period(f"{year}年1-6月各市州环境质量状况")[0] is not None) == inside  # a title
    assert cli_accepts_year(year) == inside
    assert target_accepts_year(year, catalog, regions) == inside
    if not inside:
        err = capsys.readouterr().err
        assert f"{FIRST_YEAR}–{LAST_YEAR}" in err and "年份" in err and "year" in err


def test_the_bounds_are_2000_to_2100_and_written_once():
    assert (FIRST_YEAR, LAST_YEAR) == (2000, 2100)
    program = [
        ROOT / "cli.py",
        *sorted((ROOT / "indicators").glob("*.py")),
        *sorted((ROOT / "data_loaders").glob("*.py")),
    ]
    literal = {1990, 1999, 2000, 2099, 2100}
    found = []
    for path in program:
        if path.name == "periods.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # a bound is compared with (1990 <= year <= 2100) or paired (YEARS = (2000, 2100))
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
            elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
                operands = node.elts
            else:
                continue
            for x in operands:
                if isinstance(x, ast.Constant) and type(x.value) is int and x.value in literal:
                    found.append(f"{path.relative_to(ROOT)}:{x.lineno}: {x.value}")
    assert not found, found
