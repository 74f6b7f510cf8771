"""Accounts, roles and the audit log on real SQLite and PostgreSQL (issue 11): hashes only, lockout, the first admin,
single sign-on mapping, an audit entry for every write, an append-only log. The command line: test_accounts_cli.py."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from data_loaders import accounts, audit, first_admin, store
from data_loaders.accounts import AccountRefused
from data_loaders.audit import Change
from data_loaders.bootstrap import init_database
from data_loaders.db import AccountRow, Base
from data_loaders.permissions import refuse_outside
from indicators.access import Account, Action, may, require, session_expired, writable_regions
from indicators.targets import Target
from indicators.terms import Role
from tests.accounts_support import PASSWORD, audit_count

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def ready(engine, catalog, regions):
    init_database(engine, catalog, regions, sample=False)
    return engine


def dump(engine) -> str:
    """Every row of every table, as text."""
    with engine.connect() as conn:
        return "\n".join(str(row) for t in Base.metadata.sorted_tables for row in conn.execute(select(t)).all())


# --- roles and regions (pure) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("viewer", {Action.VIEW}),
        ("submitter", {Action.VIEW, Action.UPLOAD}),
        (
            "analyst",
            {Action.VIEW, Action.UPLOAD, Action.ROLLBACK, Action.TARGET_WRITE, Action.BRIEFING, Action.VIEW_AUDIT},
        ),
        ("admin", set(Action)),
    ],
)
def test_each_role_grants_exactly_its_actions(role, allowed):
    assert {a for a in Action if may(role, a)} == allowed
    assert not any(may(None, a) for a in Action)


def test_writable_regions_by_role(regions):
    hubei = {"420000"} | {r.code for r in regions.children("420000")}
    submitter = Account("wh", "", Role.SUBMITTER, ("420100",))
    assert writable_regions(submitter, regions) == {"420100"}
    assert writable_regions(Account("hb", "", Role.ANALYST, ("420000",)), regions) == hubei
    assert (
        writable_regions(Account("hb2", "", Role.ANALYST, ("420500",)), regions) == hubei
    )  # a city names its province
    assert writable_regions(Account("v", "", Role.VIEWER, ("420100",)), regions) == set()
    assert writable_regions(replace(submitter, disabled=True), regions) == set()
    assert writable_regions(Account("root", "", Role.ADMIN), regions) == {r.code for r in regions}
    with pytest.raises(AccountRefused):
        require(submitter, Action.ROLLBACK)
    assert Account("zs", "张三", Role.VIEWER).label == "张三 (zs)" and submitter.label == "wh"
    assert session_expired(T0, T0 + timedelta(minutes=31), 30) and not session_expired(
        T0, T0 + timedelta(minutes=29), 30
    )


def test_refuse_outside_names_every_cell_of_another_region(regions):
    import pandas as pd

    tidy = pd.DataFrame({"region_code": ["420100", "420200", "420300"], "sheet": "Q2", "cell": ["C3", "C4", "D5"]})
    problems = refuse_outside(tidy, Account("wh", "", Role.SUBMITTER, ("420100",)), regions)
    assert problems["cell"].tolist() == ["C4", "D5"] and set(problems["severity"]) == {"error"}
    assert "黄石" in problems["problem_zh"][0] and "420200" in problems["problem_en"][0]


# --- passwords, lockout, first admin, single sign-on ------------------------------------------------------------


def test_only_an_argon2_hash_is_stored(ready, db_url):
    accounts.add_account(ready, "zhang", "submitter", ["420100"], "张三", password=PASSWORD)
    accounts.set_password(ready, "zhang", PASSWORD + " two", by="admin")
    everything = dump(ready)
    assert PASSWORD not in everything and "battery" not in everything
    with ready.connect() as conn:
        stored = conn.execute(select(AccountRow.password_hash)).scalar()
    assert stored.startswith("$argon2id$")
    if db_url.startswith("sqlite:///"):
        assert b"battery" not in open(db_url.removeprefix("sqlite:///"), "rb").read()
    assert "password_hash" not in accounts.list_accounts(ready).columns


def test_sign_in_and_a_wrong_password_or_name_alike(ready):
    accounts.add_account(ready, "zhang", "submitter", ["420100"], password=PASSWORD)
    assert accounts.sign_in(ready, "zhang", PASSWORD) == accounts.get_account(ready, "zhang")
    with pytest.raises(AccountRefused) as wrong:
        accounts.sign_in(ready, "zhang", "nope")
    with pytest.raises(AccountRefused) as unknown:
        accounts.sign_in(ready, "nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value)  # no hint which names exist
    with pytest.raises(AccountRefused, match="at least 10"):
        accounts.add_account(ready, "short", "viewer", password="123456789")
    with pytest.raises(AccountRefused, match="needs its regions"):
        accounts.add_account(ready, "nowhere", "submitter", password=PASSWORD)
    with pytest.raises(AccountRefused, match="Unknown region"):
        accounts.add_account(ready, "atlantis", "submitter", ["999999"], password=PASSWORD)
    with pytest.raises(AccountRefused, match="already exists"):
        accounts.add_account(ready, "zhang", "viewer", password=PASSWORD)


def test_five_failures_lock_for_fifteen_minutes_even_against_the_right_password(ready):
    accounts.add_account(ready, "zhang", "submitter", ["420100"], password=PASSWORD)
    for minute in range(4):
        with pytest.raises(AccountRefused, match="Wrong"):
            accounts.sign_in(ready, "zhang", "wrong", now=T0 + timedelta(minutes=minute))
    accounts.sign_in(ready, "zhang", PASSWORD, now=T0 + timedelta(minutes=4))  # a success resets the count
    for second in range(4):
        with pytest.raises(AccountRefused, match="Wrong"):
            accounts.sign_in(ready, "zhang", "wrong", now=T0 + timedelta(minutes=5, seconds=second))
    with pytest.raises(AccountRefused, match="locked"):  # the fifth in a row
        accounts.sign_in(ready, "zhang", "wrong", now=T0 + timedelta(minutes=6))
    with pytest.raises(AccountRefused, match="locked"):
        accounts.sign_in(ready, "zhang", PASSWORD, now=T0 + timedelta(minutes=20, seconds=59))
    assert accounts.get_account(ready, "zhang").locked_until == T0 + timedelta(minutes=21)
    signed = accounts.sign_in(ready, "zhang", PASSWORD, now=T0 + timedelta(minutes=21, seconds=1))
    assert signed.locked_until is None
    assert accounts.list_accounts(ready)["failed_attempts"].tolist() == [0]


def test_lockout_follows_the_settings(ready, monkeypatch):
    monkeypatch.setenv("ENV_DASHBOARD_LOCK_ATTEMPTS", "2")
    monkeypatch.setenv("ENV_DASHBOARD_LOCK_MINUTES", "1")
    accounts.add_account(ready, "zhang", "viewer", password=PASSWORD)
    with pytest.raises(AccountRefused, match="Wrong"):
        accounts.sign_in(ready, "zhang", "x", now=T0)
    with pytest.raises(AccountRefused, match="locked"):
        accounts.sign_in(ready, "zhang", "x", now=T0)
    accounts.sign_in(ready, "zhang", PASSWORD, now=T0 + timedelta(minutes=1, seconds=1))


def test_a_disabled_account_cannot_sign_in_and_the_last_admin_stays(ready):
    accounts.add_account(ready, "zhang", "viewer", password=PASSWORD)
    accounts.add_account(ready, "root", "admin", password=PASSWORD)
    accounts.set_disabled(ready, "zhang", True, by="root")
    with pytest.raises(AccountRefused, match="disabled"):
        accounts.sign_in(ready, "zhang", PASSWORD)
    accounts.set_disabled(ready, "zhang", False, by="root")
    assert accounts.sign_in(ready, "zhang", PASSWORD).name == "zhang"
    with pytest.raises(AccountRefused, match="last enabled admin"):
        accounts.set_disabled(ready, "root", True, by="root")
    with pytest.raises(AccountRefused, match="last enabled admin"):
        accounts.update_account(ready, "root", role="viewer", by="root")


def test_first_start_creates_admin_with_a_one_time_password_in_a_private_file(ready, tmp_path, caplog):
    password = first_admin.ensure_initial_admin(ready, tmp_path)
    path = tmp_path / "initial_admin_password"
    assert password and path.read_text().strip() == password
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sum(password in r.getMessage() for r in caplog.records) == 1  # logged once
    admin = accounts.sign_in(ready, "admin", password)
    assert admin.role == Role.ADMIN and admin.must_change_password
    assert first_admin.ensure_initial_admin(ready, tmp_path) is None and path.exists()  # not yet changed
    with pytest.raises(AccountRefused, match="differ"):
        accounts.set_password(ready, "admin", password, by="admin")
    accounts.set_password(ready, "admin", PASSWORD, by="admin")
    assert not accounts.get_account(ready, "admin").must_change_password
    assert first_admin.ensure_initial_admin(ready, tmp_path) is None and not path.exists()  # spent: removed


def test_single_sign_on_maps_a_verified_email_or_the_sub_to_the_account(ready):
    accounts.add_account(ready, "lisi", "analyst", ["420000"], sso_identity="Li.Si@HB.gov.cn")
    accounts.add_account(ready, "wang", "submitter", ["420200"], sso_identity="00u1abcd")
    identity = {"is_logged_in": True, "email": "li.si@hb.gov.cn", "email_verified": True, "sub": "x", "name": "李四"}
    assert accounts.account_for_identity(ready, identity).name == "lisi"
    with pytest.raises(AccountRefused, match="No account"):  # an unverified address proves nothing
        accounts.account_for_identity(ready, {**identity, "email_verified": False})
    assert accounts.account_for_identity(ready, {"email": "w@hs.gov.cn", "sub": "00u1abcd"}).name == "wang"
    with pytest.raises(AccountRefused, match="neither"):
        accounts.account_for_identity(ready, {"is_logged_in": True})
    accounts.set_disabled(ready, "lisi", True, by="root")
    with pytest.raises(AccountRefused, match="disabled"):
        accounts.account_for_identity(ready, identity)
    with pytest.raises(AccountRefused, match="another account"):
        accounts.update_account(ready, "wang", sso_identity="li.si@hb.gov.cn", by="root")
    with pytest.raises(AccountRefused, match="Wrong"):  # no password: single sign-on only
        accounts.sign_in(ready, "wang", "")


# --- the audit log ---------------------------------------------------------------------------------------------


def _wuhan(value: float):
    import pandas as pd

    return pd.DataFrame(
        [{"region_code": "420100", "indicator_code": "pm25", "year": 2024, "period": 6, "value": value}]
    ).assign(numerator=None, denominator=None, note="")


def test_every_kind_of_write_leaves_an_audit_entry_in_its_transaction(ready):
    from data_loaders.catalog_store import NewIndicator, add_indicator
    from data_loaders.mapping_store import remember_mappings
    from indicators.catalog import load_catalog

    start = audit.data_version(ready)
    batch = store.commit_upload(ready, _wuhan(40.0), "q2.xlsx", "sha-1", uploaded_by="zhang").batch_id
    store.rollback_batch(ready, batch, by="hb")
    target = Target("pm25", "420100", 2026, "<=", 35.0, source_file="2026年工作要点")
    target_id = store.add_target(ready, target, by="hb")
    new_id = store.update_target(ready, target_id, replace(target, value=34.0), note="更正", by="hb")
    store.retire_target(ready, new_id, "撤回", by="hb")
    store.add_targets(ready, [replace(target, year=2027)], by="hb")
    remember_mappings(ready, "420100", {"降尘量": "ignore"}, confirmed_by="zhang")
    accounts.add_account(ready, "zhao", "viewer", password=PASSWORD, by="root")
    accounts.update_account(ready, "zhao", display_name="赵", by="root")
    accounts.set_password(ready, "zhao", PASSWORD + "!", by="root", must_change=True)
    accounts.set_disabled(ready, "zhao", True, by="root")
    accounts.set_disabled(ready, "zhao", False, by="root")
    added = add_indicator(
        ready, NewIndicator("地表水省控断面优良比例", "%", "higher_better", 1), load_catalog(), by="hb"
    )

    newest = audit.audit_log(ready, limit=len(Change))
    assert newest["action"].tolist()[::-1] == [
        "upload",
        "rollback",
        "target_add",
        "target_edit",
        "target_retire",
        "target_import",
        "column_mapping",
        "account_add",
        "account_update",
        "account_password",
        "account_disable",
        "account_enable",
        "indicator_add",
    ]
    by_action = {r.action: r for r in audit.audit_log(ready).itertuples()}
    assert set(Change) <= set(by_action)
    assert by_action["upload"].account == "zhang" and by_action["upload"].batch_id == batch
    assert by_action["rollback"].account == "hb" and by_action["rollback"].batch_id == batch
    assert by_action["target_add"].target_id == target_id and by_action["target_edit"].target_id == new_id
    assert by_action["target_retire"].target_id == new_id and "撤回" in by_action["target_retire"].detail
    assert by_action["account_password"].subject == "zhao" and PASSWORD not in dump(ready)
    assert by_action["indicator_add"].subject == added and by_action["indicator_add"].account == "hb"
    assert audit.data_version(ready) == start + len(Change)
    assert store.list_batches(ready)["rolled_back_by"].tolist() == ["hb"]
    assert store.target_history(ready, target_id)["created_by"].tolist() == ["hb", "hb"]
    assert audit.audit_log(ready, account="root", change=Change.ACCOUNT_DISABLE)["subject"].tolist() == ["zhao"]


def test_a_failed_write_leaves_no_audit_entry(ready):
    before = audit_count(ready)
    with pytest.raises(store.RollbackRefused):
        store.rollback_batch(ready, 999, by="hb")
    with pytest.raises(store.TargetRefused):
        store.retire_target(ready, 999_999, by="hb")
    assert audit_count(ready) == before


def test_audit_rows_can_be_neither_changed_nor_deleted(ready):
    accounts.add_account(ready, "zhao", "viewer", password=PASSWORD, by="root")
    before = dump(ready)
    for statement in ("UPDATE audit_log SET account = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with ready.begin() as conn:
                conn.execute(text(statement))
    if ready.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"):
            with ready.begin() as conn:
                conn.execute(text("TRUNCATE audit_log"))
        with pytest.raises(DBAPIError, match="append-only"):  # not even with the import's replica role
            with ready.begin() as conn:
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                conn.execute(text("DELETE FROM audit_log"))
    assert dump(ready) == before


def test_audit_log_times_are_utc_aware_on_both_backends_and_filter_by_the_moment(ready):
    beijing = timezone(timedelta(hours=8))
    with ready.begin() as conn:
        audit.record(conn, "root", Change.ACCOUNT_ADD, "probe", now=T0.astimezone(beijing))
    log = audit.audit_log(ready, account="root")
    assert str(log["at"].dt.tz) == "UTC" and log["at"].tolist() == [T0]
    assert len(audit.audit_log(ready, account="root", since=T0.astimezone(beijing))) == 1
    assert audit.audit_log(ready, account="root", until=T0).empty


# --- who may change accounts: the data layer checks the author too ----------------------------------------------

_CHANGES = {
    "add": lambda e, by: accounts.add_account(e, "zhao", "viewer", password=PASSWORD, by=by),
    "update": lambda e, by: accounts.update_account(e, "qian", display_name="钱", by=by),
    "password": lambda e, by: accounts.set_password(e, "qian", PASSWORD + " new", by=by),
    "disable": lambda e, by: accounts.set_disabled(e, "qian", True, by=by),
}


@pytest.fixture
def authors(ready):
    accounts.add_account(ready, "root", "admin", password=PASSWORD)
    accounts.add_account(ready, "old_admin", "admin", password=PASSWORD)
    accounts.set_disabled(ready, "old_admin", True, by="root")
    accounts.add_account(ready, "hb", "analyst", ["420000"], password=PASSWORD)
    accounts.add_account(ready, "qian", "viewer", password=PASSWORD)
    return ready


@pytest.mark.parametrize("change", list(_CHANGES))
@pytest.mark.parametrize(
    ("by", "zh", "en"),
    [
        (
            "hb",
            "账户 hb（analyst）不是管理员，无权修改账户",
            "Account hb (analyst) is no admin: it may not change accounts",
        ),
        (
            "old_admin",
            "账户 old_admin 已停用，无权修改账户",
            "Account old_admin is disabled: it may not change accounts",
        ),
    ],
    ids=["analyst", "disabled-admin"],
)
def test_an_account_change_by_an_account_that_is_no_enabled_admin_is_refused(authors, change, by, zh, en):
    before = dump(authors)
    with pytest.raises(AccountRefused) as refused:
        _CHANGES[change](authors, by)
    assert (refused.value.zh, refused.value.en) == (zh, en)
    assert dump(authors) == before  # nothing changed, nothing audited


@pytest.mark.parametrize("change", list(_CHANGES))
@pytest.mark.parametrize("by", ["root", "cli:operator", "test"], ids=["admin", "cli", "no-account"])
def test_an_account_change_by_an_admin_or_by_no_account_goes_through(authors, change, by):
    before = audit_count(authors)
    _CHANGES[change](authors, by)
    assert audit_count(authors) == before + 1
    assert audit.audit_log(authors, limit=1)["account"].item() == by


def test_any_account_sets_its_own_password_and_system_names_are_reserved(authors):
    accounts.set_password(authors, "hb", PASSWORD + " mine", by="hb")
    assert accounts.sign_in(authors, "hb", PASSWORD + " mine").name == "hb"
    for name in ("system", "unnamed"):
        with pytest.raises(AccountRefused, match="reserved"):
            accounts.add_account(authors, name, "viewer", password=PASSWORD, by="root")
