"""`cli.py users`: accounts from the command line; passwords only from standard input or the terminal."""

from __future__ import annotations

import getpass
import sys

import pandas as pd

from commands.base import EXIT_OK, UsageError, cli_author, emit
from data_loaders import accounts
from data_loaders.db import create_schema, make_engine
from data_loaders.settings import database_url


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
        emit(df, args.format, args.output)
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
