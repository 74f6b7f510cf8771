"""Workbooks built to hurt the reader: a sparse sheet that calamine would allocate as billions of cells, a sheet
too wide, a sheet whose <dimension> lies, two sheets of one name, a value merged over several rows; and the child
process the upload page parses in, which must survive what the checks do not foresee."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cli
from data_loaders.bootstrap import init_database
from data_loaders.db import make_engine
from data_loaders.pipeline import parse_workbook
from data_loaders.sandbox import run_isolated
from data_loaders.workbook import Sheet, UnreadableWorkbook, expand_merges, open_workbook
from indicators.catalog import load_catalog
from indicators.regions import load_regions

REPO = Path(__file__).resolve().parent.parent
BAD = REPO / "tests" / "fixtures" / "bad"
SEED = REPO / "sample_data" / "hubei_2023_long.xlsx"
UNUSABLE = cli.EXIT_UNUSABLE

# file → exit code and words of the Chinese and English messages; tests/test_bad_fixtures.py counts these files too
CASES: dict[str, tuple[int, str, str]] = {
    "sparse_bomb.xlsx": (
        UNUSABLE,
        "工作表“Sheet1”的数据区域为200,000行×16,384列（共3,276,800,000个单元格），超过每表1,000列的上限",
        "Sheet 'Sheet1' spans 200,000 rows × 16,384 columns",
    ),
    "wide_sheet.xlsx": (UNUSABLE, "工作表“数据”的数据区域为2行×1,501列", "over the limit of 1,000 columns per sheet"),
    "lying_dimension.xlsx": (UNUSABLE, "工作表“数据”的数据区域为1,048,576行×16,384列", "1,048,576 rows × 16,384"),
    "duplicate_sheet_names.xlsx": (UNUSABLE, "工作簿中有两个同名的工作表“数据”", "two sheets named '数据'"),
}
ACCEPTED = {"merged_values.xlsx"}  # read, with a warning


@pytest.fixture
def seeded(db_url, capsys):
    assert cli.main(["init", "--db", db_url]) == 0
    assert cli.main(["import", "--db", db_url, str(SEED)]) == 0
    capsys.readouterr()
    return db_url


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_refused_by_the_cli_and_the_database_unchanged(name, seeded, capsys, snapshot):
    code, zh, en = CASES[name]
    before = snapshot(seeded)
    assert cli.main(["import", "--db", seeded, str(BAD / name)]) == code
    out, err = capsys.readouterr()
    assert zh in err and en in err, err
    assert f"无法读取 {name}" in err and f"cannot read {name}" in err
    assert "Traceback" not in out + err
    assert snapshot(seeded) == before


@pytest.mark.parametrize("name", ["sparse_bomb.xlsx", "lying_dimension.xlsx"])
def test_the_cli_process_survives_a_sparse_sheet(name, tmp_path):
    """In a real process (the in-process test cannot see an abort): exit 2, the message, no Rust backtrace."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    engine = make_engine(url)
    init_database(engine, load_catalog(), load_regions())  # `cli.py init` first, as an import needs
    engine.dispose()
    out = subprocess.run(
        [sys.executable, "cli.py", "import", str(BAD / name), "--db", url],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == UNUSABLE, out.stderr
    assert CASES[name][1] in out.stderr
    for word in ("Traceback", "panicked", "memory allocation", "backtrace", "RUST_BACKTRACE"):
        assert word not in out.stdout + out.stderr


def test_more_columns_and_cells_may_be_allowed(monkeypatch):
    monkeypatch.setenv("ENV_DASHBOARD_MAX_COLUMNS", "2000")
    assert len(open_workbook(BAD / "wide_sheet.xlsx")[0].rows[0]) == 1501
    monkeypatch.setenv("ENV_DASHBOARD_MAX_CELLS", "3000")
    with pytest.raises(UnreadableWorkbook, match="超过每表3,000个单元格的上限"):
        open_workbook(BAD / "wide_sheet.xlsx")


def test_a_value_merged_over_three_cities_is_stored_for_each_with_a_warning(seeded, capsys, snapshot):
    before = snapshot(seeded)
    assert cli.main(["import", "--db", seeded, str(BAD / "merged_values.xlsx")]) == cli.EXIT_OK
    out, err = capsys.readouterr()
    warning = [line for line in err.splitlines() if "合并单元格E3:E5的数值36已填入该区域的每一行" in line]
    assert len(warning) == 1 and warning[0].split()[:2] == ["数据", "E3"] and warning[0].rstrip().endswith("warning")
    rows = snapshot(seeded)[0][len(before[0]) :]
    assert sorted((r["region_code"], r["year"], r["period"], r["value"]) for r in rows) == [
        ("420100", 2024, 6, 36.0),  # 武汉, the cell that holds the value
        ("420200", 2024, 6, 36.0),  # 黄石 and 鄂州: under the merge, blank to calamine
        ("420300", 2024, 6, 30.0),  # 十堰
        ("420700", 2024, 6, 36.0),
    ]


def test_expand_merges_fills_data_merges_only():
    sheet = Sheet(
        "数据",
        [["标题", "", ""], ["地区", "PM2.5", "O3"], ["武汉", 36.0, 150.0], ["黄石", "", ""], ["鄂州", "", 140.0]],
        merges=((0, 0, 0, 2), (2, 1, 4, 1), (2, 2, 3, 2)),
    )
    expanded, notes = expand_merges(sheet, 2)
    assert expanded.rows == [
        ["标题", "", ""],  # a title merge is left alone
        ["地区", "PM2.5", "O3"],
        ["武汉", 36.0, 150.0],
        ["黄石", 36.0, 150.0],
        ["鄂州", 36.0, 140.0],
    ]
    assert sheet.rows[3] == ["黄石", "", ""]  # the input is not changed
    assert [(n.cell, n.column, n.value, n.severity) for n in notes] == [
        ("B3", "PM2.5", "36", "warning"),
        ("C3", "O3", "150", "warning"),
    ]
    assert notes[0].zh == "合并单元格B3:B5的数值36已填入该区域的每一行，请核对"
    assert expand_merges(sheet, 5) == (sheet, [])


def test_a_two_row_merged_header_still_reads(catalog, regions):
    """Header merges (title over the table, 优良天数比例 over its sub-columns) keep working as before."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024年1-6月"
    for row in (
        ["2024年1-6月各市州环境空气质量", None, None],
        ["地区", "环境空气质量", None],
        [None, "PM2.5浓度(μg/m³)", "优良天数比例(%)"],
        ["武汉", 36, 80.5],
        ["黄石", 38, 79.0],
    ):
        ws.append(row)
    ws.merge_cells("A1:C1")  # the title
    ws.merge_cells("A2:A3")  # 地区 over both header rows
    ws.merge_cells("B2:C2")  # a group heading over two indicators
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse_workbook(buf.getvalue(), catalog, regions)
    assert not parsed.has_errors, parsed.problems
    assert len(parsed.tidy) == 4


# ---- the child process ------------------------------------------------------------------------------------------------

LIMITS = {"memory_bytes": 1 << 30, "seconds": 20.0}


def _relay_three(progress) -> str:
    for i in range(3):
        progress("read", i + 1, 3)
    return "done"


def _allocate_too_much() -> bytes:
    return bytes(4 << 30)


def _sleep_long() -> None:
    time.sleep(60)


def _kill_self() -> None:
    os.kill(os.getpid(), 9)


def _raise_unreadable() -> None:
    raise UnreadableWorkbook("中文说明", "English reason")


def test_run_isolated_returns_and_relays_progress_in_the_calling_thread():
    import threading

    heard = []
    result = run_isolated(
        _relay_three, progress=lambda *a: heard.append((*a, threading.current_thread().name)), **LIMITS
    )
    me = threading.current_thread().name
    assert result == "done" and heard == [("read", 1, 3, me), ("read", 2, 3, me), ("read", 3, 3, me)]


@pytest.mark.parametrize(
    ("fn", "args", "seconds", "why"),
    [
        (_allocate_too_much, (), 20.0, "MemoryError"),
        (os.abort, (), 20.0, "SIGABRT"),
        (_kill_self, (), 20.0, "SIGKILL"),
        (_sleep_long, (), 1.0, "no result within 1 s"),
    ],
    ids=["memory", "abort", "kill", "timeout"],
)
def test_run_isolated_survives_a_child_that_dies(fn, args, seconds, why):
    t0 = time.monotonic()
    with pytest.raises(UnreadableWorkbook) as exc:
        run_isolated(fn, *args, memory_bytes=1 << 30, seconds=seconds)
    assert "读取工作簿时超出内存或时间上限" in exc.value.zh
    assert why in exc.value.en
    assert time.monotonic() - t0 < seconds + 10


def test_run_isolated_reraises_unreadable_as_itself_and_names_other_failures():
    with pytest.raises(UnreadableWorkbook) as exc:
        run_isolated(_raise_unreadable, **LIMITS)
    assert (exc.value.zh, exc.value.en) == ("中文说明", "English reason")
    with pytest.raises(UnreadableWorkbook, match="ZeroDivisionError"):
        run_isolated(divmod, 1, 0, **LIMITS)


def test_the_sparse_bomb_past_the_checks_only_kills_the_child(monkeypatch):
    """Limits lifted so calamine gets the sheet: it aborts under RLIMIT_AS, and this process carries on."""
    monkeypatch.setenv("ENV_DASHBOARD_MAX_COLUMNS", "20000")
    monkeypatch.setenv("ENV_DASHBOARD_MAX_CELLS", str(10**12))
    with pytest.raises(UnreadableWorkbook) as exc:
        run_isolated(open_workbook, (BAD / "sparse_bomb.xlsx").read_bytes(), **LIMITS)
    assert "读取工作簿时超出内存或时间上限" in exc.value.zh


def test_run_isolated_parses_a_workbook_with_progress(catalog, regions):
    heard = []
    parsed = run_isolated(
        parse_workbook, SEED.read_bytes(), catalog, regions, progress=lambda *a: heard.append(a), **LIMITS
    )
    assert not parsed.has_errors and len(parsed.tidy) > 200
    assert heard[-1][0] == "validated"


@pytest.mark.parametrize("shift", [-4100, -4096, -20, -7, -1, 0, 1, 5, 4090])
def test_a_larger_reference_across_the_middle_of_a_large_sheet_fails_the_quick_proof(shift):
    # The quick extent proof searches the two halves of a large sheet's XML at once; a reference that lies across
    # the middle must still be seen (and the exact scan then decide).
    from data_loaders.workbook import Limits, _surely_within
    from data_loaders.xml_scan import occurs_in_halves

    cell = b'<c r="B%d"><v>1</v></c>'
    body = b"".join(cell % (i % 9000 + 1) for i in range(400_000))  # ≈ 9 MB, every reference ≤ B9000
    tail = b'<row r="9000"><c r="B9000"><v>1</v></c></row></sheetData></worksheet>'
    stray = b'<c r="XFD1048576"><v>1</v></c>'
    at = len(body + tail) // 2 + shift
    xml = body[:at] + stray + body[at:] + tail
    assert occurs_in_halves(xml, rb' r="XFD1048576"', reach=32)
    assert not _surely_within(xml, Limits(1 << 30, 1_048_576, 1 << 30, 16_384, 10_000_000))
    assert _surely_within(body + tail, Limits(1 << 30, 1_048_576, 1 << 30, 16_384, 10_000_000))


def _with_member_header(data: bytes, member: str, *, size: int | None = None, crc: int | None = None) -> bytes:
    """The workbook with `member`'s declared uncompressed size or CRC changed in its local header and in the
    central directory, as a forged or damaged archive would have them."""
    import struct
    import zipfile

    out = bytearray(data)
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo(member).header_offset
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + struct.unpack_from("<H", data, central + 28)[0]] != member.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    for at, size_at, crc_at in ((local, 22, 14), (central, 24, 16)):
        if size is not None:
            struct.pack_into("<I", out, at + size_at, size)
        if crc is not None:
            struct.pack_into("<I", out, at + crc_at, crc)
    return bytes(out)


SHEET_PART = "xl/worksheets/sheet1.xml"


def test_a_sheet_inflated_in_one_call_is_what_zipfile_reads():
    import zipfile

    from data_loaders.sheet_parts import inflated

    data = SEED.read_bytes()
    z = zipfile.ZipFile(io.BytesIO(data))
    info = z.getinfo(SHEET_PART)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    assert inflated(data, info) == z.read(SHEET_PART)


@pytest.mark.parametrize("forged", [{"size": 100}, {"crc": 1234}], ids=["inflates past its declared size", "wrong CRC"])
def test_a_member_that_is_not_what_it_declares_is_left_to_zipfile_and_refused(forged):
    # The one-call inflate never writes past the declared size (which the unpacked limit holds) and gives up on
    # anything unusual; zipfile then refuses the workbook as damaged, as it always did.
    import zipfile

    from data_loaders.sheet_parts import inflated

    data = _with_member_header(SEED.read_bytes(), SHEET_PART, **forged)
    assert inflated(data, zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET_PART)) is None
    with pytest.raises(UnreadableWorkbook) as exc:
        open_workbook(data)
    assert exc.value.zh == "工作簿已损坏，无法读取" and "Bad CRC-32" in exc.value.en


def test_a_stored_sheet_is_read_through_zipfile():
    import zipfile

    from data_loaders.sheet_parts import inflated

    source = zipfile.ZipFile(io.BytesIO(SEED.read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as stored:
        for info in source.infolist():
            stored.writestr(info.filename, source.read(info.filename))
    data = buffer.getvalue()
    assert inflated(data, zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET_PART)) is None
    assert [len(s.rows) for s in open_workbook(data)] == [len(s.rows) for s in open_workbook(SEED.read_bytes())]
