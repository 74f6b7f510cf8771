"""The briefing's Word template and its PDF: a bureau's own template with the documented placeholders replaces the
built-in one, a broken template or a file that is no Word document is refused in both languages (exit 2, nothing
written), and LibreOffice turns the .docx into pages that keep each table whole (UPDATE_SCREENSHOTS=1 refreshes the
README's page images)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from charts.export import browser_path
from reports.briefing import PdfUnavailable, to_pdf
from tests.briefing_support import HUBEI_UNITS, SCREENSHOTS, TITLE, cells, sample_database, texts
from tests.cli_runner import run


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    return sample_database(tmp_path_factory)


def plain_template(path: Path, *body: str) -> Path:
    doc = Document()
    for text in body:
        doc.add_paragraph(text)
    doc.save(path)
    return path


def bureau_template(path: Path, *body: str) -> Path:
    """A bureau's own template: its own wording, the documented placeholders (reports/TEMPLATE.md)."""
    doc = Document(plain_template(path, *body))
    table = doc.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["{%tr for row in ind.rows %}", "", ""], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["{{ row.region }}", "{{ row.actual }}", "{{ row.yoy }}"], strict=True):
        cell.text = text
    table.rows[2].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p for line in notes %}")
    doc.add_paragraph("{{ line }}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(path)
    return path


def test_bureau_template_replaces_the_built_in_one(sample_db, tmp_path, capsys):
    template = bureau_template(
        tmp_path / "ours.docx",
        "武汉市生态环境局专用模板 MARKER-7Q",
        "{{ title }}",
        "{{ headline }}",
        "{%p for ind in indicators %}",
        "{{ ind.name }}",
    )
    out = tmp_path / "ours_out.docx"
    code, _, err = run(
        capsys, "report", "--db", sample_db, "--year", "2024", "--period", "Q4", "--province", "420000",
        "--indicator", "rural_sewage_rate", "--template", str(template), "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    doc = Document(out)
    paragraphs = texts(doc)
    assert "武汉市生态环境局专用模板 MARKER-7Q" in paragraphs and TITLE in paragraphs
    assert "一、总体情况" not in paragraphs  # nothing of the built-in template
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert ["武汉", "55.29", "+5.46个百分点"] in rows and len(rows) == HUBEI_UNITS


@pytest.mark.parametrize(
    "body,zh",
    [
        (("{{ title ",), "占位符有误"),  # an unclosed Jinja tag
        (("{%p for ind in indicators %}", "{{ ind.name }}", "{%p endif %}"), "占位符有误"),
        (("{{ inds.name }}",), "inds"),  # a misspelt name with a field after it (documented in TEMPLATE.md)
    ],
)
def test_broken_template_exits_2_in_both_languages(sample_db, tmp_path, capsys, body, zh):
    template = plain_template(tmp_path / "broken.docx", *body)
    out = tmp_path / "never.docx"
    code, _, err = run(
        capsys, "report", "--db", sample_db, "--year", "2024", "--period", "12", "--province", "420000",
        "--indicator", "rural_sewage_rate", "--template", str(template), "-o", str(out),
    )  # fmt: skip
    assert code == 2
    assert zh in err and "placeholders" in err and "TEMPLATE.md" in err
    assert "Traceback" not in err and not out.exists()


def test_not_a_word_file_exits_2(sample_db, tmp_path, capsys):
    bogus = tmp_path / "template.docx"
    bogus.write_text("not a zip", encoding="utf-8")
    code, _, err = run(
        capsys, "report", "--db", sample_db, "--year", "2024", "--period", "12", "--province", "420000",
        "--template", str(bogus), "-o", str(tmp_path / "x.docx"),
    )  # fmt: skip
    assert code == 2 and "无法读取 Word 模板" in err and "cannot read the Word template" in err


def test_unknown_province_exits_2(sample_db, tmp_path, capsys):
    code, _, err = run(
        capsys, "report", "--db", sample_db, "--year", "2024", "--period", "12", "--province", "420100",
        "-o", str(tmp_path / "x.docx"),
    )  # fmt: skip
    assert code == 2 and "未知省份" in err and "unknown province" in err


def test_pdf_without_libreoffice_still_writes_the_docx(sample_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # neither soffice nor chromium on this PATH
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    out = tmp_path / "no_pdf.docx"
    code, _, err = run(
        capsys, "report", "--db", sample_db, "--year", "2024", "--period", "12", "--province", "420000",
        "--indicator", "rural_sewage_rate", "--pdf", "-o", str(out),
    )  # fmt: skip
    assert code == 2
    assert "未安装 LibreOffice" in err and "LibreOffice is not installed" in err
    doc = Document(out)
    assert any(p.text.startswith("（图表未能生成") for p in doc.paragraphs)  # said in place of the chart
    assert len(doc.inline_shapes) == 0
    with pytest.raises(PdfUnavailable):
        to_pdf(out)


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page, laid out (pdftotext -layout)."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout.split("\f")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None, reason="no poppler")
@pytest.mark.skipif(browser_path() is None, reason="no Chromium: the page images would show no charts")
def test_pdf_pages_keep_tables_whole(sample_db, tmp_path, capsys):
    """The briefing the README shows (the default indicators) through LibreOffice: each table on the page of its
    caption, from the heading row to the last; page 1 and the page of the regions not meeting their targets as
    PNG, written to docs/screenshots/ when UPDATE_SCREENSHOTS=1 asks for them to be refreshed."""
    docx = tmp_path / "hubei_2024.docx"
    code, _, err = run(
        capsys, "report", "--db", sample_db, "--year", "2024", "--period", "annual", "--province", "420000",
        "-o", str(docx),
    )  # fmt: skip
    assert code == 0, err
    pdf = to_pdf(docx, tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = pdf_pages(pdf)
    tables = Document(docx).tables
    assert len(tables) == 4
    for n, table in enumerate(tables, start=1):
        page = next(p for p in pages if re.search(rf"表 ?{n} ", p))
        first, last = cells(table)[1], cells(table)[-1]
        assert "排名" in page and re.search(rf"^\s*{first[0]}\s+{first[1]}\s", page, re.M), n
        assert re.search(rf"^\s*{last[0]}\s+{last[1]}\s", page, re.M), n
    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    behind = next(i for i, p in enumerate(pages, start=1) if "三、未达标地区" in p)
    for number, name in ((1, "briefing_hubei_2024"), (behind, "briefing_hubei_2024_table")):
        stem = folder / name
        subprocess.run(
            ["pdftoppm", "-r", "80", "-f", str(number), "-l", str(number), "-png", "-singlefile", pdf, stem], check=True
        )
        png = stem.with_suffix(".png").read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) < 300_000
