"""Every file in tests/fixtures/bad/ through `cli.py import` on SQLite and PostgreSQL: its named problem (with the
sheet and cell where there is one), its exit code, and a database left exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

import cli

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
SEED = Path(__file__).resolve().parent.parent / "sample_data" / "hubei_2023_long.xlsx"
INVALID, UNUSABLE = cli.EXIT_INVALID, cli.EXIT_UNUSABLE

# file → exit code, "sheet!cell" the problem names (None: the whole file), words of the Chinese message, settings
CASES: dict[str, tuple[int, str | None, str, dict[str, str]]] = {
    "not_a_zip.xlsx": (UNUSABLE, None, "不是Excel工作簿", {}),
    "truncated_zip.xlsx": (UNUSABLE, None, "压缩包不完整", {}),
    "word_document.xlsx": (UNUSABLE, None, "不是Excel工作簿", {}),
    "encrypted.xlsx": (UNUSABLE, None, "工作簿已加密", {}),
    "oversize.xlsx": (
        UNUSABLE,
        None,
        "文件过大（44.3 KB，上限20.0 KB）",
        {"ENV_DASHBOARD_MAX_UPLOAD_MB": "0.01953125"},
    ),
    "too_many_rows.xlsx": (
        UNUSABLE,
        None,
        "工作表“数据”有151行，超过每表100行的上限",
        {"ENV_DASHBOARD_MAX_ROWS": "100"},
    ),
    "zip_bomb.xlsx": (UNUSABLE, None, "压缩炸弹", {"ENV_DASHBOARD_MAX_UNPACKED_MB": "16"}),
    "empty_workbook.xlsx": (INVALID, "Sheet1!A1", "没有读到任何数值", {}),
    "header_only.xlsx": (INVALID, "数据!A1", "没有读到任何数值", {}),
    "hidden_sheet_data.xlsx": (INVALID, "数据!A1", "数据位于隐藏的工作表“数据”中", {}),
    "formulas_without_values.xlsx": (INVALID, "数据!E2", "只有公式“=36+2”而没有计算结果", {}),
    "duplicate_keys.xlsx": (INVALID, "数据!E4", "E4与E2重复", {}),
    "negative_ratio.xlsx": (INVALID, "数据!E2", "数值-5超出“空气质量优良天数比率”的有效范围0–100%", {}),
    "ratio_over_100.xlsx": (INVALID, "数据!E2", "数值120.5超出", {}),
    "nan_inf.xlsx": (INVALID, "数据!E3", "数值“inf”不是有效数字", {}),
    "formula_error.xlsx": (INVALID, "数据!E3", "数值“#DIV/0!”不是有效数字", {}),
    "text_in_number.xlsx": (INVALID, "数据!E2", "数值“约38”不是数字", {}),
    "unknown_indicator.xlsx": (INVALID, "数据!D2", "未知指标“臭氧浓度”", {}),
    "unknown_region.xlsx": (INVALID, "数据!A2", "未知地区“武昌”，是否为：武汉", {}),
    "unknown_period.xlsx": (INVALID, "数据!C2", "期间“第五季度”无法识别", {}),
    "mixed_units.xlsx": (INVALID, "数据!F3", "单位“mg/m³”与“细颗粒物(PM2.5)平均浓度”的单位“μg/m³”不一致", {}),
    "mixed_fraction_percent.xlsx": (INVALID, "数据!E3", "既有百分数又有小数", {}),
    "numerator_over_denominator.xlsx": (INVALID, "数据!F2", "分子190应在0与分母182之间", {}),
    "title_sheet_disagree.xlsx": (INVALID, "2024年1-3月!A1", "与工作表名称“2024年1-3月”的期间不一致", {}),
    "no_year_anywhere.xlsx": (INVALID, "Sheet1!A1", "未找到年份", {}),
}


def test_every_fixture_has_a_case_and_there_are_at_least_twenty():
    from tests.test_hostile_files import ACCEPTED
    from tests.test_hostile_files import CASES as HOSTILE  # sparse, wide, lying and duplicate-name sheets

    assert sorted(p.name for p in BAD.iterdir()) == sorted([*CASES, *HOSTILE, *ACCEPTED]) and len(CASES) >= 20


@pytest.fixture
def seeded(db_url, capsys):
    """A database holding one real import, so that 'unchanged' has something to change."""
    assert cli.main(["init", "--db", db_url]) == 0
    assert cli.main(["import", "--db", db_url, str(SEED)]) == 0
    capsys.readouterr()
    return db_url


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_refused_with_its_problem_and_the_database_unchanged(name, seeded, capsys, monkeypatch, snapshot):
    code, where, words, env = CASES[name]
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    before = snapshot(seeded)
    assert len(before[0]) > 200  # the seeded import is there

    assert cli.main(["import", "--db", seeded, str(BAD / name)]) == code
    out, err = capsys.readouterr()
    assert words in err, err
    assert "Traceback" not in out + err
    if code == UNUSABLE:
        assert f"无法读取 {name}" in err and f"cannot read {name}" in err  # both languages
    else:
        sheet, cell = where.split("!")
        rows = [line for line in err.splitlines() if words in line]
        assert any(line.split()[:2] == [sheet, cell] and line.rstrip().endswith("error") for line in rows), err
        assert "nothing was imported" in err
    assert snapshot(seeded) == before


def test_a_macro_workbook_is_read_for_its_values_and_says_so(tmp_path, catalog, regions):
    """A .xlsm keeps its VBA project; the values are read, nothing runs, and the problems table says so."""
    import io
    import zipfile

    from data_loaders.pipeline import parse_workbook

    good = (BAD.parent / "bad" / "duplicate_keys.xlsx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            z.writestr(info, src.read(info.filename))
        z.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Module1"\nSub AutoOpen(): Shell "calc": End Sub')
    parsed = parse_workbook(out.getvalue(), catalog, regions)
    macro = parsed.problems[parsed.problems["problem_zh"].str.contains("宏")]
    assert len(macro) == 1 and macro.iloc[0]["severity"] == "warning" and "never run" in macro.iloc[0]["problem_en"]
    assert len(parsed.tidy) == 3  # the values (and the file's own duplicate) are read as in the plain workbook
