"""The indicator catalog: what each indicator code means and how it behaves."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from indicators.language import in_lang

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"

DIRECTIONS = ("higher_better", "lower_better")
KINDS = ("level", "count")
AGGREGATIONS = ("mean", "sum", "ratio", "none")
PACE_BASES = ("linear", "from_baseline", "seasonal")


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    unit: str
    direction: str
    kind: str
    aggregation: str
    min_value: float
    max_value: float
    decimals: int
    category: str
    definition_zh: str
    definition_en: str
    standard: str
    # Count columns that are this ratio's parts, as bulletins head them: 'Ⅰ~Ⅲ类断面数' over '断面总数'.
    numerator_labels: tuple[str, ...] = ()
    denominator_labels: tuple[str, ...] = ()
    # Words that mean the same thing for this indicator only: ('国考', '考核', '国控') where the assessed sections
    # are the national ones. Elsewhere 国考 and 省考 are different sets and must not be merged.
    coinciding_terms: tuple[tuple[str, ...], ...] = ()
    # How the value expected before year end is reckoned (DESIGN.md, Gap and pace): linear (counts completed through
    # the year), from_baseline (stock rates climbing from last year's level), seasonal (air and water quality).
    pace_basis: str = "seasonal"
    aggregation_source: str = ""  # how official statistics compute the parent's value, with the source

    @property
    def higher_better(self) -> bool:
        return self.direction == "higher_better"

    def name(self, lang: str = "zh") -> str:
        return in_lang(self.name_zh, self.name_en, lang)

    def published(self, value: float) -> float:
        """The value as it is published: rounded to the reporting precision by GB/T 8170 (四舍六入五成双, on the
        decimal value as written: 42.45 → 42.4 at one decimal, 42.5 → 42 at none). The stored value keeps every
        digit; status, margin, charts and exports use this one."""
        return round_published(value, self.decimals)

    def format_value(self, value: float | None) -> str:
        """The value as the bureaus write it: the indicator's decimals, no unit."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
        return f"{value:.{self.decimals}f}"


def round_published(value: float, decimals: int) -> float:
    """`value` rounded to `decimals` by GB/T 8170 (四舍六入五成双) on its decimal value as written."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_EVEN))


def normalize_label(text: str) -> str:
    """Fold a header or name for matching: full-width to half-width, no spaces, lower case."""
    out = []
    for ch in str(text):
        code = ord(ch)
        if code == 0x3000:
            continue
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        if ch.isspace():
            continue
        out.append(ch)
    return "".join(out).lower()


class Catalog:
    """All indicators, looked up by code or by any header alias."""

    def __init__(self, indicators: list[Indicator]):
        self.by_code: dict[str, Indicator] = {i.code: i for i in indicators}
        self._by_label: dict[str, str] = {}
        for ind in indicators:
            for label in (ind.code, ind.name_zh, ind.name_en, *ind.aliases):
                self._by_label.setdefault(normalize_label(label), ind.code)

    def __iter__(self):
        return iter(self.by_code.values())

    def __len__(self) -> int:
        return len(self.by_code)

    def __getitem__(self, code: str) -> Indicator:
        return self.by_code[code]

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def resolve(self, label: str) -> str | None:
        """The indicator code for a header or name as written in a workbook, or None."""
        return self._by_label.get(normalize_label(label))


def _labels(cell: str | None) -> tuple[str, ...]:
    return tuple(a for a in (cell or "").split("|") if a)


def load_catalog(path: Path | None = None) -> Catalog:
    """Read the catalog CSV shipped in sample_data/."""
    path = path or SAMPLE_DATA / "indicators.csv"
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    indicators = []
    for r in rows:
        ind = Indicator(
            code=r["code"],
            name_zh=r["name_zh"],
            name_en=r["name_en"],
            aliases=_labels(r["aliases"]),
            unit=r["unit"],
            direction=r["direction"],
            kind=r["kind"],
            aggregation=r["aggregation"],
            min_value=float(r["min_value"]),
            max_value=float(r["max_value"]),
            decimals=int(r["decimals"]),
            category=r["category"],
            definition_zh=r["definition_zh"],
            definition_en=r["definition_en"],
            standard=r["standard"],
            numerator_labels=_labels(r.get("numerator_labels")),
            denominator_labels=_labels(r.get("denominator_labels")),
            coinciding_terms=tuple(tuple(w for w in g.split("=") if w) for g in _labels(r.get("coinciding_terms"))),
            pace_basis=r.get("pace_basis") or ("linear" if r["kind"] == "count" else "seasonal"),
            aggregation_source=r.get("aggregation_source") or "",
        )
        if (
            ind.direction not in DIRECTIONS
            or ind.kind not in KINDS
            or ind.aggregation not in AGGREGATIONS
            or ind.pace_basis not in PACE_BASES
        ):
            raise ValueError(f"bad catalog row for {ind.code}")
        indicators.append(ind)
    return Catalog(indicators)
