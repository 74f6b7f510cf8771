"""The store on real SQLite and PostgreSQL: schema, seed targets, commits, supersede and history."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_loaders import store, store_write
from data_loaders.bootstrap import init_database
from data_loaders.db import Observation, UploadBatch
from indicators.targets import load_sample_targets


def tidy(rows):
    df = pd.DataFrame(rows, columns=["region_code", "indicator_code", "year", "period", "value"])
    df["numerator"] = float("nan")
    df["denominator"] = float("nan")
    df["note"] = ""
    return df


@pytest.fixture
def ready(engine, catalog, regions):
    init_database(engine, catalog, regions, sample=False)
    return engine


def count_obs(engine, current=None):
    q = select(func.count()).select_from(Observation)
    if current is not None:
        q = q.where(Observation.current.is_(current))
    with Session(engine) as s:
        return s.scalar(q)


def test_init_loads_every_seed_target_once(ready, catalog, regions):
    expected = len(load_sample_targets())
    assert len(store.load_targets(ready)) == expected
    init_database(ready, catalog, regions, sample=False)  # idempotent
    assert len(store.load_targets(ready)) == expected


def test_target_round_trip_keeps_clause_and_pending(ready):
    hubei = store.load_targets(ready, year=2024, region_code="420000")
    sewage = [t for t in hubei if t.indicator_code == "rural_sewage_rate"]
    assert sewage and sewage[0].value == pytest.approx(46.58) and "46.58%" in sewage[0].source_clause
    assert any(t.form == "pending" and t.value is None for t in hubei)


def test_commit_inserts_then_supersedes_and_keeps_history(ready):
    first = store.commit_upload(
        ready, tidy([("420100", "pm25", 2024, 6, 40.0), ("420200", "pm25", 2024, 6, 0.0)]), "a.xlsx", "sha-a"
    )
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    second = store.commit_upload(
        ready, tidy([("420100", "pm25", 2024, 6, 38.0), ("420200", "pm25", 2024, 6, 0.0)]), "b.xlsx", "sha-b"
    )
    assert (second.inserted, second.updated, second.unchanged) == (0, 1, 1)
    assert count_obs(ready) == 3 and count_obs(ready, current=True) == 2
    current = store.load_observations(ready, [2024]).set_index("region_code")["value"]
    assert current["420100"] == 38.0 and current["420200"] == 0.0  # a real 0 is stored, not dropped
    with Session(ready) as s:
        old = s.scalars(select(Observation).where(Observation.current.is_(False))).one()
    assert old.value == 40.0 and old.superseded_by == second.batch_id


def test_same_file_twice_changes_nothing(ready):
    rows = tidy([("420100", "pm25", 2024, 3, 55.0)])
    first = store.commit_upload(ready, rows, "a.xlsx", "same-sha")
    again = store.commit_upload(ready, rows, "a.xlsx", "same-sha")
    assert again.already_imported and again.batch_id == first.batch_id
    assert count_obs(ready) == 1
    assert len(store.list_batches(ready)) == 1


def test_failed_commit_leaves_database_unchanged(ready):
    store.commit_upload(ready, tidy([("420100", "pm25", 2024, 3, 55.0)]), "a.xlsx", "sha-1")
    bad = tidy([("420100", "pm25", 2024, 3, 50.0), ("999999", "pm25", 2024, 3, 1.0)])  # unknown region: FK violation
    with pytest.raises(IntegrityError):
        store.commit_upload(ready, bad, "bad.xlsx", "sha-2")
    assert count_obs(ready) == 1 and count_obs(ready, current=True) == 1
    with Session(ready) as s:
        assert s.scalar(select(func.count()).select_from(UploadBatch)) == 1
    assert store.load_observations(ready, [2024])["value"].tolist() == [55.0]


def test_diff_marks_insert_update_unchanged(ready):
    store.commit_upload(ready, tidy([("420100", "pm25", 2024, 3, 55.0), ("420200", "pm25", 2024, 3, 50.0)]), "a", "s1")
    diff = store.diff_against_store(
        ready,
        tidy([("420100", "pm25", 2024, 3, 55.0), ("420200", "pm25", 2024, 3, 48.0), ("420300", "pm25", 2024, 3, 30.0)]),
    )
    assert diff.set_index("region_code")["change"].to_dict() == {
        "420100": "unchanged",
        "420200": "update",
        "420300": "insert",
    }
    assert diff.set_index("region_code").loc["420200", "old_value"] == 50.0


def test_migrations_build_exactly_the_models(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from data_loaders.db import Base, create_schema

    create_schema(engine)
    create_schema(engine)  # a second upgrade is a no-op
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def test_gap_table_aggregates_the_province_and_flags_approximations(engine, catalog, regions):
    from data_loaders.reports import gap_table

    init_database(engine, catalog, regions, sample=True)
    indicators = ["pm25", "good_air_ratio", "water_good_ratio", "rural_sewage_rate"]
    gaps = gap_table(engine, catalog, regions, 2024, 12, ["420000", "420100"], indicators)
    rows = gaps.set_index(["region_code", "indicator_code"])
    cities = store.load_observations(engine, [2024])
    cities = cities[(cities["period"] == 12) & (cities["region_code"] != "420000")]
    group = rows.loc[("420000", "pm25"), "aggregate_over"]
    if group:  # the province's air target is about a region group (全省国考城市): the mean is over its members
        from indicators.groups import load_region_groups

        cities = cities[cities["region_code"].isin(load_region_groups()[group].members)]
    mean_pm25 = cities.loc[cities["indicator_code"] == "pm25", "value"].mean()
    assert rows.loc[("420000", "pm25"), "actual_raw"] == pytest.approx(mean_pm25)
    assert rows.loc[("420000", "pm25"), "actual"] == catalog["pm25"].published(mean_pm25)  # the published figure
    assert rows.loc[("420000", "pm25"), "value_source"] == "aggregated"
    assert rows.loc[("420000", "good_air_ratio"), "value_source"] == "aggregated"  # air: the mean, as bulletins do
    water = rows.loc[("420000", "water_good_ratio")]
    assert water["value_source"] == "approximate" and not water["graded"]  # no section counts in the sample
    assert rows.loc[("420100", "pm25"), "value_source"] == "uploaded"


def test_two_overlapping_imports_at_once_leave_one_current_value_and_full_history(ready, db_url):
    """Two real connections commit overlapping tables at the same moment, several times over: every key ends with
    exactly one current value, the later batch's, and every replaced value is kept with the batch that replaced it."""
    import threading

    from data_loaders.db import make_engine

    cities = ["420100", "420200", "420300", "420500", "420600", "420700", "420800", "420900"]
    keys = [(c, code, 2024, p) for c in cities for code in ("pm25", "good_air_ratio") for p in (3, 6, 9, 12)]

    def table(offset: float):
        return tidy([(*k, 30.0 + offset + i % 7) for i, k in enumerate(keys)])

    engines = [make_engine(db_url), make_engine(db_url)]
    rounds, errors = 4, []

    def worker(n: int, barrier: threading.Barrier) -> None:
        try:
            for r in range(rounds):
                barrier.wait(timeout=60)
                store.commit_upload(engines[n], table(n * 10 + r), f"w{n}.xlsx", f"sha-{n}-{r}", uploaded_by=f"w{n}")
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=worker, args=(n, barrier)) for n in (0, 1)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    for e in engines:
        e.dispose()
    assert not errors, errors

    with Session(ready) as s:
        rows = s.execute(
            select(
                Observation.region_code,
                Observation.indicator_code,
                Observation.period,
                Observation.value,
                Observation.batch_id,
                Observation.current,
                Observation.superseded_by,
            ).where(Observation.year == 2024, Observation.region_code.in_(cities))
        ).all()
        batches = s.scalars(select(func.count()).select_from(UploadBatch).where(UploadBatch.uploaded_by.like("w%")))
        assert batches.one() == 2 * rounds
    obs = pd.DataFrame(rows, columns=["region", "ind", "period", "value", "batch", "current", "superseded_by"])
    current = obs[obs["current"]]
    assert len(current) == len(keys) and not current.duplicated(["region", "ind", "period"]).any()
    last_batch = obs["batch"].max()
    assert (current["batch"] == last_batch).all()  # the batch committed last holds every current value
    history = obs[~obs["current"]]
    # every batch wrote every key (their values differ), so nothing is lost: 8 versions per key, 7 superseded
    assert len(history) == len(keys) * (2 * rounds - 1)
    assert (history["superseded_by"] > history["batch"]).all()
    # the chain is unbroken: each replaced value was replaced by the next batch that wrote the key
    for _, versions in obs.sort_values("batch").groupby(["region", "ind", "period"]):
        assert versions["superseded_by"].iloc[:-1].tolist() == versions["batch"].iloc[1:].tolist()


def test_commit_reports_rows_written_chunk_by_chunk(ready, monkeypatch):
    monkeypatch.setattr(store_write, "WRITE_CHUNK", 3)
    seen = []
    rows = tidy([(c, "pm25", 2024, 6, 40.0 + i) for i, c in enumerate(["420100", "420200", "420300", "420500"])])
    rows = pd.concat([rows, tidy([("420600", "pm25", 2024, 6, 33.0), ("420700", "pm25", 2024, 6, 31.0)])])
    store.commit_upload(ready, rows, "p.xlsx", "sha-p", progress=lambda *a: seen.append(a))
    assert seen == [("written", 3, 6), ("written", 6, 6)]


def test_sqlite_foreign_keys_are_back_on_after_a_commit_and_a_refused_one(ready):
    if ready.dialect.name != "sqlite":
        pytest.skip("SQLite switches its foreign keys per connection")
    store.commit_upload(ready, tidy([("420100", "pm25", 2024, 3, 55.0)]), "a.xlsx", "sha-1")
    with pytest.raises(IntegrityError):
        store.commit_upload(ready, tidy([("999999", "pm25", 2024, 3, 1.0)]), "bad.xlsx", "sha-2")
    with pytest.raises(IntegrityError):
        store.commit_upload(ready, tidy([("420100", "no_such_indicator", 2024, 3, 1.0)]), "bad2.xlsx", "sha-3")
    with ready.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize("chunk", [2, 50_000])
def test_numerators_and_notes_are_stored_as_given_whether_or_not_every_row_has_them(ready, monkeypatch, chunk):
    monkeypatch.setattr(store_write, "WRITE_CHUNK", chunk)
    rows = tidy([(c, "water_good_ratio", 2024, 6, 80.0) for c in ["420100", "420200", "420300"]])
    rows.loc[2, ["numerator", "denominator", "note"]] = [8.0, 10.0, "合成"]
    store.commit_upload(ready, rows, "n.xlsx", "sha-n")
    with ready.connect() as conn:
        stored = conn.execute(
            select(Observation.region_code, Observation.numerator, Observation.denominator, Observation.note).order_by(
                Observation.region_code
            )
        ).all()
    assert [tuple(r) for r in stored] == [
        ("420100", None, None, ""),
        ("420200", None, None, ""),
        ("420300", 8.0, 10.0, "合成"),
    ]


def test_rows_go_in_piece_by_piece_and_every_value_arrives(ready, monkeypatch):
    """On PostgreSQL the rows are formatted and streamed piece by piece (progress after each `chunk`); every value
    arrives, with its key, on both backends."""
    from data_loaders import store_copy

    monkeypatch.setattr(store_copy, "_PIPELINE_ROWS", 2)
    monkeypatch.setattr(store_write, "WRITE_CHUNK", 3)
    cities = ["420100", "420200", "420300"]
    given = [
        (c, ind, y, p, float(i))
        for i, (c, ind, y, p) in enumerate(
            (c, ind, y, p)
            for c in reversed(cities)
            for ind in ("pm25", "good_air_ratio")
            for y in (2024, 2023)
            for p in (12, 6)
        )
    ]
    seen = []
    store.commit_upload(ready, tidy(given), "o.xlsx", "sha-o", progress=lambda *a: seen.append(a))
    with ready.connect() as conn:
        stored = conn.execute(
            select(
                Observation.year,
                Observation.period,
                Observation.indicator_code,
                Observation.region_code,
                Observation.value,
            ).order_by(Observation.id)
        ).all()
    assert len(stored) == len(given) == 24
    assert {(r[3], r[2], r[0], r[1]): r[4] for r in stored} == {(c, i, y, p): v for c, i, y, p, v in given}
    assert seen[-1] == ("written", 24, 24) and [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)


def test_postgresql_without_the_privilege_checks_each_row_and_an_unknown_code_mid_copy_writes_nothing(
    ready, db_url, monkeypatch
):
    """A database role that may not skip the foreign-key triggers (not a superuser) writes through them: an
    unknown region in the middle of the streamed pieces fails the COPY, and nothing of the upload stays."""
    if ready.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's COPY path")
    from sqlalchemy import text

    from data_loaders import store_copy
    from data_loaders.db import make_engine

    monkeypatch.setattr(store_copy, "_PIPELINE_ROWS", 2)
    role = "env_dash_plain_importer"
    with ready.begin() as conn:
        conn.execute(
            text(f"DROP OWNED BY {role}")
            if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
            else text("SELECT 1")
        )
        conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        conn.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER"))
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {role}"))
        conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    plain = make_engine(ready.url.set(username=role).render_as_string(hide_password=False))
    try:
        store.commit_upload(plain, tidy([("420100", "pm25", 2024, 3, 55.0)]), "a.xlsx", "sha-1", uploaded_by="hb")
        with plain.connect() as conn:
            assert (
                conn.execute(text("SELECT has_parameter_privilege('session_replication_role', 'SET')")).scalar()
                is False
            )
        rows = [(c, "pm25", 2024, 6, 30.0) for c in ("420200", "420300", "420500", "999999", "420600", "420700")]
        with pytest.raises(IntegrityError):
            store.commit_upload(plain, tidy(rows), "bad.xlsx", "sha-2", uploaded_by="hb")
    finally:
        plain.dispose()
        with ready.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
    assert count_obs(ready) == 1 and len(store.list_batches(ready)) == 1


def test_upgrade_from_0005_keeps_every_value_and_indexes_observations_by_year(engine, catalog, regions):
    from sqlalchemy import inspect

    from data_loaders.db import create_schema

    create_schema(engine, "0005")
    store.load_reference_tables(engine, catalog, regions)
    store.commit_upload(engine, tidy([("420100", "pm25", 2024, 3, 55.0), ("420200", "pm25", 2023, 12, 41.0)]), "a", "s")
    assert {i["name"] for i in inspect(engine).get_indexes("observations")} == {"ix_observations_key"}
    create_schema(engine)
    indexes = {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("observations")}
    assert indexes == {"ix_observations_year": ["year", "period"]}
    assert store.load_observations(engine, [2024])["value"].tolist() == [55.0]
    assert store.newest_period(engine) == (2024, 3) and store.available_years(engine) == [2024, 2023]


def test_each_batch_takes_its_own_block_of_ids_even_after_a_failed_one(ready):
    """PostgreSQL reserves one block of ids per batch from the sequence (COPY writes them): a later batch never
    reuses an id, not even after a batch that failed mid-COPY, and the sequence stays ahead of every stored id."""
    from sqlalchemy import text

    first = tidy([(c, "pm25", 2024, 3, 50.0) for c in ("420100", "420200", "420300")])
    store.commit_upload(ready, first, "a.xlsx", "sha-a")
    with pytest.raises(IntegrityError):  # fails inside the write: nothing of it stays
        store.commit_upload(ready, tidy([("420500", "pm25", 2024, 3, 1.0), ("999999", "pm25", 2024, 3, 1.0)]), "b", "b")
    second = tidy([(c, "pm25", 2024, 3, 40.0) for c in ("420100", "420200", "420500", "420600")])
    store.commit_upload(ready, second, "c.xlsx", "sha-c")
    with ready.connect() as conn:
        ids = conn.execute(select(Observation.batch_id, Observation.id).order_by(Observation.id)).all()
    assert len({i for _, i in ids}) == len(ids) == 7
    batches = [b for b, _ in ids]
    assert batches == sorted(batches)  # each batch's ids above the one before
    if ready.dialect.name == "postgresql":
        with ready.connect() as conn:
            after = conn.execute(text("SELECT nextval(pg_get_serial_sequence('observations', 'id'))")).scalar()
        assert after > max(i for _, i in ids)
