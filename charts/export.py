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

    def to_png(self, fig: go.Figure, width: int = 1000, height: int | None = None, scale: float = 2.0) -> bytes:
        """PNG bytes of the figure at report resolution."""
        height = height or int(fig.layout.height or 600)
        with self._lock:
            if not self._started:
                self._start()
            try:
                return fig.to_image(format="png", width=width, height=height, scale=scale)
            except Exception as exc:
                raise PngUnavailable(str(exc)) from exc
