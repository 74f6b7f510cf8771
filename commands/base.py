"""What every subcommand shares: exit codes, usage errors, who a write is recorded as, argument types, output."""

from __future__ import annotations

import argparse
import getpass
import io
import logging
import sys
from pathlib import Path

import pandas as pd

from charts.safe_text import for_terminal, spreadsheet_frame
from data_loaders import accounts
from indicators.access import Account, AccountRefused, Action, require
from indicators.errors import BilingualError
from indicators.periods import FIRST_YEAR, LAST_YEAR, parse_period, parse_year

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


def named_account(engine, name: str) -> Account:
    account = accounts.get_account(engine, name)
    if account is None:
        raise AccountRefused(f"账户 {name} 不存在", f"Account {name} does not exist")
    return account


def acting(engine, name: str | None, action: Action) -> Account | None:
    """The account --user names, when it may do the action (AccountRefused otherwise); None without --user."""
    if name is None:
        return None
    return require(named_account(engine, name), action)


def refused(problems: pd.DataFrame) -> int:
    print(for_terminal(problems.to_string(index=False)), file=sys.stderr)
    n = len(problems)
    print(f"{n} 处超出账户权限，未写入任何数据 / {n} refused for this account; nothing was written", file=sys.stderr)
    return EXIT_INVALID


def period_arg(text: str) -> int:
    period = parse_period(text)
    if period is None:
        raise argparse.ArgumentTypeError(f"期间无法识别 / unknown period: {text!r} (Q1–Q4, 1–12 or annual)")
    return period


def year_arg(text: str) -> int:
    year = parse_year(text.strip())
    if year is None:
        raise argparse.ArgumentTypeError(
            f"年份应在 {FIRST_YEAR}–{LAST_YEAR} 之间 / year must be {FIRST_YEAR}–{LAST_YEAR}: {text!r}"
        )
    return year


def emit(df: pd.DataFrame, fmt: str, out: str | None) -> None:
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


NOT_INITIALISED = (
    "数据库尚未初始化（没有指标和地区）：请先对同一数据库运行 python cli.py init；未导入任何数据",
    "the database has not been initialised (no indicators or regions): run python cli.py init on it first; "
    "nothing was imported",
)


def initialised_engine(args):
    """The engine on --db with its schema upgraded; None, said on stderr, when `cli.py init` never ran there (what
    an import writes refers to indicators and regions it does not hold)."""
    from data_loaders.bootstrap import is_initialised
    from data_loaders.db import create_schema, make_engine
    from data_loaders.settings import database_url

    engine = make_engine(database_url(args.db))
    if not is_initialised(engine):
        print(" / ".join(NOT_INITIALISED), file=sys.stderr)
        return None
    create_schema(engine)
    return engine


def catalog_for(engine):
    """The catalog with the indicators people added to this database; the shipped one when the database cannot say
    (not initialised, unreachable): the command's own read of it then reports that, after its usage checks."""
    from sqlalchemy.exc import SQLAlchemyError

    from data_loaders.catalog_store import catalog_of
    from indicators.catalog import load_catalog

    try:
        return catalog_of(engine)
    except SQLAlchemyError as exc:
        log.debug("added indicators not read (%s): the shipped catalog", type(exc).__name__)
        return load_catalog()
