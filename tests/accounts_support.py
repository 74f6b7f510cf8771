"""What the account tests share: the password they set and the audit log's length."""

from __future__ import annotations

from sqlalchemy import func, select

from data_loaders.db import AuditEntry

PASSWORD = "correct horse battery"


def audit_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(AuditEntry)).scalar()
