"""Write the built-in briefing template reports/templates/briefing.docx: run `python -m reports.build_template`.

公文-like layout (GB/T 9704): A4, margins 37/35/28/26 mm, the issuer in red over a red rule, the title in
方正小标宋简体, headings in 黑体 and 楷体, body in 仿宋_GB2312, page numbers "— 1 —". The placeholders are
docxtpl (Jinja) tags; reports/TEMPLATE.md is the contract a bureau's own template follows.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

OUT = Path(__file__).resolve().parent / "templates" / "briefing.docx"
RED = RGBColor(0xE6, 0x00, 0x12)

# East-Asian font → the one Word and LibreOffice try where it is not installed (w:altName in the font table),
# and its family, which guides substitution further (serif 仿宋 and 小标宋, sans 黑体).
FONTS = {
    "方正小标宋简体": ("SimHei", "roman"),
    "黑体": ("SimHei", "modern"),
    "楷体_GB2312": ("KaiTi", "roman"),
    "仿宋_GB2312": ("FangSong", "roman"),
}
TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = FONTS
LATIN_FONT = "Times New Roman"

# (placeholder key, width in cm, alignment) of the ranking table: numbers right-aligned.
# The widest cells on one line at 五号: 未达到参照目标 (status), +14.81个百分点 (同比).
COLUMNS = [
    ("rank", 1.2, WD_ALIGN_PARAGRAPH.CENTER),
    ("region", 1.8, WD_ALIGN_PARAGRAPH.LEFT),
    ("actual", 2.1, WD_ALIGN_PARAGRAPH.RIGHT),
    ("target", 2.1, WD_ALIGN_PARAGRAPH.RIGHT),
    ("margin", 2.5, WD_ALIGN_PARAGRAPH.RIGHT),
    ("status", 3.0, WD_ALIGN_PARAGRAPH.LEFT),
    ("yoy", 2.9, WD_ALIGN_PARAGRAPH.RIGHT),
]


def _fonts(rpr_owner, east_asian: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    """Latin and East-Asian fonts of a style: python-docx sets only the Latin one."""
    font = rpr_owner.font
    font.name, font.size, font.bold = LATIN_FONT, Pt(size), bold
    if color is not None:
        font.color.rgb = color
    rfonts = rpr_owner.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:hint"), "eastAsia")
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")  # Simplified Chinese glyphs where a font substitutes (not Japanese ones)
    rpr_owner.element.get_or_add_rPr().append(lang)


def _paragraph_style(doc, name: str, east_asian: str, size: float, **kw):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    _fonts(style, east_asian, size, kw.pop("bold", False), kw.pop("color", None))
    fmt = style.paragraph_format
    fmt.alignment = kw.pop("align", WD_ALIGN_PARAGRAPH.JUSTIFY)
    exact = kw.pop("exact", None)
    if exact:
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(exact)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = kw.pop("indent", None)
    fmt.space_before, fmt.space_after = kw.pop("before", Pt(0)), kw.pop("after", Pt(0))
    fmt.keep_with_next = kw.pop("keep", False)
    assert not kw, kw
    return style


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, 16)
    _paragraph_style(doc, "通报发文机关", TITLE_FONT, 30, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER, after=Pt(6))
    _paragraph_style(
        doc, "通报标题", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, exact=36, before=Pt(18), after=Pt(18)
    )
    _paragraph_style(doc, "通报一级标题", HEADING_FONT, 16, exact=28, indent=Pt(32), keep=True)
    _paragraph_style(doc, "通报二级标题", SUBHEADING_FONT, 16, exact=28, indent=Pt(32), keep=True)
    _paragraph_style(doc, "通报正文", BODY_FONT, 16, exact=28, indent=Pt(32))
    # The notes quote file names and clauses with long Latin runs, which a justified line would stretch apart.
    _paragraph_style(doc, "通报说明", BODY_FONT, 16, exact=28, indent=Pt(32), align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph_style(
        doc, "通报表题", HEADING_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(6), after=Pt(3), keep=True
    )
    _paragraph_style(doc, "通报表格", BODY_FONT, 10.5)
    _paragraph_style(doc, "通报图", BODY_FONT, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(6), after=Pt(6))
    _paragraph_style(doc, "通报落款", BODY_FONT, 16, exact=28, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _font_table(doc) -> None:
    """Declare each East-Asian font with the one to use where it is missing (w:altName) and its family."""
    part = next(p for p in doc.part.package.parts if str(p.partname) == "/word/fontTable.xml")
    from lxml import etree

    root = etree.fromstring(part.blob)
    for name, (alt, family) in FONTS.items():
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        etree.SubElement(font, qn("w:family"), {qn("w:val"): family})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    _field(footer, "PAGE")
    footer.add_run(" —")
    for run in footer.runs:
        run.font.size = Pt(14)


def _field(paragraph, instruction: str) -> None:
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _red_rule(paragraph) -> None:
    """A red line under the issuer (版头分隔线): the paragraph's bottom border."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"val": "single", "sz": "18", "space": "4", "color": str(RED)}.items():
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.append(borders)


def _cell(cell, text: str, align, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.style, p.alignment = "通报表格", align
    p.paragraph_format.keep_with_next = True  # the rows hold together, so a table does not start at a page's foot
    run = p.add_run(text)
    run.bold = bold


def _row_flag(row, flag: str) -> None:
    """w:tblHeader (repeat the row on every page) or w:cantSplit (keep the row on one page)."""
    element = OxmlElement(f"w:{flag}")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _ranking_table(doc) -> None:
    table = doc.add_table(rows=4, cols=len(COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, (_, width, _) in zip(table._tbl.tblGrid.gridCol_lst, COLUMNS, strict=True):
        col.w = Cm(width)  # LibreOffice lays a table out by its grid, Word by the cell widths: set both
    head, loop, data, end = table.rows
    for i, (key, width, align) in enumerate(COLUMNS):
        for row in table.rows:
            row.cells[i].width = Cm(width)
        _cell(head.cells[i], "{{ ind.head_lines." + key + " }}", WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        text = "{{ row." + key + " }}"
        if key == "status":
            text = "{% cellbg row.fill %}" + text  # the status colour of the charts, pale
        _cell(data.cells[i], text, align)
    _cell(loop.cells[0], "{%tr for row in ind.rows %}", WD_ALIGN_PARAGRAPH.LEFT)
    _cell(end.cells[0], "{%tr endfor %}", WD_ALIGN_PARAGRAPH.LEFT)
    _row_flag(head, "tblHeader")
    _row_flag(head, "cantSplit")
    _row_flag(data, "cantSplit")


def _list(doc, items: str, style: str = "通报正文") -> None:
    """One paragraph per item of the context list `items`, or 无 when it is empty."""
    doc.add_paragraph("{%p for line in " + items + " %}", style)
    doc.add_paragraph("{{ line }}", style)
    doc.add_paragraph("{%p endfor %}", style)
    doc.add_paragraph("{%p if not " + items + " %}", style)
    doc.add_paragraph("{{ labels.none }}", style)
    doc.add_paragraph("{%p endif %}", style)


def build(path: Path = OUT) -> Path:
    doc = Document()
    _styles(doc)
    _font_table(doc)
    _page(doc)
    body = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    body.style = "通报发文机关"
    body.add_run("{{ issuer }}")
    _red_rule(body)
    doc.add_paragraph("{{ title }}", "通报标题")

    doc.add_paragraph("{{ labels.overall }}", "通报一级标题")
    doc.add_paragraph("{{ headline }}", "通报正文")
    doc.add_paragraph("{%p for line in province_lines %}", "通报正文")
    doc.add_paragraph("{{ line }}", "通报正文")
    doc.add_paragraph("{%p endfor %}", "通报正文")

    doc.add_paragraph("{{ labels.by_indicator }}", "通报一级标题")
    doc.add_paragraph("{%p for ind in indicators %}", "通报正文")
    doc.add_paragraph("{{ ind.heading }}", "通报二级标题")
    doc.add_paragraph("{{ ind.summary }}{{ ind.target_summary }}{{ ind.status_summary }}", "通报正文")
    doc.add_paragraph("{{ ind.table_title }}", "通报表题")
    _ranking_table(doc)
    doc.add_paragraph("{{ ind.chart }}", "通报图")
    doc.add_paragraph("{%p endfor %}", "通报正文")

    doc.add_paragraph("{{ labels.lagging }}", "通报一级标题")
    _list(doc, "lagging")
    doc.add_paragraph("{%p if reference_below %}", "通报正文")
    doc.add_paragraph("{{ labels.reference_below }}", "通报正文")
    doc.add_paragraph("{%p for line in reference_below %}", "通报正文")
    doc.add_paragraph("{{ line }}", "通报正文")
    doc.add_paragraph("{%p endfor %}", "通报正文")
    doc.add_paragraph("{%p endif %}", "通报正文")

    doc.add_paragraph("{{ labels.pending }}", "通报一级标题")
    _list(doc, "pending")
    doc.add_paragraph("{{ labels.notes }}", "通报一级标题")
    _list(doc, "notes", "通报说明")

    doc.add_paragraph("", "通报正文")
    doc.add_paragraph("{{ issuer }}", "通报落款")
    doc.add_paragraph("{{ date }}", "通报落款")
    doc.core_properties.title = "{{ title }}"
    doc.core_properties.author = "{{ issuer }}"
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_fixed_dates(buf.getvalue()))
    return path


def _fixed_dates(docx: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01, so that rebuilding an unchanged template changes no byte."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), src.read(info), zipfile.ZIP_DEFLATED)
    return out.getvalue()


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
