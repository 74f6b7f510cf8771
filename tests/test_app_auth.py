"""Sign-in on the pages (issue 11): the navigation per role, public read off, writes refused without an account,
a submitter's rows for another city refused cell by cell with the database unchanged, the rollback confirmation,
idle expiry, the forced password change and the single sign-on glue. SQLite and PostgreSQL (the `app` fixture)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from charts.safe_text import for_markdown
from data_loaders import accounts, store
from data_loaders.db import make_engine
from tests.conftest import PASSWORD
from tests.workbooks import book_bytes, stored_values
from ui.auth import SIGNED_IN

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGES = {"pages/upload.py": "数据上传", "pages/accounts.py": "账户与审计"}


def links(at: AppTest) -> list[str]:
    """The pages the sidebar offers, by their address."""
    return [el.proto.page for el in at.get("page_link")]


def offered(at: AppTest, page: str) -> bool:
    return any(link.endswith(page.removeprefix("pages/").removesuffix(".py")) for link in links(at))


@pytest.mark.parametrize(
    ("role", "upload", "accounts_page", "audit_only"),
    [
        (None, False, False, False),
        ("viewer", False, False, False),
        ("submitter", True, False, False),
        ("analyst", True, True, True),
        ("admin", True, True, False),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(app, sign_in_as, role, upload, accounts_page, audit_only):
    if role:
        sign_in_as(role)
    app.run()
    assert not app.exception, app.exception
    drafting = role in ("analyst", "admin")  # 从工作要点起草: who may write targets
    assert len(links(app)) == 6 + upload + accounts_page + drafting  # gaps, overview, trends, map, briefing, catalog
    assert offered(app, "pages/upload.py") == upload
    assert offered(app, "pages/drafting.py") == drafting
    assert offered(app, "pages/accounts.py") == accounts_page
    sidebar = " ".join(c.value for c in app.sidebar.caption)
    if role:
        assert f"已登录：{role}" in sidebar
    else:
        assert app.sidebar.button(key="FormSubmitter:sign_in-登录") is not None
    if accounts_page:
        app.switch_page("pages/accounts.py").run()
        assert app.title[0].value == ("审计日志" if audit_only else "账户与审计")
        assert any(b.proto.label == "下载审计日志(CSV)" for b in app.get("download_button"))
        assert (app.get("form") and "acc_new_name" in [t.key for t in app.text_input]) != audit_only


def test_public_read_off_shows_only_the_sign_in_form(app, monkeypatch):
    monkeypatch.setenv("ENV_DASHBOARD_PUBLIC_READ", "false")
    app.run()
    assert not app.exception, app.exception
    assert not links(app) and not app.get("plotly_chart") and not app.dataframe
    assert "请先在左侧登录" in app.info[0].value
    assert any("首次使用：以 admin 登录" in c.value for c in app.sidebar.caption)  # where the one-time password is
    app.sidebar.text_input(key="sign_in_name").input("nobody")
    app.sidebar.text_input(key="sign_in_password").input("wrong password")
    app.sidebar.button[0].click().run()
    assert "用户名或密码错误" in app.sidebar.error[0].value and not links(app)


def test_sign_in_through_the_form_then_out(app, add_account):
    add_account("wuhan", "submitter")
    app.run()
    app.sidebar.text_input(key="sign_in_name").input("wuhan")
    app.sidebar.text_input(key="sign_in_password").input(PASSWORD)
    app.sidebar.button[0].click().run()
    assert not app.exception, app.exception
    assert offered(app, "pages/upload.py")
    assert app.session_state["sign_in_password"] == ""  # the password does not stay in the session
    app.button(key="sign_out").click().run()
    assert not offered(app, "pages/upload.py")


def test_lockout_names_when_to_try_again(app, add_account, monkeypatch):
    monkeypatch.setenv("ENV_DASHBOARD_LOCK_ATTEMPTS", "3")
    add_account("wuhan", "submitter")
    app.run()
    for _ in range(3):
        app.sidebar.text_input(key="sign_in_name").input("wuhan")
        app.sidebar.text_input(key="sign_in_password").input("not the password")
        app.sidebar.button[0].click().run()
    message = app.sidebar.error[0].value
    assert "账户已锁定" in message and "后可再试" in message
    app.sidebar.text_input(key="sign_in_name").input("wuhan")
    app.sidebar.text_input(key="sign_in_password").input(PASSWORD)
    app.sidebar.button[0].click().run()
    assert "账户已锁定" in app.sidebar.error[0].value and not offered(app, "pages/upload.py")


def _catalog_writes(at: AppTest) -> set[str]:
    """The target write controls the catalog page draws: its forms (one edit form per target: "target_edit") and
    the target-table uploader, with the edit and retire forms opened when the action switch is there."""
    seen: set[str] = set()
    actions = [None] + (["edit", "retire"] if [r for r in at.radio if r.key == "w_target_action"] else [])
    for action in actions:
        if action is not None:
            at.radio(key="w_target_action").set_value(action).run()
        seen |= {f.key for f in at.get("form")} | {w.key for w in at.get("file_uploader")}
    return {"target_edit" if k.startswith("target_edit_") else k for k in seen if k and k.startswith("target_")}


@pytest.mark.parametrize(
    ("role", "writes"),
    [(None, False), ("viewer", False), ("submitter", False), ("analyst", True)],
)
def test_catalog_write_controls_only_for_who_may_write_targets(app, sign_in_as, role, writes):
    if role:
        sign_in_as(role)
    app.run()
    app.switch_page("pages/catalog.py").run()
    assert not app.exception, app.exception
    expected = {"target_add", "target_edit", "target_retire", "target_table"} if writes else set()
    assert _catalog_writes(app) == expected
    assert not app.exception, app.exception
    if role is None:
        with pytest.raises(ValueError, match="Could not find a navigation page"):  # not registered for nobody
            app.switch_page("pages/upload.py")


def test_submitter_refused_another_citys_rows_database_unchanged(app, db_url, sign_in_as, snapshot):
    sign_in_as("submitter")  # Wuhan's
    app.run()
    app.switch_page("pages/upload.py").run()
    before = snapshot(db_url)
    book = book_bytes({"数据": [["地区", "年份", "期间", "指标", "数值"], ["武汉", 2024, "全年", "农村生活污水治理率", 61.5], ["黄石", 2024, "全年", "农村生活污水治理率", 70.0], ["鄂州", 2024, "全年", "农村生活污水治理率", 71.0]]})  # fmt: skip
    app.file_uploader(key="upload_file").set_value([("mixed.xlsx", book, XLSX)]).run()
    assert not app.exception, app.exception
    problems = next(d.value for d in app.dataframe if "problem_zh" in d.value.columns)
    refused = problems[problems["column"] == "region_code"]
    assert refused["cell"].tolist() == ["E3", "E4"]  # each value cell refused
    assert set(refused["sheet"]) == {"数据"}
    assert all("不能写入" in p for p in refused["problem_zh"])
    assert "黄石" in refused["problem_zh"].iloc[0] and "鄂州" in refused["problem_zh"].iloc[1]
    assert not [b for b in app.button if b.key.startswith("commit_")]
    assert snapshot(db_url) == before


def _commit(app: AppTest, name: str, value: float) -> None:
    book = book_bytes({"数据": [["地区", "年份", "期间", "指标", "数值"], ["武汉", 2024, "全年", "农村生活污水治理率", value]]})  # fmt: skip
    app.file_uploader(key="upload_file").set_value([(name, book, XLSX)]).run()
    next(b for b in app.button if b.key.startswith("commit_")).click().run()
    assert not app.exception, app.exception


def test_submitter_commits_own_city_under_its_name_and_gets_no_rollback(app, db_url, sign_in_as):
    sign_in_as("submitter")
    app.run()
    app.switch_page("pages/upload.py").run()
    _commit(app, "wuhan.xlsx", 61.5)
    assert stored_values(db_url)[("420100", "rural_sewage_rate", 12)][0] == 61.5
    batches = app.dataframe[-1].value
    assert "submitter" in batches.astype(str).to_string()
    assert not [b for b in app.button if b.key == "rollback"]


def test_rollback_confirmation_names_batch_file_and_count(app, db_url, analyst):
    app.run()
    app.switch_page("pages/upload.py").run()
    _commit(app, "wuhan_q4.xlsx", 61.5)
    before = stored_values(db_url)[("420100", "rural_sewage_rate", 12)][0]
    assert before == 61.5
    batches = store.list_batches(make_engine(db_url))
    batch_id = int(batches.loc[batches["file_name"] == "wuhan_q4.xlsx", "id"].iloc[0])
    app.selectbox(key="rollback_pick").set_value(batch_id).run()
    app.button(key="rollback").click().run()
    assert not app.exception, app.exception
    text = " ".join(m.value for m in app.markdown)
    assert f"回滚批次 {batch_id}" in text and for_markdown("wuhan_q4.xlsx") in text
    assert "撤销该批次写入的 1 个数值，并恢复其替换的 1 个数值" in text
    assert stored_values(db_url)[("420100", "rural_sewage_rate", 12)][0] == 61.5  # nothing yet
    app.button(key="rollback_go").click().run()
    assert not app.exception, app.exception
    assert stored_values(db_url)[("420100", "rural_sewage_rate", 12)][0] != 61.5
    log = accounts_log(db_url)
    assert ("analyst", "rollback", batch_id) in log


def accounts_log(url: str) -> list[tuple]:
    from data_loaders.audit import audit_log

    eng = make_engine(url)
    try:
        return [(r.account, r.action, r.batch_id) for r in audit_log(eng).itertuples()]
    finally:
        eng.dispose()


@pytest.mark.parametrize("setting, limit", [(None, 30), ("5", 5)], ids=["default 30 minutes", "set to 5"])
def test_idle_session_ends_after_the_set_minutes(app, sign_in_as, monkeypatch, setting, limit):
    import ui.auth as auth

    if setting is not None:
        monkeypatch.setenv("ENV_DASHBOARD_SESSION_IDLE_MINUTES", setting)
    sign_in_as("analyst")
    start = auth.now()
    monkeypatch.setattr(auth, "now", lambda: start)
    app.run()
    assert offered(app, "pages/upload.py")
    monkeypatch.setattr(auth, "now", lambda: start + timedelta(minutes=limit - 1))
    app.run()
    assert offered(app, "pages/upload.py")  # one minute short of the limit: still signed in, and the clock restarts
    monkeypatch.setattr(auth, "now", lambda: start + timedelta(minutes=limit - 1 + limit + 1))
    app.run()
    assert not offered(app, "pages/upload.py") and "已自动退出" in app.sidebar.info[0].value


def test_disabled_account_signed_out_at_next_run(app, db_url, sign_in_as):
    sign_in_as("analyst")
    app.run()
    assert offered(app, "pages/upload.py")
    eng = make_engine(db_url)
    accounts.set_disabled(eng, "analyst", by="test")
    eng.dispose()
    app.run()
    assert not offered(app, "pages/upload.py")


def test_must_change_password_before_anything_else(app, add_account):
    add_account("clerk", "submitter", must_change_password=True)
    app.session_state["account_name"] = "clerk"
    app.run()
    assert app.title[0].value == "设置新密码" and not links(app)
    app.text_input(key="new_password").input("a brand new password")
    app.text_input(key="new_password_again").input("a brand new password")
    app.button[-1].click().run()
    assert not app.exception, app.exception
    assert offered(app, "pages/upload.py")


def test_single_sign_on_identity_maps_to_the_account(engine, catalog, regions):
    from data_loaders.bootstrap import init_database
    from ui.auth import account_for_user

    init_database(engine, catalog, regions)
    accounts.add_account(engine, "li", "analyst", ["420000"], sso_identity="Li@Bureau.gov.cn", by="test")
    user = {"is_logged_in": True, "email": "li@bureau.gov.cn", "email_verified": True, "sub": "x1"}
    assert account_for_user(engine, user).name == "li"
    assert account_for_user(engine, {"is_logged_in": False}) is None
    with pytest.raises(accounts.AccountRefused):
        account_for_user(engine, {"is_logged_in": True, "email": "li@bureau.gov.cn", "email_verified": False})


SSO_USER = {"is_logged_in": True, "email": "li@bureau.gov.cn", "email_verified": True, "sub": "x1"}
SSO_SETTINGS = {  # .streamlit/secrets.toml's [auth]: only its presence matters here, nobody is redirected
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not a secret",
    "client_id": "dashboard",
    "client_secret": "not a secret",
    "server_metadata_url": "https://sso.bureau.gov.cn/.well-known/openid-configuration",
}


def test_idle_expiry_signs_out_of_single_sign_on_too(app, add_account, monkeypatch):
    """Without st.logout() the provider's identity would sign the account straight back in at the next run."""
    import ui.auth as auth

    add_account("li", "analyst", sso_identity="Li@Bureau.gov.cn")
    app.secrets = {"auth": SSO_SETTINGS}
    app.user = dict(SSO_USER)
    start = auth.now()
    monkeypatch.setattr(auth, "now", lambda: start)
    app.run()
    assert not app.exception, app.exception
    assert offered(app, "pages/upload.py") and app.session_state["account_name"] == "li"
    monkeypatch.setattr(auth, "now", lambda: start + timedelta(minutes=31))
    app.run()
    assert not offered(app, "pages/upload.py") and "已自动退出" in app.sidebar.info[0].value
    assert app.user["is_logged_in"] is False  # st.logout() was called
    app.run()
    assert not app.exception, app.exception
    assert not offered(app, "pages/upload.py") and app.button(key="sso_login") is not None


def test_an_admin_demoted_since_the_last_run_changes_no_account(app, db_url, sign_in_as, add_account):
    add_account("boss", "admin")
    add_account("wuhan", "submitter")
    sign_in_as("admin")
    app.run()
    app.switch_page("pages/accounts.py").run()
    app.selectbox(key="acc_pick").set_value("wuhan").run()
    eng = make_engine(db_url)
    accounts.update_account(eng, "admin", role="analyst", regions=["420000"], by="boss")
    app.button(key="acc_toggle").click().run()
    assert not app.exception, app.exception
    assert not accounts.get_account(eng, "wuhan").disabled
    assert "未保存：账户 admin（analyst）无权执行此操作" in app.sidebar.error[0].value
    eng.dispose()


@pytest.fixture
def served(monkeypatch) -> dict[str, bytes]:
    """The files the app hands Streamlit for its download buttons, by file name (the bytes a click would get)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        files[filename] = path_or_data
        return keep(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    return files


def test_audit_csv_has_every_entry_with_who_action_and_batch_in_utc(app, db_url, add_account, sign_in_as, served):
    import io

    import pandas as pd

    from data_loaders.audit import audit_log

    add_account("analyst", "analyst")
    sign_in_as("submitter")
    app.run()
    app.switch_page("pages/upload.py").run()
    _commit(app, "wuhan_q4.xlsx", 61.5)
    app.session_state[SIGNED_IN] = "analyst"
    app.run()
    app.switch_page("pages/upload.py").run()
    eng = make_engine(db_url)
    batch_id = int(store.list_batches(eng)["id"].max())
    app.selectbox(key="rollback_pick").set_value(batch_id).run()
    app.button(key="rollback").click().run()
    app.button(key="rollback_go").click().run()
    served.clear()
    app.switch_page("pages/accounts.py").run()
    assert not app.exception, app.exception
    [name] = [n for n in served if n.startswith("audit_")]
    csv = pd.read_csv(io.BytesIO(served[name]), encoding="utf-8-sig", dtype={"batch_id": "Int64"})
    log = audit_log(eng)
    eng.dispose()
    assert len(csv) == len(log) and csv["id"].tolist() == log["id"].tolist()  # one row per entry, newest first
    rows = list(zip(csv["account"], csv["action"], csv["batch_id"], strict=True))
    assert rows[:2] == [("analyst", "rollback", batch_id), ("submitter", "upload", batch_id)]
    at = pd.to_datetime(csv["at"], format="ISO8601")
    assert str(at.dt.tz) == "UTC" and all(s.endswith("+00:00") for s in csv["at"])


@pytest.fixture
def shanghai_clock():
    """The server's local time zone is Asia/Shanghai (UTC+8) for the test."""
    import os
    import time

    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_the_audit_table_shows_an_entry_at_the_same_local_time_on_both_backends(app, db_url, analyst, shanghai_clock):
    """One moment written twice (in UTC and as Beijing time) reads 10:03:04 on the page, whichever the backend."""
    from datetime import UTC, datetime, timezone

    from data_loaders import audit

    eng = make_engine(db_url)
    try:
        with eng.begin() as conn:
            moment = datetime(2026, 12, 1, 2, 3, 4, tzinfo=UTC)
            audit.record(conn, "test", audit.Change.ACCOUNT_ADD, "utc-probe", now=moment)
            beijing = moment.astimezone(timezone(timedelta(hours=8)))
            audit.record(conn, "test", audit.Change.ACCOUNT_ADD, "beijing-probe", now=beijing)
    finally:
        eng.dispose()
    app.run()
    app.switch_page("pages/accounts.py").run()
    assert not app.exception, app.exception
    [log] = [df.value for df in app.dataframe if "对象" in df.value.columns]
    shown = dict(zip(log["对象"], log["时间"], strict=True))
    assert shown["utc-probe"] == shown["beijing-probe"] == "2026-12-01 10:03:04"
