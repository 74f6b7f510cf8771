"""`cli.py targets`: list, retire, history and the import of a province's per-city target table."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from charts.safe_text import for_terminal
from commands.base import EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE, UsageError, acting, cli_author, emit, refused
from data_loaders import store
from data_loaders.db import create_schema, make_engine
from data_loaders.permissions import refuse_targets_outside
from data_loaders.pipeline import UnreadableWorkbook
from data_loaders.reports import target_table, with_names
from data_loaders.settings import database_url, max_upload_bytes
from data_loaders.target_tables import read_target_table
from indicators.access import Action
from indicators.catalog import load_catalog
from indicators.regions import load_regions


def cmd_targets(args) -> int:
    modes = {"--import": args.import_file, "--retire": args.retire, "--history": args.history}
    chosen = [name for name, value in modes.items() if value is not None]
    if len(chosen) > 1:
        raise UsageError(f"{' 与 '.join(chosen)} 不能同时使用", f"{' and '.join(chosen)} cannot be combined")
    if args.note is not None and args.retire is None:
        raise UsageError("--note 只能与 --retire 一起使用", "--note goes with --retire")
    if args.import_file:
        return import_target_table(args)
    if args.retire is not None:
        return retire_target(args)
    if args.history is not None:
        return target_history(args)
    engine = make_engine(database_url(args.db))
    catalog, regions = load_catalog(), load_regions()
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
    engine = make_engine(database_url(args.db))
    create_schema(engine)
    account = acting(engine, args.user, Action.TARGET_WRITE)
    if account is not None and not (outside := refuse_targets_outside(parsed.targets, account, load_regions())).empty:
        return refused(outside)
    added = store.add_targets(engine, parsed.targets, by=account.name if account else cli_author())
    print(f"导入目标 {added} 条（共 {len(parsed.targets)} 条）/ {added} targets added ({len(parsed.targets)} read)")
    return EXIT_OK
