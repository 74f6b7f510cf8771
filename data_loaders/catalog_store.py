"""Indicators a person added to the catalog (from the drafting page): rows of the `indicators` table that the shipped
catalog (sample_data/indicators.csv) does not have. `catalog_of` joins them to the shipped catalog; every reader that
holds a database (pages, CLI) goes through it, so targets and uploads for an added indicator read like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_loaders import audit
from data_loaders.audit import Change
from data_loaders.db import IndicatorRow
from data_loaders.store import indicator_row
from indicators.catalog import DIRECTIONS, Catalog, Indicator, load_catalog
from indicators.errors import BilingualError

_ROW_FIELDS = ("code", "name_zh", "name_en", "unit", "direction", "kind", "aggregation", "min_value", "max_value")
_ROW_FIELDS += ("decimals", "category", "definition_zh", "definition_en", "standard")
ADDED_CATEGORY = "added"  # the category of every indicator a person added
_CODE_PREFIX = "added_"
_NAME_LIMIT, _UNIT_LIMIT = 64, 16  # within the indicators table's columns (128 and 16) on every backend


class IndicatorRefused(BilingualError):
    """The indicator cannot be added (no name, a name the catalog already has, a bad direction or decimals)."""


@dataclass(frozen=True)
class NewIndicator:
    name_zh: str
    unit: str
    direction: str
    decimals: int
    name_en: str = ""
    definition_zh: str = ""


def _indicator(code: str, name: str, new: NewIndicator) -> Indicator:
    return Indicator(
        code=code,
        name_zh=name,
        name_en=new.name_en.strip() or name,
        aliases=(),
        unit=new.unit.strip(),
        direction=new.direction,
        kind="level",
        aggregation="none",  # nobody has said how the statistics combine it: the province's own figure is needed
        min_value=0.0,
        max_value=100.0 if new.unit.strip() == "%" else 1e12,
        decimals=new.decimals,
        category=ADDED_CATEGORY,
        definition_zh=new.definition_zh.strip(),
        definition_en="",
        standard="",
    )


def _stored(row: IndicatorRow) -> Indicator:
    """An added indicator as the catalog holds it (kind and aggregation as it was added)."""
    return Indicator(
        **{f: getattr(row, f) for f in _ROW_FIELDS},
        aliases=tuple(a for a in row.aliases.split("|") if a),
    )


def added_indicators(engine: Engine, shipped: Catalog) -> list[Indicator]:
    with Session(engine) as s:
        rows = s.scalars(select(IndicatorRow).where(IndicatorRow.category == ADDED_CATEGORY)).all()
    return [_stored(r) for r in rows if r.code not in shipped]


def catalog_of(engine: Engine, shipped: Catalog | None = None) -> Catalog:
    """The shipped catalog and the indicators people added to this database."""
    shipped = shipped or load_catalog()
    return Catalog([*shipped, *added_indicators(engine, shipped)])


def add_indicator(engine: Engine, new: NewIndicator, catalog: Catalog, by: str) -> str:
    """Store the indicator (one audit entry in the same transaction) and return its code; IndicatorRefused when
    its name is empty or already names an indicator of `catalog`."""
    name = new.name_zh.strip()
    if not name:
        raise IndicatorRefused("请填写指标名称", "Enter the indicator's name")
    if (known := catalog.resolve(name)) is not None or (new.name_en and catalog.resolve(new.name_en)):
        code = known or catalog.resolve(new.name_en)
        raise IndicatorRefused(
            f"目录中已有同名指标“{catalog[code].name_zh}”（代码 {code}）",
            f"The catalog already has “{catalog[code].name_en}” ({code})",
        )
    if len(name) > _NAME_LIMIT or len(new.name_en.strip()) > _NAME_LIMIT or len(new.unit.strip()) > _UNIT_LIMIT:
        raise IndicatorRefused(
            f"指标名称最长 {_NAME_LIMIT} 个字，单位最长 {_UNIT_LIMIT} 个字",
            f"An indicator's name takes at most {_NAME_LIMIT} characters, its unit {_UNIT_LIMIT}",
        )
    if new.direction not in DIRECTIONS or not 0 <= new.decimals <= 4:
        raise IndicatorRefused("方向或小数位数无效", "Invalid direction or number of decimals")
    for _ in range(5):  # another replica may take the same number at the same moment: take the next one
        with Session(engine) as s:
            taken = s.scalars(select(IndicatorRow.code).where(IndicatorRow.code.like(f"{_CODE_PREFIX}%"))).all()
        numbers = [c.removeprefix(_CODE_PREFIX) for c in taken]
        number = 1 + max((int(n) for n in numbers if n.isdigit()), default=0)
        code = f"{_CODE_PREFIX}{number:03d}"
        try:
            with Session(engine) as s, s.begin():
                s.add(indicator_row(_indicator(code, name, new)))
                audit.record(s, by, Change.INDICATOR_ADD, code, f"{name} ({new.unit.strip() or '—'})")
            return code
        except IntegrityError:
            continue
    raise IndicatorRefused("指标编号冲突，请重试", "The indicator code was taken meanwhile; try again")
