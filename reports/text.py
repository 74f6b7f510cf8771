"""The briefing's words that are not sentences: what a province's units are called and the section ordinals. The
sentences themselves are in the wording catalogue (ui/wording_briefing.py, keys `report_…`)."""

from __future__ import annotations

from ui.wording import pick, t


def unit_words(kind: str, lang: str) -> dict[str, str]:
    """{units} and {unit} for the briefing's sentences, in `lang`, for a province's kind of units
    (RegionIndex.unit_kind)."""
    return {"units": t(f"report_units_{kind}", lang), "unit": t(f"report_unit_{kind}", lang)}


ORDINALS = "一二三四五六七八九十"


def ordinal(n: int, lang: str = "zh") -> str:
    """1 → 一 … 10 → 十, then 十一 …; plain digits in English."""
    if n <= 10:
        zh = ORDINALS[n - 1]
    else:
        tens, ones = divmod(n, 10)
        zh = (ORDINALS[tens - 1] if tens > 1 else "") + "十" + (ORDINALS[ones - 1] if ones else "")
    return pick(zh, str(n), lang)
