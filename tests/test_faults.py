"""The fault classifier on real errors from real backends, and the CLI's one line for them.

Tests run as root, and root writes through chmod 0444 files and 0555 directories. Read-only is therefore made with
SQLite's `?mode=ro` URI and with the ext4 immutable flag (`chattr +i`), which stops root too.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import cli
from data_loaders import store
from data_loaders.db import make_engine
from data_loaders.faults import (
    BUSY,
    CANNOT_OPEN,
    DISK_FULL,
    READ_ONLY,
    UNEXPECTED,
    UNREACHABLE,
    classify,
    ping,
)
from data_loaders.settings import database_url
from tests.conftest import PG_URL

REPO = Path(__file__).resolve().parent.parent


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raised(fn) -> BaseException:
    try:
        fn()
    except BaseException as exc:  # the error itself is what the test looks at
        return exc
    raise AssertionError("expected an error")


def query(url: str, sql: str = "select 1"):
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


@contextmanager
def immutable(path: Path):
    """`chattr +i` for the duration: not even root may change the file or create files in the directory."""
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"chattr +i {path} failed (needs ext4 or similar and root): {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.fixture
def sample_db(tmp_path) -> Path:
    path = tmp_path / "data" / "dashboard.db"
    path.parent.mkdir()
    assert cli.main(["init", "--db", f"sqlite:///{path}"]) == 0
    return path


# --- PostgreSQL: unreachable ---


def test_refused_connection_is_unreachable():
    exc = raised(lambda: query(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/x"))
    found = classify(exc)
    assert found.kind == UNREACHABLE and found.is_database
    assert found.zh.startswith("数据库暂时无法连接：请稍后重试，或联系管理员检查数据库服务（DATABASE_URL）")
    assert "cannot be reached" in found.en


def test_connect_timeout_is_unreachable():
    # 10.255.255.1 is not routed here: libpq either times out after a second or is told the network is unreachable.
    exc = raised(lambda: query("postgresql+psycopg://postgres@10.255.255.1:5432/x?connect_timeout=1"))
    assert classify(exc).kind == UNREACHABLE


def test_ping_reports_instead_of_raising():
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/x")
    assert ping(engine).kind == UNREACHABLE
    engine.dispose()


@pytest.mark.postgres
def test_admin_shutdown_of_a_connection_is_unreachable():
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL not set")
    engine = make_engine(PG_URL)
    try:
        with engine.connect() as victim:
            pid = victim.execute(text("select pg_backend_pid()")).scalar()
            with engine.connect() as admin:
                admin.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid})
                admin.commit()
            exc = raised(lambda: victim.execute(text("select 1")))
        assert "terminating connection due to administrator command" in str(exc) or "57P01" in repr(
            getattr(getattr(exc, "orig", None), "sqlstate", "")
        )
        assert classify(exc).kind == UNREACHABLE
        assert ping(engine) is None  # the pool recovers by itself
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_read_only_transaction_is_read_only():
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL not set")
    exc = raised(lambda: query(PG_URL, "set transaction read only; create table faults_probe (a int)"))
    assert exc.orig.sqlstate == "25006"
    assert classify(exc).kind == READ_ONLY


# --- SQLite and the data directory ---


def test_missing_directory_cannot_be_opened(tmp_path):
    exc = raised(lambda: query(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'x.db'}"))
    assert "unable to open database file" in str(exc)
    found = classify(exc)
    assert found.kind == CANNOT_OPEN and "ENV_DASHBOARD_DATA_DIR" in found.zh


def test_data_directory_that_is_a_file_cannot_be_opened(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ENV_DASHBOARD_DATA_DIR", str(tmp_path / "file" / "data"))
    exc = raised(database_url)
    assert isinstance(exc, NotADirectoryError | FileExistsError)
    assert classify(exc).kind == CANNOT_OPEN


def test_read_only_uri_write_is_read_only(sample_db):
    url = f"sqlite:///file:{sample_db}?mode=ro&uri=true"
    exc = raised(lambda: store.add_targets(make_engine(url), [_a_target()]))
    assert "attempt to write a readonly database" in str(exc)
    assert classify(exc).kind == READ_ONLY


def test_immutable_file_write_is_read_only(sample_db):
    with immutable(sample_db):
        exc = raised(lambda: store.add_targets(make_engine(f"sqlite:///{sample_db}"), [_a_target()]))
    assert "readonly database" in str(exc)
    assert classify(exc).kind == READ_ONLY


def test_immutable_directory_write_cannot_open_the_journal(sample_db):
    # SQLite writes its rollback journal beside the file: in a directory nobody may write to, that open fails.
    with immutable(sample_db.parent):
        exc = raised(lambda: store.add_targets(make_engine(f"sqlite:///{sample_db}"), [_a_target()]))
    assert "unable to open database file" in str(exc)
    assert classify(exc).kind == CANNOT_OPEN


def test_permission_denied_creating_the_data_directory(tmp_path, monkeypatch):
    with immutable(tmp_path):
        monkeypatch.delenv("DATABASE_URL", raising=False)
        monkeypatch.setenv("ENV_DASHBOARD_DATA_DIR", str(tmp_path / "data"))
        exc = raised(database_url)
    assert isinstance(exc, PermissionError)
    assert classify(exc).kind == READ_ONLY


def test_full_database_is_disk_full(tmp_path):
    path = tmp_path / "full.db"
    conn = sqlite3.connect(path)
    conn.execute("create table t (a text)")
    conn.commit()
    conn.close()
    engine = make_engine(f"sqlite:///{path}")

    def fill():
        with engine.begin() as c:
            # SQLite's own limit on the file's size: the same SQLITE_FULL it returns when the disk is full.
            c.exec_driver_sql("pragma max_page_count = 4")
            for _ in range(100):
                c.exec_driver_sql("insert into t values (?)", (os.urandom(2000).hex(),))

    exc = raised(fill)
    engine.dispose()
    assert "database or disk is full" in str(exc)
    assert classify(exc).kind == DISK_FULL


def test_no_space_left_on_device_is_disk_full():
    def write():
        with open("/dev/full", "wb") as f:
            f.write(b"x" * 10)
            f.flush()

    exc = raised(write)
    assert isinstance(exc, OSError)
    assert classify(exc).kind == DISK_FULL


def test_locked_database_is_busy(tmp_path):
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path)
    holder.execute("create table t (a int)")
    holder.commit()
    holder.execute("begin exclusive")
    try:
        engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})  # no 30 s wait for the lock

        def insert():
            with engine.begin() as conn:
                conn.execute(text("insert into t values (1)"))

        exc = raised(insert)
        engine.dispose()
    finally:
        holder.rollback()
        holder.close()
    assert "database is locked" in str(exc)
    assert classify(exc).kind == BUSY


def test_a_defect_is_unexpected_not_a_database_fault():
    found = classify(raised(lambda: {}["missing"]))
    assert found.kind == UNEXPECTED and not found.is_database
    assert "服务器日志" in found.zh and "server log" in found.en


def _a_target():
    from indicators.targets import Target

    return Target("pm25", "420100", 2031, "<=", 30.0, issuer_code="420100", source_clause="fault test")


# --- the CLI: exit 2, one line in both languages, never a traceback ---


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "cli.py", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_cli_unreachable_database_exits_2_with_one_line():
    line = one_line(run_cli("gaps", "--year", "2024", "--db", f"postgresql://postgres@127.0.0.1:{closed_port()}/x"))
    assert line.startswith("数据库暂时无法连接") and "The database cannot be reached" in line


def test_cli_read_only_database_exits_2_with_one_line(sample_db):
    line = one_line(run_cli("targets", "--retire", "1", "--db", f"sqlite:///file:{sample_db}?mode=ro&uri=true"))
    assert line.startswith("数据库为只读或没有权限") and "read-only" in line


def test_cli_unusable_data_directory_exits_2_with_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    env = {"DATABASE_URL": "", "ENV_DASHBOARD_DATA_DIR": str(tmp_path / "file" / "data")}
    line = one_line(run_cli("batches", env=env))
    assert line.startswith("无法打开数据库文件") and "ENV_DASHBOARD_DATA_DIR" in line


def test_cli_unexpected_exception_exits_2_with_one_line(monkeypatch, capsys):
    def broken(_args):
        raise RuntimeError("a defect")

    monkeypatch.setattr(cli, "cmd_batches", broken)
    assert cli.main(["batches"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("系统出现意外错误") and "Something unexpected went wrong" in err


def test_cli_usage_error_still_its_own_message(capsys):
    assert cli.main(["gaps", "--year", "2024", "--indicator", "nonsense"]) == 2
    assert "未知指标 / unknown indicator: nonsense" in capsys.readouterr().err
