"""One import, one way through: read → locate header → extract cells → normalise → check → tidy.

    workbook.py   bytes → sheets (size, format and shape limits; calamine)
    headers.py    sheet → Header (where the header is, what each column holds)
    extract.py    sheet + Header → cells table (one row per value cell, where each part came from)
    normalise.py  numbers, summary rows, fractions, increments → year to date (a prior-value lookup passed in)
    value_checks.py / checks.py   every check_* in one list (checks.CHECKS) → problem rows
    tidy.py       cells → the tidy table

Each stage imports only the ones before it and data_loaders.cells; `parse_workbook` is the one entry, used by the
CLI, the upload page, the target-table import, bootstrap and the bench."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_loaders.cells import CELL_COLUMNS, Problem, cell_text, problems_frame
from data_loaders.checks import run_checks
from data_loaders.extract import read_sheet
from data_loaders.headers import SKIPPED_SHEETS, sheet_title
from data_loaders.normalise import PriorValues, normalise, source_of
from data_loaders.tidy import tidy_table
from data_loaders.workbook import Limits, Sheet, UnreadableWorkbook, has_macros, open_workbook, read_bytes
from indicators.catalog import Catalog, normalize_label
from indicators.matching import fold
from indicators.regions import RegionIndex
from indicators.terms import Severity

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Remembered = Callable[[str], Mapping[str, str]]  # source → {folded header: code or "ignore"}
UNMATCHED_COLUMNS = ["sheet", "cell", "header", "suggestions"]
SheetRewrite = Callable[[list[Sheet]], list[Sheet]]

__all__ = ["ParsedUpload", "Progress", "UnreadableWorkbook", "parse_workbook"]


@dataclass
class ParsedUpload:
    """The tidy table (TIDY_COLUMNS) and the problems table (PROBLEM_COLUMNS) of one uploaded workbook."""

    tidy: pd.DataFrame
    problems: pd.DataFrame
    titles: dict[str, str] = field(default_factory=dict)  # sheet name → its title row ("" when none)
    source: str = ""  # the region the workbook is about: where decisions about its columns are remembered
    # columns of numbers that match no indicator and await a person's decision: sheet, cell, header, suggestions
    unmatched: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNMATCHED_COLUMNS))

    @property
    def has_errors(self) -> bool:
        return bool((self.problems["severity"] == Severity.ERROR).any())


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector paused while a workbook is parsed: the grid is a million cells in 200,000 row lists
    that live through the whole parse, and each full collection walks all of them again (0.10 s of a 1.9 s parse
    of 200,000 rows, bench/RESULTS.md). The parse makes no reference cycles worth collecting; reference counting
    frees everything as before, and the collector resumes as it was found."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@_cyclic_gc_paused()
def parse_workbook(
    source: str | Path | bytes,
    catalog: Catalog,
    regions: RegionIndex,
    *,
    prior: PriorValues | None = None,
    decisions: Mapping[str, str] | None = None,
    remembered: Remembered | None = None,
    max_bytes: int | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
    rewrite_sheets: SheetRewrite | None = None,
) -> ParsedUpload:
    """The tidy table and the problems table of a workbook; raises only UnreadableWorkbook.
    `prior` looks up stored year-to-date values for increments (data_loaders.store.StoredValues); `decisions`
    {header: indicator code or "ignore"} settle columns that match nothing, over what `remembered` returns for the
    workbook's source (data_loaders.mapping_store.RememberedMappings); `rewrite_sheets`
    adjusts the sheets before their headers are read (the target-table import); `progress(stage, done, total)`
    hears "read" (rows read) and "validated" (values checked)."""
    limits = limits or Limits.from_settings(max_bytes)
    data = read_bytes(source, limits.max_bytes)
    sheets = open_workbook(data, limits=limits)
    if rewrite_sheets:
        sheets = rewrite_sheets(sheets)
    notes = []
    if has_macros(data):
        notes.append(
            _book_problem(
                sheets,
                "工作簿含有宏：宏不会运行，只读取单元格中保存的数值",
                "The workbook contains macros: they are never run; only the values saved in its cells are read",
                Severity.WARNING,
            )
        )
    cells, problems = _extract(sheets, catalog, regions, progress)
    source = source_of(cells, regions)
    settled = {**(remembered(source) if remembered else {}), **{fold(k): v for k, v in (decisions or {}).items()}}
    df = normalise(cells, catalog, regions, prior, settled)
    problems += notes + run_checks(df, catalog, regions)
    tidy = tidy_table(df)
    if progress:
        progress("validated", len(cells), len(cells))
    if tidy.empty and not any(p.severity == Severity.ERROR for p in problems):
        problems.append(_nothing_read(sheets))
    titles = {s.name: sheet_title(s.rows) for s in sheets}
    return ParsedUpload(tidy, problems_frame(problems, list(titles)), titles, source, _unmatched(df))


def _unmatched(df: pd.DataFrame) -> pd.DataFrame:
    rows = df[df["unmatched"] != ""].drop_duplicates(["sheet", "unmatched_at"])
    out = rows[["sheet", "unmatched_at", "unmatched", "suggestions"]].astype(str)
    out.columns = UNMATCHED_COLUMNS
    return out.reset_index(drop=True)


def _extract(
    sheets: list[Sheet], catalog: Catalog, regions: RegionIndex, progress: Progress | None
) -> tuple[pd.DataFrame, list[Problem]]:
    """The cells of every sheet that holds data, and what locating and extracting found."""
    frames, problems = [], []
    total_rows, done = sum(len(s.rows) for s in sheets), 0
    for sheet in sheets:
        done += len(sheet.rows)
        if progress:
            progress("read", done, total_rows)
        if SKIPPED_SHEETS.match(normalize_label(sheet.name)) or not any(
            any(cell_text(v) for v in r) for r in sheet.rows
        ):
            continue
        try:
            cells, sheet_problems = read_sheet(sheet, catalog, regions)
        except Exception as exc:  # a reader bug must reach the user as a problem row, never as a stack trace
            cells, sheet_problems = None, [_unreadable_sheet(sheet, exc)]
        problems += sheet_problems
        if cells is not None and len(cells):
            if sheet.hidden:
                problems.append(_hidden_data(sheet, cells))
                continue
            frames.append(cells)
    cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CELL_COLUMNS)
    return cells, problems


def _sheet_problem(sheet: Sheet, zh: str, en: str) -> Problem:
    """A problem with a whole sheet, pointed at its first cell."""
    return Problem(sheet=sheet.name, cell="A1", column="", value=sheet.name, zh=zh, en=en)


def _unreadable_sheet(sheet: Sheet, exc: Exception) -> Problem:
    return _sheet_problem(
        sheet, f"工作表“{sheet.name}”读取失败：{exc!r}", f"Sheet '{sheet.name}' could not be read: {exc!r}"
    )


def _hidden_data(sheet: Sheet, cells: pd.DataFrame) -> Problem:
    return _sheet_problem(
        sheet,
        f"数据位于隐藏的工作表“{sheet.name}”中（{len(cells)}个数值）：请在Excel中取消隐藏、核对后再上传",
        f"Hidden sheet '{sheet.name}' holds data ({len(cells)} values): unhide and check it in Excel, then upload again",
    )


def _book_problem(sheets: list[Sheet], zh: str, en: str, severity: Severity = Severity.ERROR) -> Problem:
    """A problem with the whole workbook, pointed at the first cell of its first sheet."""
    return Problem(
        sheet=sheets[0].name if sheets else "", cell="A1", column="", value="", zh=zh, en=en, severity=severity
    )


def _nothing_read(sheets: list[Sheet]) -> Problem:
    return _book_problem(
        sheets,
        "工作簿中没有读到任何数值（空表或只有表头）",
        "No values were found in the workbook (empty, or a header without data)",
    )
