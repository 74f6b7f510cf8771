"""Accounts in the database: add, change, disable, sign in (Argon2, lockout), single sign-on (the first admin of a
fresh install: data_loaders/first_admin.py).

Only an Argon2 hash of a password is ever stored. Every change is written with its audit entry in one transaction.
A refusal a person reads is an `AccountRefused` (Chinese and English).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_loaders import audit, settings
from data_loaders.audit import Change
from data_loaders.cells import CONTROL_CHARS
from data_loaders.db import AccountRow, RegionRow, rows_frame
from indicators.access import Account, AccountRefused
from indicators.terms import Role

__all__ = [
    "ACCOUNT_COLUMNS",
    "Account",
    "AccountRefused",
    "account_for_identity",
    "add_account",
    "get_account",
    "list_accounts",
    "set_disabled",
    "set_password",
    "sign_in",
    "update_account",
]

log = logging.getLogger(__name__)
_HASHER = PasswordHasher()  # argon2id with the library's defaults (RFC 9106 low-memory profile)
SYSTEM = "system"  # the author of the first admin account
_AUTHORS = frozenset({SYSTEM, audit.UNNAMED})  # authors that are never accounts
ACCOUNT_COLUMNS = [
    "name",
    "display_name",
    "role",
    "regions",
    "disabled",
    "must_change_password",
    "failed_attempts",
    "locked_until",
    "sso_identity",
    "created_at",
]
_WRONG = ("用户名或密码错误", "Wrong account name or password")


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for what was written in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _account(row: AccountRow) -> Account:
    return Account(
        name=row.name,
        display_name=row.display_name or "",
        role=Role(row.role),
        regions=tuple(c for c in (row.regions or "").split("|") if c),
        disabled=bool(row.disabled),
        must_change_password=bool(row.must_change_password),
        sso_identity=row.sso_identity,
        locked_until=_aware(row.locked_until),
    )


def _sso_key(identity: str) -> str:
    """E-mail addresses compare without case; an OIDC `sub` is compared exactly."""
    identity = identity.strip()
    return identity.lower() if "@" in identity else identity


def _valid_name(name: str) -> str:
    name = (name or "").strip()
    # ":" is kept for authors that are not accounts ("cli:<login>"), so an account can never pose as one.
    if not name or len(name) > 64 or CONTROL_CHARS.search(name) or any(c.isspace() or c == ":" for c in name):
        raise AccountRefused(
            "账户名须为 1–64 个字符，不含空格、冒号或控制字符",
            f"An account name is 1–64 characters without spaces, colons or control characters: {name!r}",
        )
    if name in _AUTHORS:  # else a viewer so named could refuse the first admin (see _check_author)
        raise AccountRefused(f"账户名 {name} 为系统保留", f"The account name {name} is reserved for the system")
    return name


def _check_author(s: Session, by: str, own: str | None = None) -> None:
    """Refuse an account change made in the name of an account that is not an enabled admin (the pages ask first;
    this holds for every caller). An author that is no account — the CLI's cli:<login>, the first start's system —
    acts with the trust of the machine it runs on; any account may set its own password (`own`)."""
    if by == own:
        return
    row = s.scalars(select(AccountRow).where(AccountRow.name == by)).first()
    if row is None:
        return
    if row.role != Role.ADMIN:
        raise AccountRefused(
            f"账户 {by}（{row.role}）不是管理员，无权修改账户",
            f"Account {by} ({row.role}) is no admin: it may not change accounts",
        )
    if row.disabled:
        raise AccountRefused(f"账户 {by} 已停用，无权修改账户", f"Account {by} is disabled: it may not change accounts")


def _valid_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise AccountRefused("未知角色", f"Unknown role {role!r}: one of {', '.join(Role)}") from None


def _valid_regions(s: Session, role: Role, regions: Iterable[str]) -> str:
    codes = sorted({str(c).strip() for c in regions if str(c).strip()})
    known = set(s.scalars(select(RegionRow.code).where(RegionRow.code.in_(codes)))) if codes else set()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise AccountRefused(f"未知地区代码：{', '.join(unknown)}", f"Unknown region codes: {', '.join(unknown)}")
    if role in (Role.SUBMITTER, Role.ANALYST) and not codes:
        raise AccountRefused(
            f"{role} 账户须指定地区（填报人：本地区；分析员：本省）",
            f"A {role} account needs its regions (submitter: its own; analyst: its province)",
        )
    return "|".join(codes)


def _hash(password: str) -> str:
    minimum = settings.min_password_length()
    if len(password or "") < minimum:
        raise AccountRefused(f"密码至少 {minimum} 个字符", f"A password needs at least {minimum} characters")
    return _HASHER.hash(password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _dummy_hash(), password or "") and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    """A hash to verify against when the account is unknown, so that a wrong name takes as long as a wrong password."""
    if not _DUMMY:
        _DUMMY.append(_HASHER.hash(secrets.token_urlsafe(16)))
    return _DUMMY[0]


def _row(s: Session, name: str, lock: bool = False) -> AccountRow:
    q = select(AccountRow).where(AccountRow.name == name)
    row = s.scalars(q.with_for_update() if lock else q).first()
    if row is None:
        raise AccountRefused(f"账户 {name} 不存在", f"Account {name} does not exist")
    return row


def _enabled_admins(s: Session) -> int:
    q = (
        select(func.count())
        .select_from(AccountRow)
        .where(AccountRow.role == Role.ADMIN, AccountRow.disabled.is_(False))
    )
    return int(s.scalar(q) or 0)


def add_account(
    engine: Engine,
    name: str,
    role: Role | str,
    regions: Iterable[str] = (),
    display_name: str = "",
    password: str | None = None,
    sso_identity: str | None = None,
    must_change_password: bool = False,
    by: str = audit.UNNAMED,
) -> Account:
    """A new account; without a password it can sign in only through single sign-on (`sso_identity`)."""
    name, role = _valid_name(name), _valid_role(role)
    password_hash = _hash(password) if password is not None else None
    try:
        with Session(engine) as s, s.begin():
            _check_author(s, by)
            row = AccountRow(
                name=name,
                display_name=CONTROL_CHARS.sub("", display_name or "").strip()[:64],
                role=str(role),
                regions=_valid_regions(s, role, regions),
                password_hash=password_hash,
                must_change_password=must_change_password,
                sso_identity=_sso_key(sso_identity) if sso_identity else None,
            )
            s.add(row)
            s.flush()
            detail = f"role={role} regions={row.regions or '-'}" + (f" sso={row.sso_identity}" if sso_identity else "")
            audit.record(s, by, Change.ACCOUNT_ADD, name, detail)
            return _account(row)
    except IntegrityError:
        raise AccountRefused(
            f"账户 {name} 或其单点登录身份已存在", f"Account {name} or its single sign-on identity already exists"
        ) from None


def update_account(
    engine: Engine,
    name: str,
    *,
    role: Role | str | None = None,
    regions: Iterable[str] | None = None,
    display_name: str | None = None,
    sso_identity: str | None = None,
    by: str = audit.UNNAMED,
) -> Account:
    """Change role, regions, display name or single sign-on identity ("" clears it); the last enabled admin stays one."""
    try:
        with Session(engine) as s, s.begin():
            _check_author(s, by)
            row = _row(s, name, lock=True)
            changed = []
            if role is not None and Role(_valid_role(role)) != row.role:
                if row.role == Role.ADMIN and not row.disabled and _enabled_admins(s) <= 1:
                    raise AccountRefused("不能取消最后一个管理员", "The last enabled admin cannot lose the role")
                row.role = str(_valid_role(role))
                changed.append(f"role={row.role}")
            if role is not None or regions is not None:
                new = _valid_regions(s, Role(row.role), row.regions.split("|") if regions is None else regions)
                if new != row.regions:
                    row.regions = new
                    changed.append(f"regions={new or '-'}")
            if display_name is not None:
                row.display_name = CONTROL_CHARS.sub("", display_name).strip()[:64]
                changed.append("display_name")
            if sso_identity is not None:
                row.sso_identity = _sso_key(sso_identity) or None
                changed.append(f"sso={row.sso_identity or '-'}")
            if changed:
                s.flush()
                audit.record(s, by, Change.ACCOUNT_UPDATE, name, " ".join(changed))
            return _account(row)
    except IntegrityError:
        raise AccountRefused(
            "该单点登录身份已属于其他账户", "That single sign-on identity belongs to another account"
        ) from None


def set_password(
    engine: Engine, name: str, password: str, by: str = audit.UNNAMED, must_change: bool = False
) -> Account:
    """A new password (at least ENV_DASHBOARD_MIN_PASSWORD characters, not the current one). It also unlocks the
    account; `must_change` (an admin's reset) makes its owner choose another at the next sign-in."""
    password_hash = _hash(password)
    with Session(engine) as s, s.begin():
        _check_author(s, by, own=name)
        row = _row(s, name, lock=True)
        if row.password_hash is not None and _verify(row.password_hash, password):
            raise AccountRefused("新密码不能与当前密码相同", "The new password must differ from the current one")
        row.password_hash = password_hash
        row.must_change_password = must_change
        row.failed_attempts, row.locked_until = 0, None
        detail = "reset; must change at next sign-in" if must_change else "changed"
        audit.record(s, by, Change.ACCOUNT_PASSWORD, name, detail)
        return _account(row)


def set_disabled(engine: Engine, name: str, disabled: bool = True, by: str = audit.UNNAMED) -> Account:
    """Disable (or enable again) an account; it is never deleted. The last enabled admin cannot be disabled."""
    with Session(engine) as s, s.begin():
        _check_author(s, by)
        row = _row(s, name, lock=True)
        if bool(row.disabled) == disabled:
            return _account(row)
        if disabled and row.role == Role.ADMIN and _enabled_admins(s) <= 1:
            raise AccountRefused("不能停用最后一个管理员", "The last enabled admin cannot be disabled")
        row.disabled = disabled
        audit.record(s, by, Change.ACCOUNT_DISABLE if disabled else Change.ACCOUNT_ENABLE, name)
        return _account(row)


def get_account(engine: Engine, name: str) -> Account | None:
    """The account by name (None when there is none); pages re-read it on each run, so a disable takes effect."""
    with Session(engine) as s:
        row = s.scalars(select(AccountRow).where(AccountRow.name == name)).first()
        return _account(row) if row is not None else None


def list_accounts(engine: Engine) -> pd.DataFrame:
    """Every account by name (columns ACCOUNT_COLUMNS; never the hash)."""
    with engine.connect() as conn:
        rows = conn.execute(select(*(getattr(AccountRow, c) for c in ACCOUNT_COLUMNS)).order_by(AccountRow.name)).all()
    df = rows_frame(rows, ACCOUNT_COLUMNS)
    return df.astype({"disabled": bool, "must_change_password": bool, "failed_attempts": "int64"})


def sign_in(engine: Engine, name: str, password: str, now: datetime | None = None) -> Account:
    """The account when name and password match; AccountRefused otherwise. ENV_DASHBOARD_LOCK_ATTEMPTS failures in a
    row lock it for ENV_DASHBOARD_LOCK_MINUTES, during which even the right password is refused; a success resets
    the count. `must_change_password` on the result means: ask for a new password before anything else."""
    now = now or datetime.now(UTC)
    with Session(engine) as s, s.begin():
        row = s.scalars(select(AccountRow).where(AccountRow.name == (name or "").strip()).with_for_update()).first()
        if row is None or row.password_hash is None:
            _verify(None, password)  # as slow as a real check
            refusal = AccountRefused(*_WRONG)
        elif (until := _aware(row.locked_until)) is not None and until > now:
            refusal = _locked(until, now)
        elif not _verify(row.password_hash, password):
            row.failed_attempts = (row.failed_attempts or 0) + 1
            refusal = AccountRefused(*_WRONG)
            if row.failed_attempts >= settings.lock_attempts():
                row.failed_attempts, row.locked_until = 0, now + timedelta(minutes=settings.lock_minutes())
                refusal = _locked(row.locked_until, now)
                log.warning("account %s locked until %s after failed sign-ins", row.name, row.locked_until)
        elif row.disabled:
            refusal = AccountRefused(f"账户 {row.name} 已停用", f"Account {row.name} is disabled")
        else:
            row.failed_attempts, row.locked_until = 0, None
            if _HASHER.check_needs_rehash(row.password_hash):
                row.password_hash = _HASHER.hash(password)
            return _account(row)
    # Raised after the commit: the failure count and the lock must stay written.
    raise refusal


def _locked(until: datetime, now: datetime) -> AccountRefused:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return AccountRefused(
        f"登录失败次数过多，账户已锁定，请 {minutes} 分钟后再试",
        f"Too many failed sign-ins: the account is locked; try again in {minutes} min",
    )


def account_for_identity(engine: Engine, identity: Mapping[str, object]) -> Account:
    """The account a single sign-on identity (Streamlit's `st.user`, an OIDC claims mapping) belongs to: by the
    e-mail when the provider says it is verified, else by `sub`; AccountRefused when none or disabled."""
    keys = []
    email = str(identity.get("email") or "").strip()
    if email and identity.get("email_verified") in (True, "true", "True"):
        keys.append(_sso_key(email))
    sub = str(identity.get("sub") or "").strip()
    if sub:
        keys.append(sub)
    if not keys:
        raise AccountRefused(
            "单点登录身份缺少已验证的邮箱或 sub", "The single sign-on identity has neither a verified e-mail nor a sub"
        )
    with Session(engine) as s:
        rows = {r.sso_identity: r for r in s.scalars(select(AccountRow).where(AccountRow.sso_identity.in_(keys)))}
        row = next((rows[k] for k in keys if k in rows), None)
        if row is None:
            raise AccountRefused(
                f"单点登录身份 {keys[0]} 没有对应的账户，请联系管理员",
                f"No account for the single sign-on identity {keys[0]}; ask an admin to add one",
            )
        if row.disabled:
            raise AccountRefused(f"账户 {row.name} 已停用", f"Account {row.name} is disabled")
        return _account(row)
