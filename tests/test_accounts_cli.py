"""Accounts on the command line, on real SQLite and PostgreSQL (issue 11): `cli.py users` takes passwords from
standard input only, and `--user` enforces the account's role and regions on import, rollback and targets."""

from __future__ import annotations

import pytest

import cli
from data_loaders import accounts, audit, store
from data_loaders.accounts import AccountRefused
from data_loaders.audit import Change
from data_loaders.db import make_engine
from indicators.terms import Role
from tests.accounts_support import PASSWORD, audit_count
from tests.cli_runner import run
from tests.workbooks import book_bytes, wide_rows


@pytest.fixture
def db(db_url, capsys):
    assert cli.main(["init", "--db", db_url]) == 0
    capsys.readouterr()
    return db_url


def _two_cities(tmp_path) -> str:
    path = tmp_path / "two_cities.xlsx"
    path.write_bytes(book_bytes({"Q2": wide_rows((1, "武汉", 38, 80.1), (2, "黄石", 41, 78.5), (3, "鄂州", 40, 79.0))}))
    return str(path)


def _wuhan_only(tmp_path) -> str:
    path = tmp_path / "wuhan.xlsx"
    path.write_bytes(book_bytes({"Q2": wide_rows((1, "武汉", 38, 80.1))}))
    return str(path)


def test_users_commands_take_the_password_from_stdin_only(db, capsys, monkeypatch):
    code, out, err = run(
        capsys, "users", "add", "zhang", "--role", "submitter", "--region", "420100", "--display-name", "张三",
        "--db", db, "--password-stdin", stdin=PASSWORD + "\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0, err
    assert "张三 (zhang)" in out
    engine = make_engine(db)
    assert accounts.sign_in(engine, "zhang", PASSWORD).role == Role.SUBMITTER
    assert run(capsys, "users", "add", "li", "--role", "viewer", "--password", PASSWORD, "--db", db)[0] == 2
    code, _, err = run(capsys, "users", "add", "sun", "--role", "viewer", "--db", db, "--password-stdin",
                       stdin="short\n", monkeypatch=monkeypatch)  # fmt: skip
    assert code == 1 and "at least 10" in err
    code, out, _ = run(capsys, "users", "list", "--db", db, "--format", "json")
    assert code == 0 and '"zhang"' in out and "argon2" not in out
    assert run(capsys, "users", "disable", "zhang", "--db", db)[0] == 0
    with pytest.raises(AccountRefused, match="disabled"):
        accounts.sign_in(engine, "zhang", PASSWORD)
    assert run(capsys, "users", "enable", "zhang", "--db", db)[0] == 0
    code, _, err = run(capsys, "users", "passwd", "zhang", "--db", db, "--password-stdin",
                       stdin="another long one\n", monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0, err
    assert accounts.sign_in(engine, "zhang", "another long one").name == "zhang"
    assert run(capsys, "users", "disable", "nobody", "--db", db)[0] == 1
    log = audit.audit_log(engine)
    assert log["action"].tolist()[:4] == ["account_password", "account_enable", "account_disable", "account_add"]
    assert set(log["account"][:4]) == {cli.cli_author()}
    engine.dispose()


def test_a_submitters_rows_for_another_city_are_refused_cell_by_cell_and_nothing_written(
    db, tmp_path, capsys, snapshot
):
    engine = make_engine(db)
    accounts.add_account(engine, "wh", "submitter", ["420100"], password=PASSWORD)
    before, audit_before = snapshot(db), audit_count(engine)
    code, _, err = run(capsys, "import", _two_cities(tmp_path), "--db", db, "--user", "wh")
    assert code == 1
    for cell in ("C4", "D4", "C5", "D5"):  # 黄石 and 鄂州, each value cell
        assert cell in err
    assert "C3" not in err and "黄石" in err and "nothing was written" in err
    assert snapshot(db) == before and audit_count(engine) == audit_before
    code, _, err = run(capsys, "import", _two_cities(tmp_path), "--db", db, "--user", "wh", "--dry-run")
    assert code == 1 and snapshot(db) == before

    code, _, err = run(capsys, "import", _wuhan_only(tmp_path), "--db", db, "--user", "wh")
    assert code == 0, err
    assert store.list_batches(engine)["uploaded_by"].tolist() == ["wh"]
    assert audit.audit_log(engine, change=Change.UPLOAD)["account"].tolist() == ["wh"]
    engine.dispose()


def test_import_as_an_unknown_or_read_only_account_is_refused(db, tmp_path, capsys, snapshot):
    engine = make_engine(db)
    accounts.add_account(engine, "kan", "viewer", password=PASSWORD)
    before = snapshot(db)
    code, _, err = run(capsys, "import", _wuhan_only(tmp_path), "--db", db, "--user", "kan")
    assert code == 1 and "may not do this: upload" in err
    code, _, err = run(capsys, "import", _wuhan_only(tmp_path), "--db", db, "--user", "ghost")
    assert code == 1 and "does not exist" in err
    assert snapshot(db) == before
    engine.dispose()


def test_rollback_needs_an_analyst_for_the_batchs_regions(db, tmp_path, capsys):
    engine = make_engine(db)
    accounts.add_account(engine, "hb", "analyst", ["420000"], password=PASSWORD)
    accounts.add_account(engine, "hn", "analyst", ["430000"], password=PASSWORD)
    accounts.add_account(engine, "wh", "submitter", ["420100"], password=PASSWORD)
    assert run(capsys, "import", _two_cities(tmp_path), "--db", db, "--user", "hb")[0] == 0
    batch = str(store.list_batches(engine)["id"][0])
    code, _, err = run(capsys, "rollback", batch, "--db", db, "--user", "wh")
    assert code == 1 and "may not do this: rollback" in err
    code, _, err = run(capsys, "rollback", batch, "--db", db, "--user", "hn")
    assert code == 1 and "outside" in err
    assert store.list_batches(engine)["status"].tolist() == ["committed"]
    code, _, err = run(capsys, "rollback", batch, "--db", db, "--user", "hb")
    assert code == 0, err
    batches = store.list_batches(engine)
    assert batches[["status", "rolled_back_by"]].values.tolist() == [["rolled_back", "hb"]]
    assert audit.audit_log(engine, change=Change.ROLLBACK)["account"].tolist() == ["hb"]
    engine.dispose()


def test_without_user_the_cli_records_the_login(db, tmp_path, capsys):
    assert run(capsys, "import", _wuhan_only(tmp_path), "--db", db)[0] == 0
    engine = make_engine(db)
    assert store.list_batches(engine)["uploaded_by"].tolist() == [cli.cli_author()]
    assert cli.cli_author().startswith("cli:")
    engine.dispose()


def test_target_import_and_retire_need_an_analyst_of_the_province(db, tmp_path, capsys):
    from tests.test_cli import target_table

    engine = make_engine(db)
    accounts.add_account(engine, "hb", "analyst", ["420000"], password=PASSWORD)
    accounts.add_account(engine, "hn", "analyst", ["430000"], password=PASSWORD)
    accounts.add_account(engine, "wh", "submitter", ["420100"], password=PASSWORD)
    title = "湖北省生态环境厅关于下达2024年各市州农村生活污水治理率目标的通知"
    table = str(target_table(tmp_path / "t.xlsx", title, [("武汉市", 58), ("潜江市", 40)]))
    before = len(store.load_targets(engine))
    code, _, err = run(capsys, "targets", "--import", table, "--db", db, "--user", "wh")
    assert code == 1 and "may not do this: target_write" in err
    code, _, err = run(capsys, "targets", "--import", table, "--db", db, "--user", "hn")
    assert code == 1 and "420100" in err and "429005" in err and "nothing was written" in err
    assert len(store.load_targets(engine)) == before
    code, out, err = run(capsys, "targets", "--import", table, "--db", db, "--user", "hb")
    assert code == 0 and "2 targets added" in out, err
    [imported] = audit.audit_log(engine, change=Change.TARGET_IMPORT, account="hb").itertuples()
    assert "2 added" in imported.detail
    wuhan = next(t for t in store.load_targets(engine, year=2024, region_code="420100") if t.issuer_code == "420000")
    assert run(capsys, "targets", "--retire", str(wuhan.target_id), "--db", db, "--user", "hn")[0] == 1
    assert run(capsys, "targets", "--retire", str(wuhan.target_id), "--db", db, "--user", "hb")[0] == 0
    assert store.target_history(engine, wuhan.target_id)["retired_by"].tolist() == ["hb"]
    engine.dispose()


@pytest.mark.parametrize(
    "argv",
    [
        ["users", "add", "li", "--role", "viewer", "--password=secret"],  # was taken for --password-stdin
        ["users", "add", "li", "--role", "viewer", "--password", "secret"],
        ["users", "passwd", "li", "--password-stdin=secret"],
        ["users", "passwd", "li", "--pass=secret"],  # no abbreviation of --password-stdin either
        ["import", "book.xlsx", "--pw=secret"],
    ],
)
def test_a_refused_option_never_repeats_its_value(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and "error:" in err
    assert "secret" not in out and "secret" not in err
