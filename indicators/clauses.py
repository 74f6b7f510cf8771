"""The wording of a work plan's target clauses: where clauses start and end, numbers (also in Chinese), units,
comparator words, and the sentences that state a result or a baseline rather than a target.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import cn2an

# A sentence ends at 。；; or a line break; a clause inside it at a comma. Offsets always point into the original text.
_SENTENCE = re.compile(r"[^。；;!！?？\n]+")
_CLAUSE = re.compile(r"[^,，]+")

_CN_DIGITS = "零〇一二两三四五六七八九十百千万"
_UNITS = "微克/立方米|μg/m3|μg/m³|毫克/立方米|个百分点|百分点|%|％|万亩|亩|万吨|吨|天|个|条|家|项|处|座|套|件|场|次|座|公里|千米"
# A number: Arabic (with spaces a PDF or OCR left in) or Chinese digits followed by a unit; 百分之X is X %.
NUMBER = re.compile(
    rf"(?P<pct>百分之)?(?P<num>\d+(?:\.\d+)?|[{_CN_DIGITS}]+(?:点[{_CN_DIGITS}]+)?)\s*"
    rf"(?P<unit>{_UNITS})?"
)
_UNIT_FOLD = {"％": "%", "个百分点": "百分点", "μg/m3": "μg/m³", "μg/m³": "μg/m³", "微克/立方米": "μg/m³"}
COUNT_UNITS = frozenset("个 条 家 项 处 座 套 件 场 次".split())
# "2至3个", "二至三个": the first end of a range takes the unit written after the second.
RANGE_WORD = re.compile(r"^\s*(至|到|~|～|-|—)\s*")


class Number(NamedTuple):
    value: float
    unit: str  # "%", "百分点", "μg/m³", "个", "" …
    start: int
    end: int


class Clause(NamedTuple):
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Clause]:
    """The sentences of a text, each with its offsets (no sentence is blank)."""
    return [Clause(m.start(), m.end(), m.group()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def clauses(sentence: Clause) -> list[Clause]:
    """The comma-separated clauses of a sentence, offsets into the whole text."""
    return [
        Clause(sentence.start + m.start(), sentence.start + m.end(), m.group())
        for m in _CLAUSE.finditer(sentence.text)
        if m.group().strip()
    ]


def _to_float(num: str) -> float | None:
    if num[0].isdigit():
        return float(num)
    try:
        return float(cn2an.cn2an(num, "smart"))
    except ValueError:  # cn2an raises ValueError for digit strings that are not a number (一一, 万千)
        return None


def numbers(text: str, offset: int = 0) -> list[Number]:
    """Every number with a unit in a clause (and bare Arabic numbers); Chinese numerals only when a unit follows."""
    found = []
    for m in NUMBER.finditer(text):
        num, unit, reach = m.group("num"), m.group("unit") or "", m.end()
        if not unit and (gap := RANGE_WORD.match(text[m.end() :])):
            upper = NUMBER.match(text, m.end() + gap.end())
            unit, reach = ((upper.group("unit") or ""), upper.end()) if upper else ("", reach)
        if not num[0].isdigit() and not unit and not m.group("pct"):
            continue  # 一批, 十四五, 二氧化硫: words, not numbers
        if not num[0].isdigit() and unit in COUNT_UNITS and len(num) == 1 and text[reach:].startswith("月"):
            continue
        value = _to_float(num)
        if value is None:
            continue
        if m.group("pct"):
            unit = "%"
        end = m.end() if m.group("unit") else m.start("num") + len(num)
        found.append(Number(value, _UNIT_FOLD.get(unit, unit), offset + m.start(), offset + end))
    return found


def is_year(n: Number, text: str, offset: int) -> bool:
    """2024年, 2020 年底: a year or date, not a figure."""
    after = text[n.end - offset : n.end - offset + 3].lstrip()
    return n.unit == "" and (after.startswith(("年", "月", "日")) or 1949 <= n.value <= 2100 and n.value.is_integer())


# ---- comparator words --------------------------------------------------------------------------------------------

AFTER_GE = re.compile(r"^\s*(以上|及以上|以上水平)")
AFTER_LE = re.compile(r"^\s*(以下|以内|之内)")
AFTER_ABOUT = re.compile(r"^\s*(左右)")
BEFORE_STRICT_GT = re.compile(r"(高于|超过|大于|优于)\s*$")
BEFORE_STRICT_LT = re.compile(r"(低于|小于)\s*$")
BEFORE_LE = re.compile(r"(不超过|不高于|不大于|控制在|降至|降到|下降到|低于或等于|≤)\s*$")
BEFORE_GE = re.compile(r"(不低于|不少于|不小于|达到|达|提高到|提升到|提升至|提高至|保持|稳定在|确保|≥)\s*$")
RELATIVE = re.compile(
    r"(比|较)\s*(上年|上一年|去年|(?P<year>\d{4})\s*年)[^,，。；]*?(?P<dir>下降|降低|减少|削减|提高|提升|上升|增加|增长)"
)
STRETCH = re.compile(r"力争|争取|努力")
PENDING = re.compile(
    r"(达到|满足|完成)\s*(国家|省|省级|市|上级|年度)?\s*(下达的)?\s*(考核|约束性|年度|目标|时序进度|“十[四五]五”时序进度)"
    r"[^,，。；]*?(要求|目标|任务)|得到有效保障|稳定达标"
)
# Words that say the number is a result set against a target, a baseline, or last year's outcome.
RESULT = re.compile(
    r"好于|优于(国家|省)?(考核)?目标|比(年度)?目标|高于(年度)?目标|低于(年度)?目标|超额完成|超出|同比|较上年同期|"
    r"比上年同期|(\d{4}\s*年|上年|去年|目前|现有|累计)\s*(为|是|达到了|已达)|已(完成|达到|实现)|完成了|实际|考核结果"
)
ZERO = re.compile(r"(无|消除|消灭|杜绝|不发生|防止发生|不出现|清零)\s*(?P<what>[^,，。；]{2,24})")
