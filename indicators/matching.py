"""Matching a table header or an indicator name to the catalog by meaning, not by exact spelling.

Pipeline: fold look-alike characters → read and strip the unit and bracketed qualifiers → join a merged two-row
header (parent over child) → rewrite real-world synonyms into one canonical spelling → keep only the indicators
whose unit fits and whose distinguishing words (PM10, 省考, 劣Ⅴ类, 耕地 …) agree → score with rapidfuzz against
every alias and every numerator/denominator label → a match only when it clears a bar and no other indicator is
close behind; otherwise "unknown" or "ambiguous" with the three closest codes. Never a guess.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from indicators.catalog import Catalog

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


# ---- folding -------------------------------------------------------------------------------------------------------

_CHAR_MAP = str.maketrans(
    {
        "µ": "μ",  # micro sign → Greek mu
        "³": "3",
        "²": "2",
        "₂": "2",
        "₃": "3",
        "₅": "5",
        "₁": "1",
        "₀": "0",
        "〜": "~",
        "～": "~",
        "－": "~",
        "—": "~",
        "–": "~",
        "―": "~",
        "−": "~",
        "-": "~",
        "至": "~",
        "（": "(",
        "）": ")",
        "〔": "(",
        "〕": ")",
        "【": "(",
        "】": ")",
        "[": "(",
        "]": ")",
        "^": "",  # 'μg/m^3' as newspapers set it
        "「": "",
        "」": "",
        "Ⅰ": "1",
        "Ⅱ": "2",
        "Ⅲ": "3",
        "Ⅳ": "4",
        "Ⅴ": "5",
        "Ⅵ": "6",
        "ⅰ": "1",
        "ⅱ": "2",
        "ⅲ": "3",
        "ⅳ": "4",
        "ⅴ": "5",
        "ⅵ": "6",
    }
)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}
_CN_DIGIT = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6"}
# A Latin or Chinese numeral is a water class only next to 类 or inside a class range: 'I~III类', '一至三类', '劣五类'.
_ROMAN_CLASS = re.compile(
    r"(?<![a-z])(iii|ii|iv|vi|i|v)(?=类|~(?:iii|ii|iv|vi|i|v|\d)类)|(?<=[~劣])(iii|ii|iv|vi|i|v)(?![a-z])"
)
_CN_CLASS = re.compile(r"([一二三四五六])(?=类|~[一二三四五六\d]类)|(?<=[~劣])([一二三四五六])(?=类)")


def fold(text: object) -> str:
    """The text with full-width forms half-width, no spaces, look-alikes unified (Ⅲ/III/三 → 3, ～—至 → ~), lower case."""
    out = []
    for ch in "" if text is None else str(text):
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E and ch != "～":
            ch = chr(code - 0xFEE0)
        if ch.isspace() or code == 0x3000:
            continue
        out.append(ch)
    s = "".join(out).translate(_CHAR_MAP).lower()
    s = _ROMAN_CLASS.sub(lambda m: _ROMAN[m.group(1) or m.group(2)], s)
    return _CN_CLASS.sub(lambda m: _CN_DIGIT[m.group(1) or m.group(2)], s)


# ---- units ---------------------------------------------------------------------------------------------------------

_UNITS = (  # folded spelling → normalised unit; longest first where one is a prefix of another
    (r"(μg|ug|微克)(/|每)(m3|立方米)", "μg/m³"),
    (r"(mg|毫克)(/|每)(m3|立方米)", "mg/m³"),
    (r"(t|吨)/万元", "t/万元"),
    (r"%|百分比|百分率", "%"),
    (r"百分点", "百分点"),
    (r"万亩", "万亩"),
    (r"万吨", "万吨"),
    (r"t|吨", "t"),
    (r"个|条|处|座|家|项|起|天|亩|公顷", None),  # the word itself
    (r"无量纲|—|~", ""),
)
_UNIT_RE = [(re.compile(f"(?:{p})"), u) for p, u in _UNITS]
_BRACKET = re.compile(r"\(([^()]*)\)")
_UNIT_SUFFIX = re.compile(r"(?:单位:?)?((?:μg|ug|微克|mg|毫克)(?:/|每)(?:m3|立方米)|%)$")
_CLASS_OF_UNIT = {
    "%": "pct",
    "μg/m³": "conc",
    "mg/m³": "conc_mg",
    "个": "count",
    "条": "count",
    "处": "count",
    "座": "count",
    "家": "count",
    "项": "count",
    "起": "count",  # incidents (突发环境事件数)
    "天": "days",
    "t": "mass",
    "万吨": "mass",
    "万亩": "area",
    "亩": "area",
    "公顷": "area",
    "t/万元": "intensity",
    "": "index",
    "百分点": "points",
}


def _unit_of(text: str) -> str | None:
    """The normalised unit when the whole text is a unit ('ug/m3', '微克/立方米', '%', '个'), else None."""
    t = text.removeprefix("单位:").removeprefix("单位")
    for rx, unit in _UNIT_RE:
        if rx.fullmatch(t):
            return t if unit is None else unit
    return None


def _split_unit(text: str) -> tuple[str, str]:
    """(text without units and bracketed qualifiers, the unit read from it)."""
    unit = ""
    for inner in _BRACKET.findall(text):
        found = _unit_of(inner)
        if found is not None and not unit:
            unit = found
    while True:  # nested brackets: drop innermost first
        stripped = _BRACKET.sub("", text)
        if stripped == text:
            break
        text = stripped
    text = text.replace("(", "").replace(")", "")
    m = _UNIT_SUFFIX.search(text)
    if m:
        unit = unit or _unit_of(m.group(1)) or ""
        text = text[: m.start()]
    return text, unit


# ---- canonical spelling --------------------------------------------------------------------------------------------

_REWRITES = [
    (re.compile(p), r)
    for p, r in (
        (r"[、,，:;；\"“”'‘’·•_^*#/]", ""),
        (r"(?<!\d)\.|\.(?!\d)", ""),
        (r"pm2\.?5(?!\d)", "pm2.5"),
        (r"细颗粒物", "pm2.5"),
        (r"可吸入颗粒物", "pm10"),
        (r"臭氧", "o3"),
        (r"二氧化硫", "so2"),
        (r"二氧化氮", "no2"),
        (r"一氧化碳", "co"),
        (r"二氧化碳", "co2"),
        (r"重度及以上污染|重度以上污染", "重污染"),
        (r"饮用水源", "饮用水水源"),
        (r"优良天(?!数)", "优良天数"),
        (r"达到或优于3类|好于3类|优于3类", "水质优良"),
        (r"1~3类水质|水质1~3类|1~3类", "水质优良"),
        (r"水质优良水质|水质水质优良", "水质优良"),
        (r"劣于5类", "劣5类"),
        (r"地表水优良", "水质优良"),  # 地表水 is dropped below; its 优良 is still about water, not air
        (r"所占比例|百分比|比例|比率|占比", "率"),
        (r"(?:累计|年|月|季度?|日)?(?:平均|均)?浓度(?:均值|平均值|值)?", "浓度"),
        (r"(?:累计|年|月|日)?(?:平均值|均值)", "浓度"),
        (r"\d{4}年", ""),
        (r"(?<![a-z\d.])\d{1,2}(?:~\d{1,2})?月份?", ""),
        (r"第?[1-4一二三四]季度|上半年|下半年|全年|年度|本年|今年|本月|当月", ""),
        (
            r"环境空气质量|环境空气|空气质量|空气|全市|全省|全州|市州|城市|地表水|实测值|监测值|数值|情况|状况|平均|累计",
            "",
        ),
    )
]
_IGNORE = re.compile(
    r"序号|编号|排名|排序|名次|位次|同比|环比|变化|变幅|升降|增减|增幅|降幅|改善幅度|幅度|首要污染物|主要污染物|"
    r"上年同期|去年同期|目标差距|差值"
)
# Words that change what a figure is about: a header that says one of them only matches an alias that says it too,
# and an alias that says one only matches a header that says it too.
_KEY_TERMS = re.compile(
    r"pm2\.5|pm10|o3|so2|no2|co2|co|综合指数|最大指数|cwqi|劣5类|[1-6]类|省考|省控|市控|县控|湖库|湖泊|水库|河流|江河|"
    r"入海|地下水|近岸|海域|县级|县域|乡镇|重污染|轻度污染|中度污染|严重污染|超标|优良|达标|农村|饮用水|水源|黑臭|"
    r"排污口|耕地|地块|建设用地|重金属|危险废物|危废|医疗|医废|生态质量|行政村|断面|天数|面积|验收|销号|整治|治理"
)


def _rewrite(text: str) -> str:
    for rx, rep in _REWRITES:
        text = rx.sub(rep, text)
    return text


def _keys(text: str) -> frozenset[str]:
    return frozenset(_KEY_TERMS.findall(text))


def _implied_class(text: str) -> str | None:
    """The kind of unit a header implies when it states none: '…比例' is a percentage, '…数' a count."""
    if text.endswith("率"):
        return "pct"
    if text.endswith("浓度"):
        return "conc"
    if text.endswith("天数"):
        return "days"
    if text.endswith("数") and not text.endswith("指数"):  # 生态质量指数 is an index, not a count
        return "count"
    if text.endswith("面积"):
        return "area"
    return None


def _fits(header_class: str | None, indicator_class: str) -> bool:
    if header_class is None:
        return True
    counts = ("count", "days")
    if header_class in counts and indicator_class in counts:
        return header_class == indicator_class or "count" in (header_class, indicator_class)
    return header_class == indicator_class


def _join(parent: str, child: str) -> str:
    """Parent and child of a merged header with the repeated words said once: 优良天数率 + 率 → 优良天数率."""
    if not parent:
        return child
    if not child or child in parent:
        return parent
    if parent in child:
        return child
    for k in range(min(len(parent), len(child)), 0, -1):
        if parent.endswith(child[:k]):
            return parent + child[k:]
    return parent + child


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
    body, unit = _split_unit(fold(text))
    return _rewrite(body), unit


def _build(catalog: Catalog) -> _Index:
    entries: list[_Entry] = []
    coinciding: dict[str, list[tuple[str, str]]] = {}
    for order, ind in enumerate(catalog):
        pairs = [(fold(w), fold(group[0])) for group in ind.coinciding_terms for w in group]
        coinciding[ind.code] = sorted(pairs, key=lambda p: -len(p[0]))
        ind_class = _CLASS_OF_UNIT.get(_unit_of(fold(ind.unit)) or "", "other")
        labelled = [(VALUE, a) for a in (ind.name_zh, *ind.aliases)]
        labelled += [(NUMERATOR, a) for a in ind.numerator_labels]
        labelled += [(DENOMINATOR, a) for a in ind.denominator_labels]
        seen = set()
        for part, label in labelled:
            text = _apply(coinciding[ind.code], _canon(label)[0])
            if text and (part, text) not in seen:
                seen.add((part, text))
                unit_class = ind_class if part == VALUE else "count"
                entries.append(_Entry(order, ind.code, part, text, _keys(text), unit_class))
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
    if _IGNORE.search(child_folded) or _IGNORE.search(parent_folded):
        return HeaderMatch(None, IGNORE, 0.0, _split_unit(child_folded)[1] or _split_unit(parent_folded)[1], ())
    child_body, child_unit = _split_unit(child_folded)
    parent_body, parent_unit = _split_unit(parent_folded)
    unit = child_unit or parent_unit
    text = _join(_rewrite(parent_body), _rewrite(child_body))
    implied = _implied_class(text)
    header_class = _CLASS_OF_UNIT.get(unit, "other") if unit else implied
    if unit and not _fits(implied, header_class):
        header_class = "contradictory"  # '优良天数比例(天)': the words and the unit disagree, so nothing fits

    raw: dict[str, float] = {}  # closest per code, whatever the gates say: what a person would pick from
    passed: list[tuple[float, _Entry]] = []
    for e in idx.entries:
        t = _apply(idx.coinciding[e.code], text)
        score = fuzz.ratio(t, e.text)
        if score > raw.get(e.code, -1):
            raw[e.code] = score
        if _keys(t) == e.keys and _fits(header_class, e.unit_class):
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
