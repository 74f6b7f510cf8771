"""The worksheets' XML inside an xlsx, read beside calamine for the extent check and the cell hints: which part holds
each sheet, and each part inflated (zlib-ng in one call where it can, zipfile otherwise)."""

from __future__ import annotations

import io
import posixpath
import struct
import xml.etree.ElementTree as ET
import zipfile

from zlib_ng import zlib_ng

_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip part) of every sheet, in workbook order."""
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = {r.get("Id"): r.get("Target", "") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    out = []
    for s in book.iterfind(".//{*}sheet"):
        target = rels.get(s.get(f"{_REL_NS}id"), "")
        out.append(
            (s.get("name"), posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"xl/{target}"))
        )
    return out


def sheet_xmls(data: bytes):
    """(sheet name, XML) of every worksheet of an xlsx, one at a time; nothing for a workbook too damaged to list."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        parts = _sheet_parts(z)
    except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError, OSError):
        return  # calamine refuses it with the reason
    with z:
        names = set(z.namelist())
        for name, part in parts:
            if part in names:
                info = z.getinfo(part)
                yield name, inflated(data, info) or unzipped(z, info)


_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, 22 bytes not needed here, name and extra field lengths


def inflated(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A deflated zip member inflated by zlib-ng in one call: 0.05 s for a 70 MB sheet against 0.13 s through
    zipfile, on the path before calamine may read the sheet. Never more than the member's declared size, which
    _sniff has held to the unpacked limit. None for anything else — stored, encrypted or empty members, a header
    that does not match, a member that inflates past its declared size or fails its CRC — and zipfile then reads
    (or refuses) it as it always did."""
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1 or info.file_size == 0:
        return None  # (a max_length of 0 would mean no limit)
    at = info.header_offset
    try:
        signature, name_len, extra_len = _LOCAL_HEADER.unpack_from(data, at)
    except struct.error:
        return None
    start = at + _LOCAL_HEADER.size + name_len + extra_len
    if signature != b"PK\x03\x04" or start + info.compress_size > len(data):
        return None
    inflater = zlib_ng.decompressobj(-15)
    try:
        xml = inflater.decompress(memoryview(data)[start : start + info.compress_size], info.file_size)
    except zlib_ng.error:
        return None
    if not inflater.eof or inflater.unconsumed_tail or zlib_ng.crc32(xml) != info.CRC:
        return None
    return xml


def unzipped(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytearray:
    """A zip member read 4 MB at a time into one growing buffer: its memory is touched once (a list of pieces joined
    at the end touches twice as much), 0.13 s instead of 0.15 s for a 70 MB sheet."""
    xml = bytearray()
    with z.open(info) as f:
        while piece := f.read(1 << 22):
            xml += piece
    return xml
