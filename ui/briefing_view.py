"""The briefing page's work: the briefing's context (the preview shows it, the document is rendered from it) built
once per input and data version, and the document — with its PDF where LibreOffice is installed — made on request."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from data_loaders.settings import max_upload_bytes
from reports.briefing import (
    BriefingTemplateError,
    PdfUnavailable,
    briefing_context,
    default_indicators,
    render_briefing,
    soffice_path,
    to_pdf,
    upload_files,  # the same file list the CLI's briefing names
)
from ui.data import cached_gaps, engine, png_exporter, reference
from ui.wording import t

_CACHE = {"ttl": 600, "max_entries": 64, "show_spinner": False}
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _province_gaps(year: int, period: int, province: str) -> pd.DataFrame:
    """The code-keyed gaps of the province and its units, every indicator (briefing_context adds the names)."""
    regions = reference()[1]
    return cached_gaps(year, period, (province, *(r.code for r in regions.children(province))), None)


@st.cache_data(**_CACHE)
def default_codes(version: int, year: int, period: int, province: str) -> list[str]:
    """The indicators most of the province's units reported, as the CLI's briefing picks them."""
    catalog, regions = reference()
    return default_indicators(_province_gaps(year, period, province), catalog, regions, province)


@st.cache_resource(**_CACHE)
def briefing_preview(version: int, lang_: str, year: int, period: int, province: str, codes: tuple[str, ...]) -> dict:
    """The briefing's context: what the preview shows and what the document is rendered from (read-only)."""
    catalog, regions = reference()
    files, synthetic = upload_files(engine())
    gaps = _province_gaps(year, period, province)
    return briefing_context(
        gaps,
        catalog,
        regions,
        province,
        year,
        period,
        list(codes),
        lang_,
        upload_files=files,
        synthetic_files=synthetic,
    )


def ranking_frame(entry: dict) -> pd.DataFrame:
    """One indicator's ranking table as the document prints it: the same strings, the same headings."""
    keys = list(entry["head"])
    return pd.DataFrame([[row[k] for k in keys] for row in entry["rows"]], columns=[entry["head"][k] for k in keys])


@dataclass(frozen=True)
class Briefing:
    """A generated briefing: its file name and bytes, the PDF's (None when there is none, and why), or an error."""

    name: str = ""
    docx: bytes = b""
    pdf: bytes | None = None
    pdf_note: str = ""
    error: str = ""


def template_too_large(size: int) -> bool:
    return size > max_upload_bytes()


def generate(context: dict, stem: str, lang_: str, template: tuple[str, bytes] | None = None) -> Briefing:
    """The .docx (from the bureau's template when given) and, where LibreOffice is installed, the PDF.

    A template that cannot be used comes back as `error`, in the interface language, never as an exception."""
    with tempfile.TemporaryDirectory(prefix="briefing-") as folder:
        template_path = None
        if template is not None:
            name = re.sub(r"[^\w.\-]", "_", Path(template[0]).name) or "template.docx"
            template_path = Path(folder) / "template" / name
            template_path.parent.mkdir()
            template_path.write_bytes(template[1])
        try:
            docx = render_briefing(context, template_path, png_exporter())
        except BriefingTemplateError as exc:
            return Briefing(error=exc.text(lang_))
        if soffice_path() is None:
            return Briefing(f"{stem}.docx", docx, None, t("briefing_no_pdf", lang_))
        path = Path(folder) / f"{stem}.docx"
        path.write_bytes(docx)
        try:
            pdf = to_pdf(path).read_bytes()
        except PdfUnavailable as exc:
            return Briefing(f"{stem}.docx", docx, None, exc.text(lang_))
        return Briefing(f"{stem}.docx", docx, pdf)
