"""The briefing as Word bytes: the context poured into a docxtpl template, each indicator's chart embedded."""

from __future__ import annotations

import io
from pathlib import Path

from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError

from charts.export import PngExporter, PngUnavailable, print_zoom
from indicators.errors import BilingualError
from ui.wording import t

TEMPLATE = Path(__file__).resolve().parent / "templates" / "briefing.docx"
CHART_WIDTH_CM = 15.0
# 900 CSS pixels drawn at scale 2 = 1800 pixels over 15 cm: about 300 dpi, print resolution.
CHART_WIDTH_PX, CHART_SCALE = 900, 2.0
# At 15 cm a 900-pixel canvas prints 13-pixel text at 6 pt: the charts are drawn larger (PngExporter's zoom) so
# that their smallest text prints at this size at least; the pixels, and so the resolution, stay the same.
CHART_MIN_POINTS = 9.0
# The zoomed canvas keeps this share of the screen layout's height in CSS pixels: 20 of the 28 pixels a row has
# on screen, still 1.5 times the text, and a 17-row chart 12.4 cm tall rather than 15.5.
CHART_HEIGHT_SHARE = 0.8


class BriefingTemplateError(BilingualError, ValueError):
    """The Word template cannot be used: missing, not a .docx, or its placeholders are not valid Jinja."""


def render_briefing(context: dict, template_path: str | Path | None = None, png_exporter=None) -> bytes:
    """The .docx bytes of the briefing: the built-in template unless `template_path` names a bureau's own.

    `png_exporter` draws the charts (a PngExporter; one is made when None); where PNG export is unavailable the
    document says so in place of each chart. Raises BriefingTemplateError for a template that cannot be used.
    """
    tpl = open_template(template_path)
    exporter = png_exporter if png_exporter is not None else PngExporter()
    lang = context.get("lang", "zh")
    filled = {
        **context,
        "indicators": [{**ind, "chart": _chart(tpl, ind, exporter, lang)} for ind in context["indicators"]],
    }
    try:
        tpl.render(filled, autoescape=True)
    except TemplateError as exc:
        raise _template_error(template_path, exc) from exc
    _end_tables_free(tpl.docx)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def _end_tables_free(document) -> None:
    """The last row of each table does not keep with the next paragraph. The template keeps its repeating row
    with the next one, so that a table moves whole to the next page rather than start at a page's foot; the last
    copy of that row would chain the table to the chart below it, and the two rarely fit on one page."""
    for table in document.tables:
        if table.rows:
            for cell in table.rows[-1].cells:
                for paragraph in cell.paragraphs:
                    if paragraph.paragraph_format.keep_with_next:
                        paragraph.paragraph_format.keep_with_next = False


def open_template(template_path: str | Path | None = None) -> DocxTemplate:
    """The template, read and checked to be a Word document; BriefingTemplateError otherwise."""
    path = Path(template_path) if template_path else TEMPLATE
    if not path.is_file():
        raise BriefingTemplateError(f"Word 模板不存在：{path}", f"Word template not found: {path}")
    tpl = DocxTemplate(path)
    try:
        tpl.init_docx()
    except Exception as exc:  # python-docx says "package not found", a zip error or a missing part
        raise BriefingTemplateError(
            f"无法读取 Word 模板 {path.name}（应为 .docx 文件）：{exc}",
            f"cannot read the Word template {path.name} (a .docx file is expected): {exc}",
        ) from exc
    return tpl


def _template_error(template_path, exc: TemplateError) -> BriefingTemplateError:
    name = Path(template_path).name if template_path else TEMPLATE.name
    detail = getattr(exc, "message", None) or str(exc)
    return BriefingTemplateError(
        f"Word 模板 {name} 的占位符有误：{detail}（占位符写法见 reports/TEMPLATE.md）",
        f"the placeholders of the Word template {name} are not valid: {detail} (see reports/TEMPLATE.md)",
    )


def _chart(tpl: DocxTemplate, ind: dict, exporter, lang: str):
    """The indicator's chart as an inline image 15 cm wide, or a sentence saying why there is none."""
    fig = ind.get("figure")
    if fig is None:
        return ""
    if not exporter.available:
        return t("report_chart_missing", lang, reason=t("png_unavailable", lang))
    try:
        zoom = chart_zoom(fig)
        height = round(int(fig.layout.height or 600) * zoom * CHART_HEIGHT_SHARE)
        png = exporter.to_png(fig, width=CHART_WIDTH_PX, height=height, scale=CHART_SCALE, zoom=zoom)
    except PngUnavailable as exc:
        return t("report_chart_missing", lang, reason=exc.text(lang))
    return InlineImage(tpl, io.BytesIO(png), width=Cm(CHART_WIDTH_CM))


def chart_zoom(fig) -> float:
    """The print zoom of a briefing chart: its smallest text at CHART_MIN_POINTS or more at CHART_WIDTH_CM."""
    return print_zoom(smallest_font_px(fig), CHART_WIDTH_PX, CHART_WIDTH_CM, CHART_MIN_POINTS)


def smallest_font_px(fig) -> float:
    """The smallest font size the figure sets anywhere (layout, title, legend, axes, annotations, trace text);
    plotly's default of 12 where the layout sets none."""
    layout = fig.layout
    sizes = [layout.font.size or 12, layout.title.font.size, layout.legend.font.size]
    sizes += [axis.tickfont.size for axis in (layout.xaxis, layout.yaxis)]
    sizes += [a.font.size for a in layout.annotations]
    sizes += [trace.textfont.size for trace in fig.data if "textfont" in trace]
    return float(min(s for s in sizes if s))
