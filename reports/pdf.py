"""The briefing as PDF, through LibreOffice where it is installed (soffice --headless --convert-to pdf)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from indicators.errors import BilingualError

SOFFICE_NAMES = ("soffice", "libreoffice")
CONVERT_SECONDS = 180
FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"
SYSTEM_FONTS_CONF = Path("/etc/fonts/fonts.conf")


class PdfUnavailable(BilingualError, RuntimeError):
    """No LibreOffice on this machine, or it failed to convert the document."""


def soffice_path() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return next((p for p in map(shutil.which, SOFFICE_NAMES) if p), None)


def to_pdf(docx_path: str | Path, out_dir: str | Path | None = None) -> Path:
    """Convert the .docx to a PDF beside it (or in `out_dir`) and return the PDF's path; PdfUnavailable when
    LibreOffice is missing or fails."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(
            "未安装 LibreOffice，无法生成 PDF（Word 文档已生成）。请管理员运行：apt-get install -y libreoffice-writer",
            "LibreOffice is not installed, so no PDF was made (the Word document was). "
            "Ask an administrator to run: apt-get install -y libreoffice-writer",
        )
    docx_path = Path(docx_path).resolve()
    out = Path(out_dir).resolve() if out_dir else docx_path.parent
    # A profile of its own: a second soffice on the same profile (a desktop session, a parallel run) would
    # hand the job to the first one or refuse to start.
    with tempfile.TemporaryDirectory(prefix="briefing-soffice-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx_path),
        ]
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, timeout=CONVERT_SECONDS, check=False, env=_font_env()
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable(
                f"LibreOffice 转换超时（{CONVERT_SECONDS} 秒）", f"LibreOffice timed out ({CONVERT_SECONDS} s)"
            ) from exc
    pdf = out / (docx_path.stem + ".pdf")
    if done.returncode != 0 or not pdf.is_file():
        detail = (done.stderr or done.stdout).strip()[-300:]
        raise PdfUnavailable(f"LibreOffice 未能生成 PDF：{detail}", f"LibreOffice could not make the PDF: {detail}")
    return pdf


def _font_env() -> dict[str, str]:
    """The environment for soffice: where fontconfig is the system's, the 公文 fonts' fallbacks added to it
    (仿宋_GB2312 → 仿宋 → Noto Serif CJK SC …), so a server without them still prints serif body text."""
    env = dict(os.environ)
    if SYSTEM_FONTS_CONF.is_file() and "FONTCONFIG_FILE" not in env:
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    return env
