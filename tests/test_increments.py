"""Counts sent as this period's increment become year-to-date on top of the earlier period (file first, then the
database); a missing earlier period and an increment of a level indicator are refused. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

import cli
from data_loaders import store
from data_loaders.db import make_engine
from data_loaders.pipeline import parse_workbook
from tests.workbooks import book_bytes

VILLAGES = "完成环境整治行政村数"


def save(tmp_path, name: str, sheets: dict[str, list[list]]) -> str:
    path = tmp_path / name
    path.write_bytes(book_bytes(sheets))
    return str(path)


def current(url: str, code: str = "village_env_rectification") -> dict:
    engine = make_engine(url)
    try:
        obs = store.load_observations(engine, [2024])
    finally:
        engine.dispose()
    obs = obs[obs["indicator_code"] == code]
    return {(r.region_code, r.period): r.value for r in obs.itertuples(index=False)}


@pytest.fixture
def db(db_url, capsys):
    assert cli.main(["init", "--db", db_url]) == 0
    capsys.readouterr()
    return db_url


def test_quarter_increment_column_is_added_to_the_stored_first_quarter(db, tmp_path, capsys):
    q1 = save(tmp_path, "q1.xlsx", {"2024年1-3月": [["地区", VILLAGES], ["武汉", 40], ["黄石", 12]]})
    q2 = save(tmp_path, "q2.xlsx", {"2024年1-6月": [["地区", f"本季度新增{VILLAGES}(个)"], ["武汉", 25], ["黄石", 0]]})
    assert cli.main(["import", "--db", db, q1]) == 0
    assert cli.main(["import", "--db", db, q2]) == 0
    out, err = capsys.readouterr()
    assert "2个本期新增值已换算为年初至今累计" in err
    assert current(db) == {("420100", 3): 40.0, ("420200", 3): 12.0, ("420100", 6): 65.0, ("420200", 6): 12.0}
    assert "2 increments were turned into year-to-date values" in err


def test_basis_column_and_window_periods_chain_within_one_file(db, tmp_path, capsys):
    rows = [
        ["地区", "年份", "期间", "指标", "口径", "数值"],
        ["武汉", 2024, "1-3月", VILLAGES, "累计", 40],
        ["武汉", 2024, "二季度", VILLAGES, "本期新增", 25],
        ["武汉", 2024, "7-9月", VILLAGES, "", 10],  # a window after January is itself an increment
        ["武汉", 2024, "四季度", VILLAGES, "当季", 5],
    ]
    path = save(tmp_path, "year.xlsx", {"数据": rows})
    assert cli.main(["import", "--db", db, path]) == 0
    capsys.readouterr()
    assert current(db) == {("420100", 3): 40.0, ("420100", 6): 65.0, ("420100", 9): 75.0, ("420100", 12): 80.0}


def test_an_increment_without_the_earlier_period_is_refused_and_nothing_changes(db, tmp_path, capsys, snapshot):
    path = save(tmp_path, "q3.xlsx", {"2024年1-9月": [["地区", f"本季度新增{VILLAGES}"], ["武汉", 25]]})
    before = snapshot(db)
    assert cli.main(["import", "--db", db, path]) == cli.EXIT_INVALID
    _, err = capsys.readouterr()
    line = next(line for line in err.splitlines() if "无法换算为年初至今累计" in line)
    assert line.split()[:2] == ["2024年1-9月", "B2"] and "1-6月" in line and "nothing was imported" in err
    assert snapshot(db) == before


def test_first_quarter_increment_is_its_own_year_to_date(db, tmp_path, capsys):
    path = save(tmp_path, "q1.xlsx", {"2024年1-3月": [["地区", f"本季度新增{VILLAGES}"], ["武汉", 30]]})
    assert cli.main(["import", "--db", db, path]) == 0
    capsys.readouterr()
    assert current(db) == {("420100", 3): 30.0}


def test_level_indicators_and_unknown_bases_are_refused(catalog, regions):
    rows = [
        ["地区", "年份", "期间", "指标", "口径", "数值"],
        ["武汉", 2024, "二季度", "PM2.5", "本期", 35],
        ["黄石", 2024, "二季度", VILLAGES, "估算", 3],
    ]
    problems = parse_workbook(book_bytes({"Sheet": rows}), catalog, regions).problems.set_index("cell")
    assert problems.loc["F2", "severity"] == "error" and "只能填报年初至今的累计值" in problems.loc["F2", "problem_zh"]
    assert (
        "1-6月" in problems.loc["F2", "problem_zh"]
        and "never as this period's increment" in problems.loc["F2", "problem_en"]
    )
    assert problems.loc["E3", "severity"] == "error" and "口径“估算”无法识别" in problems.loc["E3", "problem_zh"]
