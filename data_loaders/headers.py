"""Stage 2 of an import (locate): a sheet's header — title rows above it, one or two header rows, what each column
holds. Reads a `Sheet` from the read stage; hands a `Header` to the extract stage."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from data_loaders.cells import INCREMENT_WORDS, Problem, cell_text, col_letter
from data_loaders.workbook import Sheet
from indicators.catalog import Catalog, normalize_label
from indicators.matching import match_header, match_name
from indicators.periods import find_year_period
from indicators.regions import RegionIndex

HEADER_SCAN_ROWS = 12
SKIPPED_SHEETS = re.compile(r"^(说明|数据说明|填报说明|填表说明|使用说明|来源|数据来源|notes?|readme|instructions?)$")
_IGNORED_HEADER = re.compile(r"排名|排序|序号|名次|编号|同比|环比|变化|变幅|升降|增减|首要污染物|^no\.?$|^#$")
_UNIT_SUFFIX = re.compile(r"\([^()]*\)$|\[[^\[\]]*\]$|【[^【】]*】$|[%‰]$")
# '本季度新增完成整治村数' names the indicator 完成整治村数; the words say how it was counted (the extract stage reads them)
_INCREMENT_PREFIX = re.compile(r"^(" + INCREMENT_WORDS + r")+")
STATED_PERIOD = re.compile(r"\d月|[一二三四五六七八九十]月|季度|q[1-4]|半年|全年|年度")
_UNIT_ONLY = re.compile(r"^\(?[^()]*(/|%|‰)[^()]*\)?$|^\(?(个|条|天|t|吨|无量纲)\)?$")
_ROLES = {
    "region": {
        "地区",
        "城市",
        "市州",
        "地市",
        "城市名称",
        "地区名称",
        "市(州)",
        "市州名称",
        "行政区",
        "行政区划",
        "区域",
        "地区代码",
        "行政区划代码",
        "region",
        "city",
        "region_code",
    },
    "indicator": {"指标", "指标名称", "指标代码", "指标项", "indicator", "indicator_code"},
    "value": {"数值", "值", "实际值", "监测值", "完成值", "value", "actual"},
    "year": {"年份", "年度", "年", "year"},
    "period": {"期间", "季度", "时段", "统计期", "统计期间", "月份", "period", "quarter"},
    "unit": {"单位", "计量单位", "unit"},
    "numerator": {"分子", "numerator"},
    "denominator": {"分母", "denominator"},
    "note": {"备注", "说明", "来源", "数据来源", "note", "notes", "source"},
    "basis": {"口径", "统计口径", "数据口径", "填报口径", "累计或当期", "累计/当期", "basis"},
}
_ROLE_OF = {normalize_label(label): role for role, labels in _ROLES.items() for label in labels}
_LONG_ROLES = ("region", "indicator", "value")


@dataclass
class Header:
    """Where a sheet's header is and what each of its columns holds."""

    shape: str  # "long" or "wide"
    first: int  # index of the first header row; title rows are above it
    last: int  # index of the last header row; data starts below it
    roles: dict[str, int]  # region, indicator, value, year, period, unit, numerator, denominator, note → column
    labels: dict[int, str] = field(default_factory=dict)  # column → header text as written
    indicators: dict[int, tuple[str, int | None, int | None]] = field(default_factory=dict)  # wide: code, year, period
    # wide: a ratio's counts — column → (part, codes): part is "numerator" or "denominator", codes the ratios whose
    # part it can be, best first (断面总数 is the denominator of two ratios; the extract stage pairs it)
    parts: dict[int, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # wide: columns that match nothing — column → (header cell, the three closest indicator codes)
    unmatched: dict[int, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def indicator_of_name(name: object, catalog: Catalog) -> str | None:
    """The indicator a long sheet's 指标 cell names ('地表水考核断面水质优良比例'), or None."""
    found = match_name(cell_text(name), catalog)
    return found.code if found.part == "value" else None


def _role(label: str) -> str | None:
    s = normalize_label(label)
    return _ROLE_OF.get(s) or _ROLE_OF.get(_UNIT_SUFFIX.sub("", s))


def title_year_period(text: object) -> tuple[int | None, int | None]:
    """Year and period named in a title or sheet name: '2024年1-6月…', '2024年Q2', '二季度'."""
    if isinstance(text, date):
        return text.year, text.month
    year, period = find_year_period(cell_text(text))
    m = None if year else re.search(r"(?<![\d.])(19|20)\d{2}(?![\d.])", cell_text(text))
    return (int(m.group(0)) if m else year), period


def sheet_title(rows: list[list]) -> str:
    """The sheet's title: the first row above the header that holds one text of six characters or more."""
    for row in rows[:HEADER_SCAN_ROWS]:
        texts = [str(v).strip() for v in row if v not in (None, "")]
        if len(texts) == 1 and len(texts[0]) >= 6:
            return texts[0]
    return ""


# ---- where a sheet's header is -------------------------------------------------------------------------------------


def _classify(label: str, sub: str, catalog: Catalog) -> tuple[str, object]:
    """One header column: ('role', name) / ('indicator', (code, year, period)) / ('part', (part, codes)) /
    ('unknown', closest codes) / ('ignored' | 'empty', None)."""
    if _UNIT_ONLY.match(normalize_label(sub)):
        sub = ""  # a unit row under the header
    if not label and not sub:
        return "empty", None
    if _IGNORED_HEADER.search(normalize_label(label + sub)):
        return "ignored", None
    if not sub and _role(label):
        return "role", _role(label)
    if sub:
        year, period = title_year_period(sub)
        over = match_header(label, catalog)
        if over.part == "value" and (year or period):  # "PM2.5浓度" over "2024年1-6月 | 2023年1-6月"
            return "indicator", (over.code, year, period)
    plain = _INCREMENT_PREFIX.sub("", normalize_label(sub or label))
    found = match_header(plain, catalog, parent=label if sub else "")
    if found.part == "value":
        return "indicator", (found.code, None, None)
    if found.part in ("numerator", "denominator"):
        return "part", (found.part, (found.code, *(c for c, _ in found.candidates if c != found.code)))
    if found.part == "ignore":
        return "ignored", None
    role = (_role(sub) or _role(label)) if sub else None
    if role:
        return "role", role
    return "unknown", tuple(c for c, _ in found.candidates[:3])


def _guess_region_column(rows: list[list], start: int, skip: set[int], regions: RegionIndex) -> int | None:
    """The column whose cells below the header most often name a region."""
    sample = rows[start : start + 40]
    hits = {
        j: sum(1 for r in sample if cell_text(r[j]) and regions.resolve(cell_text(r[j])))
        for j in range(len(rows[start - 1]))
        if j not in skip
    }
    best = max(hits, key=hits.get, default=None)
    return best if best is not None and hits[best] else None


def _header_from(
    rows: list[list], first: int, last: int, sheet: str, catalog: Catalog, regions: RegionIndex
) -> Header | None:
    upper = [cell_text(v) for v in rows[first]]
    lower = [cell_text(v) for v in rows[last]] if last > first else [""] * len(upper)
    header = Header("wide", first, last, {})
    carried, region_columns = "", []
    for j, (up, low) in enumerate(zip(upper, lower, strict=False)):
        carried = up or (carried if low else "")  # merged upper cells span the sub-headers below them
        kind, what = _classify(up or carried, low, catalog)
        header.labels[j] = f"{up or carried}{low}"
        if kind == "role" and what == "region" and "region" in header.roles:
            region_columns.append(j)  # 区域 | 市(州): a region group beside the cities
        elif kind == "role":
            header.roles.setdefault(what, j)
            if what == "region":
                region_columns.append(j)
        elif kind == "indicator":
            header.indicators[j] = what
        elif kind == "part":
            header.parts[j] = what
        elif kind == "unknown":
            header.unmatched[j] = (f"{col_letter(j)}{(last if low else first) + 1}", what)
    if len(region_columns) > 1:  # the column whose cells name regions, not the region group merged beside it
        others = set(range(len(upper))) - set(region_columns)
        header.roles["region"] = _guess_region_column(rows, last + 1, others, regions) or region_columns[0]
    if all(r in header.roles for r in _LONG_ROLES):
        header.shape, header.indicators = "long", {}
        return header
    if not header.indicators and not header.parts and not ("region" in header.roles and header.unmatched):
        return None  # a named region column beside unknown ones is still a header: its columns await a decision
    if "region" not in header.roles:
        guess = _guess_region_column(rows, last + 1, set(header.indicators) | set(header.parts), regions)
        if guess is None:
            return None
        header.roles["region"] = guess
        header.unmatched.pop(guess, None)
    return header


def find_header(sheet: Sheet, catalog: Catalog, regions: RegionIndex) -> Header | None:
    """The first row (of the first dozen) that reads as a long or wide header; a two-row header is joined."""
    rows = sheet.rows
    for h in range(min(HEADER_SCAN_ROWS, len(rows))):
        if sum(1 for v in rows[h] if cell_text(v)) < 2:
            continue  # a title row ('2024年各市州农村生活污水治理率目标'), never a header: a header names two columns
        region_col = next((j for j, v in enumerate(rows[h]) if _role(cell_text(v)) == "region"), None)
        below = rows[h + 1] if h + 1 < len(rows) else []
        subheader = (
            region_col is not None
            and below
            and not cell_text(below[region_col])
            and any(isinstance(v, str) and v.strip() for v in below)
        )
        header = (subheader and _header_from(rows, h, h + 1, sheet.name, catalog, regions)) or _header_from(
            rows, h, h, sheet.name, catalog, regions
        )
        if header:
            return header
    return None
