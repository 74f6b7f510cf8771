"""Command line: init, import, targets, gaps, template, batches, rollback, users. Run `python cli.py -h`."""

from __future__ import annotations

import argparse
import getpass
import io
import logging
import sys
from pathlib import Path

import pandas as pd

from charts.safe_text import for_terminal, spreadsheet_frame
from data_loaders import accounts, store
from data_loaders.bootstrap import init_database
from data_loaders.cells import IGNORE
from data_loaders.db import create_schema, make_engine
from data_loaders.faults import classify
from data_loaders.mapping_store import RememberedMappings, remember_mappings
from data_loaders.permissions import check_rollback, refuse_outside, refuse_targets_outside
from data_loaders.pipeline import UnreadableWorkbook, parse_workbook
from data_loaders.reports import gap_table, target_table, with_names
from data_loaders.sandbox import run_isolated
from data_loaders.settings import configure_logging, database_url, max_upload_bytes, parse_memory_bytes, parse_seconds
from data_loaders.target_tables import read_target_table
from data_loaders.template import template_bytes
from indicators.access import Account, AccountRefused, Action, require
from indicators.catalog import load_catalog
from indicators.errors import BilingualError
from indicators.periods import FIRST_YEAR, LAST_YEAR, parse_period, parse_year
from indicators.regions import load_regions
from indicators.terms import Role, Severity
from ui.wording import PROGRESS_STAGES

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2
log = logging.getLogger(__name__)


class UsageError(BilingualError):
    """Bad arguments found after parsing (exit 2), printed "zh / en": a value it names comes once, at the end."""


def cli_author() -> str:
    """Who a write without --user is recorded as: the operating-system login running the command."""
    try:
        login = getpass.getuser()
    except (OSError, KeyError):  # no login name in a bare container (no USER, uid not in passwd)
        login = "unknown"
    return f"cli:{login}"


def _named(engine, name: str) -> Account:
    account = accounts.get_account(engine, name)
    if account is None:
        raise AccountRefused(f"账户 {name} 不存在", f"Account {name} does not exist")
    return account


def _acting(engine, name: str | None, action: Action) -> Account | None:
    """The account --user names, when it may do the action (AccountRefused otherwise); None without --user."""
    if name is None:
        return None
    return require(_named(engine, name), action)


def _refused(problems: pd.DataFrame) -> int:
    print(for_terminal(problems.to_string(index=False)), file=sys.stderr)
    n = len(problems)
    print(f"{n} 处超出账户权限，未写入任何数据 / {n} refused for this account; nothing was written", file=sys.stderr)
    return EXIT_INVALID


def _period_arg(text: str) -> int:
    period = parse_period(text)
    if period is None:
        raise argparse.ArgumentTypeError(f"期间无法识别 / unknown period: {text!r} (Q1–Q4, 1–12 or annual)")
    return period


def _year_arg(text: str) -> int:
    year = parse_year(text.strip())
    if year is None:
        raise argparse.ArgumentTypeError(
            f"年份应在 {FIRST_YEAR}–{LAST_YEAR} 之间 / year must be {FIRST_YEAR}–{LAST_YEAR}: {text!r}"
        )
    return year


def _emit(df: pd.DataFrame, fmt: str, out: str | None) -> None:
    if fmt == "json":
        text = df.to_json(orient="records", force_ascii=False, indent=1)
    else:
        buf = io.StringIO()
        spreadsheet_frame(df).to_csv(buf, index=False)  # a stored issuer '=HYPERLINK(…)' must not run in Excel
        text = buf.getvalue()
    if out:
        # A BOM so that Excel opens the Chinese text correctly.
        Path(out).write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    else:
        if sys.stdout.isatty():  # cells must not drive the terminal; a redirected file keeps them as they are
            text = for_terminal(text)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


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
    catalog, regions = load_catalog(), load_regions()
    decisions = _column_decisions(args, catalog)
    progress = ProgressBar()
    engine = make_engine(database_url(args.db))
    create_schema(engine)
    account = _acting(engine, args.user, Action.UPLOAD)
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
        return _refused(outside)
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
    _emit(with_names(df, catalog, regions, "zh"), args.format, args.output)
    return EXIT_OK


def retire_target(args) -> int:
    engine = make_engine(database_url(args.db))
    try:
        account = _acting(engine, args.user, Action.TARGET_WRITE)
        target = store.load_target(engine, args.retire)
        if account is not None and target is not None:
            if not (outside := refuse_targets_outside([target], account, load_regions())).empty:
                return _refused(outside)
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
    _emit(history, args.format, args.output)
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
    account = _acting(engine, args.user, Action.TARGET_WRITE)
    if account is not None and not (outside := refuse_targets_outside(parsed.targets, account, load_regions())).empty:
        return _refused(outside)
    added = store.add_targets(engine, parsed.targets, by=account.name if account else cli_author())
    print(f"导入目标 {added} 条（共 {len(parsed.targets)} 条）/ {added} targets added ({len(parsed.targets)} read)")
    return EXIT_OK


def cmd_gaps(args) -> int:
    catalog, regions = load_catalog(), load_regions()
    if args.indicator and args.indicator not in catalog:
        raise UsageError("未知指标", f"unknown indicator: {args.indicator}")
    if args.region and args.region not in regions:
        raise UsageError("未知地区", f"unknown region: {args.region}")
    engine = make_engine(database_url(args.db))
    region_codes = None
    if args.region:
        region_codes = [args.region] + [r.code for r in regions.children(args.region)]
    indicator_codes = [args.indicator] if args.indicator else None
    df = gap_table(engine, catalog, regions, args.year, args.period, region_codes, indicator_codes)
    _emit(with_names(df, catalog, regions, "zh"), args.format, args.output)
    return EXIT_OK


def cmd_batches(args) -> int:
    engine = make_engine(database_url(args.db))
    df = store.list_batches(engine)
    _emit(df, args.format, args.output)
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
            account = check_rollback(engine, _named(engine, args.user), args.batch_id, load_regions())
        restored = store.rollback_batch(engine, args.batch_id, by=account.name if account else cli_author())
    except store.RollbackRefused as exc:
        print(for_terminal(exc.both("\n")), file=sys.stderr)
        return EXIT_INVALID
    print(
        f"批次 {args.batch_id} 已回滚，恢复 {restored} 个原值 / batch {args.batch_id} rolled back; {restored} values restored"
    )
    return EXIT_OK


def cmd_report(args) -> int:
    from charts.export import PngExporter
    from reports.briefing import BriefingTemplateError, PdfUnavailable, build_briefing, to_pdf

    catalog, regions = load_catalog(), load_regions()
    if args.province not in regions or regions[args.province].level != "province":
        raise UsageError("未知省份", f"unknown province: {args.province}")
    unknown = [c for c in args.indicator if c not in catalog]
    if unknown:
        raise UsageError("未知指标", f"unknown indicator: {', '.join(unknown)}")
    engine = make_engine(database_url(args.db))
    try:
        data = build_briefing(
            engine,
            catalog,
            regions,
            args.province,
            args.year,
            args.period,
            args.indicator or None,
            template_path=args.template,
            png_exporter=PngExporter(),
        )
    except BriefingTemplateError as exc:
        print(for_terminal(exc.both("\n")), file=sys.stderr)
        return EXIT_UNUSABLE
    out = Path(args.output)
    out.write_bytes(data)
    print(f"通报已生成 / briefing written: {out}")
    if args.pdf:
        try:
            print(f"PDF 已生成 / PDF written: {to_pdf(out)}")
        except PdfUnavailable as exc:
            print(for_terminal(exc.both("\n")), file=sys.stderr)
            return EXIT_UNUSABLE
    return EXIT_OK


def _read_password(args, optional: bool = False) -> str | None:
    """The password from standard input (--password-stdin, or any pipe), else asked twice on the terminal; never
    from the command line, where other users and the shell history would see it."""
    if args.password_stdin or not sys.stdin.isatty():
        if not args.password_stdin and optional:
            return None
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = getpass.getpass("密码 / password: ")
    if optional and not first:
        return None
    if getpass.getpass("再次输入 / again: ") != first:
        raise UsageError("两次输入的密码不一致", "the two passwords differ")
    return first


def cmd_users(args) -> int:
    engine = make_engine(database_url(args.db))
    create_schema(engine)
    by = cli_author()
    if args.users_command == "list":
        df = accounts.list_accounts(engine)
        df["locked_until"] = [
            None if v is None or pd.isna(v) else pd.Timestamp(v).isoformat() for v in df["locked_until"]
        ]
        df["created_at"] = [pd.Timestamp(v).isoformat() for v in df["created_at"]]
        _emit(df, args.format, args.output)
        return EXIT_OK
    if args.users_command == "add":
        password = _read_password(args, optional=bool(args.sso))
        if password is None and not args.sso:
            raise UsageError(
                "请给出密码（--password-stdin 或在终端输入）", "give a password (--password-stdin, or type it)"
            )
        account = accounts.add_account(
            engine, args.name, args.role, args.region, args.display_name or "", password, args.sso, by=by
        )
        print(f"账户已创建 / account added: {account.label} {account.role} {' '.join(account.regions)}".rstrip())
    elif args.users_command in ("disable", "enable"):
        accounts.set_disabled(engine, args.name, args.users_command == "disable", by=by)
        print(
            f"账户 {args.name} 已{'停用' if args.users_command == 'disable' else '启用'} / account {args.name} {args.users_command}d"
        )
    else:
        password = _read_password(args)
        accounts.set_password(engine, args.name, password or "", by=by, must_change=args.must_change)
        print(f"账户 {args.name} 的密码已更新 / password of {args.name} changed")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cli.py", description="生态环境目标差距看板 / environmental target-gap dashboard")
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
    sp.add_argument("--year", type=_year_arg)
    sp.add_argument("--region")
    sp.add_argument("--indicator")
    sp.add_argument("--import", dest="import_file", metavar="FILE", help="load a per-city target table (.xlsx)")
    sp.add_argument("--issuer", help="issuing bureau when the title does not name it, e.g. 湖北省生态环境厅")
    sp.add_argument("--source", help="source document to record (default: the file name)")
    sp.add_argument("--retire", type=int, metavar="ID", help="retire target ID (kept as history; see target_id)")
    sp.add_argument("--note", help="why the target is retired (with --retire)")
    sp.add_argument("--history", type=int, metavar="ID", help="every version of target ID, oldest first")
    sp.add_argument("--user", metavar="NAME", help="--import / --retire as this account (role and regions checked)")
    fmt(sp)
    sp.set_defaults(func=cmd_targets)

    sp = sub.add_parser("gaps", help="gap of every region to its effective target")
    db(sp)
    sp.add_argument("--year", type=_year_arg, required=True)
    sp.add_argument("--period", type=_period_arg, default=12, help="Q1–Q4, a month 1–12, or annual (default)")
    sp.add_argument("--region", help="a region code: that region and its children")
    sp.add_argument("--indicator")
    fmt(sp)
    sp.set_defaults(func=cmd_gaps)

    sp = sub.add_parser("batches", help="upload history, newest first")
    db(sp)
    fmt(sp)
    sp.set_defaults(func=cmd_batches)

    sp = sub.add_parser("template", help="write an upload template for a year, period and province")
    sp.add_argument("--year", type=_year_arg, required=True)
    sp.add_argument("--period", type=_period_arg, required=True, help="Q1–Q4, a month 1–12, or annual")
    sp.add_argument("--province", default="420000", help="province code (default 420000 Hubei)")
    sp.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    sp.set_defaults(func=cmd_template)

    sp = sub.add_parser("report", help="the quarterly briefing (季度通报) as a Word document, optionally a PDF")
    db(sp)
    sp.add_argument("--year", type=int, required=True)
    sp.add_argument("--period", type=_period_arg, required=True, help="Q1–Q4, a month 1–12, or annual")
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
