"""The audit log: one append-only row per write — who, when, what, and the batch or target it touched.

`record` joins the caller's transaction, so the entry exists exactly when the write does. Rows are never changed or
deleted (triggers refuse it, migration 0005).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from data_loaders.cells import clean_text
from data_loaders.db import AuditEntry, rows_frame

# Who a write names when its caller names nobody: a page or script not yet wired to sign-in.
UNNAMED = "unnamed"


class Change(StrEnum):
    UPLOAD = "upload"
    ROLLBACK = "rollback"
    TARGET_ADD = "target_add"
    TARGET_EDIT = "target_edit"
    TARGET_RETIRE = "target_retire"
    TARGET_IMPORT = "target_import"
    COLUMN_MAPPING = "column_mapping"
    ACCOUNT_ADD = "account_add"
    ACCOUNT_UPDATE = "account_update"  # role, regions, display name or single sign-on identity
    ACCOUNT_DISABLE = "account_disable"
    ACCOUNT_ENABLE = "account_enable"
    ACCOUNT_PASSWORD = "account_password"
    INDICATOR_ADD = "indicator_add"  # an indicator a person added to the catalog (drafting page)


AUDIT_COLUMNS = ["id", "at", "account", "action", "batch_id", "target_id", "subject", "detail"]


def _utc(moment: datetime) -> datetime:
    """The moment in UTC; a naive one is taken as UTC already (what SQLite stores and hands back)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def record(
    session_or_conn: Session | Connection,
    account: str,
    change: Change | str,
    subject: str = "",
    detail: str = "",
    *,
    batch_id: int | None = None,
    target_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Add one entry inside the caller's transaction (it commits or rolls back with the write it describes)."""
    session_or_conn.execute(
        insert(AuditEntry).values(
            at=_utc(now) if now is not None else datetime.now(UTC),  # SQLite keeps the wall time, not the zone
            account=clean_text(account or UNNAMED)[:64],
            action=str(Change(change)),
            batch_id=batch_id,
            target_id=target_id,
            subject=clean_text(subject)[:255],
            detail=detail,
        )
    )


def audit_log(
    engine: Engine,
    account: str | None = None,
    change: Change | str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Entries newest first, optionally filtered (columns AUDIT_COLUMNS, `at` in UTC): for the accounts page and its
    CSV."""
    q = select(*(getattr(AuditEntry, c) for c in AUDIT_COLUMNS)).order_by(AuditEntry.id.desc())
    if account is not None:
        q = q.where(AuditEntry.account == account)
    if change is not None:
        q = q.where(AuditEntry.action == str(Change(change)))
    if since is not None:
        q = q.where(AuditEntry.at >= _utc(since))
    if until is not None:
        q = q.where(AuditEntry.at < _utc(until))
    if limit is not None:
        q = q.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    log = rows_frame(rows, AUDIT_COLUMNS).astype({"batch_id": "Int64", "target_id": "Int64"})
    # UTC-aware on both backends: SQLite hands the stored UTC times back without their zone, PostgreSQL in its own.
    log["at"] = pd.to_datetime(log["at"], utc=True)
    return log


def data_version(engine: Engine | Connection) -> int:
    """A number that changes with every committed write, on every replica: a cache key for reads.

    The count of entries rather than the newest id: the table only grows, so the count moves with every commit,
    while ids are drawn before commit and a lower id may become visible after a higher one.
    """
    q = select(func.count()).select_from(AuditEntry)
    if isinstance(engine, Engine):
        with engine.connect() as conn:
            return int(conn.execute(q).scalar() or 0)
    return int(engine.execute(q).scalar() or 0)
