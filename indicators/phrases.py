"""A plan's phrase for an indicator, matched to the catalog: the header matcher, tried with the other spellings
plans use (单位地区生产总值, 国控、省控断面, 黑臭水体整治 …), never mapping an emission onto a reduction.
"""

from __future__ import annotations

import re

from indicators.catalog import Catalog
from indicators.matching import match_name

_REWRITES = (
    (re.compile(r"单位(地区)?生产总值|单位GDP"), "单位GDP"),
    (re.compile(r"[vV]类|(?<=劣)[五5]类"), "Ⅴ类"),
    (re.compile(r"\s+"), ""),
    (re.compile(r"的(比例|比率)"), r"\1"),  # 地下水质量极差的比例
    (re.compile(r"([国省市])控、([国省市])控"), r"\1控\2控"),
)
# Second spellings tried when the first finds nothing: 劣Ⅴ类国控断面 → 劣Ⅴ类断面, 黑臭水体整治 → 黑臭水体治理,
# 地表水国控断面 (达到考核要求) → its sections' quality.
_FALLBACKS = (
    (re.compile(r"((国控|国考|考核)+(省控)?|省控(国控|国考))断面"), "断面"),  # 省控 alone is another indicator
    (re.compile(r"黑臭水体整治(任务)?"), "黑臭水体治理"),
    (re.compile(r"断面$"), "断面水质优良比例"),
    (re.compile(r"断面优良"), "断面水质优良"),
    (re.compile(r"(未达标)?(县级及以上|地级及以上|地级|设区)城市"), ""),  # a scope, not part of the name
    (re.compile(r"天气(比例|比率)"), "天数比率"),  # 重污染天气比例
    (re.compile(r"(?<=类)水体"), "断面"),  # 劣Ⅴ类水体比例
    (re.compile(r"^.*(达到或好于|达到或优于|好于)Ⅲ类(断面|水体)?比例$"), "Ⅰ~Ⅲ类断面比例"),
    (re.compile(r"^.*的"), ""),
)
# A quality named without an indicator ("环境空气质量只能持续改善") stands for its headline indicators.
HEADLINES = (
    (re.compile(r"地下水"), ("groundwater_v_ratio",)),
    (re.compile(r"空气质量"), ("pm25", "good_air_ratio")),
    (re.compile(r"地表水|水环境质量"), ("water_good_ratio",)),
)
# A figure in 万亩 is an area, and the catalog names areas "…面积".
_UNIT_NOUNS = {"万亩": "面积", "亩": "面积"}


def _same_kind_of_amount(phrase: str, code: str, catalog: Catalog) -> bool:
    """排放量 (what is emitted) and 减排量 (what projects cut) are different indicators however close they read."""
    names = (catalog[code].name_zh, *catalog[code].aliases)
    return ("减排" in phrase) == any("减排" in n for n in names) or "排放" not in phrase


def match(phrase: str, unit: str, catalog: Catalog) -> str | None:
    """The catalog code a plan's phrase names (with the figure's unit), or None."""
    for pattern, spelling in _REWRITES:
        phrase = pattern.sub(spelling, phrase)
    spellings = [phrase]
    for pattern, spelling in _FALLBACKS:
        spellings.append(pattern.sub(spelling, spellings[-1]))
    if (noun := _UNIT_NOUNS.get(unit)) is not None:
        spellings += [s + noun for s in spellings if not s.endswith(noun)]
    for spelling in dict.fromkeys(spellings):
        for label in (f"{spelling}({unit})", spelling) if unit else (spelling,):
            hit = match_name(label, catalog)
            if hit.part == "value" and hit.code and _same_kind_of_amount(spelling, hit.code, catalog):
                return hit.code
    return None


def subject_codes(subject: str, catalog: Catalog) -> tuple[str, ...]:
    """The indicators a subject names: its own, or the headline indicators of the quality it names."""
    code = match(subject, "", catalog)
    if code is not None:
        return (code,)
    return next((codes for pattern, codes in HEADLINES if pattern.search(subject)), ())
