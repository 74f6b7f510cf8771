"""Targets in the database: import, add, edit, retire and history. A target row is never deleted.

Retiring sets `retired` (with when, by whom and why); an edit retires the row and inserts its successor with
`replaces_id` pointing back, in one transaction, so the clause as first entered stays in the history.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from data_loaders import audit
from data_loaders.audit import Change
from data_loaders.cells import clean_text
from data_loaders.db import TargetRow
from indicators.errors import BilingualError
from indicators.targets import Target, target_from_mapping

_TARGET_FIELDS = [f.name for f in fields(Target) if f.name != "target_id"]
HISTORY_COLUMNS = [
    "target_id",
    "replaces_id",
    "replaced_by",
    "state",
    *_TARGET_FIELDS,
    "created_at",
    "created_by",
    "retired_at",
    "retired_by",
    "retire_note",
]


class TargetRefused(BilingualError):
    """The target cannot be changed (unknown, or already retired or edited, perhaps by someone else)."""


def _target_key(t: Target) -> tuple:
    return (t.indicator_code, t.region_code, t.year, t.form, t.source_file, t.source_clause, t.issuer_code)


def _author(by: str) -> str:
    return clean_text(by or audit.UNNAMED)[:64]


def add_targets(engine: Engine, targets: list[Target], by: str = audit.UNNAMED) -> int:
    """Insert targets not already stored (same indicator, region, year, form, source and issuer); returns how many.

    Retired rows count as stored: importing the same document again does not bring back a retired clause. One audit
    entry names the source documents and the new ids.
    """
    with Session(engine) as s, s.begin():
        existing = {_target_key(t) for t in _targets_from_rows(s.scalars(select(TargetRow)).all())}
        new = [t for t in targets if _target_key(t) not in existing]
        if new:
            ids = s.scalars(
                insert(TargetRow).returning(TargetRow.id, sort_by_parameter_order=True),
                [_target_values(t, by) for t in new],
            ).all()
            sources = "; ".join(dict.fromkeys(t.source_file for t in new if t.source_file))
            shown = ",".join(str(i) for i in ids[:200]) + (" …" if len(ids) > 200 else "")
            audit.record(s, by, Change.TARGET_IMPORT, sources, f"{len(new)} added of {len(targets)} read; ids {shown}")
        return len(new)


def _target_values(t: Target, by: str) -> dict:
    data = {k: getattr(t, k) for k in _TARGET_FIELDS}
    for k in ("issuer_code", "issuer_name", "binding", "source_file", "source_clause", "note"):
        data[k] = data[k] or ""
    data["created_by"] = _author(by)
    return data


def _targets_from_rows(rows) -> list[Target]:
    out = []
    for r in rows:
        data = {k: getattr(r, k) for k in _TARGET_FIELDS}
        data["target_id"] = r.id
        out.append(target_from_mapping(data))
    return out


def load_targets(
    engine: Engine,
    year: int | None = None,
    region_code: str | None = None,
    indicator_code: str | None = None,
) -> list[Target]:
    """Targets in force (not retired), optionally filtered."""
    q = select(TargetRow).where(TargetRow.retired.is_(False))
    if year is not None:
        q = q.where(TargetRow.year == year)
    if region_code is not None:
        q = q.where(TargetRow.region_code == region_code)
    if indicator_code is not None:
        q = q.where(TargetRow.indicator_code == indicator_code)
    q = q.order_by(TargetRow.year, TargetRow.region_code, TargetRow.indicator_code, TargetRow.id)
    with Session(engine) as s:
        return _targets_from_rows(s.scalars(q).all())


def load_target(engine: Engine, target_id: int) -> Target | None:
    """One target by id, retired or not (None when there is no such row)."""
    with Session(engine) as s:
        row = s.get(TargetRow, target_id)
        return _targets_from_rows([row])[0] if row is not None else None


def _describe(t: Target) -> str:
    value = "pending" if t.value is None else f"{t.comparator} {t.value:g}"
    return f"{t.indicator_code} {t.region_code} {t.year} {value}"


def add_target(engine: Engine, target: Target, by: str = audit.UNNAMED) -> int:
    """Insert one target (validate it first: indicators.target_checks); returns its id."""
    with Session(engine) as s, s.begin():
        row = TargetRow(**_target_values(target, by))
        s.add(row)
        s.flush()
        audit.record(s, by, Change.TARGET_ADD, target.source_file, _describe(target), target_id=row.id)
        return int(row.id)


def _retire(s: Session, target_id: int, note: str, by: str) -> None:
    """Retire an active row inside the caller's transaction; a row already retired is refused, not retired twice."""
    # A conditional UPDATE is the check and the write at once: of two people editing the same target, one wins.
    done = s.execute(
        update(TargetRow)
        .where(TargetRow.id == target_id, TargetRow.retired.is_(False))
        .values(retired=True, retired_at=datetime.now(UTC), retired_by=_author(by), retire_note=note or "")
    ).rowcount
    if done == 1:
        return
    if s.get(TargetRow, target_id) is None:
        raise TargetRefused(f"目标 {target_id} 不存在", f"Target {target_id} does not exist")
    raise TargetRefused(
        f"目标 {target_id} 已停用或已被修改（可能是他人刚刚操作）",
        f"Target {target_id} is already retired or edited (perhaps by someone else just now)",
    )


def retire_target(engine: Engine, target_id: int, note: str = "", by: str = audit.UNNAMED) -> None:
    """Take a target out of force; the row stays, with when, by whom and why."""
    with Session(engine) as s, s.begin():
        _retire(s, target_id, note, by)
        audit.record(s, by, Change.TARGET_RETIRE, "", note or "", target_id=target_id)


def update_target(engine: Engine, target_id: int, new_target: Target, note: str = "", by: str = audit.UNNAMED) -> int:
    """Replace a target by a corrected one in one transaction: the old row is retired, the new one points back.

    Returns the new row's id. If the insert fails the old row stays in force.
    """
    with Session(engine) as s, s.begin():
        _retire(s, target_id, note, by)
        row = TargetRow(**_target_values(new_target, by), replaces_id=target_id)
        s.add(row)
        s.flush()
        detail = f"replaces {target_id}: {_describe(new_target)}" + (f"; {note}" if note else "")
        audit.record(s, by, Change.TARGET_EDIT, new_target.source_file, detail, target_id=row.id)
        return int(row.id)


def target_history(engine: Engine, target_id: int) -> pd.DataFrame:
    """Every version of a target, oldest first: the rows it replaced, itself, and the rows that replaced it.

    `state` is `active`, `edited` (a later row replaces it) or `retired`.
    """
    with Session(engine) as s:
        first = s.get(TargetRow, target_id)
        if first is None:
            return pd.DataFrame(columns=HISTORY_COLUMNS)
        chain = {first.id: first}
        frontier = {first.id}
        # Walk both ways along replaces_id; an edit chain is short, so one query per step is fine.
        while frontier:
            back = {chain[i].replaces_id for i in frontier if chain[i].replaces_id is not None}
            rows = s.scalars(
                select(TargetRow).where(or_(TargetRow.id.in_(back), TargetRow.replaces_id.in_(frontier)))
            ).all()
            frontier = {r.id for r in rows if r.id not in chain}
            chain.update({r.id: r for r in rows})
        successor = {r.replaces_id: r.id for r in chain.values() if r.replaces_id is not None}
        records = []
        for r in sorted(chain.values(), key=lambda r: r.id):
            state = "active" if not r.retired else ("edited" if r.id in successor else "retired")
            records.append(
                {
                    "target_id": r.id,
                    "replaces_id": r.replaces_id,
                    "replaced_by": successor.get(r.id),
                    "state": state,
                    **{k: getattr(r, k) for k in _TARGET_FIELDS},
                    "created_at": r.created_at,
                    "created_by": r.created_by or "",
                    "retired_at": r.retired_at,
                    "retired_by": r.retired_by or "",
                    "retire_note": r.retire_note or "",
                }
            )
    df = pd.DataFrame(records, columns=HISTORY_COLUMNS)
    return df.astype({"replaces_id": "Int64", "replaced_by": "Int64", "baseline_year": "Int64"})
