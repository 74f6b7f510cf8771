"""Reading a work plan: .txt in UTF-8 or GB18030, .docx paragraphs and tables, and a scanned PDF refused."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfWriter

from data_loaders.documents import UnreadableDocument, read_document_bytes

TEXT = "2024年工作要点\n农村生活污水治理率达到46.58%"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_txt_encodings(encoding):
    doc = read_document_bytes(TEXT.encode(encoding), "plan.txt")
    assert doc.text == TEXT
    assert doc.where(doc.text.index("农村")) == "段 2"


def test_docx_paragraphs_and_tables():
    d = docx.Document()
    d.add_paragraph("2024年工作要点")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "农村生活污水治理率", "46.58%"
    d.add_paragraph("完成1571个行政村环境整治")
    buf = io.BytesIO()
    d.save(buf)
    doc = read_document_bytes(buf.getvalue(), "plan.docx")
    assert doc.text.splitlines() == ["2024年工作要点", "农村生活污水治理率\t46.58%", "完成1571个行政村环境整治"]
    assert doc.where(doc.text.index("46.58")) == "表 1 行 1"


def test_scanned_pdf_is_refused_in_both_languages():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(UnreadableDocument) as exc:
        read_document_bytes(buf.getvalue(), "scan.pdf")
    assert "扫描" in exc.value.zh and "scan" in exc.value.en


def test_unknown_suffix_is_refused():
    with pytest.raises(UnreadableDocument):
        read_document_bytes(b"x", "plan.xls")
