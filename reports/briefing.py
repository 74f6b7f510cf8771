"""The quarterly briefing (季度通报): the gaps table → the context → a Word document (→ a PDF).

Pages and the CLI call `build_briefing`; the parts are `briefing_context` (pure), `render_briefing` (docxtpl)
and `to_pdf` (LibreOffice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Engine

from data_loaders import store
from data_loaders.bootstrap import SAMPLE_WORKBOOKS
from data_loaders.reports import gap_table
from indicators.catalog import Catalog
from indicators.regions import RegionIndex
from reports.context import briefing_context, default_indicators, issuer_name
from reports.pdf import PdfUnavailable, soffice_path, to_pdf
from reports.render import TEMPLATE, BriefingTemplateError, open_template, render_briefing

__all__ = [
    "TEMPLATE",
    "BriefingTemplateError",
    "PdfUnavailable",
    "briefing_context",
    "build_briefing",
    "default_indicators",
    "issuer_name",
    "open_template",
    "render_briefing",
    "soffice_path",
    "to_pdf",
]


def build_briefing(
    engine: Engine,
    catalog: Catalog,
    regions: RegionIndex,
    province: str,
    year: int,
    period: int,
    indicator_codes: Sequence[str] | None = None,
    *,
    template_path: str | Path | None = None,
    png_exporter=None,
    lang: str = "zh",
    date: dt.date | None = None,
) -> bytes:
    """The briefing's .docx bytes for a province, year and period; the indicators default to those most of the
    province's units reported. BriefingTemplateError when the template cannot be used."""
    open_template(template_path)  # a bureau's unusable template fails before the database is read
    gaps = _named_gaps(engine, catalog, regions, province, year, period, indicator_codes)
    codes = list(indicator_codes) if indicator_codes else default_indicators(gaps, catalog, regions, province)
    files, synthetic = upload_files(engine)
    context = briefing_context(
        gaps,
        catalog,
        regions,
        province,
        year,
        period,
        codes,
        lang,
        date=date,
        upload_files=files,
        synthetic_files=synthetic,
    )
    return render_briefing(context, template_path, png_exporter)


def _named_gaps(
    engine: Engine,
    catalog: Catalog,
    regions: RegionIndex,
    province: str,
    year: int,
    period: int,
    indicator_codes: Sequence[str] | None,
) -> pd.DataFrame:
    """The gaps table of the province and its units, keyed by codes: the rows `cli.py gaps --region` prints."""
    region_codes = [province] + [r.code for r in regions.children(province)]
    codes = list(indicator_codes) if indicator_codes else None
    return gap_table(engine, catalog, regions, year, period, region_codes, codes)


def upload_files(engine: Engine) -> tuple[list[str], list[str]]:
    """The committed upload files, newest first, and which of them are the shipped (synthetic) sample workbooks."""
    batches = store.list_batches(engine)
    committed = batches[batches["status"] == "committed"]
    files = list(dict.fromkeys(committed["file_name"]))
    return files, [f for f in files if f in SAMPLE_WORKBOOKS]
