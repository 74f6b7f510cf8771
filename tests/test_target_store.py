"""Targets in the store on real SQLite and PostgreSQL: add, edit and retire keep every row as history."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_loaders import store
from data_loaders.bootstrap import init_database
from data_loaders.db import TargetRow
from data_loaders.reports import gap_table, target_table
from indicators.targets import Target

WUHAN_2025 = Target(
    "rural_sewage_rate",
    "420100",
    2025,
    ">=",
    58.0,
    issuer_code="420100",
    issuer_name="武汉市生态环境局",
    source_file="2025年工作要点",
    source_clause="农村生活污水治理率58%",
)


@pytest.fixture
def ready(engine, catalog, regions):
    init_database(engine, catalog, regions, sample=False)
    return engine


def count_rows(engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(TargetRow))


def row(engine, target_id: int) -> TargetRow:
    with Session(engine) as s:
        return s.get(TargetRow, target_id)


def test_add_target_returns_its_id_and_is_in_force(ready):
    new_id = store.add_target(ready, WUHAN_2025)
    [loaded] = store.load_targets(ready, year=2025)
    assert loaded == replace(WUHAN_2025, target_id=new_id)
    assert row(ready, new_id).created_at is not None and row(ready, new_id).replaces_id is None


def test_edit_retires_the_old_row_and_keeps_the_original_clause(ready):
    old_id = store.add_target(ready, WUHAN_2025)
    before = count_rows(ready)
    corrected = replace(WUHAN_2025, value=60.0, source_clause="农村生活污水治理率60%")
    new_id = store.update_target(ready, old_id, corrected, note="文件更正", by="tester")
    assert count_rows(ready) == before + 1
    assert [t.target_id for t in store.load_targets(ready, year=2025)] == [new_id]
    old = row(ready, old_id)
    assert old.retired and old.retired_at is not None and old.retired_by == "tester" and old.retire_note == "文件更正"
    assert old.source_clause == "农村生活污水治理率58%" and old.value == 58.0
    assert row(ready, new_id).replaces_id == old_id
    for either in (old_id, new_id):
        history = store.target_history(ready, either)
        assert history["target_id"].tolist() == [old_id, new_id]
        assert history["state"].tolist() == ["edited", "active"]
        assert history["value"].tolist() == [58.0, 60.0]
        assert history["replaced_by"].tolist()[0] == new_id and history["replaces_id"].tolist()[1] == old_id


def test_a_chain_of_edits_then_retire_is_one_history(ready):
    first = store.add_target(ready, WUHAN_2025)
    second = store.update_target(ready, first, replace(WUHAN_2025, value=59.0))
    third = store.update_target(ready, second, replace(WUHAN_2025, value=60.0))
    store.retire_target(ready, third, "目标取消", by="tester")
    history = store.target_history(ready, second)
    assert history["target_id"].tolist() == [first, second, third]
    assert history["state"].tolist() == ["edited", "edited", "retired"]
    assert history["retire_note"].tolist()[-1] == "目标取消"
    assert store.load_targets(ready, year=2025) == []
    assert store.target_history(ready, 999_999).empty


def test_retire_keeps_the_row_and_load_targets_ignores_it(ready, catalog, regions):
    hubei = store.load_targets(ready, year=2024, region_code="420000", indicator_code="rural_sewage_rate")
    before = count_rows(ready)
    store.retire_target(ready, hubei[0].target_id, "测试停用")
    assert count_rows(ready) == before
    assert store.load_targets(ready, year=2024, region_code="420000", indicator_code="rural_sewage_rate") == []
    assert store.load_target(ready, hubei[0].target_id).source_clause == hubei[0].source_clause  # still readable
    table = target_table(ready, catalog, regions)
    assert hubei[0].target_id not in set(table["target_id"])


def test_retired_and_unknown_targets_are_refused(ready):
    target_id = store.add_target(ready, WUHAN_2025)
    store.retire_target(ready, target_id)
    with pytest.raises(store.TargetRefused) as exc:
        store.retire_target(ready, target_id)
    assert "已停用" in exc.value.zh and "already retired" in exc.value.en
    with pytest.raises(store.TargetRefused):
        store.update_target(ready, target_id, replace(WUHAN_2025, value=1.0))
    with pytest.raises(store.TargetRefused) as exc:
        store.retire_target(ready, 999_999)
    assert "不存在" in exc.value.zh
    assert store.load_targets(ready, year=2025) == []  # the refused edit added nothing


def test_edit_is_atomic_a_failed_insert_leaves_the_old_row_in_force(ready):
    target_id = store.add_target(ready, WUHAN_2025)
    before = count_rows(ready)
    with pytest.raises(IntegrityError):
        store.update_target(ready, target_id, replace(WUHAN_2025, region_code="999999"))  # unknown region: FK
    assert count_rows(ready) == before
    assert not row(ready, target_id).retired
    assert [t.target_id for t in store.load_targets(ready, year=2025)] == [target_id]


def test_gaps_ignore_retired_targets(engine, catalog, regions):
    init_database(engine, catalog, regions, sample=True)

    def wuhan():
        gaps = gap_table(engine, catalog, regions, 2024, 12, ["420100"], ["rural_sewage_rate"])
        return gaps.iloc[0]

    assert wuhan()["target"] == pytest.approx(56.0) and wuhan()["target_origin"] == "own"
    [own] = store.load_targets(engine, year=2024, region_code="420100", indicator_code="rural_sewage_rate")
    store.retire_target(engine, own.target_id, "测试")
    assert wuhan()["target"] == pytest.approx(46.58) and wuhan()["target_origin"] == "reference"


def test_reimporting_the_seed_does_not_bring_back_a_retired_clause(ready, catalog, regions):
    [own] = store.load_targets(ready, year=2024, region_code="420100", indicator_code="rural_sewage_rate")
    store.retire_target(ready, own.target_id, "测试")
    before = count_rows(ready)
    assert init_database(ready, catalog, regions, sample=False).targets_added == 0
    assert count_rows(ready) == before
    assert store.load_targets(ready, year=2024, region_code="420100", indicator_code="rural_sewage_rate") == []


def test_upgrade_from_0001_keeps_targets_and_adds_history_columns(engine, catalog, regions):
    from data_loaders.db import create_schema

    create_schema(engine, "0001")
    store.load_reference_tables(engine, catalog, regions)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO targets (indicator_code, region_code, year, comparator, value, form, issuer_code,"
                " issuer_name, binding, source_file, source_clause, note, retired)"
                " VALUES ('pm25', '420100', 2024, '<=', 40, 'absolute', '420100', '武汉市生态环境局', '', 'f',"
                " 'PM2.5不高于40', '', :retired)"
            ),
            {"retired": False},
        )
    create_schema(engine)
    [old] = store.load_targets(engine)
    assert old.value == 40.0 and old.source_clause == "PM2.5不高于40"
    assert row(engine, old.target_id).created_at is None  # unknown for rows older than the migration
    new_id = store.update_target(engine, old.target_id, replace(old, value=38.0, target_id=None))
    assert store.target_history(engine, new_id)["state"].tolist() == ["edited", "active"]
