"""`cli.py report`: the quarterly briefing (季度通报) as Word, and PDF through LibreOffice."""

from __future__ import annotations

import sys
from pathlib import Path

from charts.safe_text import for_terminal
from commands.base import EXIT_OK, EXIT_UNUSABLE, UsageError, catalog_for
from data_loaders.db import make_engine
from data_loaders.settings import database_url
from indicators.regions import load_regions


def cmd_report(args) -> int:
    from charts.export import PngExporter
    from reports.briefing import BriefingTemplateError, PdfUnavailable, build_briefing, to_pdf

    engine = make_engine(database_url(args.db))
    catalog, regions = catalog_for(engine), load_regions()  # with the indicators people added
    if args.province not in regions or regions[args.province].level != "province":
        raise UsageError("未知省份", f"unknown province: {args.province}")
    unknown = [c for c in args.indicator if c not in catalog]
    if unknown:
        raise UsageError("未知指标", f"unknown indicator: {', '.join(unknown)}")
    try:
        data = build_briefing(
            engine,
            catalog,
            regions,
            args.province,
            args.year,
            args.period,
            args.indicator or None,
            template_path=args.template,
            png_exporter=PngExporter(),
        )
    except BriefingTemplateError as exc:
        print(for_terminal(exc.both("\n")), file=sys.stderr)
        return EXIT_UNUSABLE
    out = Path(args.output)
    out.write_bytes(data)
    print(f"通报已生成 / briefing written: {out}")
    if args.pdf:
        try:
            print(f"PDF 已生成 / PDF written: {to_pdf(out)}")
        except PdfUnavailable as exc:
            print(for_terminal(exc.both("\n")), file=sys.stderr)
            return EXIT_UNUSABLE
    return EXIT_OK
