"""The drafts CSV a person reviews: one row per DraftTarget, the confirm column left blank."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import cn2an
import pandas as pd

from indicators.drafting import DraftTarget
from indicators.target_checks import parse_value
from indicators.targets import Target

DRAFT_COLUMNS = [
    "indicator_code",
    "indicator_text",
    "region_code",
    "year",
    "comparator",
    "value",
    "unit",
    "form",
    "baseline_year",
    "stretch",
    "source_clause",
    "confirm",
    "clause_start",
    "clause_end",
    "issuer",
    "source_file",
    "tolerance",
]
CONFIRM_YES = frozenset({"yes", "y", "1", "是", "true"})


def drafts_frame(drafts: list[DraftTarget], source_file: str = "") -> pd.DataFrame:
    """The drafts CSV a person reviews: DESIGN.md columns, confirm left blank (yes / 是 / y / 1 to accept)."""
    rows = [
        {
            "indicator_code": d.indicator_code or "",
            "indicator_text": d.indicator_text,
            "region_code": d.region_code or "",
            "year": d.year,
            "comparator": d.comparator,
            "value": d.value,
            "unit": d.unit,
            "form": d.form,
            "baseline_year": d.baseline_year,
            "stretch": "力争" if d.stretch else "",
            "source_clause": d.source_clause,
            "confirm": "",
            "clause_start": d.clause_start,
            "clause_end": d.clause_end,
            "issuer": d.issuer or "",
            "source_file": source_file,
            "tolerance": d.tolerance,
        }
        for d in drafts
    ]
    frame = pd.DataFrame(rows, columns=DRAFT_COLUMNS)
    for col in ("year", "baseline_year", "clause_start", "clause_end"):
        frame[col] = frame[col].astype("Int64")
    return frame


_ARABIC = re.compile(r"(?<![A-Za-z\d.])\d+(?:\.\d+)?")  # not the 2.5 of "PM2.5"
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万点]+")


def number_span(clause: str, value: float | None) -> tuple[int, int] | None:
    """Where the draft's figure stands in its clause (first match), for highlighting; None when it is not written
    there as a number (a pending or "无劣Ⅴ类" target, a figure the clause spells another way)."""
    if value is None:
        return None
    wanted = abs(value)
    for m in _ARABIC.finditer(clause):
        if math.isclose(float(m.group()), wanted, rel_tol=0, abs_tol=1e-9):
            return m.start(), m.end()
    for m in _CHINESE.finditer(clause):
        try:
            read = float(cn2an.cn2an(m.group(), "normal"))
        except (ValueError, KeyError):
            continue
        if math.isclose(read, wanted, rel_tol=0, abs_tol=1e-9):
            return m.start(), m.end()
    return None


def mark_number(clause: str, value: float | None, left: str = "【", right: str = "】") -> str:
    """The clause with its figure between `left` and `right` (plain text, as a table cell shows it)."""
    span = number_span(clause, value)
    if span is None:
        return clause
    start, end = span
    return f"{clause[:start]}{left}{clause[start:end]}{right}{clause[end:]}"


def _text(row: Mapping[str, object], key: str) -> str:
    value = row.get(key)
    value = "" if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA else str(value)
    value = value.strip()
    # the CSV writer escapes a leading = + - @ with an apostrophe so Excel does not run it: undo that
    return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@") else value


def draft_row_target(row: Mapping[str, object], issuer: str | None, source_file: str) -> Target:
    """A confirmed draft row (drafts CSV or the drafting page) as a Target: the plan's region issued it unless the
    row says otherwise. Raises ValueError when the value is not a number."""

    def integer(key: str) -> int | None:
        return int(float(_text(row, key))) if _text(row, key) else None

    form = _text(row, "form") or "absolute"
    relative_unit = {"%": "%", "百分点": "pp"}.get(_text(row, "unit"), "abs") if form == "relative" else None
    tolerance = parse_value(_text(row, "tolerance")) if _text(row, "tolerance") else None
    stretch = _text(row, "stretch")
    return Target(
        indicator_code=_text(row, "indicator_code"),
        region_code=_text(row, "region_code"),
        year=integer("year"),
        comparator=_text(row, "comparator"),
        value=parse_value(_text(row, "value")),
        form=form,
        baseline_year=integer("baseline_year") if form == "relative" else None,
        relative_unit=relative_unit,
        issuer_code=_text(row, "issuer_code") or _text(row, "region_code"),
        issuer_name=issuer or _text(row, "issuer"),
        source_file=_text(row, "source_file") or source_file,
        source_clause=_text(row, "source_clause"),
        note="力争" if stretch and stretch.lower() not in ("false", "0", "no") else "",
        tolerance=tolerance,
    )
