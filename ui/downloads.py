"""Download buttons under every chart (CSV, PNG, Excel) and the import progress bar."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from charts.export import csv_bytes
from ui.data import png_exporter
from ui.wording import t

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Share of the bar each import stage fills: reading the sheets, checking the values, writing them.
_STAGES = {"read": (0.0, 0.5), "validated": (0.5, 0.6), "written": (0.6, 1.0)}


def chart_downloads(
    fig,
    data: pd.DataFrame | bytes,
    stem: str,
    lang_: str,
    key: str,
    width: int = 1000,
    xlsx: Callable[[], bytes] | None = None,
) -> None:
    """The chart's data as CSV (a frame, or its csv_bytes already built), its PNG and, when given, an Excel
    report, side by side.

    PNG and Excel are built only on click; no download reruns the page.
    """
    columns = st.columns(3 if xlsx is not None else 2)
    columns[0].download_button(
        t("download_csv", lang_),
        data if isinstance(data, bytes) else csv_bytes(data),
        f"{stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    exporter = png_exporter()
    if exporter.available:
        columns[1].download_button(
            t("download_png", lang_),
            lambda: exporter.to_png(fig, width=width),
            f"{stem}.png",
            "image/png",
            key=f"{key}_png",
            on_click="ignore",
        )
    else:
        columns[1].info(t("png_unavailable", lang_))
    if xlsx is not None:
        columns[2].download_button(
            t("download_xlsx", lang_), xlsx, f"{stem}.xlsx", XLSX_MIME, key=f"{key}_xlsx", on_click="ignore"
        )


def progress_reporter(lang_: str):
    """An import progress callback drawing one st.progress bar: (stage, done, total) as data_loaders report it."""
    bar = st.progress(0.0)

    def report(stage: str, done: int, total: int) -> None:
        start, end = _STAGES.get(stage, (0.0, 1.0))
        share = done / total if total else 1.0
        bar.progress(
            min(1.0, start + (end - start) * share), text=t(f"progress_{stage}", lang_, done=done, total=total)
        )

    return report


def csv_download(data: pd.DataFrame, label: str, stem: str, key: str) -> None:
    """One CSV download button (UTF-8 with BOM, formula-looking cells escaped); no rerun on click."""
    st.download_button(label, csv_bytes(data), f"{stem}.csv", "text/csv", key=key, on_click="ignore")
