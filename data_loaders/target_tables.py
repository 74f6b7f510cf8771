"""A province's per-city target table ("2024年各市州农村生活污水治理率目标") read into targets.

The table has the shape of a wide data sheet (rows = cities, one column per indicator), so it goes through the
same readers and checks; only the headers' "目标" wording is dropped and the period is the whole year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from data_loaders.cells import Problem, problems_frame
from data_loaders.headers import HEADER_SCAN_ROWS, sheet_title
from data_loaders.pipeline import parse_workbook
from data_loaders.sandbox import run_isolated
from data_loaders.settings import max_upload_bytes, parse_memory_bytes, parse_seconds
from data_loaders.workbook import Sheet, read_bytes
from indicators.catalog import Catalog
from indicators.periods import find_year_period
from indicators.regions import RegionIndex
from indicators.targets import Target
from indicators.terms import Severity

_TARGET_WORDS = re.compile(r"(年度)?目标值?|考核目标|下达目标")
_ISSUER = re.compile(r"^(.*?(生态环境厅|生态环境局|人民政府|人民政府办公厅|污染防治攻坚战指挥部办公室))")
_BUREAU = re.compile(r"(生态环境厅|生态环境局|人民政府办公厅|人民政府|污染防治攻坚战指挥部办公室)$")


@dataclass
class ParsedTargets:
    targets: list[Target]
    problems: pd.DataFrame

    @property
    def has_errors(self) -> bool:
        return bool((self.problems["severity"] == Severity.ERROR).any())


_WHOLE_YEAR = (
    "〔全年〕"  # added to a sheet name that states no period (a target is for the whole year), taken off after
)


def as_target_sheets(sheets: list[Sheet]) -> list[Sheet]:
    """A target table's sheets as data sheets: the headers' 目标 wording dropped, the whole year where none is named."""
    out = []
    for sh in sheets:
        title = sheet_title(sh.rows)
        rows = [
            [
                _TARGET_WORDS.sub("", v) if isinstance(v, str) and i < HEADER_SCAN_ROWS and v.strip() != title else v
                for v in row
            ]
            for i, row in enumerate(sh.rows)
        ]
        name = sh.name
        if find_year_period(title)[1] is None and find_year_period(name)[1] is None:
            name = f"{name}{_WHOLE_YEAR}"
        out.append(replace(sh, name=name, rows=rows))
    return out


def read_target_table(
    source: str | Path | bytes,
    catalog: Catalog,
    regions: RegionIndex,
    issuer: str | None = None,
    source_name: str = "",
    max_bytes: int | None = None,
) -> ParsedTargets:
    """Targets with issuer and source for every city × indicator cell; raises only UnreadableWorkbook.

    A target table is held to the limits of a data upload (README, settings): ENV_DASHBOARD_MAX_UPLOAD_MB unless
    `max_bytes` is given, the per-sheet limits, and the parse child's memory and time."""
    limit = max_bytes or max_upload_bytes()
    data = read_bytes(source, limit)  # refused here, before a child is started for it
    parsed = run_isolated(
        parse_workbook,
        data,
        catalog,
        regions,
        max_bytes=limit,
        rewrite_sheets=as_target_sheets,
        memory_bytes=parse_memory_bytes(),
        seconds=parse_seconds(),
    )
    problems = parsed.problems.copy()
    problems["sheet"] = problems["sheet"].str.removesuffix(_WHOLE_YEAR)
    titles = {name.removesuffix(_WHOLE_YEAR): title for name, title in parsed.titles.items()}
    targets = []
    for rec in parsed.tidy.itertuples(index=False):
        sheet = rec.sheet.removesuffix(_WHOLE_YEAR)
        title = titles.get(sheet, "")
        who = issuer or (_ISSUER.match(title).group(1) if _ISSUER.match(title) else "")
        issuer_code = regions.resolve(_BUREAU.sub("", who)) or ""
        ind = catalog[rec.indicator_code]
        targets.append(
            Target(
                rec.indicator_code,
                rec.region_code,
                int(rec.year),
                ">=" if ind.higher_better else "<=",
                float(rec.value),
                issuer_code=issuer_code,
                issuer_name=who,
                source_file=source_name,
                source_clause=f"{title or sheet}（{sheet}!{rec.cell}：{regions.name(rec.region_code)} {rec.value:g}）",
            )
        )
    if not issuer and any(not t.issuer_name for t in targets):
        missing = problems_frame(
            [
                Problem(
                    sheet=next(iter(titles), ""),
                    cell="A1",
                    column="",
                    value=next(iter(titles.values()), ""),
                    zh="标题中未写明下达单位，请用 --issuer 指定（如 湖北省生态环境厅）",
                    en="The title names no issuing bureau; give it with --issuer (e.g. 湖北省生态环境厅)",
                )
            ]
        )
        problems = pd.concat([problems, missing], ignore_index=True)
    return ParsedTargets(targets, problems)
