"""One voice for two languages: the wording catalogue is pure, and only it chooses between zh and en."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from ui.wording import COLUMNS, FORM, ORIGIN, STATUS, TEXT, VALUE_SOURCE, pick, status_label, t

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE_CODES = {"zh", "en"}
LANGUAGE_NAMES = {"lang", "lang_", "current", "language", "lg"}
# Modules that speak to a person (the rule), then the rest of the program: only indicators/language.py
# chooses between the two languages.
SPEAKING = sorted(
    [
        ROOT / "app.py",
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "charts").glob("*.py"),
        *(ROOT / "ui").glob("*.py"),
        *(ROOT / "reports").glob("*.py"),
    ]
)
REST = sorted(
    p
    for p in [
        ROOT / "cli.py",
        *(ROOT / "commands").glob("*.py"),
        *(ROOT / "indicators").glob("*.py"),
        *(ROOT / "data_loaders").glob("*.py"),
    ]
    if p != ROOT / "indicators" / "language.py"
)


def test_wording_imports_no_streamlit():
    """The CLI and the charts read the catalogue without a server."""
    code = "import sys, ui.wording; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def _names(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    return set()


def language_comparisons(source: str) -> list[int]:
    """Lines where a language is compared to a literal: `lang == "zh"`, `"en" != current`, `x in ("zh", …)`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        literals = [s.value for s in sides if isinstance(s, ast.Constant) and isinstance(s.value, str)]
        for s in sides:
            if isinstance(s, ast.Tuple | ast.List | ast.Set):
                literals += [e.value for e in s.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        names = set().union(*(_names(s) for s in sides))
        if LANGUAGE_CODES & set(literals) or (literals and names & LANGUAGE_NAMES):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    "source, found",
    [
        ('x = a if lang == "zh" else b', [1]),
        ('x = a if "en" != lang_ else b', [1]),
        ('x = current == "fr"', [1]),
        ('x = chosen in ("zh",)', [1]),
        ("x = pick(a, b, lang)", []),
        ('x = status == "met"', []),
    ],
)
def test_language_comparisons_are_found(source, found):
    assert language_comparisons(source) == found


@pytest.mark.parametrize("path", SPEAKING + REST, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_compares_the_language_to_a_literal(path):
    """Pages, charts and UI helpers ask the catalogue (`t`, `pick`, the label tables), never `lang == "zh"`; records
    answer `name(lang)` through indicators.language.in_lang."""
    assert language_comparisons(path.read_text(encoding="utf-8")) == []


def test_every_wording_has_both_languages():
    for table in (TEXT, COLUMNS, STATUS, ORIGIN, FORM, VALUE_SOURCE):
        for key, pair in table.items():
            assert len(pair) == 2 and all(isinstance(s, str) and s for s in pair), key


def test_pick_and_lookups_by_stored_strings():
    assert pick("是", "yes", "en") == "yes" and pick("是", "yes", "zh") == "是"
    assert status_label("pending_target", "en") == "Target pending"  # stored strings find the enum keys
    assert t("counts", "zh", met=1, on_track=2, behind=3, pending=4, no_data=5, reference=6, approximate=7)


def test_every_bilingual_refusal_shares_one_base():
    from charts.export import PngUnavailable
    from cli import UsageError
    from data_loaders.store import NotYearToDate, RollbackRefused
    from data_loaders.target_store import TargetRefused
    from data_loaders.workbook import UnreadableWorkbook
    from indicators.errors import BilingualError

    for cls in (UnreadableWorkbook, RollbackRefused, TargetRefused, UsageError):
        exc = cls("中文说明", "English reason")
        assert isinstance(exc, BilingualError)
        assert (exc.text("zh"), exc.text("en"), str(exc)) == ("中文说明", "English reason", "中文说明 / English reason")
        assert exc.both("\n") == "中文说明\nEnglish reason"
    assert PngUnavailable("no chromium").text("en") == TEXT["png_unavailable"][1]
    assert isinstance(NotYearToDate("not year-to-date values refused: Q2!C3"), ValueError | BilingualError)
