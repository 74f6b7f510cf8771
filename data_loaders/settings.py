"""Every setting the app reads, declared once with its default and help text."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def get(self) -> str:
        return os.environ.get(self.name, "") or self.default


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL", "", "SQLAlchemy URL of the database; empty means the SQLite file in ENV_DASHBOARD_DATA_DIR."
    ),
    Setting("ENV_DASHBOARD_DATA_DIR", str(REPO_ROOT / "data"), "Folder for the default SQLite database file."),
    Setting("ENV_DASHBOARD_MAX_UPLOAD_MB", "50", "Largest workbook accepted for import, in MB."),
    Setting("ENV_DASHBOARD_MAX_ROWS", "500000", "Most rows one worksheet may have; a larger sheet is refused."),
    Setting(
        "ENV_DASHBOARD_MAX_UNPACKED_MB",
        "1024",
        "Largest total size of a workbook once unpacked, in MB (refused before unpacking: zip bombs).",
    ),
    Setting(
        "ENV_DASHBOARD_MAX_COLUMNS",
        "1000",
        "Most columns one worksheet may span from A; a wider sheet is refused before it is read.",
    ),
    Setting(
        "ENV_DASHBOARD_MAX_CELLS",
        "20000000",
        "Most cells (rows × columns from A1) one worksheet may span; refused before it is read (sparse-sheet bombs).",
    ),
    Setting(
        "ENV_DASHBOARD_PARSE_MEMORY_MB",
        "2048",
        "Address-space limit of the child process that parses an upload, in MB; over it the upload is refused.",
    ),
    Setting(
        "ENV_DASHBOARD_PARSE_SECONDS",
        "120",
        "Wall-clock limit of the child process that parses an upload, in seconds; over it the upload is refused.",
    ),
    Setting("ENV_DASHBOARD_LANG", "zh", "Default interface language: zh or en."),
    Setting(
        "ENV_DASHBOARD_PUBLIC_READ",
        "true",
        "true: anyone may read the dashboard without signing in; false: reading needs an account too. Writes always do.",
    ),
    Setting("ENV_DASHBOARD_SESSION_IDLE_MINUTES", "30", "A signed-in session ends after this many idle minutes."),
    Setting("ENV_DASHBOARD_MIN_PASSWORD", "10", "Shortest password accepted, in characters."),
    Setting("ENV_DASHBOARD_LOCK_ATTEMPTS", "5", "Failed sign-ins in a row that lock an account."),
    Setting("ENV_DASHBOARD_LOCK_MINUTES", "15", "How long a locked account stays locked, in minutes."),
    Setting(
        "ENV_DASHBOARD_LOG_LEVEL",
        "INFO",
        "Least severe log records written to standard error: DEBUG, INFO, WARNING, ERROR or CRITICAL.",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> str:
    """The current value of a declared setting (environment first, then default)."""
    return _BY_NAME[name].get()


def database_url(explicit: str | None = None) -> str:
    """--db, then DATABASE_URL, then the default SQLite file."""
    if explicit:
        return explicit
    url = setting("DATABASE_URL")
    if url:
        return url
    data_dir = Path(setting("ENV_DASHBOARD_DATA_DIR"))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'dashboard.db'}"


def max_upload_bytes() -> int:
    return int(float(setting("ENV_DASHBOARD_MAX_UPLOAD_MB")) * 1024 * 1024)


def max_rows_per_sheet() -> int:
    return int(float(setting("ENV_DASHBOARD_MAX_ROWS")))


def max_unpacked_bytes() -> int:
    return int(float(setting("ENV_DASHBOARD_MAX_UNPACKED_MB")) * 1024 * 1024)


def max_columns_per_sheet() -> int:
    return int(float(setting("ENV_DASHBOARD_MAX_COLUMNS")))


def max_cells_per_sheet() -> int:
    return int(float(setting("ENV_DASHBOARD_MAX_CELLS")))


def parse_memory_bytes() -> int:
    return int(float(setting("ENV_DASHBOARD_PARSE_MEMORY_MB")) * 1024 * 1024)


def parse_seconds() -> float:
    return float(setting("ENV_DASHBOARD_PARSE_SECONDS"))


def public_read() -> bool:
    return setting("ENV_DASHBOARD_PUBLIC_READ").strip().lower() not in ("false", "0", "no", "off")


def session_idle_minutes() -> float:
    return float(setting("ENV_DASHBOARD_SESSION_IDLE_MINUTES"))


def min_password_length() -> int:
    return int(float(setting("ENV_DASHBOARD_MIN_PASSWORD")))


def lock_attempts() -> int:
    return max(1, int(float(setting("ENV_DASHBOARD_LOCK_ATTEMPTS"))))


def lock_minutes() -> float:
    return float(setting("ENV_DASHBOARD_LOCK_MINUTES"))


def data_dir() -> Path:
    """ENV_DASHBOARD_DATA_DIR (not created here)."""
    return Path(setting("ENV_DASHBOARD_DATA_DIR"))


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Libraries whose INFO records are routine (Alembic announces every schema check, kaleido and its browser every
# PNG export's start and clean-up): shown at DEBUG only.
_CHATTY = ("alembic", "kaleido", "choreographer")


class _StderrHandler(logging.StreamHandler):
    """Writes to the sys.stderr of the moment: Streamlit and pytest replace it after the handler is made."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter(LOG_FORMAT))

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass  # always the current sys.stderr


def log_level() -> int:
    """ENV_DASHBOARD_LOG_LEVEL as a logging level; INFO when it names none."""
    name = setting("ENV_DASHBOARD_LOG_LEVEL").strip().upper()
    return logging.getLevelName(name) if name in LOG_LEVELS else logging.INFO


def configure_logging() -> None:
    """Log records at ENV_DASHBOARD_LOG_LEVEL and above go to standard error, one handler per process however often
    it is called (Streamlit reruns app.py on every click); a changed level applies on the next call."""
    root = logging.getLogger()
    first = not any(isinstance(h, _StderrHandler) for h in root.handlers)
    if first:
        root.addHandler(_StderrHandler())
    level = log_level()
    root.setLevel(level)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(max(level, logging.WARNING) if level > logging.DEBUG else level)
    wanted = setting("ENV_DASHBOARD_LOG_LEVEL")
    if first and wanted.strip().upper() not in LOG_LEVELS:
        logging.getLogger(__name__).warning(
            "ENV_DASHBOARD_LOG_LEVEL=%r is none of %s: logging at INFO", wanted, ", ".join(LOG_LEVELS)
        )
