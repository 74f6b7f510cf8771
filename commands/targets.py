"""`cli.py targets`: list, retire, history, the import of a province's per-city target table, and targets drafted
from a work plan (--draft writes the drafts CSV, --import-drafts stores the rows a person confirmed)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from charts.safe_text import for_terminal
from commands.base import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNUSABLE,
    UsageError,
    acting,
    catalog_for,
    cli_author,
    emit,
    initialised_engine,
    refused,
)
from data_loaders import store
from data_loaders.db import make_engine
from data_loaders.documents import UnreadableDocument, read_document
from data_loaders.permissions import refuse_targets_outside
from data_loaders.pipeline import UnreadableWorkbook
from data_loaders.reports import target_table, with_names
from data_loaders.settings import database_url, max_upload_bytes
from data_loaders.target_tables import read_target_table
from indicators.access import Action
from indicators.catalog import load_catalog
from indicators.draft_table import CONFIRM_YES, draft_row_target, drafts_frame
from indicators.drafting import draft_targets
from indicators.regions import load_regions
from indicators.target_checks import has_errors, validate_target


def cmd_targets(args) -> int:
    modes = {
        "--import": args.import_file,
        "--retire": args.retire,
        "--history": args.history,
        "--draft": args.draft,
        "--import-drafts": args.import_drafts,
    }
    chosen = [name for name, value in modes.items() if value is not None]
    if len(chosen) > 1:
        raise UsageError(f"{' 与 '.join(chosen)} 不能同时使用", f"{' and '.join(chosen)} cannot be combined")
    if args.note is not None and args.retire is None:
        raise UsageError("--note 只能与 --retire 一起使用", "--note goes with --retire")
    if args.import_file:
        return import_target_table(args)
    if args.draft:
        return draft_from_plan(args)
    if args.import_drafts:
        return import_drafts(args)
    if args.retire is not None:
        return retire_target(args)
    if args.history is not None:
        return target_history(args)
    engine = make_engine(database_url(args.db))
    catalog, regions = catalog_for(engine), load_regions()
    df = target_table(engine, catalog, regions, args.year, args.region, args.indicator)
    emit(with_names(df, catalog, regions, "zh"), args.format, args.output)
    return EXIT_OK


def retire_target(args) -> int:
    engine = make_engine(database_url(args.db))
    try:
        account = acting(engine, args.user, Action.TARGET_WRITE)
        target = store.load_target(engine, args.retire)
        if account is not None and target is not None:
            if not (outside := refuse_targets_outside([target], account, load_regions())).empty:
                return refused(outside)
        store.retire_target(engine, args.retire, args.note or "", by=account.name if account else cli_author())
    except store.TargetRefused as exc:
        print(for_terminal(exc.both("\n")), file=sys.stderr)
        return EXIT_INVALID
    print(f"目标 {args.retire} 已停用（记录保留）/ target {args.retire} retired (the row is kept as history)")
    return EXIT_OK


def target_history(args) -> int:
    history = store.target_history(make_engine(database_url(args.db)), args.history)
    if history.empty:
        print(f"目标 {args.history} 不存在 / target {args.history} does not exist", file=sys.stderr)
        return EXIT_INVALID
    for col in ("created_at", "retired_at"):
        history[col] = [None if v is None or pd.isna(v) else pd.Timestamp(v).isoformat() for v in history[col]]
    emit(history, args.format, args.output)
    return EXIT_OK


def import_target_table(args) -> int:
    path = Path(args.import_file)
    if not path.is_file():
        print(f"文件不存在 / file not found: {path}", file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        parsed = read_target_table(
            path.read_bytes(),
            load_catalog(),
            load_regions(),
            issuer=args.issuer,
            source_name=args.source or path.name,
            max_bytes=max_upload_bytes(),
        )
    except UnreadableWorkbook as exc:
        print(
            for_terminal(f"无法读取 {path.name}: {exc.zh}\ncannot read {path.name}: {exc.en}"),
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    if not parsed.problems.empty:
        print(for_terminal(parsed.problems.to_string(index=False)), file=sys.stderr)
    if parsed.has_errors:
        print("目标表有错误，未导入 / the target table has errors; nothing was imported", file=sys.stderr)
        return EXIT_INVALID
    if (engine := initialised_engine(args)) is None:
        return EXIT_UNUSABLE
    account = acting(engine, args.user, Action.TARGET_WRITE)
    if account is not None and not (outside := refuse_targets_outside(parsed.targets, account, load_regions())).empty:
        return refused(outside)
    added = store.add_targets(engine, parsed.targets, by=account.name if account else cli_author())
    print(f"导入目标 {added} 条（共 {len(parsed.targets)} 条）/ {added} targets added ({len(parsed.targets)} read)")
    return EXIT_OK


def draft_from_plan(args) -> int:
    path = Path(args.draft)
    if not path.is_file():
        print(f"文件不存在 / file not found: {path}", file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        document = read_document(path)
    except UnreadableDocument as exc:
        print(for_terminal(f"无法读取 {path.name}: {exc.zh}\ncannot read {path.name}: {exc.en}"), file=sys.stderr)
        return EXIT_UNUSABLE
    catalog, regions = load_catalog(), load_regions()
    if args.region and args.region not in regions:
        raise UsageError(f"未知地区代码 {args.region}", f"unknown region code: {args.region!r}")
    drafts = draft_targets(
        document.text, catalog, regions, year=args.year, region=args.region, issuer=args.issuer
    )  # fmt: skip
    emit(drafts_frame(drafts, source_file=path.name), args.format, args.output)
    print(f"候选目标 {len(drafts)} 条 / {len(drafts)} candidate targets", file=sys.stderr)
    return EXIT_OK


def _confirmed(value: object) -> bool:
    return str(value if value is not None else "").strip().lower() in CONFIRM_YES


def import_drafts(args) -> int:
    path = Path(args.import_drafts)
    if not path.is_file():
        print(f"文件不存在 / file not found: {path}", file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        print(f"无法读取 {path.name} / cannot read {path.name}: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    if "confirm" not in frame.columns:
        print("缺少 confirm 列 / the drafts CSV has no confirm column", file=sys.stderr)
        return EXIT_UNUSABLE
    if (engine := initialised_engine(args)) is None:
        return EXIT_UNUSABLE
    catalog, regions = catalog_for(engine), load_regions()  # with the indicators people added
    targets, refusals = [], []
    for number, row in enumerate(frame.to_dict("records"), start=2):  # row 1 is the header
        if not _confirmed(row.get("confirm")):
            continue
        try:
            target = draft_row_target(row, args.issuer, args.source or path.name)
        except ValueError as exc:
            refusals.append(f"第 {number} 行 / row {number}: 数值无法读取 / unreadable number ({exc})")
            continue
        existing = store.load_targets(engine, target.year, target.region_code, target.indicator_code)
        problems = validate_target(target, catalog, regions, [*existing, *targets])
        if has_errors(problems):
            refusals += [f"第 {number} 行 / row {number}: {p.field}: {p.zh} / {p.en}" for p in problems]
            continue
        targets.append(target)
    if refusals:
        print(for_terminal("\n".join(refusals)), file=sys.stderr)
        print("草稿有错误，未导入 / the drafts have errors; nothing was imported", file=sys.stderr)
        return EXIT_INVALID
    account = acting(engine, args.user, Action.TARGET_WRITE)
    if account is not None and not (outside := refuse_targets_outside(targets, account, regions)).empty:
        return refused(outside)
    added = store.add_targets(engine, targets, by=account.name if account else cli_author())
    print(f"导入目标 {added} 条（确认 {len(targets)} 条）/ {added} targets added ({len(targets)} confirmed)")
    return EXIT_OK
