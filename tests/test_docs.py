"""The README stays true: every setting and every CLI command is documented."""

from __future__ import annotations

from pathlib import Path

import cli
from data_loaders.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in README]
    assert not missing, f"settings missing from README: {missing}"


def test_every_cli_command_is_in_the_readme():
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    missing = [c for c in commands if f"python cli.py {c}" not in README]
    assert not missing, f"CLI commands missing from README: {missing}"


def test_upload_limit_matches_streamlit_config():
    config = (Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    default_mb = next(s.default for s in SETTINGS if s.name == "ENV_DASHBOARD_MAX_UPLOAD_MB")
    assert f"maxUploadSize = {default_mb}" in config


def _dev_run(work: Path, **env: str) -> str:
    """What `bash dev.sh run` says before it starts the server, in a copy of the scripts whose venv is ready (the
    requirements' stamp in place) and whose streamlit only echoes."""
    import os
    import shutil
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    work.mkdir(exist_ok=True)
    for name in ("dev.sh", "requirements.txt", "requirements-dev.txt"):
        shutil.copy(repo / name, work / name)
    venv = work / ".venv"
    (venv / "bin").mkdir(parents=True, exist_ok=True)
    if not (venv / "bin" / "python").exists():
        (venv / "bin" / "python").symlink_to(sys.executable)
    (venv / "bin" / "streamlit").write_text('#!/bin/sh\necho streamlit "$@"\n')
    (venv / "bin" / "streamlit").chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ENV_DASHBOARD_DATA_DIR")}
    stamp = subprocess.run(  # as dev.sh computes it, in the same shell and locale
        ["bash", "-c", "cat requirements*.txt | sha256sum | cut -c1-16"],
        cwd=work,
        env=clean,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (venv / f".installed-{stamp}-requirements.txt").touch()
    done = subprocess.run(
        ["bash", "dev.sh", "run"], cwd=work, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "streamlit run app.py" in done.stdout, done.stderr
    return done.stderr


def test_dev_run_says_how_to_sign_in_on_a_fresh_install_only(tmp_path):
    data = tmp_path / "data"
    said = _dev_run(tmp_path / "clone", ENV_DASHBOARD_DATA_DIR=str(data))
    assert "sign in as admin" in said and "登录" in said and f"{data}/initial_admin_password" in said
    data.mkdir()
    (data / "dashboard.db").touch()  # an install that has started before and whose admin has a password of its own
    assert "sign in" not in _dev_run(tmp_path / "clone", ENV_DASHBOARD_DATA_DIR=str(data))
    (data / "initial_admin_password").write_text("x\n")  # the one-time password not yet changed
    assert "sign in as admin" in _dev_run(tmp_path / "clone", ENV_DASHBOARD_DATA_DIR=str(data))
