"""Where an account's writes may land: rows, targets and batches outside its writable regions are refused.

A refused upload is a problems table like any validation (sheet, cell, zh, en), so the page and `cli.py import --user`
show each refused cell and write nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_loaders.cells import Problem, problems_frame
from data_loaders.db import Observation
from indicators.access import Account, AccountRefused, Action, require, writable_regions
from indicators.regions import RegionIndex
from indicators.targets import Target


def _outside(account: Account, regions: RegionIndex) -> tuple[frozenset[str], str, str]:
    allowed = writable_regions(account, regions)
    own = "、".join(regions.name(c) for c in account.regions) or "无"
    own_en = ", ".join(regions.name(c, "en") for c in account.regions) or "none"
    return allowed, own, own_en


def refuse_outside(tidy: pd.DataFrame, account: Account, regions: RegionIndex) -> pd.DataFrame:
    """An error problem for every row of a tidy table (with its sheet and cell) for a region the account may not
    write; empty when every row is within its writable regions. Errors block the commit: nothing is written."""
    allowed, own, own_en = _outside(account, regions)
    rows = []
    for r in tidy.loc[~tidy["region_code"].astype(str).isin(allowed)].itertuples(index=False):
        code = str(r.region_code)
        rows.append(
            Problem(
                sheet=str(getattr(r, "sheet", "") or ""),
                cell=str(getattr(r, "cell", "") or ""),
                column="region_code",
                value=code,
                zh=f"账户 {account.name} 只能填报 {own} 的数据，不能写入 {regions.name(code)}（{code}）",
                en=f"Account {account.name} may write only for {own_en}, not {regions.name(code, 'en')} ({code})",
            )
        )
    return problems_frame(rows, list(dict.fromkeys(tidy["sheet"].astype(str))) if "sheet" in tidy else None)


def refuse_targets_outside(targets: Iterable[Target], account: Account, regions: RegionIndex) -> pd.DataFrame:
    """An error problem for every target about a region the account may not write (analysts: their province)."""
    allowed, own, own_en = _outside(account, regions)
    rows = [
        Problem(
            sheet="",
            cell="",
            column="region_code",
            value=t.region_code,
            zh=f"账户 {account.name} 只能为 {own} 设定目标，不能为 {regions.name(t.region_code)}（{t.region_code}）",
            en=f"Account {account.name} may set targets only for {own_en}, not {regions.name(t.region_code, 'en')} "
            f"({t.region_code}) [{t.indicator_code} {t.year}]",
        )
        for t in targets
        if t.region_code not in allowed
    ]
    return problems_frame(rows)


def check_rollback(engine: Engine, account: Account | None, batch_id: int, regions: RegionIndex) -> Account:
    """The account when it may roll the batch back (an analyst or admin, every value of the batch within its
    regions); AccountRefused otherwise."""
    require(account, Action.ROLLBACK)
    allowed = writable_regions(account, regions)
    with engine.connect() as conn:
        touched = set(
            conn.execute(select(Observation.region_code).where(Observation.batch_id == batch_id).distinct()).scalars()
        )
    outside = sorted(touched - allowed)
    if outside:
        names = "、".join(regions.name(c) for c in outside[:5])
        raise AccountRefused(
            f"批次 {batch_id} 含有 {names} 的数据，账户 {account.name} 无权回滚",
            f"Batch {batch_id} holds values for {', '.join(outside[:5])}, outside account {account.name}'s regions",
        )
    return account
