"""Command line: init, import, targets, gaps, template, batches, rollback, report, users. Run `python cli.py -h`."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path
from typing import NoReturn

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
    named_account,
    period_arg,
    refused,
    year_arg,
)
from commands.report import cmd_report
from commands.targets import cmd_targets
from commands.users import cmd_users
from data_loaders import store
from data_loaders.bootstrap import init_database
from data_loaders.cells import IGNORE
from data_loaders.db import make_engine
from data_loaders.faults import classify
from data_loaders.mapping_store import RememberedMappings, remember_mappings
from data_loaders.permissions import check_rollback, refuse_outside
from data_loaders.pipeline import UnreadableWorkbook, parse_workbook
from data_loaders.reports import gap_table, with_names
from data_loaders.sandbox import run_isolated
from data_loaders.settings import configure_logging, database_url, max_upload_bytes, parse_memory_bytes, parse_seconds
from data_loaders.template import template_bytes
from indicators.access import AccountRefused, Action
from indicators.catalog import load_catalog
from indicators.regions import load_regions
from indicators.terms import Role, Severity
from ui.wording import PROGRESS_STAGES

log = logging.getLogger(__name__)


def cmd_init(args) -> int:
    engine = make_engine(database_url(args.db))
    summary = init_database(engine, load_catalog(), load_regions(), sample=args.sample)
    print(f"数据库已就绪 / database ready: {engine.url.render_as_string(hide_password=True)}")
    print(f"新增目标 {summary.targets_added} 条 / targets added: {summary.targets_added}")
    for b in summary.batches:
        print(
            f"  样例数据批次 sample batch {b.batch_id}: +{b.inserted} inserted, {b.updated} updated, {b.unchanged} unchanged"
        )
    return EXIT_OK


class ProgressBar:
    """A text progress bar on stderr for large files: one line per tenth, so logs stay short."""

    MIN_TOTAL = 20_000

    def __init__(self, stream=None) -> None:
        self.stream, self.shown = stream or sys.stderr, {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < self.MIN_TOTAL:
            return
        tenth = done * 10 // total
        if self.shown.get(stage, -1) >= tenth:
            return
        self.shown[stage] = tenth
        bar = "#" * tenth + "." * (10 - tenth)
        print(
            f"[{bar}] {' '.join(PROGRESS_STAGES.get(stage, (stage,)))} {done:,}/{total:,}", file=self.stream, flush=True
        )


def _column_decisions(args, catalog) -> dict[str, str]:
    """--map-column HEADER=CODE and --ignore-column HEADER as {header: code or "ignore"}; UsageError when bad."""
    decisions = dict.fromkeys(args.ignore_column, IGNORE)
    for item in args.map_column:
        header, sep, code = item.rpartition("=")
        if not sep or not header.strip():
            raise UsageError("--map-column 应为 表头=指标代码", f"--map-column expects HEADER=CODE: {item!r}")
        if code.strip() not in catalog:
            raise UsageError("未知指标代码", f"unknown indicator code: {code!r} (python cli.py targets lists them)")
        decisions[header.strip()] = code.strip()
    return decisions


def cmd_import(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"文件不存在 / file not found: {path}", file=sys.stderr)
        return EXIT_UNUSABLE
    data = path.read_bytes()
    if (engine := initialised_engine(args)) is None:
        return EXIT_UNUSABLE
    catalog, regions = catalog_for(engine), load_regions()  # with the indicators people added
    decisions = _column_decisions(args, catalog)
    progress = ProgressBar()
    account = acting(engine, args.user, Action.UPLOAD)
    author = account.name if account else cli_author()
    try:
        parsed = run_isolated(  # a reader failure nobody foresaw ends the child, never this command
            parse_workbook,
            data,
            catalog,
            regions,
            prior=store.StoredValues.of(engine),  # increments on top of stored earlier periods
            decisions=decisions,
            remembered=RememberedMappings.of(engine),
            max_bytes=max_upload_bytes(),
            progress=progress,
            memory_bytes=parse_memory_bytes(),
            seconds=parse_seconds(),
        )
    except UnreadableWorkbook as exc:
        print(
            for_terminal(f"无法读取 {path.name}: {exc.zh}\ncannot read {path.name}: {exc.en}"),
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    problems = parsed.problems
    if not problems.empty:
        print(for_terminal(problems.to_string(index=False)), file=sys.stderr)
    if parsed.has_errors:
        n = int((problems["severity"] == Severity.ERROR).sum())
        print(f"发现 {n} 个错误，未导入任何数据 / {n} errors found; nothing was imported", file=sys.stderr)
        return EXIT_INVALID
    if account is not None and not (outside := refuse_outside(parsed.tidy, account, regions)).empty:
        return refused(outside)
    diff = store.diff_against_store(engine, parsed.tidy)
    updates = diff[diff["change"] == "update"]
    if not updates.empty:
        print("将被替换的数值 / values to be replaced (old → new):")
        print(for_terminal(updates[[*store.OBS_KEY, "old_value", "new_value"]].to_string(index=False)))
    if args.dry_run:
        counts = diff["change"].value_counts().to_dict()
        print(f"试运行，未写入 / dry run, nothing written: {counts}")
        return EXIT_OK
    summary = store.commit_upload(
        engine, parsed.tidy, path.name, store.sha256_of(data), uploaded_by=author, progress=progress
    )
    if decisions and parsed.source:
        remember_mappings(engine, parsed.source, decisions, confirmed_by=author)
    if summary.already_imported:
        print(
            f"该文件已于批次 {summary.batch_id} 导入，未作更改 / file already imported as batch {summary.batch_id}; nothing changed"
        )
    else:
        print(
            f"已导入批次 {summary.batch_id}：新增 {summary.inserted}，更新 {summary.updated}，未变 {summary.unchanged} / "
            f"committed batch {summary.batch_id}: {summary.inserted} inserted, {summary.updated} updated, "
            f"{summary.unchanged} unchanged"
        )
    return EXIT_OK


def cmd_gaps(args) -> int:
    engine = make_engine(database_url(args.db))
    catalog, regions = catalog_for(engine), load_regions()  # with the indicators people added
    if args.indicator and args.indicator not in catalog:
        raise UsageError("未知指标", f"unknown indicator: {args.indicator}")
    if args.region and args.region not in regions:
        raise UsageError("未知地区", f"unknown region: {args.region}")
    region_codes = None
    if args.region:
        region_codes = [args.region] + [r.code for r in regions.children(args.region)]
    indicator_codes = [args.indicator] if args.indicator else None
    df = gap_table(engine, catalog, regions, args.year, args.period, region_codes, indicator_codes)
    emit(with_names(df, catalog, regions, "zh"), args.format, args.output)
    return EXIT_OK


def cmd_batches(args) -> int:
    engine = make_engine(database_url(args.db))
    df = store.list_batches(engine)
    emit(df, args.format, args.output)
    return EXIT_OK


def cmd_template(args) -> int:
    regions = load_regions()
    if args.province not in regions or regions[args.province].level != "province":
        raise UsageError("未知省份", f"unknown province: {args.province}")
    data = template_bytes(load_catalog(), regions, args.year, args.period, args.province)
    Path(args.output).write_bytes(data)
    print(f"模板已生成 / template written: {args.output}")
    return EXIT_OK


def cmd_rollback(args) -> int:
    engine = make_engine(database_url(args.db))
    try:
        account = None
        if args.user is not None:
            account = check_rollback(engine, named_account(engine, args.user), args.batch_id, load_regions())
        restored = store.rollback_batch(engine, args.batch_id, by=account.name if account else cli_author())
    except store.RollbackRefused as exc:
        print(for_terminal(exc.both("\n")), file=sys.stderr)
        return EXIT_INVALID
    print(
        f"批次 {args.batch_id} 已回滚，恢复 {restored} 个原值 / batch {args.batch_id} rolled back; {restored} values restored"
    )
    return EXIT_OK


class Parser(argparse.ArgumentParser):
    """argparse without abbreviations (`--password=x` is not taken for `--password-stdin`), and whose refusals never
    repeat a value typed with an unknown option or after a flag's `=`: it may be a password."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs, allow_abbrev=False)  # the subcommands' parsers are Parsers too

    def parse_args(self, args=None, namespace=None) -> argparse.Namespace:
        parsed, unknown = self.parse_known_args(args, namespace)
        if unknown:
            options = " ".join(dict.fromkeys(a.split("=", 1)[0] for a in unknown if a.startswith("-")))
            self.error(f"无法识别的参数 / unrecognized arguments: {options or '…'} (值不显示 / values not shown)")
        return parsed

    def error(self, message: str) -> NoReturn:
        super().error(
            re.sub(r"ignored explicit argument .*", "ignored explicit argument (值不显示 / not shown)", message)
        )


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="cli.py", description="生态环境目标差距看板 / environmental target-gap dashboard")
    sub = p.add_subparsers(dest="command", required=True)

    def db(sp):
        sp.add_argument("--db", help="database URL (default: DATABASE_URL, then the SQLite file)")

    def fmt(sp):
        sp.add_argument("--format", choices=["csv", "json"], default="csv")
        sp.add_argument("-o", "--output", help="write to this file (CSV with BOM) instead of standard output")

    sp = sub.add_parser("init", help="create or upgrade the schema; load catalog, regions, targets")
    db(sp)
    sp.add_argument("--sample", action="store_true", help="also load the sample quarterly data")
    sp.set_defaults(func=cmd_init)

    sp = sub.add_parser("import", help="import a workbook (exit 0 committed, 1 validation errors, 2 unreadable)")
    sp.add_argument("file")
    db(sp)
    sp.add_argument("--dry-run", action="store_true", help="validate and show the diff; write nothing")
    sp.add_argument(
        "--user",
        metavar="NAME",
        help="import as this account: its role and regions are checked, each refused cell named (exit 1, nothing "
        "written); without it the batch records cli:<login>",
    )
    sp.add_argument(
        "--map-column",
        action="append",
        default=[],
        metavar="HEADER=CODE",
        help="a column that matches no indicator is this indicator (remembered for the file's region)",
    )
    sp.add_argument(
        "--ignore-column",
        action="append",
        default=[],
        metavar="HEADER",
        help="a column that matches no indicator is not imported (remembered for the file's region)",
    )
    sp.set_defaults(func=cmd_import)

    sp = sub.add_parser("targets", help="list targets with their source clauses")
    db(sp)
    sp.add_argument("--year", type=year_arg)
    sp.add_argument("--region")
    sp.add_argument("--indicator")
    sp.add_argument("--import", dest="import_file", metavar="FILE", help="load a per-city target table (.xlsx)")
    sp.add_argument("--issuer", help="issuing bureau when the title does not name it, e.g. 湖北省生态环境厅")
    sp.add_argument("--source", help="source document to record (default: the file name)")
    sp.add_argument("--retire", type=int, metavar="ID", help="retire target ID (kept as history; see target_id)")
    sp.add_argument("--note", help="why the target is retired (with --retire)")
    sp.add_argument("--history", type=int, metavar="ID", help="every version of target ID, oldest first")
    sp.add_argument("--user", metavar="NAME", help="--import / --retire as this account (role and regions checked)")
    sp.add_argument("--draft", metavar="FILE", help="draft candidate targets from a work plan (.txt, .docx, .pdf)")
    sp.add_argument("--import-drafts", metavar="FILE.csv", help="store the drafts CSV rows whose confirm says yes")
    fmt(sp)
    sp.set_defaults(func=cmd_targets)

    sp = sub.add_parser("gaps", help="gap of every region to its effective target")
    db(sp)
    sp.add_argument("--year", type=year_arg, required=True)
    sp.add_argument("--period", type=period_arg, default=12, help="Q1–Q4, a month 1–12, or annual (default)")
    sp.add_argument("--region", help="a region code: that region and its children")
    sp.add_argument("--indicator")
    fmt(sp)
    sp.set_defaults(func=cmd_gaps)

    sp = sub.add_parser("batches", help="upload history, newest first")
    db(sp)
    fmt(sp)
    sp.set_defaults(func=cmd_batches)

    sp = sub.add_parser("template", help="write an upload template for a year, period and province")
    sp.add_argument("--year", type=year_arg, required=True)
    sp.add_argument("--period", type=period_arg, required=True, help="Q1–Q4, a month 1–12, or annual")
    sp.add_argument("--province", default="420000", help="province code (default 420000 Hubei)")
    sp.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    sp.set_defaults(func=cmd_template)

    sp = sub.add_parser("report", help="the quarterly briefing (季度通报) as a Word document, optionally a PDF")
    db(sp)
    sp.add_argument("--year", type=int, required=True)
    sp.add_argument("--period", type=period_arg, required=True, help="Q1–Q4, a month 1–12, or annual")
    sp.add_argument("--province", required=True, help="province code, e.g. 420000 (Hubei)")
    sp.add_argument(
        "--indicator",
        action="append",
        default=[],
        metavar="CODE",
        help="an indicator to rank (repeat for several; default: those most of the province's cities reported)",
    )
    sp.add_argument(
        "--template", metavar="FILE.docx", help="the bureau's own Word template (placeholders: reports/TEMPLATE.md)"
    )
    sp.add_argument(
        "--pdf",
        action="store_true",
        help="also write a PDF beside it through LibreOffice; without LibreOffice the .docx is still written, "
        "a message says why there is no PDF, and the exit code is 2",
    )
    sp.add_argument("-o", "--output", required=True, help="the .docx file to write")
    sp.set_defaults(func=cmd_report)

    sp = sub.add_parser("rollback", help="restore exactly the values a batch replaced")
    sp.add_argument("batch_id", type=int)
    db(sp)
    sp.add_argument("--user", metavar="NAME", help="roll back as this account (an analyst or admin for its regions)")
    sp.set_defaults(func=cmd_rollback)

    sp = sub.add_parser("users", help="accounts: add, list, disable, enable, passwd (passwords from stdin only)")
    users = sp.add_subparsers(dest="users_command", required=True)
    u = users.add_parser("add", help="add an account")
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=[str(r) for r in Role])
    u.add_argument("--region", action="append", default=[], metavar="CODE", help="a region code (repeat for more)")
    u.add_argument("--display-name", help="the name pages show, e.g. 张三")
    u.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    u.add_argument("--sso", metavar="IDENTITY", help="single sign-on identity: verified e-mail or OIDC sub")
    db(u)
    u = users.add_parser("list", help="every account (never a password hash)")
    db(u)
    fmt(u)
    for verb in ("disable", "enable"):
        u = users.add_parser(verb, help=f"{verb} an account (accounts are never deleted)")
        u.add_argument("name")
        db(u)
    u = users.add_parser("passwd", help="set an account's password (unlocks it)")
    u.add_argument("name")
    u.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    u.add_argument("--must-change", action="store_true", help="its owner must choose a new one at the next sign-in")
    db(u)
    sp.set_defaults(func=cmd_users)
    return p


def main(argv: list[str] | None = None) -> int:
    configure_logging()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNUSABLE
    except AccountRefused as exc:
        print(for_terminal(exc.both("\n")), file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:  # a database fault or a defect: one line in both languages, never a traceback
        found = classify(exc)
        log.debug("cli.py %s failed (%s)", args.command, found.kind, exc_info=exc)  # ENV_DASHBOARD_LOG_LEVEL=DEBUG
        print(f"{found.line()} [{type(exc).__name__}]", file=sys.stderr)
        return EXIT_UNUSABLE


if __name__ == "__main__":
    sys.exit(main())
