"""The first admin of a fresh install: `admin` with a random one-time password, logged once and written to a file
only its owner may read, to be changed at the first sign-in."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from data_loaders import settings
from data_loaders.accounts import SYSTEM, AccountRefused, add_account
from data_loaders.db import AccountRow
from indicators.terms import Role

INITIAL_ADMIN = "admin"
INITIAL_PASSWORD_FILE = "initial_admin_password"

log = logging.getLogger(__name__)


def ensure_initial_admin(engine: Engine, data_dir: Path | None = None) -> str | None:
    """On a first start with no admin account: create `admin` with a random one-time password, log it once, write
    it to <data dir>/initial_admin_password (mode 600) and return it; its first sign-in must set a new one.
    Otherwise None — and the file is removed once that password has been changed."""
    path = (data_dir or settings.data_dir()) / INITIAL_PASSWORD_FILE
    with Session(engine) as s:
        admins = int(s.scalar(select(func.count()).select_from(AccountRow).where(AccountRow.role == Role.ADMIN)) or 0)
        first = s.scalars(select(AccountRow).where(AccountRow.name == INITIAL_ADMIN)).first()
        pending = first is not None and first.must_change_password
    if admins:
        if not pending and path.exists():
            path.unlink()  # the one-time password is spent; do not leave it lying about
        return None
    if first is not None:
        log.warning(
            "no admin account, and %r is taken by a %s account: add an admin with cli.py users add",
            INITIAL_ADMIN,
            first.role,
        )
        return None
    password = secrets.token_urlsafe(18)
    try:
        add_account(engine, INITIAL_ADMIN, Role.ADMIN, password=password, must_change_password=True, by=SYSTEM)
    except AccountRefused:  # another replica created it at the same moment
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        os.fchmod(f.fileno(), 0o600)  # an older file keeps its mode through O_CREAT
        f.write(password + "\n")
    log.warning(
        "初始管理员账户 %s 已创建，一次性密码 / initial admin account %s created, one-time password: %s "
        "(also in %s; a new password is required at the first sign-in)",
        INITIAL_ADMIN,
        INITIAL_ADMIN,
        password,
        path,
    )
    return password
