"""The seed documents (../shared/seeds/) that sample_data/ quotes, for the sample-data tests: which file is which,
their text without whitespace, and the sample CSVs as rows."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from indicators.catalog import SAMPLE_DATA

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # = the repository's parent / "shared" / "seeds"

# The seed documents: plan year and issuing region. 003 holds actuals, the others targets.
PLAN_FILES = {
    "000_db2cb1991d068b04.txt": (2024, "420000"),  # 湖北省生态环境厅 2024年全省生态环境工作要点
    "001_686ff3aa1e7726dc.txt": (2024, "420100"),  # 武汉市生态环境局 2024年工作安排
    "002_e0f97597f939ebae.txt": (2020, "420000"),  # 湖北省生态环境厅 2020年全省生态环境工作要点
    "004_2e4457c838a86613.txt": (2020, "430000"),  # 湖南省2020年生态环境保护工作要点
}
ACTUALS_FILE = "003_1448b639da31bb50.txt"  # 潜江市生态环境局2024年工作总结


def squash(text: str) -> str:
    """Drop every whitespace character: the seed files wrap lines and pad numbers with spaces."""
    return re.sub(r"\s+", "", text)


def read_csv(name: str) -> tuple[list[str], list[dict]]:
    with open(SAMPLE_DATA / name, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def read_seed_texts() -> dict[str, str]:
    """Every seed document, squashed, by file name. Fails, never skips: without the seeds the clauses cannot be
    checked."""
    assert SEEDS.is_dir(), f"seed documents not found at {SEEDS} (shared/ must sit beside the repository)"
    texts = {f.name: squash(f.read_text(encoding="utf-8")) for f in sorted(SEEDS.glob("*.txt"))}
    missing = (set(PLAN_FILES) | {ACTUALS_FILE}) - set(texts)
    assert not missing, f"seed documents missing from {SEEDS}: {sorted(missing)}"
    return texts
