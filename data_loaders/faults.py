"""What went wrong with the database (or the data directory), in words a clerk can act on.

`classify(exc)` turns any exception into a `Fault`: a kind and one sentence in Chinese and in English saying what to
do. The UI (`ui/faults.py`) and the CLI show that sentence; the exception itself goes to the log.
"""

from __future__ import annotations

import errno
import logging
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger(__name__)

UNREACHABLE = "unreachable"  # server down, refused, timed out, shut down by the administrator
CANNOT_OPEN = "cannot_open"  # SQLite file or data directory missing or not writable
READ_ONLY = "read_only"  # read-only database or permission denied
DISK_FULL = "disk_full"
BUSY = "busy"  # locked by another writer
DATABASE = "database"  # any other database error
UNEXPECTED = "unexpected"  # not a database fault at all

MESSAGES: dict[str, tuple[str, str]] = {
    UNREACHABLE: (
        "数据库暂时无法连接：请稍后重试，或联系管理员检查数据库服务（DATABASE_URL）。",
        "The database cannot be reached: try again later, or ask the administrator to check the database service "
        "(DATABASE_URL).",
    ),
    CANNOT_OPEN: (
        "无法打开数据库文件：请联系管理员检查数据目录（ENV_DASHBOARD_DATA_DIR）是否存在、是否可写，或检查 DATABASE_URL。",
        "The database file cannot be opened: ask the administrator to check that the data directory "
        "(ENV_DASHBOARD_DATA_DIR) exists and is writable, or check DATABASE_URL.",
    ),
    READ_ONLY: (
        "数据库为只读或没有权限：本次修改未保存。请联系管理员检查数据目录或数据库账户的写入权限。",
        "The database is read-only or permission was denied: no change was saved. Ask the administrator to check "
        "write permission on the data directory or the database account.",
    ),
    DISK_FULL: (
        "数据库所在磁盘已满：本次修改未保存。请联系管理员清理磁盘空间后重试。",
        "The disk holding the database is full: no change was saved. Ask the administrator to free disk space, "
        "then try again.",
    ),
    BUSY: (
        "数据库正忙（另有写入正在进行）：请稍后重试。",
        "The database is busy (another write is in progress): try again shortly.",
    ),
    DATABASE: (
        "数据库出错：请稍后重试；如仍出错，请联系管理员查看服务器日志。",
        "A database error occurred: try again; if it persists, ask the administrator to check the server log.",
    ),
    UNEXPECTED: (
        "系统出现意外错误，详情已记入服务器日志：请稍后重试，或联系管理员。",
        "Something unexpected went wrong; the details are in the server log: try again later, or contact the "
        "administrator.",
    ),
}

# PostgreSQL SQLSTATEs (Appendix A of its manual): the server's own words may be localised, its codes are not.
_SQLSTATE = {
    "57P01": UNREACHABLE,  # admin_shutdown
    "57P02": UNREACHABLE,  # crash_shutdown
    "57P03": UNREACHABLE,  # cannot_connect_now (starting up, shutting down)
    "08000": UNREACHABLE,
    "08001": UNREACHABLE,
    "08003": UNREACHABLE,
    "08004": UNREACHABLE,
    "08006": UNREACHABLE,
    "53300": UNREACHABLE,  # too_many_connections
    "25006": READ_ONLY,  # read_only_sql_transaction (a standby, or default_transaction_read_only)
    "42501": READ_ONLY,  # insufficient_privilege
    "53100": DISK_FULL,
    "55P03": BUSY,  # lock_not_available
    "40P01": BUSY,  # deadlock_detected
}

# SQLite's messages are fixed English strings (sqlite3_errstr); psycopg's connection errors come from libpq.
_PHRASES = (
    ("attempt to write a readonly database", READ_ONLY),
    ("readonly database", READ_ONLY),
    ("database or disk is full", DISK_FULL),
    ("no space left on device", DISK_FULL),
    ("unable to open database file", CANNOT_OPEN),
    ("database is locked", BUSY),
    ("permission denied", READ_ONLY),
    ("read-only", READ_ONLY),
    ("connection refused", UNREACHABLE),
    ("timeout expired", UNREACHABLE),
    ("timed out", UNREACHABLE),
    ("could not connect", UNREACHABLE),
    ("connection failed", UNREACHABLE),
    ("server closed the connection", UNREACHABLE),
    ("terminating connection", UNREACHABLE),
    ("the database system is", UNREACHABLE),  # … starting up / shutting down / in recovery mode
    ("no route to host", UNREACHABLE),
    ("network is unreachable", UNREACHABLE),
    ("could not translate host name", UNREACHABLE),
    ("name or service not known", UNREACHABLE),
    ("connection is closed", UNREACHABLE),
    ("the connection is lost", UNREACHABLE),
    ("consuming input failed", UNREACHABLE),
)

_ERRNO = {
    errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY,
    errno.EROFS: READ_ONLY,
    errno.ENOSPC: DISK_FULL,
    errno.EDQUOT: DISK_FULL,
    errno.ENOTDIR: CANNOT_OPEN,
    errno.EEXIST: CANNOT_OPEN,  # the data directory's name is taken by a file
    errno.ECONNREFUSED: UNREACHABLE,
    errno.ETIMEDOUT: UNREACHABLE,
    errno.EHOSTUNREACH: UNREACHABLE,
    errno.ENETUNREACH: UNREACHABLE,
}


@dataclass(frozen=True)
class Fault:
    """One fault as the people using the app see it."""

    kind: str
    zh: str
    en: str

    @property
    def is_database(self) -> bool:
        """True for a fault of the database or its files; False for a defect of the program."""
        return self.kind != UNEXPECTED

    def line(self) -> str:
        """Chinese, then English, on one line (the CLI's standard error)."""
        return f"{self.zh} / {self.en}"


def fault(kind: str) -> Fault:
    zh, en = MESSAGES[kind]
    return Fault(kind, zh, en)


def _chain(exc: BaseException):
    """The exception, what SQLAlchemy wrapped (`.orig`), and its causes, each once."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]


def _kind_of(exc: BaseException) -> str | None:
    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if sqlstate in _SQLSTATE:
        return _SQLSTATE[sqlstate]
    if isinstance(exc, OSError) and exc.errno in _ERRNO:
        return _ERRNO[exc.errno]
    message = str(exc).lower()
    for phrase, kind in _PHRASES:
        if phrase in message:
            return kind
    return None


def classify(exc: BaseException) -> Fault:
    """The fault behind an exception: a database (or data directory) fault when it is one, else `unexpected`."""
    chain = list(_chain(exc))
    for current in chain:
        if (kind := _kind_of(current)) is not None:
            return fault(kind)
    for current in chain:
        # A dropped connection SQLAlchemy noticed, a pool that never got one, a psycopg connection error without a
        # server code (libpq's text may be localised): the server is not there.
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return fault(UNREACHABLE)
        if isinstance(current, PoolTimeout):
            return fault(UNREACHABLE)
        if type(current).__name__ == "OperationalError" and type(current).__module__.startswith("psycopg"):
            if getattr(current, "sqlstate", None) is None:
                return fault(UNREACHABLE)
    if any(isinstance(c, SQLAlchemyError) or type(c).__module__.split(".")[0] in {"psycopg", "sqlite3"} for c in chain):
        return fault(DATABASE)
    return fault(UNEXPECTED)


def ping(engine: Engine) -> Fault | None:
    """None when the database answers a trivial query now; else the fault (logged)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # every failure is a fault to report, never a crash of the caller
        found = classify(exc)
        log.warning("database ping failed (%s): %s", found.kind, exc)
        return found
    return None
