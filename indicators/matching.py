"""Matching a table header or an indicator name to the catalog by meaning, not by exact spelling.

Pipeline: fold look-alike characters → read and strip the unit and bracketed qualifiers → join a merged two-row
header (parent over child) → rewrite real-world synonyms into one canonical spelling → keep only the indicators
whose unit fits and whose distinguishing words (PM10, 省考, 劣Ⅴ类, 耕地 …) agree → score with rapidfuzz against
every alias and every numerator/denominator label → a match only when it clears a bar and no other indicator is
close behind; otherwise "unknown" or "ambiguous" with the three closest codes. Never a guess.

The spelling steps are in indicators/header_spelling.py; `fold` is importable from here too.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from indicators.catalog import Catalog
from indicators.header_spelling import (
    CLASS_OF_UNIT,
    IGNORED_HEADER,
    canonical,
    fits,
    fold,
    implied_class,
    join_header,
    key_terms,
    split_unit,
    unit_of,
)

__all__ = ["BAR", "MARGIN", "HeaderMatch", "fold", "match_header", "match_name"]

BAR = 85.0  # below this no header is mapped
MARGIN = 6.0  # a runner-up from another indicator this close makes the header ambiguous

VALUE, NUMERATOR, DENOMINATOR = "value", "numerator", "denominator"
IGNORE, UNKNOWN, AMBIGUOUS = "ignore", "unknown", "ambiguous"


@dataclass(frozen=True)
class HeaderMatch:
    code: str | None  # catalog indicator code when matched (for part value/numerator/denominator)
    part: str  # "value" | "numerator" | "denominator" | "ignore" | "unknown" | "ambiguous"
    score: float  # 0–100, the winning score (0 for ignore)
    unit: str  # unit read from the header, normalised ("%", "μg/m³", "个", "" …)
    candidates: tuple[tuple[str, float], ...]  # up to three closest indicator codes with scores, best first


# ---- the index over one catalog ------------------------------------------------------------------------------------


class _Entry(NamedTuple):
    order: int  # catalog position, for "first ratio in catalog order"
    code: str
    part: str
    text: str  # canonical spelling
    keys: frozenset[str]
    unit_class: str


@dataclass
class _Index:
    entries: list[_Entry]
    coinciding: dict[str, list[tuple[str, str]]]  # code → (word, representative), longest words first
    cache: dict[tuple[str, str], HeaderMatch]


def _canon(text: str) -> tuple[str, str]:
    body, unit = split_unit(fold(text))
    return canonical(body), unit


def _build(catalog: Catalog) -> _Index:
    entries: list[_Entry] = []
    coinciding: dict[str, list[tuple[str, str]]] = {}
    for order, ind in enumerate(catalog):
        pairs = [(fold(w), fold(group[0])) for group in ind.coinciding_terms for w in group]
        coinciding[ind.code] = sorted(pairs, key=lambda p: -len(p[0]))
        ind_class = CLASS_OF_UNIT.get(unit_of(fold(ind.unit)) or "", "other")
        labelled = [(VALUE, a) for a in (ind.name_zh, *ind.aliases)]
        labelled += [(NUMERATOR, a) for a in ind.numerator_labels]
        labelled += [(DENOMINATOR, a) for a in ind.denominator_labels]
        seen = set()
        for part, label in labelled:
            text = _apply(coinciding[ind.code], _canon(label)[0])
            if text and (part, text) not in seen:
                seen.add((part, text))
                unit_class = ind_class if part == VALUE else "count"
                entries.append(_Entry(order, ind.code, part, text, key_terms(text), unit_class))
    return _Index(entries, coinciding, {})


def _apply(pairs: list[tuple[str, str]], text: str) -> str:
    for word, rep in pairs:
        if word != rep:
            text = text.replace(word, rep)
    return text


_INDEXES: weakref.WeakKeyDictionary[Catalog, _Index] = weakref.WeakKeyDictionary()


def _index(catalog: Catalog) -> _Index:
    idx = _INDEXES.get(catalog)
    if idx is None:
        idx = _INDEXES[catalog] = _build(catalog)
    return idx


# ---- matching ------------------------------------------------------------------------------------------------------


def _closest(scores: dict[str, float]) -> tuple[tuple[str, float], ...]:
    best = sorted(((c, s) for c, s in scores.items() if s > 0), key=lambda kv: -kv[1])[:3]
    return tuple((code, round(score, 1)) for code, score in best)


def _match(idx: _Index, label: str, parent: str) -> HeaderMatch:
    child_folded, parent_folded = fold(label), fold(parent)
    if IGNORED_HEADER.search(child_folded) or IGNORED_HEADER.search(parent_folded):
        return HeaderMatch(None, IGNORE, 0.0, split_unit(child_folded)[1] or split_unit(parent_folded)[1], ())
    child_body, child_unit = split_unit(child_folded)
    parent_body, parent_unit = split_unit(parent_folded)
    unit = child_unit or parent_unit
    text = join_header(canonical(parent_body), canonical(child_body))
    implied = implied_class(text)
    header_class = CLASS_OF_UNIT.get(unit, "other") if unit else implied
    if unit and not fits(implied, header_class):
        header_class = "contradictory"  # '优良天数比例(天)': the words and the unit disagree, so nothing fits

    raw: dict[str, float] = {}  # closest per code, whatever the gates say: what a person would pick from
    passed: list[tuple[float, _Entry]] = []
    for e in idx.entries:
        t = _apply(idx.coinciding[e.code], text)
        score = fuzz.ratio(t, e.text)
        if score > raw.get(e.code, -1):
            raw[e.code] = score
        if key_terms(t) == e.keys and fits(header_class, e.unit_class):
            passed.append((score, e))
    candidates = _closest(raw)
    if not text:
        return HeaderMatch(None, UNKNOWN, 0.0, unit, candidates)

    above = [(s, e) for s, e in passed if s >= BAR]
    if not above:
        return HeaderMatch(None, UNKNOWN, max((s for s, _ in passed), default=0.0), unit, candidates)
    best_score = max(s for s, _ in above)
    close = [(s, e) for s, e in above if s >= best_score - MARGIN]
    if any(e.part == VALUE for _, e in close):
        # An indicator's own name beats being another indicator's numerator (重污染天数 is heavy_pollution_days).
        close = [(s, e) for s, e in close if e.part == VALUE]
    close.sort(key=lambda se: (-se[0], se[1].order))
    top_score, top = close[0]
    rivals = {e.code for _, e in close if e.code != top.code}
    if not rivals:
        return HeaderMatch(top.code, top.part, round(top_score, 1), unit, _with_first(candidates, top.code, top_score))
    shared = all(e.part == top.part and e.text == top.text for _, e in close) and top.part != VALUE
    if shared:
        # One count column that is the denominator (or numerator) of several ratios: 断面总数 for both water ratios.
        first = min((e for _, e in close), key=lambda e: e.order)
        others = sorted(
            {e.code for _, e in close} - {first.code}, key=lambda c: min(e.order for _, e in close if e.code == c)
        )
        cands = ((first.code, round(top_score, 1)), *((c, round(top_score, 1)) for c in others))
        return HeaderMatch(first.code, first.part, round(top_score, 1), unit, cands[:3])
    ranked: dict[str, float] = {}
    for s, e in close:
        ranked.setdefault(e.code, s)
    return HeaderMatch(None, AMBIGUOUS, round(top_score, 1), unit, _closest({**raw, **ranked}))


def _with_first(candidates: tuple[tuple[str, float], ...], code: str, score: float) -> tuple[tuple[str, float], ...]:
    rest = tuple((c, s) for c, s in candidates if c != code)
    return ((code, round(score, 1)), *rest)[:3]


def match_header(label: str, catalog: Catalog, parent: str = "") -> HeaderMatch:
    """What a column header means in the catalog; `parent` is the upper cell of a merged two-row header.

    part is "value" (the indicator itself), "numerator" / "denominator" (a count behind the ratio `code`),
    "ignore" (rank, 同比, 首要污染物 … columns), or "unknown" / "ambiguous" with the closest codes in candidates.
    A unit in the header must fit the indicator: a μg/m³ column never maps to a % indicator.
    A count shared by several ratios (断面总数 is the denominator of water_good_ratio and water_below_v_ratio) comes
    back as that part of the first such ratio in catalog order, the others in candidates after it: the caller pairs
    it with the ratio column present in the same sheet.
    When an indicator's own alias and another ratio's numerator both fit, the indicator's own alias wins.
    Memoised per (label, parent) for each catalog.
    """
    idx = _index(catalog)
    key = ("" if label is None else str(label), "" if parent is None else str(parent))
    hit = idx.cache.get(key)
    if hit is None:
        hit = idx.cache[key] = _match(idx, *key)
    return hit


def match_name(text: str, catalog: Catalog) -> HeaderMatch:
    """What an indicator name written in a long-format 指标 cell means: the same matching, with no parent."""
    return match_header(text, catalog)
