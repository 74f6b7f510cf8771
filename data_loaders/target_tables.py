"""A province's per-city target table ("2024年各市州农村生活污水治理率目标") read into targets.

The table has the shape of a wide data sheet (rows = cities, one column per indicator), so it goes through the
same readers and checks; only the headers' "目标" wording is dropped and the period is the whole year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from data_loaders.excel import parse_sheets
from data_loaders.validation import PROBLEM_COLUMNS
from data_loaders.workbook import open_workbook
from indicators.catalog import Catalog
from indicators.periods import find_year_period
from indicators.regions import RegionIndex
from indicators.targets import Target

_TARGET_WORDS = re.compile(r"(年度)?目标值?|考核目标|下达目标")
_ISSUER = re.compile(r"^(.*?(生态环境厅|生态环境局|人民政府|人民政府办公厅|污染防治攻坚战指挥部办公室))")
_BUREAU = re.compile(r"(生态环境厅|生态环境局|人民政府办公厅|人民政府|污染防治攻坚战指挥部办公室)$")
HEADER_ROWS = 12


@dataclass
class ParsedTargets:
    targets: list[Target]
    problems: pd.DataFrame

    @property
    def has_errors(self) -> bool:
        return bool((self.problems["severity"] == "error").any())


def _title(rows: list[list]) -> str:
    for row in rows[:HEADER_ROWS]:
        texts = [str(v).strip() for v in row if v not in (None, "")]
        if len(texts) == 1 and len(texts[0]) >= 6:
            return texts[0]
    return ""


def read_target_table(
    source: str | Path | bytes,
    catalog: Catalog,
    regions: RegionIndex,
    issuer: str | None = None,
    source_name: str = "",
    max_bytes: int = 50 * 1024 * 1024,
) -> ParsedTargets:
    """Targets with issuer and source for every city × indicator cell; raises only UnreadableWorkbook."""
    sheets = open_workbook(source, max_bytes)
    titles = {sh.name: _title(sh.rows) for sh in sheets}
    prepared = []
    for sh in sheets:
        rows = [
            [
                _TARGET_WORDS.sub("", v)
                if isinstance(v, str) and i < HEADER_ROWS and v.strip() != titles[sh.name]
                else v
                for v in row
            ]
            for i, row in enumerate(sh.rows)
        ]
        name = sh.name
        if find_year_period(titles[sh.name])[1] is None and find_year_period(name)[1] is None:
            name = f"{name}(全年)"  # a target is for the whole year
        prepared.append(replace(sh, name=name, rows=rows))
    parsed = parse_sheets(prepared, catalog, regions)
    renamed = {p.name: sh.name for p, sh in zip(prepared, sheets, strict=True)}
    problems = parsed.problems.copy()
    problems["sheet"] = problems["sheet"].map(lambda n: renamed.get(n, n))
    targets = []
    for rec in parsed.tidy.itertuples(index=False):
        sheet = renamed.get(rec.sheet, rec.sheet)
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
        missing = pd.DataFrame(
            [
                {
                    "sheet": sheets[0].name,
                    "cell": "A1",
                    "column": "",
                    "value": titles.get(sheets[0].name, ""),
                    "problem_zh": "标题中未写明下达单位，请用 --issuer 指定（如 湖北省生态环境厅）",
                    "problem_en": "The title names no issuing bureau; give it with --issuer (e.g. 湖北省生态环境厅)",
                    "severity": "error",
                }
            ],
            columns=PROBLEM_COLUMNS,
        )
        problems = pd.concat([problems, missing], ignore_index=True)
    return ParsedTargets(targets, problems)
