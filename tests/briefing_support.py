"""What the briefing tests share: the sample database, the Hubei briefing's title and units, and reading a .docx."""

from __future__ import annotations

from pathlib import Path

import cli

HUBEI_UNITS = 17
TITLE = "关于2024年全年湖北省各市州生态环境目标完成情况的通报"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def sample_database(tmp_path_factory) -> str:
    """A SQLite database with the sample data (cli.py init --sample), once per test module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('briefing') / 'sample.db'}"
    assert cli.main(["init", "--db", url, "--sample"]) == 0
    return url


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]
