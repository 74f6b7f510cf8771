"""A work plan read into plain text: .txt (UTF-8 or GB18030), .docx (paragraphs and tables), a PDF's text layer.

The text keeps the document's order; each paragraph (or table row, or PDF page) records where it starts and ends in
the text, so a drafted clause can say where it came from. A PDF without a text layer (a scan) is refused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from indicators.errors import BilingualError

SUFFIXES = (".txt", ".docx", ".pdf")
# A page with fewer characters than this has no usable text layer (page numbers, a stray header).
MIN_CHARS_PER_PAGE = 20


class UnreadableDocument(BilingualError):
    """Not a document this reader knows, corrupt, or a scanned PDF without text. The CLI exits 2 on it."""


@dataclass(frozen=True)
class Paragraph:
    start: int  # offset of the paragraph's first character in Document.text
    end: int  # offset one past its last character
    where: str  # "段 3", "表 1 行 2", "第 2 页"


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    paragraphs: tuple[Paragraph, ...]

    def where(self, offset: int) -> str:
        """The paragraph an offset of the text falls in ("" when between paragraphs)."""
        return next((p.where for p in self.paragraphs if p.start <= offset < p.end), "")


def _assemble(name: str, pieces: list[tuple[str, str]]) -> Document:
    """Join (where, text) pieces with newlines, recording each piece's span."""
    text, paragraphs, offset = [], [], 0
    for where, piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        text.append(piece)
        paragraphs.append(Paragraph(offset, offset + len(piece), where))
        offset += len(piece) + 1
    return Document(name, "\n".join(text), tuple(paragraphs))


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 — the two encodings Chinese government text files come in."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("文本文件既不是 UTF-8 也不是 GB18030 编码", "the text file is neither UTF-8 nor GB18030")


def read_txt(data: bytes, name: str) -> Document:
    lines = decode_text(data).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return _assemble(name, [(f"段 {i}", line) for i, line in enumerate(lines, 1)])


def read_docx(data: bytes, name: str) -> Document:
    import docx  # python-docx, imported here so plain-text drafting does not need it
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile, KeyError and lxml errors for a damaged file
        raise UnreadableDocument(f"无法打开 Word 文件：{exc}", f"cannot open the Word file: {exc}") from exc
    pieces: list[tuple[str, str]] = []
    n_par = n_table = 0
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            n_par += 1
            pieces.append((f"段 {n_par}", DocxParagraph(child, doc).text))
        elif tag == "tbl":
            n_table += 1
            for r, row in enumerate(Table(child, doc).rows, 1):
                cells: list[str] = []
                for cell in row.cells:  # a merged cell repeats in every column it spans: keep it once
                    if not cells or cell.text.strip() != cells[-1]:
                        cells.append(cell.text.strip())
                pieces.append((f"表 {n_table} 行 {r}", "\t".join(cells)))
    return _assemble(name, pieces)


def read_pdf(data: bytes, name: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise UnreadableDocument(f"无法读取 PDF：{exc}", f"cannot read the PDF: {exc}") from exc
    chars = sum(len("".join(p.split())) for p in pages)
    if not pages or chars < MIN_CHARS_PER_PAGE * len(pages):
        raise UnreadableDocument(
            "该 PDF 没有文字层（可能是扫描件），无法提取目标；请提供 Word 或文字版 PDF，或先做文字识别（OCR）",
            "this PDF has no text layer (probably a scan), so no targets can be drafted; "
            "supply the Word file or a text PDF, or run OCR first",
        )
    pieces = []
    for i, page in enumerate(pages, 1):
        pieces += [(f"第 {i} 页", line) for line in page.split("\n")]
    return _assemble(name, pieces)


READERS = {".txt": read_txt, ".docx": read_docx, ".pdf": read_pdf}


def read_document_bytes(data: bytes, name: str) -> Document:
    """A work plan's text from its bytes; the file name's suffix says which reader."""
    reader = READERS.get(Path(name).suffix.lower())
    if reader is None:
        raise UnreadableDocument(
            f"不支持的文件类型 {Path(name).suffix or '(无扩展名)'}：请用 .txt、.docx 或 .pdf",
            f"unsupported file type {Path(name).suffix or '(none)'}: use .txt, .docx or .pdf",
        )
    return reader(data, name)


def read_document(path: Path | str) -> Document:
    """A work plan's text from a file on disk."""
    path = Path(path)
    return read_document_bytes(path.read_bytes(), path.name)
