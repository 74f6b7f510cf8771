"""Who may do what, and for which regions (DESIGN.md: Who uses it, Accounts and access). Pure: no database.

A role grants actions (`may`); an account's regions bound where its writes may land (`writable_regions`): a submitter
writes for its own regions, an analyst for its province(s), an admin everywhere. The data layer raises
`AccountRefused` for a sign-in or a write it refuses; the page shows `text(lang)`, the CLI prints both lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from indicators.errors import BilingualError
from indicators.regions import RegionIndex
from indicators.terms import Role


class Action(StrEnum):
    """Everything the app lets a person do that a role may be refused."""

    VIEW = "view"
    UPLOAD = "upload"  # commit a workbook (and remember its column decisions)
    ROLLBACK = "rollback"
    TARGET_WRITE = "target_write"  # add, edit, retire, import targets
    BRIEFING = "briefing"  # write the quarterly briefing
    ACCOUNT_ADMIN = "account_admin"  # add, disable, enable accounts; set roles, regions and others' passwords
    VIEW_AUDIT = "view_audit"


_GRANTS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.SUBMITTER: frozenset({Action.VIEW, Action.UPLOAD}),
    Role.ANALYST: frozenset(
        {Action.VIEW, Action.UPLOAD, Action.ROLLBACK, Action.TARGET_WRITE, Action.BRIEFING, Action.VIEW_AUDIT}
    ),
    Role.ADMIN: frozenset(Action),
}

# Writes that land in regions: the account's writable regions bound them.
REGIONAL = frozenset({Action.UPLOAD, Action.ROLLBACK, Action.TARGET_WRITE})


def may(role: Role | str | None, action: Action | str) -> bool:
    """Whether the role grants the action; None (nobody signed in) grants nothing (public reading is a setting)."""
    if role is None:
        return False
    return Action(action) in _GRANTS[Role(role)]


class AccountRefused(BilingualError):
    """A sign-in, an account change or a write refused: wrong password, locked, disabled, role or region."""


@dataclass(frozen=True)
class Account:
    """A signed-in person as the app sees it (never the password hash)."""

    name: str
    display_name: str
    role: Role
    regions: tuple[str, ...] = ()
    disabled: bool = False
    must_change_password: bool = False
    sso_identity: str | None = None
    locked_until: datetime | None = None

    @property
    def label(self) -> str:
        """As a page names who is signed in: 张三 (zhangsan); the name alone when no display name is set."""
        if self.display_name and self.display_name != self.name:
            return f"{self.display_name} ({self.name})"
        return self.name

    def may(self, action: Action | str) -> bool:
        return not self.disabled and may(self.role, action)


def _province_of(code: str, regions: RegionIndex) -> str:
    """The province a region is in (itself when it is one; the nation stays the nation)."""
    if code not in regions:
        return code
    if regions[code].level in ("province", "nation"):
        return code
    for parent in regions.ancestors(code):
        if regions[parent].level in ("province", "nation"):
            return parent
    return code


def _with_descendants(codes: set[str], regions: RegionIndex) -> frozenset[str]:
    out = set(codes)
    for r in regions:
        if r.code not in out and any(a in codes for a in regions.ancestors(r.code)):
            out.add(r.code)
    return frozenset(out)


def writable_regions(account: Account, regions: RegionIndex) -> frozenset[str]:
    """The region codes the account's writes may touch: a submitter its own regions (and any below them), an
    analyst every region of its province(s), an admin every region; a viewer or a disabled account none."""
    if account.disabled or account.role == Role.VIEWER:
        return frozenset()
    if account.role == Role.ADMIN:
        return frozenset(r.code for r in regions)
    own = set(account.regions)
    if account.role == Role.ANALYST:
        own = {_province_of(code, regions) for code in own}
    return _with_descendants(own, regions)


def require(account: Account | None, action: Action | str) -> Account:
    """The account when it may do the action; AccountRefused naming the role otherwise."""
    action = Action(action)
    if account is None:
        raise AccountRefused("请先登录", f"Sign in first: {action} needs an account")
    if account.disabled:
        raise AccountRefused(f"账户 {account.name} 已停用", f"Account {account.name} is disabled")
    if not may(account.role, action):
        raise AccountRefused(
            f"账户 {account.name}（{account.role}）无权执行此操作：{action}",
            f"Account {account.name} ({account.role}) may not do this: {action}",
        )
    return account


def can_read(account: Account | None, public_read: bool) -> bool:
    """Reading is open when the deployment says so (ENV_DASHBOARD_PUBLIC_READ), else it needs an enabled account."""
    return public_read or (account is not None and account.may(Action.VIEW))


def session_expired(last_active: datetime, now: datetime, idle_minutes: float) -> bool:
    """A session idle for longer than the setting (ENV_DASHBOARD_SESSION_IDLE_MINUTES) has ended."""
    return now - last_active > timedelta(minutes=idle_minutes)
