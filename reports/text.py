"""The briefing's words that are not sentences: what a province's units are called, the section ordinals, the
period, statuses, numbers with units and 同比 as the briefing writes them. The sentences themselves are in the
wording catalogue (ui/wording_briefing.py, keys `report_…`)."""

from __future__ import annotations

from indicators.catalog import Indicator
from indicators.periods import ANNUAL, period_label
from ui.wording import TEXT, pick, status_label, t


def unit_words(kind: str, lang: str) -> dict[str, str]:
    """{units}, {unit} and {whole} for the briefing's sentences, in `lang`, for a province's kind of units
    (RegionIndex.unit_kind)."""
    return {
        "units": t(f"report_units_{kind}", lang),
        "unit": t(f"report_unit_{kind}", lang),
        "whole": t(f"report_whole_{kind}", lang),
    }


ORDINALS = "一二三四五六七八九十"


def ordinal(n: int, lang: str = "zh") -> str:
    """1 → 一 … 10 → 十, then 十一 …; plain digits in English."""
    if n <= 10:
        zh = ORDINALS[n - 1]
    else:
        tens, ones = divmod(n, 10)
        zh = (ORDINALS[tens - 1] if tens > 1 else "") + "十" + (ORDINALS[ones - 1] if ones else "")
    return pick(zh, str(n), lang)


def period_words(period: int, lang: str) -> str:
    """The period as the briefing writes it: 全年, or 1—9月 with the 一字线 of a range (GB/T 15835); the dashboard's
    own label (1-9月) is left as it is."""
    label = period_label(period, lang)
    if period >= ANNUAL:
        return label
    return t("report_january", lang, label=label) if period == 1 else t("report_months", lang, end=period, label=label)


def unit_of(indicator: Indicator) -> str:
    """The unit written after a number, or "" for a count without one."""
    return "" if indicator.unit in ("", "—") else indicator.unit


def with_unit(text: str, unit: str) -> str:
    """A number and its unit as official documents write them, without a space (35μg/m³, 85.9%); — stays bare."""
    return text if text == "—" or not unit else f"{text}{unit}"


def status_words(status: str, lang: str, words: dict[str, str]) -> str:
    """A status as the briefing writes it: the dashboard's words, except where the briefing has its own (a
    reference without nested brackets: 参照全省总体目标，未达到)."""
    key = f"report_status_{status}"
    return t(key, lang, **words) if key in TEXT else status_label(status, lang)
