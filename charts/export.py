"""Exports: CSV (UTF-8 BOM, formula-injection safe) and PNG (kaleido through one guarded browser)."""

from __future__ import annotations

import io
import os
import shutil
import threading

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from charts.safe_text import spreadsheet_frame
from indicators.errors import BilingualError
from ui.wording import TEXT


class PngUnavailable(BilingualError, RuntimeError):
    """No headless browser for kaleido on this machine; `detail` is what kaleido said."""

    def __init__(self, detail: str):
        super().__init__(*TEXT["png_unavailable"])
        self.detail = detail


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV in UTF-8 with BOM (Excel opens Chinese correctly), text cells escaped."""
    buf = io.StringIO()
    spreadsheet_frame(df).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


POINTS_PER_CM = 72 / 2.54


def printed_points(font_px: float, canvas_px: float, width_cm: float) -> float:
    """The size in points at which text of `font_px` CSS pixels prints when a `canvas_px`-wide figure is printed
    `width_cm` wide (13 px on a 900-pixel canvas at 15 cm: 6.1 pt)."""
    return font_px * width_cm * POINTS_PER_CM / canvas_px


def print_zoom(font_px: float, canvas_px: float, width_cm: float, min_points: float) -> float:
    """How many times larger than on screen a figure must be drawn (PngExporter.to_png's `zoom`) for text of
    `font_px` to print at `min_points` or more at `width_cm`; never less than 1."""
    return max(1.0, min_points / printed_points(font_px, canvas_px, width_cm))


_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def browser_path() -> str | None:
    """The headless browser kaleido will use, or None when the machine has none."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit and os.path.exists(explicit):
        return explicit
    return next((p for p in map(shutil.which, _BROWSERS) if p), None)


class PngExporter:
    """One persistent kaleido browser; every call holds the lock (the sync server is not thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = False
        self.error: str | None = None

    @property
    def available(self) -> bool:
        return self.error is None and browser_path() is not None

    def _start(self) -> None:
        import kaleido

        pio.defaults.headers = None  # silence the "kopts is ignored" warning
        try:
            kaleido.start_sync_server(silence_warnings=True)
        except Exception as exc:  # no browser, or it failed to start
            self.error = str(exc)
            raise PngUnavailable(str(exc)) from exc
        self._started = True

    def to_png(
        self, fig: go.Figure, width: int = 1000, height: int | None = None, scale: float = 2.0, zoom: float = 1.0
    ) -> bytes:
        """PNG bytes of the figure at report resolution, `width × scale` pixels wide.

        `zoom` > 1 is for print: everything drawn in CSS pixels (text, margins, lines) comes out `zoom` times
        larger on the same pixels, the figure laid out on a canvas `zoom` times smaller and drawn `zoom` times
        finer. The screen's PNG keeps zoom 1."""
        height = height or int(fig.layout.height or 600)
        with self._lock:
            if not self._started:
                self._start()
            try:
                return fig.to_image(
                    format="png", width=round(width / zoom), height=round(height / zoom), scale=scale * zoom
                )
            except Exception as exc:
                raise PngUnavailable(str(exc)) from exc
