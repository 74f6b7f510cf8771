"""Bytes to sheets: size and format checks, calamine, and the cell hints calamine loses (errors, % formats)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from data_loaders.cells import ref_index
from data_loaders.settings import max_rows_per_sheet, max_unpacked_bytes, max_upload_bytes


class UnreadableWorkbook(Exception):
    """Not a workbook at all, corrupt, encrypted, or too big. The CLI exits 2 on it."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh, self.message_en = message_zh, message_en


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list]
    hidden: bool = False


@dataclass(frozen=True)
class Limits:
    """What an upload may be: file size, rows per sheet, total size once unpacked (all in the README)."""

    max_bytes: int
    max_rows: int
    max_unpacked: int

    @classmethod
    def from_settings(cls, max_bytes: int | None = None) -> Limits:
        return cls(max_bytes or max_upload_bytes(), max_rows_per_sheet(), max_unpacked_bytes())


def open_workbook(
    source: str | Path | bytes, max_bytes: int | None = None, limits: Limits | None = None
) -> list[Sheet]:
    """Every worksheet as a grid anchored at A1; UnreadableWorkbook when the file cannot be read as a workbook or
    breaks a limit. Only cached values are read: formulas and macros are never evaluated or run."""
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    limits = limits or Limits.from_settings(max_bytes)
    data = read_bytes(source, limits.max_bytes)
    kind = _sniff(data, limits.max_unpacked)
    hints = _cell_hints(data) if kind == "xlsx" else {}
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            height = sheet.end[0] + 1 if sheet.end else 0  # rows to the last used one, from A1
            if height > limits.max_rows:
                raise UnreadableWorkbook(
                    f"工作表“{meta.name}”有{height:,}行，超过每表{limits.max_rows:,}行的上限，请拆分后上传",
                    f"Sheet '{meta.name}' has {height:,} rows, more than the limit of "
                    f"{limits.max_rows:,} rows per sheet; split it and upload again",
                )
            grid = sheet.to_python(skip_empty_area=False)
            _apply_hints(grid, hints.get(meta.name, {}))
            sheets.append(Sheet(meta.name, grid, meta.visible != SheetVisibleEnum.Visible))
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


# ---- bytes → sheets --------------------------------------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


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


def _cell_hints(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """What calamine cannot tell: error cells (#DIV/0!, read as blank) and percent-formatted cells (0.857 shown as 85.7%)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            book = ET.fromstring(z.read("xl/workbook.xml"))
            rels = {r.get("Id"): r.get("Target", "") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
            percent = _percent_styles(z.read("xl/styles.xml")) if "xl/styles.xml" in z.namelist() else set()
            out = {}
            for s in book.iterfind(".//{*}sheet"):
                target = rels.get(s.get(f"{_REL_NS}id"), "")
                xml = z.read(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
                needles = [b' t="e"'] + [b' s="%d"' % i for i in percent]
                hints = {ref: mark for needle in needles if needle in xml for ref, mark in _find_cells(xml, needle)}
                if b"<f" in xml or b":f" in xml:
                    hints.update(_formulas_without_values(xml))
                if hints:
                    out[s.get("name")] = hints
            return out
    except Exception:  # only hints: a workbook too odd to scan is still read, and calamine reports real damage
        return {}


def _percent_styles(styles: bytes) -> set[int]:
    root = ET.fromstring(styles)
    formats = {9, 10} | {
        int(f.get("numFmtId")) for f in root.iterfind(".//{*}numFmt") if "%" in f.get("formatCode", "")
    }
    xfs = root.find("{*}cellXfs")
    return {i for i, xf in enumerate([] if xfs is None else xfs) if int(xf.get("numFmtId", 0)) in formats}


_CELL_TAG = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]+\d+)\"")
_ERROR_VALUE = re.compile(rb"(?:<(?:\w+:)?f[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>))?<(?:\w+:)?v>([^<]*)<")


def _find_cells(xml: bytes, needle: bytes):
    start = 0
    while (pos := xml.find(needle, start)) != -1:
        start, tag_start, tag_end = pos + 1, xml.rfind(b"<", 0, pos), xml.find(b">", pos)
        m = _CELL_TAG.match(xml, tag_start)
        if not m:
            continue  # a row's style, not a cell's
        ref = ref_index(m.group(1).decode())
        if needle == b' t="e"':
            v = _ERROR_VALUE.match(xml, tag_end + 1)
            yield ref, v.group(1).decode() if v else "#ERROR"
        else:
            yield ref, "%"


_UNCACHED_FORMULA = re.compile(
    rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]+\d+)\"[^>]*>\s*<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>([^<]*)</(?:\w+:)?f>)"
    rb"\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)


def _formulas_without_values(xml: bytes):
    """Cells holding a formula but no cached result (saved by a program that does not calculate): '=' + formula."""
    for m in _UNCACHED_FORMULA.finditer(xml):
        yield ref_index(m.group(1).decode()), "=" + (m.group(2) or b"").decode("utf-8", "replace")


def _apply_hints(grid: list[list], hints: dict[tuple[int, int], str]) -> None:
    for (r, c), mark in hints.items():
        if r < len(grid) and c < len(grid[r]):
            v = grid[r][c]
            if mark != "%" and v == "":
                grid[r][c] = mark
            elif mark == "%" and isinstance(v, float):
                grid[r][c] = round(v * 100, 10)
