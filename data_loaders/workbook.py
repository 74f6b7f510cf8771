"""Bytes to sheets: size and format checks, the extent proof, calamine; the cell hints calamine loses are read by
xml_scan.py."""

from __future__ import annotations

import io
import logging
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from data_loaders.cells import Problem, col_letter, ref_index
from data_loaders.settings import (
    max_cells_per_sheet,
    max_columns_per_sheet,
    max_rows_per_sheet,
    max_unpacked_bytes,
    max_upload_bytes,
)
from data_loaders.sheet_parts import sheet_xmls
from data_loaders.xml_scan import apply_hints, hints_of, occurs_in_halves
from indicators.errors import BilingualError
from indicators.terms import Severity

log = logging.getLogger(__name__)


class UnreadableWorkbook(BilingualError):
    """Not a workbook at all, corrupt, encrypted, or too big. The CLI exits 2 on it."""


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list]
    hidden: bool = False
    # Merged ranges, zero-based (r1, c1, r2, c2) inclusive; calamine keeps the value in the top-left cell only.
    merges: tuple[tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True)
class Limits:
    """What an upload may be: file size, rows, columns and cells per sheet, total size once unpacked (all in the
    README). Columns and cells bound the rectangle from A1 that calamine allocates for a sheet."""

    max_bytes: int
    max_rows: int
    max_unpacked: int
    max_columns: int
    max_cells: int

    @classmethod
    def from_settings(cls, max_bytes: int | None = None) -> Limits:
        return cls(
            max_bytes or max_upload_bytes(),
            max_rows_per_sheet(),
            max_unpacked_bytes(),
            max_columns_per_sheet(),
            max_cells_per_sheet(),
        )


def open_workbook(
    source: str | Path | bytes, max_bytes: int | None = None, limits: Limits | None = None
) -> list[Sheet]:
    """Every worksheet as a grid anchored at A1; UnreadableWorkbook when the file cannot be read as a workbook or
    breaks a limit. Only cached values are read: formulas and macros are never evaluated or run."""
    limits = limits or Limits.from_settings(max_bytes)
    data = read_bytes(source, limits.max_bytes)
    kind = _sniff(data, limits.max_unpacked)
    # The XML scans run beside calamine, which releases the GIL: the extent check while calamine opens the workbook
    # (no sheet is materialised before the check has passed), the cell hints while it reads the sheets.
    with ThreadPoolExecutor(max_workers=1) as pool:
        xmls = pool.submit(_checked_xmls, data, limits) if kind == "xlsx" else None
        hints: dict = {}

        def checked() -> None:
            if xmls is not None:
                hints["future"] = pool.submit(hints_of, data, xmls.result())

        sheets = _read_sheets(data, limits, checked)
        found = hints["future"].result() if "future" in hints else {}
    for sheet in sheets:
        apply_hints(sheet.rows, found.get(sheet.name, {}))
    return sheets


def _read_sheets(data: bytes, limits: Limits, checked: Callable[[], None]) -> list[Sheet]:
    """Every worksheet through calamine; `checked()` is called once the workbook is open and before any sheet is
    materialised (it raises UnreadableWorkbook for a sheet too large)."""
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    try:
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        finally:
            checked()  # a too-large sheet is refused as such even when calamine also fails to open the file
        _refuse_duplicate_names([m.name for m in book.sheets_metadata])
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            # xls, xlsb and ods are only checked here, once calamine holds the sheet: before the Python grid exists
            height, width = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)  # from A1
            check_extent(meta.name, height, width, limits)
            grid = sheet.to_python(skip_empty_area=False)
            hidden = meta.visible != SheetVisibleEnum.Visible
            sheets.append(Sheet(meta.name, grid, hidden, _merges(sheet)))
        return sheets
    except UnreadableWorkbook:
        raise
    except PasswordError as exc:
        raise UnreadableWorkbook(
            "工作簿已加密，请先取消密码再上传", "The workbook is encrypted; remove its password first"
        ) from exc
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        raise UnreadableWorkbook(
            "工作簿已损坏，无法读取", f"The workbook is damaged and cannot be read ({exc})"
        ) from exc


def check_extent(name: str, height: int, width: int, limits: Limits) -> None:
    """UnreadableWorkbook when a sheet spanning `height` rows × `width` columns from A1 breaks a limit."""
    cells = height * width
    over = (
        f"{limits.max_columns:,}列"
        if width > limits.max_columns
        else f"{limits.max_cells:,}个单元格"
        if cells > limits.max_cells
        else ""
    )
    if over:
        over_en = over.replace("列", " columns").replace("个单元格", " cells")
        raise UnreadableWorkbook(
            f"工作表“{name}”的数据区域为{height:,}行×{width:,}列（共{cells:,}个单元格），超过每表{over}的上限"
            "（可能有远处的零星单元格），未读取：请删除多余的单元格，另存后再上传",
            f"Sheet '{name}' spans {height:,} rows × {width:,} columns from A1 ({cells:,} cells), over the limit of "
            f"{over_en} per sheet (perhaps a stray cell far away); not read: delete the stray cells, save and "
            "upload again",
        )
    if height > limits.max_rows:
        raise UnreadableWorkbook(
            f"工作表“{name}”有{height:,}行，超过每表{limits.max_rows:,}行的上限，请拆分后上传",
            f"Sheet '{name}' has {height:,} rows, more than the limit of "
            f"{limits.max_rows:,} rows per sheet; split it and upload again",
        )


def _refuse_duplicate_names(names: list[str]) -> None:
    # Excel never saves two sheets of one name (case-insensitive); calamine would read the first one twice.
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise UnreadableWorkbook(
                f"工作簿中有两个同名的工作表“{name}”（Excel不会这样保存，文件可能被改动过），未读取："
                "请在Excel中重命名其中一个，另存后再上传",
                f"The workbook has two sheets named '{name}' (Excel never saves this; the file may have been "
                "altered); not read: rename one of them in Excel, save and upload again",
            )
        seen.add(name.casefold())


def _merges(sheet) -> tuple[tuple[int, int, int, int], ...]:
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception as exc:  # a format whose merges calamine does not read: the grid is still right, only unexpanded
        log.warning("merged cells of sheet %r not read, headers left unexpanded: %r", getattr(sheet, "name", ""), exc)
        return ()
    return tuple((r1, c1, r2, c2) for (r1, c1), (r2, c2) in ranges)


def expand_merges(sheet: Sheet, below_row: int) -> tuple[Sheet, list[Problem]]:
    """The sheet with every merged range that starts at or below row index `below_row` (the first data row)
    filled with its value in each of its cells, and one warning per range filled. Merges above that row (titles,
    two-row headers) are left as read: the header reader carries a merged upper cell over by itself."""
    spans = [m for m in sheet.merges if m[0] >= below_row and m[0] < len(sheet.rows) and (m[2], m[3]) != m[:2]]
    rows, copied, notes = sheet.rows, False, []
    for r1, c1, r2, c2 in sorted(spans):
        value = rows[r1][c1] if c1 < len(rows[r1]) else ""
        if value is None or value == "":
            continue
        if not copied:  # copy only the rows that change: a long sheet has 200,000 of them
            rows, copied = list(rows), True
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r] = list(rows[r])
            for c in range(c1, min(c2, len(row) - 1) + 1):
                row[c] = value
        shown = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        area = f"{col_letter(c1)}{r1 + 1}:{col_letter(c2)}{r2 + 1}"
        each_zh, each_en = ("每一行", "every row") if c1 == c2 else ("每个单元格", "every cell")
        header = rows[below_row - 1] if 0 < below_row <= len(rows) else []
        notes.append(
            Problem(
                sheet=sheet.name,
                cell=f"{col_letter(c1)}{r1 + 1}",
                column=str(header[c1]) if c1 < len(header) and header[c1] is not None else "",
                value=shown,
                zh=f"合并单元格{area}的数值{shown}已填入该区域的{each_zh}，请核对",
                en=f"Merged cells {area}: the value {shown} was filled into {each_en} of the range; please check",
                severity=Severity.WARNING,
            )
        )
    return (Sheet(sheet.name, rows, sheet.hidden, sheet.merges) if copied else sheet), notes


# ---- bytes → sheets --------------------------------------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_bytes(source: str | Path | bytes, max_bytes: int) -> bytes:
    in_memory = isinstance(source, bytes | bytearray | memoryview)
    if not in_memory and not Path(source).is_file():
        raise UnreadableWorkbook(f"文件不存在：{Path(source).name}", f"File not found: {Path(source).name}")
    size = len(source) if in_memory else Path(source).stat().st_size
    if size > max_bytes:
        mb, limit = human_size(size), human_size(max_bytes)
        raise UnreadableWorkbook(f"文件过大（{mb}，上限{limit}）", f"File too large ({mb}; the limit is {limit})")
    if not size:
        raise UnreadableWorkbook("文件为空", "The file is empty")
    return bytes(source) if in_memory else Path(source).read_bytes()


def human_size(n: int) -> str:
    """1536 → '1.5 KB', 52428800 → '50.0 MB'."""
    return f"{n / 1048576:,.1f} MB" if n >= 1048576 else f"{n / 1024:,.1f} KB"


def has_macros(data: bytes) -> bool:
    """A macro-enabled workbook (.xlsm, or an .xls with a VBA project). Its macros are never run; values are read."""
    if data.startswith(_OLE):
        return "_VBA_PROJECT".encode("utf-16-le") in data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(n.lower().endswith("vbaproject.bin") for n in z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _sniff(data: bytes, max_unpacked: int) -> str:
    """xlsx / xlsb / ods / xls, or UnreadableWorkbook for anything else (text, CSV, Word, a truncated archive)."""
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names, unpacked = set(z.namelist()), sum(i.file_size for i in z.infolist())
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise UnreadableWorkbook(
                "文件已损坏（压缩包不完整）", "The file is damaged (an incomplete zip archive)"
            ) from exc
        if unpacked > max_unpacked:  # the sizes the archive declares, read before anything is expanded
            mb, limit = human_size(unpacked), human_size(max_unpacked)
            raise UnreadableWorkbook(
                f"文件解压后达{mb}，超过{limit}的上限（可能是压缩炸弹），未读取",
                f"The file would unpack to {mb}, over the {limit} limit (possibly a zip bomb); not read",
            )
        for part, kind in (("xl/workbook.xml", "xlsx"), ("xl/workbook.bin", "xlsb"), ("content.xml", "ods")):
            if part in names:
                return kind
        raise UnreadableWorkbook("这是压缩文件而不是Excel工作簿", "This is a zip archive, not an Excel workbook")
    if data.startswith(_OLE):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise UnreadableWorkbook(
                "工作簿已加密，请先取消密码再上传", "The workbook is encrypted; remove its password first"
            )
        return "xls"
    raise UnreadableWorkbook(
        "不是Excel工作簿（可能是CSV或文本文件），请另存为.xlsx后上传",
        "Not an Excel workbook (perhaps a CSV or text file); save it as .xlsx and upload again",
    )


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """Rows × columns from A1 to the farthest cell a worksheet's XML holds: the rectangle calamine allocates for it.
    The sheet's <dimension ref> is not used: it may claim anything, and calamine sizes a sheet from its cells."""
    if _CELL_WITHOUT_LEADING_REF.search(xml) or b":c" in xml:
        return _extent_by_position(xml)  # cells without a leading r="…" (or a namespace prefix): the slow way
    # A reference anywhere counts, even one inside a text: it can only make the extent larger, never hide a cell.
    height = max(map(int, _REF_ROW.findall(xml)), default=0)
    width = max((ref_index(f"{w.decode()}1")[1] + 1 for w in set(_REF_COL.findall(xml))), default=0)
    return height, width


_LAST_REFS = re.compile(rb' r="([A-Z]+)([0-9]+)"')


def _surely_within(xml: bytes, limits: Limits) -> bool:
    """A quick proof that a sheet's extent is inside the limits, from upper bounds: no cell reference has more
    letters or digits than the last one, nor the same number of digits with a larger first digit. Three searches
    instead of reading a million references; when the proof fails the exact scan decides (sheet_extent)."""
    tail = _LAST_REFS.findall(xml[-4096:])
    if not tail:
        return not _CELL_WITHOUT_LEADING_REF.search(xml) and b":c" not in xml and not _LAST_REFS.search(xml)
    letters = max((ref[0] for ref in tail), key=lambda col: (len(col), col))
    digits = max((ref[1] for ref in tail), key=lambda row: (len(row), row))
    n, d, lead = len(letters), len(digits), digits[0] - 48
    larger = [rb"[A-Z]{%d}" % (n + 1), rb"[A-Z]+[0-9]{%d}" % (d + 1)]  # more letters, more digits
    if lead < 9:
        larger.append(rb'[A-Z]+[%d-9][0-9]{%d}"' % (lead + 1, d - 1))  # as many digits, a larger first one
    # One pass of RE2 for all of it: a cell without a leading reference or with a namespace prefix (the slow way
    # decides those), or a larger reference.
    pattern = _CELL_WITHOUT_LEADING_REF_RE2 + rb'|:c| r="(?:' + b"|".join(larger) + rb")"
    if occurs_in_halves(xml, pattern, reach=n + d + 16):
        return False
    height, width = (lead + 1) * 10 ** (d - 1) - 1, sum(26**k for k in range(1, n + 1))  # Z = 26, ZZ = 702
    return height <= limits.max_rows and width <= limits.max_columns and height * width <= limits.max_cells


_CELL_WITHOUT_LEADING_REF = re.compile(rb'<c(?:>|/>|\s(?!r="))')
# The same in RE2, which has no lookahead: a blank after "<c" not followed by 'r="'.
_CELL_WITHOUT_LEADING_REF_RE2 = rb'<c(?:>|/>|[ \t\n\r\f\v](?:$|[^r]|r$|r[^=]|r=$|r=[^"]))'


_REF_COL = re.compile(rb' r="([A-Z]+)[0-9]')
_REF_ROW = re.compile(rb' r="[A-Z]+([0-9]+)"')


def _extent_by_position(xml: bytes) -> tuple[int, int]:
    """Every <row> and <c>, positioned as calamine positions them (an explicit r, else next to the one before)."""
    height = width = row = col = 0
    for event, el in ET.iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "row" and event == "start":
            r = el.get("r")
            row, col = (int(r) - 1 if r and r.isdigit() else row), 0
        elif tag == "row":
            row += 1
            el.clear()
        elif tag == "c" and event == "start":
            at = ref_index(el.get("r") or "")
            if at:
                row, col = at
            height, width = max(height, row + 1), max(width, col + 1)
            col += 1
    return height, width


def _checked_xmls(data: bytes, limits: Limits) -> dict[str, bytes | bytearray]:
    """Every worksheet's XML, each sheet's extent checked against the limits first (UnreadableWorkbook)."""
    xmls = dict(sheet_xmls(data))
    for name, xml in xmls.items():
        if _surely_within(xml, limits):
            continue
        try:
            height, width = sheet_extent(xml)
        except ET.ParseError as exc:
            raise UnreadableWorkbook(
                f"工作表“{name}”已损坏，无法读取", f"Sheet '{name}' is damaged and cannot be read ({exc})"
            ) from exc
        check_extent(name, height, width, limits)
    return xmls
