"""Reporting periods: the end month (1–12) of a year-to-date window."""

from __future__ import annotations

import re

from indicators.catalog import normalize_label
from indicators.language import in_lang

ANNUAL = 12
# The years the dashboard accepts anywhere: a cell, a title, a CLI argument, a target. Outside them a "year" is a
# typing slip (20244, 1024) or another number, not a reporting year.
FIRST_YEAR, LAST_YEAR = 2000, 2100
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NAMED = {
    "q1": 3,
    "q2": 6,
    "q3": 9,
    "q4": 12,
    "一季度": 3,
    "二季度": 6,
    "三季度": 9,
    "四季度": 12,
    "第一季度": 3,
    "第二季度": 6,
    "第三季度": 9,
    "第四季度": 12,
    "上半年": 6,
    "前三季度": 9,
    "全年": 12,
    "年度": 12,
    "annual": 12,
    "year": 12,
    "全年累计": 12,
}
_YEAR_PREFIX = re.compile(r"^(\d{4})年(?:度)?")
_RANGE = re.compile(r"^1[-~—–至到]([0-9]{1,2}|[一二三四五六七八九十]{1,3})月(?:份)?(?:累计)?$")
_MONTH = re.compile(r"^([0-9]{1,2})(?:月)?$")


def _cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS.get(text[1:], 0)
    if text.endswith("十") and len(text) == 2:
        return _CN_DIGITS.get(text[0], 0) * 10
    return _CN_DIGITS.get(text)


def parse_period(text: object) -> int | None:
    """The end month for Q2, 第二季度, 二季度, 1-6月, 上半年, 全年, 2024年1-6月, 6 …; None if unknown."""
    if text is None:
        return None
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    if isinstance(text, int):
        return text if 1 <= text <= 12 else None
    s = normalize_label(str(text))
    s = _YEAR_PREFIX.sub("", s)
    if s in _NAMED:
        return _NAMED[s]
    m = _RANGE.match(s) or _MONTH.match(s)
    if m:
        n = _cn_number(m.group(1))
        return n if n and 1 <= n <= 12 else None
    if s.endswith(".0") and s[:-2].isdigit():
        return parse_period(int(s[:-2]))
    return None


def parse_year(text: object) -> int | None:
    """A year FIRST_YEAR–LAST_YEAR from 2024, 2024.0 or 2024年; None if unknown."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    if isinstance(text, int):
        return text if is_year(text) else None
    m = re.match(r"^\s*(\d{4})\s*(?:年|\.0)?\s*$", str(text or ""))
    if m and is_year(int(m.group(1))):
        return int(m.group(1))
    return None


def is_year(year: object) -> bool:
    """A reporting year the dashboard accepts: an int from FIRST_YEAR to LAST_YEAR."""
    return isinstance(year, int) and not isinstance(year, bool) and FIRST_YEAR <= year <= LAST_YEAR


def find_year_period(title: str) -> tuple[int | None, int | None]:
    """Year and period named in a title such as '2024年1-6月各市州环境质量状况'."""
    s = normalize_label(title)
    year = None
    m = re.search(r"(\d{4})年", s)
    if m:
        year = int(m.group(1)) if is_year(int(m.group(1))) else None
        s = s[m.end() :]
    for pattern in (
        r"1[-~—–至到](?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})月",
        r"第?[一二三四]季度|q[1-4]|上半年|前三季度|全年",
    ):
        m = re.search(pattern, s)
        if m:
            return year, parse_period(m.group(0))
    if year is not None and re.search(r"年度|年$|年各", normalize_label(title)):
        return year, ANNUAL
    return year, None


def period_label(period: int, lang: str = "zh") -> str:
    """How a period is written in reports: 1-6月 / Jan–Jun."""
    if period == 12:
        return in_lang("全年", "Full year", lang)
    return in_lang(f"1-{period}月", f"Jan–{_EN_MONTHS[period - 1]}", lang)


_EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
