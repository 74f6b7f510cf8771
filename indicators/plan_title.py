"""What a plan's first lines say about it: the year, the region and the issuing bureau, which the drafting page
offers as defaults ('湖北省生态环境厅2024年工作要点'; a national document's region is the nation)."""

from __future__ import annotations

import re

from indicators.periods import is_year
from indicators.regions import RegionIndex

_TITLE = re.compile(r"(?P<year>\d{4})\s*年")
_ISSUER = re.compile(r"[\u4e00-\u9fff]{2,12}?(生态环境厅|生态环境局|人民政府)")

_HEAD_LINES = 8  # a plan's title, its issuer's letterhead and the page chrome of a copy taken from a website


def _region_in(text: str, regions: RegionIndex) -> str | None:
    for name in re.findall(r"[\u4e00-\u9fff]{2,4}?[省市州]", text):
        if (region := regions.resolve(name)) is not None:
            return region
    return None


_NATIONAL = re.compile(r"(?:国务院|生态环境部)(?=办公厅|印发|发布|关于|日前|近日)|全国")
_LOCAL = re.compile(r"全[省市区州县]|[省市]委|[我本][省市]")


def _national(line: str, regions: RegionIndex) -> str | None:
    """The nation's code for a line about a national document: 国务院 or 生态环境部 issuing it before any region is
    named ('近日,国务院印发《空气质量持续改善行动计划》…京津冀…'), or 全国 in a line that names no region and
    no province or city of its own ('全国重度及以上污染天数比率…'). A provincial plan's '根据党中央、国务院决策部署'
    or '生态环境部工作要求' is not one."""
    m = _NATIONAL.search(line)
    if m is None or _LOCAL.search(line):
        return None
    if _region_in(line if m.group() == "全国" else line[: m.start()], regions) is not None:
        return None
    return next((r.code for r in regions if r.level == "nation"), None)


def title_defaults(text: str, regions: RegionIndex) -> tuple[int | None, str | None, str | None]:
    """Year, region code and issuer named in the document's first lines ('湖北省生态环境厅2024年工作要点'). An
    issuer is taken only with its region ('湖北省生态环境厅', not a bare '省生态环境厅' or the breadcrumb before it)."""
    lines = [line.strip()[:200] for line in text.strip().splitlines() if line.strip()][:_HEAD_LINES]
    year = next(
        (int(m.group("year")) for line in lines for m in _TITLE.finditer(line) if is_year(int(m.group("year")))),
        None,
    )
    issuer = region = None
    for line in lines:
        for m in _ISSUER.finditer(line):
            named = m.group()
            for start in range(len(named) - len(m.group(1))):  # the shortest prefix that names a region
                if (found := _region_in(named[start:], regions)) is not None:
                    issuer, region = named[start:], found
                    break
            if issuer:
                break
        if issuer:
            break
    for title in lines[:3] if region is None else ():  # the title's own region: '湖南省2020年…', '江西明确…'
        short = (regions.resolve(title[:n]) for n in (3, 2))
        found = _national(title, regions) or _region_in(title, regions) or next((r for r in short if r), None)
        if (region := found) is not None:
            break
    return year, region, issuer
