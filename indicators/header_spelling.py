"""How table headers are spelled, for indicators/matching.py: look-alike characters folded, the unit read and
stripped, a merged header joined, real-world synonyms rewritten into one canonical spelling, and the words that
decide what a figure is about."""

from __future__ import annotations

import re

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
CLASS_OF_UNIT = {
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


def unit_of(text: str) -> str | None:
    """The normalised unit when the whole text is a unit ('ug/m3', '微克/立方米', '%', '个'), else None."""
    t = text.removeprefix("单位:").removeprefix("单位")
    for rx, unit in _UNIT_RE:
        if rx.fullmatch(t):
            return t if unit is None else unit
    return None


def split_unit(text: str) -> tuple[str, str]:
    """(text without units and bracketed qualifiers, the unit read from it)."""
    unit = ""
    for inner in _BRACKET.findall(text):
        found = unit_of(inner)
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
        unit = unit or unit_of(m.group(1)) or ""
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
IGNORED_HEADER = re.compile(
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


def canonical(text: str) -> str:
    """A folded header body in the one spelling the catalog's aliases are compared in."""
    for rx, rep in _REWRITES:
        text = rx.sub(rep, text)
    return text


def key_terms(text: str) -> frozenset[str]:
    """The distinguishing words a header says (PM10, 省考, 劣5类 …)."""
    return frozenset(_KEY_TERMS.findall(text))


def implied_class(text: str) -> str | None:
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


def fits(header_class: str | None, indicator_class: str) -> bool:
    """Whether a header's kind of unit (None: unstated) allows an indicator of that kind."""
    if header_class is None:
        return True
    counts = ("count", "days")
    if header_class in counts and indicator_class in counts:
        return header_class == indicator_class or "count" in (header_class, indicator_class)
    return header_class == indicator_class


def join_header(parent: str, child: str) -> str:
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
