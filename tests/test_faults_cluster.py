"""A throwaway PostgreSQL cluster, stopped under the running app and started again: the page says so (cached charts
say how old they are), then recovers without restarting the app.

The cluster is this test's own (initdb into a temporary directory, a free port), never the machine's cluster at
5432. PostgreSQL refuses to run as root, so its binaries run as `postgres` via runuser. If the cluster cannot be
made, the test fails with the reason: it is never skipped.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.test_faults_app import app_on, errors, shows

PG_BIN = Path("/usr/lib/postgresql/15/bin")
REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(
            ["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True, timeout=timeout
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.fail(f"throwaway PostgreSQL: {' '.join(args)} could not run: {exc}")
    if done.returncode != 0:
        pytest.fail(f"throwaway PostgreSQL: {' '.join(args)} failed ({done.returncode}): {done.stderr or done.stdout}")
    return done


class Cluster:
    def __init__(self, root: Path, port: int) -> None:
        self.data, self.port = root / "data", port
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/dashboard"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 -c fsync=off"
        _as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.data.parent / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        done = subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True,
        )
        return done.returncode == 0


@pytest.fixture
def cluster():
    for binary in ("initdb", "pg_ctl"):
        if not (PG_BIN / binary).exists():
            pytest.fail(f"throwaway PostgreSQL: {PG_BIN / binary} is missing (apt-get install postgresql-15)")
    # Not tmp_path: pytest makes its base directory 0700 for root, and the postgres user must reach its files.
    root = Path(tempfile.mkdtemp(prefix="faults-pg-"))
    shutil.chown(root, "postgres", "postgres")
    cl = Cluster(root, _free_port())
    try:
        _as_postgres(
            str(PG_BIN / "initdb"), "-D", str(cl.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"
        )
        cl.start()
        _as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(cl.port), "-U", "postgres", "dashboard")
        yield cl
    finally:
        if cl.running():
            cl.stop()
        shutil.rmtree(root, ignore_errors=True)


def gaps_chart_shown(at) -> bool:
    return len(at.get("plotly_chart")) > 0


def test_database_stopped_and_started_under_the_running_app(cluster, monkeypatch):
    init = subprocess.run(
        [sys.executable, "cli.py", "init", "--sample", "--db", cluster.url], cwd=REPO, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr

    at = app_on(cluster.url, monkeypatch)
    at.run()
    assert not at.exception and not errors(at), (at.exception, errors(at))
    assert gaps_chart_shown(at)
    assert not [c for c in at.caption if "数据截至" in c.value]

    cluster.stop()

    # Within the cache's ttl: the chart comes from the cache and says how old it is.
    at.run()
    assert not at.exception, at.exception
    assert gaps_chart_shown(at)
    stale = [c.value for c in at.caption if "数据截至" in c.value]
    assert stale and "（数据库暂时无法连接）" in stale[0] and "(database unreachable)" in stale[0], stale

    # After the ttl (the cache emptied): the fresh read fails, the last good result is shown with its time.
    import streamlit as st

    st.cache_data.clear()
    at.run()
    assert not at.exception, at.exception
    assert gaps_chart_shown(at)
    assert [c.value for c in at.caption if "数据截至" in c.value]

    # A read that was never cached (another indicator), and a page that reads without the cache: the app's message.
    at.selectbox(key="w_gaps_indicator").set_value("pm25").run()
    assert not at.exception, at.exception
    assert shows(at, "unreachable"), errors(at)
    at.switch_page("pages/briefing.py").run()
    assert not at.exception, at.exception
    assert shows(at, "unreachable"), errors(at)

    cluster.start()

    # Same app, same cached engine: the next run reads again, no message and no "data as of".
    at.run()
    assert not at.exception, at.exception
    assert not errors(at), errors(at)
    assert at.dataframe, "the upload history is back"
    at.switch_page("pages/gaps.py").run()
    assert not at.exception and not errors(at), errors(at)
    assert gaps_chart_shown(at)
    assert not [c for c in at.caption if "数据截至" in c.value]


def test_a_signed_in_reader_keeps_the_cached_charts_while_the_database_is_down(cluster, monkeypatch):
    """The account is re-read every run; while the database is down the one read last stands (the session is not
    signed out), so a signed-in analyst sees the cached chart with its "data as of", like an anonymous reader."""
    from data_loaders import accounts
    from data_loaders.db import make_engine
    from tests.conftest import PASSWORD
    from ui.auth import SIGNED_IN

    init = subprocess.run(
        [sys.executable, "cli.py", "init", "--sample", "--db", cluster.url], cwd=REPO, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    engine = make_engine(cluster.url)
    accounts.add_account(engine, "analyst", "analyst", ("420000",), password=PASSWORD, by="test")
    engine.dispose()

    at = app_on(cluster.url, monkeypatch)
    at.session_state[SIGNED_IN] = "analyst"
    at.run()
    assert not at.exception and not errors(at), (at.exception, errors(at))
    assert any("已登录：analyst" in c.value for c in at.sidebar.caption)

    cluster.stop()
    at.run()
    assert not at.exception, at.exception
    assert gaps_chart_shown(at), errors(at)
    assert [c.value for c in at.caption if "数据截至" in c.value]
    assert any("已登录：analyst" in c.value for c in at.sidebar.caption)  # still signed in

    cluster.start()
    at.run()
    assert not at.exception and not errors(at), errors(at)
    assert at.session_state[SIGNED_IN] == "analyst"
