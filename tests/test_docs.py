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
