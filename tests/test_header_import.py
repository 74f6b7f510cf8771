"""Headers as bureaus write them, through the CLI on SQLite and PostgreSQL: a merged two-row header, a ratio
with the counts behind it, a long sheet naming its indicator in full, and a column of numbers that matches nothing
(refused with suggestions until mapped or ignored; the decision is remembered for the file's region)."""

from __future__ import annotations

import pytest

import cli
from data_loaders.accounts import add_account
from data_loaders.db import make_engine
from data_loaders.mapping_store import list_mappings
from tests.cli_runner import run
from tests.workbooks import book_bytes, stored_values

TITLE = "2024年1-6月各市州环境质量状况"


def save(tmp_path, name: str, rows: list[list]) -> str:
    path = tmp_path / name
    path.write_bytes(book_bytes({"表1": rows}))
    return str(path)


@pytest.fixture
def db(db_url, capsys):
    assert cli.main(["init", "--db", db_url]) == 0
    capsys.readouterr()
    return db_url


def test_merged_header_good_air_ratio_over_its_unit_row(db, tmp_path, capsys):
    path = save(
        tmp_path,
        "air.xlsx",
        [
            [TITLE],
            ["排名", "城市", "PM2.5", None, "优良天数比例", None],
            [None, None, "浓度(μg/m³)", "同比(%)", "比例(%)", "同比(百分点)"],
            [1, "武汉", 38, -5.0, 82.3, 1.2],
            [2, "黄石", 36, -2.7, 85.1, -0.4],
        ],
    )
    code, _, err = run(capsys, "import", "--db", db, path)
    assert code == 0, err
    values = stored_values(db)
    assert values[("420100", "good_air_ratio", 6)][0] == 82.3 and values[("420200", "pm25", 6)][0] == 36
    assert "未识别" not in err and "matches no indicator" not in err


def test_ratio_from_section_counts_and_cross_checked(db, tmp_path, capsys):
    path = save(
        tmp_path,
        "water.xlsx",
        [
            [TITLE],
            ["市州", "断面总数(个)", "Ⅰ~Ⅲ类断面数(个)", "Ⅰ~Ⅲ类比例(%)"],
            ["武汉", 20, 17, 85.0],
            ["黄石", 8, 7, 85.0],  # 7/8 = 87.5: the written ratio is 2.5 points off its counts
        ],
    )
    code, _, err = run(capsys, "import", "--db", db, path)
    assert code == 0, err
    values = stored_values(db)
    assert values[("420100", "water_good_ratio", 6)] == (85.0, 17.0, 20.0)
    assert "D4" in err and "与分子/分母×100（87.50）不一致" in err
    assert "D3" not in err  # 17/20 = 85.0 exactly


def test_ratio_computed_when_only_the_counts_are_given(db, tmp_path, capsys):
    path = save(
        tmp_path, "counts.xlsx", [[TITLE], ["市州", "断面总数", "Ⅰ~Ⅲ类断面数"], ["武汉", 20, 17], ["黄石", 8, 7]]
    )
    code, _, err = run(capsys, "import", "--db", db, path)
    assert code == 0, err
    values = stored_values(db)
    assert values[("420200", "water_good_ratio", 6)] == (87.5, 7.0, 8.0)


def test_long_sheet_names_the_indicator_as_the_bulletin_does(db, tmp_path, capsys):
    rows = [["地区", "年份", "期间", "指标", "数值"], ["武汉", 2024, "1-6月", "地表水考核断面水质优良比例", 85.0]]
    code, _, err = run(capsys, "import", "--db", db, save(tmp_path, "long.xlsx", rows))
    assert code == 0, err
    assert stored_values(db)[("420100", "water_good_ratio", 6)][0] == 85.0


def wuhan_table(tmp_path, name: str, period: str, dust: float, pm25: float) -> str:
    rows = [
        [f"2024年{period}武汉市环境质量"],
        ["地区", "PM2.5浓度(μg/m³)", "降尘量(吨/平方公里·月)"],
        ["武汉", pm25, dust],
    ]
    return save(tmp_path, name, rows)


def test_a_column_of_numbers_matching_nothing_is_refused_with_suggestions(db, tmp_path, capsys, snapshot):
    before = snapshot(db)
    code, _, err = run(capsys, "import", "--db", db, wuhan_table(tmp_path, "q1.xlsx", "1-3月", 4.1, 40))
    assert code == 1
    assert "C2" in err and "“降尘量(吨/平方公里·月)”列有数值，但对应不到任何指标" in err
    assert "--map-column" in err and "最接近的是" in err
    assert snapshot(db) == before


def test_ignored_column_is_remembered_for_the_next_quarter(db, tmp_path, capsys):
    add_account(make_engine(db), "li", "submitter", ["420100"], password="li-password-1")  # --user names an account
    q1 = wuhan_table(tmp_path, "q1.xlsx", "1-3月", 4.1, 40)
    code, _, err = run(capsys, "import", "--db", db, q1, "--ignore-column", "降尘量(吨/平方公里·月)", "--user", "li")
    assert code == 0, err
    assert "已忽略" in err
    mappings = list_mappings(make_engine(db))
    assert mappings[["source", "header", "indicator_code", "confirmed_by"]].values.tolist() == [
        ["420100", "降尘量(吨/平方公里·月)", "ignore", "li"]
    ]
    q2 = wuhan_table(tmp_path, "q2.xlsx", "1-6月", 3.9, 37)
    code, _, err = run(capsys, "import", "--db", db, q2)
    assert code == 0, err  # no question asked: the decision for Wuhan's file is remembered
    assert stored_values(db)[("420100", "pm25", 6)][0] == 37


def test_mapped_column_is_imported_as_the_chosen_indicator(db, tmp_path, capsys):
    rows = [["2024年1-6月各市州"], ["地区", "扣除沙尘优良天数比率(%)"], ["武汉", 82.0], ["黄石", 84.5]]
    path = save(tmp_path, "map.xlsx", rows)
    assert run(capsys, "import", "--db", db, path)[0] == 1
    code, _, err = run(capsys, "import", "--db", db, path, "--map-column", "扣除沙尘优良天数比率(%)=good_air_ratio")
    assert code == 0, err
    assert stored_values(db)[("420200", "good_air_ratio", 6)][0] == 84.5
    assert list_mappings(make_engine(db))["source"].tolist() == ["420000"]


def test_bad_mapping_arguments_exit_2(db, tmp_path, capsys):
    path = wuhan_table(tmp_path, "q1.xlsx", "1-3月", 4.1, 40)
    assert run(capsys, "import", "--db", db, path, "--map-column", "降尘量=no_such_code")[0] == 2
    assert run(capsys, "import", "--db", db, path, "--map-column", "降尘量")[0] == 2
