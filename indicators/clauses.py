"""The wording of a work plan's target clauses: where clauses start and end, numbers (also in Chinese), units,
comparator words, and the sentences that state a result or a baseline rather than a target.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import cn2an

from indicators.periods import LAST_YEAR

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
    return n.unit == "" and (
        after.startswith(("年", "月", "日")) or 1949 <= n.value <= LAST_YEAR and n.value.is_integer()
    )


# ---- indicator names ---------------------------------------------------------------------------------------------

# Words around an indicator's name that are not part of it.
LEAD_WORDS = re.compile(
    r"^(\s|[^,，:：]{0,8}[:：]|[一二三四五六七八九十\d]+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|全省|全市|全区|全州|全县|全年|年底前|年内|"
    r"到\d{4}年(底)?|\d{4}年(底前|底|内)?|确保|力争|争取|努力|持续|稳步|进一步|深入推进|扎实推进|加快推进|推进|推动|实现|全面完成|完成|全国|"
    r"其中|城市|地级及以上城市|地级城市|京津冀及周边地区|京津冀|长三角|珠三角|(?!单位)[\u4e00-\u9fff]{2,6}?(地区|平原|城市群)|、|"
    r"设区城市|建成区|各市(州)?|\d+个|市州城市|市州|国考城市|[,，:：])+"
)
TRAIL_WORDS = re.compile(
    r"(分别|均|总体|合计|累计|平均|年均|等指标|等|要|需|必须|应|力争|确保|稳定|持续|比例为|的)*\s*"
    r"(达到或优于|达到|不低于|不少于|不超过|不高于|控制在|降至|降到|下降到|提高到|提升到|提升至|提高至|保持在|保持|稳定在|"
    r"高于|低于|超过|优于|完成|达|下降|降低)?\s*$"
)
_POLLUTANT = re.compile(r"^(二氧化硫|氮氧化物|挥发性有机物(\(VOCs\)|（VOCs）)?|化学需氧量|氨氮|总磷|总氮|颗粒物)", re.I)
_SHARED_SUFFIX = re.compile(r"(年平均浓度|年均浓度|平均浓度|浓度|重点工程减排量|减排量|排放量|排放总量)$")
# 较大及以上 is one name, not a list of 较大 and 以上.
_LIST_SPLIT = re.compile(r"、|和|(?<!以)及(?!以[上下])|以及")
# 国控、省控断面: one kind of section named twice, not a list.
_JOINED_KINDS = re.compile(r"([国省市])控、([国省市])控")


def clean(phrase: str) -> str:
    """A phrase without the words around an indicator's name (全省, 确保, 达到 …)."""
    phrase = LEAD_WORDS.sub("", phrase.strip())
    previous = None
    while previous != phrase:
        previous, phrase = phrase, TRAIL_WORDS.sub("", phrase).strip()
    return phrase.strip("“”\"' ,，")


def names(phrase: str) -> list[str]:
    """The names in "二氧化硫、氮氧化物排放量": each with the shared suffix ("二氧化硫排放量", "氮氧化物排放量")."""
    phrase = _JOINED_KINDS.sub(r"\1控\2控", phrase)
    items = [clean(p) for p in _LIST_SPLIT.split(phrase) if clean(p)]
    carrier = next((i for i in reversed(items) if (m := _POLLUTANT.match(i)) and i[m.end() :]), None)
    if len(items) > 1 and carrier is not None:
        # "化学需氧量、氨氮、挥发性有机物减排量和单位GDP二氧化碳排放": the pollutants share the suffix of the last one
        suffix = carrier[_POLLUTANT.match(carrier).end() :]
        items = [i + suffix if _POLLUTANT.fullmatch(i) else i for i in items]
    elif len(items) > 1 and (m := _SHARED_SUFFIX.search(items[-1])):
        items = [i if _SHARED_SUFFIX.search(i) else i + m.group() for i in items]
    return items


# ---- comparator words --------------------------------------------------------------------------------------------

AFTER_GE = re.compile(r"^\s*(以上|及以上|以上水平)")
AFTER_LE = re.compile(r"^\s*(以下|以内|之内)")
AFTER_ABOUT = re.compile(r"^\s*(左右)")
BEFORE_STRICT_GT = re.compile(r"(?<!不)(高于|超过|大于|优于)\s*$")
BEFORE_STRICT_LT = re.compile(r"(?<!不)(低于|小于)\s*$")
BEFORE_LE = re.compile(r"(不超过|不高于|不大于|控制在|降至|降到|下降到|低于或等于|≤)\s*$")
BEFORE_GE = re.compile(r"(不低于|不少于|不小于|达到|达|提高到|提升到|提升至|提高至|保持在|保持|稳定在|确保|≥)\s*$")
# "PM2.5浓度分别下降20%、15%": a change whose baseline the clause does not name (下降到 is a level, not a change).
BARE_CHANGE = re.compile(r"(?P<dir>下降|降低|减少|削减)\s*(分别|均)?\s*$")
RELATIVE = re.compile(
    r"(比|较)\s*(上年|上一年|去年|(?P<year>\d{4})\s*年)[^,，。；]*?(?P<dir>下降|降低|减少|削减|提高|提升|上升|增加|增长)"
)
# "稳中向好", "保持稳定", "只能持续改善、不能倒退变差": no worse than the year before (DESIGN.md: a relative target of 0).
NO_WORSE = re.compile(r"稳中向好|稳中有升|保持稳定|只能(持续)?改善|不能倒退|不倒退|不降低|不下降|只升不降|只增不减")
# "保持良好": the floor of a grade the indicator's standard defines.
GRADE = re.compile(r"(保持|达到|稳定在|维持)(?P<grade>优秀|良好)")
# "完成长江入河排污口整治任务" with no figure: all of it (a completion rate of 100 %); 基本完成 is not all.
WHOLE_TASK = re.compile(r"(?<!基本)完成(?P<what>[^,，。；\d]{4,30}?)(?P<verb>整治|治理|整改)任务\s*$")
# "下降幅度力争达到3%": the change the previous clause stated, with a further figure.
CHANGE_AGAIN = re.compile(r"^\s*(?P<dir>下降|降低|削减|减少|上升|提高|提升|增长|增加)?(幅度|降幅|增幅)")
STRETCH = re.compile(r"力争|争取|努力")
PENDING = re.compile(
    r"(达到|满足|完成)\s*(国家|省|省级|市|上级|年度)?\s*(下达的)?\s*(考核|约束性|年度|目标|时序进度|“十[四五]五”时序进度)"
    r"[^,，。；]*?(要求|目标|任务)|得到有效保障|稳定达标"
)
# Words that say the number is a result set against a target, a baseline, or last year's outcome.
RESULT = re.compile(
    r"(好于|优于)(国家|省|年度)?(考核)?(目标|时序进度)|比(年度)?目标|高于(年度)?目标|低于(年度)?目标|超额完成|超出|同比|较上年同期|"
    r"比上年同期|(\d{4}\s*年|上年|去年|目前|现有|累计)\s*(为|是|达到了|已达)|已(完成|达到|实现)|完成了|实际|考核结果"
)
ZERO = re.compile(r"(无|消除|消灭|杜绝|不发生|防止发生|不出现|清零)\s*(?P<what>[^,，。；]{2,24})")
# "城市建成区黑臭水体总体得到消除": the same, the thing named first.
ZERO_AFTER = re.compile(r"^(?P<what>[^,，。；]{2,24}?)(总体|全面)?(得到)?(消除|清零)\s*$")
