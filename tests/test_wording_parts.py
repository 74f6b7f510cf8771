"""The wording catalogue is one table joined from its parts (interface, briefing, drafting), no key in two of
them; reports/ keeps no zh/en pairs of its own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ui.wording import TEXT, t
from ui.wording_briefing import BRIEFING_TEXT
from ui.wording_drafting import DRAFTING_TEXT
from ui.wording_text import TEXT as INTERFACE_TEXT

ROOT = Path(__file__).resolve().parents[1]
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_the_briefing_sentences_join_the_catalogue_without_clashing():
    parts = (INTERFACE_TEXT, BRIEFING_TEXT, DRAFTING_TEXT)
    assert sum(len(p) for p in parts) == len(set().union(*parts))  # no key in two parts
    assert TEXT == INTERFACE_TEXT | BRIEFING_TEXT | DRAFTING_TEXT
    assert all(key.startswith("report_") for key in BRIEFING_TEXT)
    assert t("report_issuer_province", "en", name="Hubei") == "Hubei Department of Ecology and Environment"


def wording_pairs(source: str) -> list[int]:
    """Lines of a (Chinese, other) pair of string literals: a private wording entry."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2:
            values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(values) == 2 and HAN.search(values[0]) and not HAN.search(values[1]):
                lines.append(node.lineno)
    return lines


def test_reports_keep_no_wording_of_their_own():
    assert wording_pairs('X = {"a": ("通报", "Briefing")}') == [1]
    found = {p.name: wording_pairs(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "reports").glob("*.py"))}
    assert {name: lines for name, lines in found.items() if lines} == {}
