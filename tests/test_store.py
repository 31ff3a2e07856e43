"""The database store, the same suite on SQLite files and on a real PostgreSQL 15 server:
revisions, history, reads as of a time, validation on write, windows, per-day counts,
schema migrations."""

from __future__ import annotations

import copy
import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pg import PASSWORD, Cluster, pg_cluster

from sitrep.ingest.raw import RawRecord
from sitrep.store import MemoryStore
from sitrep.store.database import StoreError, head_revision, make_engine, upgrade
from sitrep.store.diff import diff
from sitrep.store.sql import SqlStore

__all__ = ["pg_cluster"]  # the session fixture, imported for pytest


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.db)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str | None]:
    """The URL (and password) of a new, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'incidents.sqlite'}", None
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database(), PASSWORD


@pytest.fixture
def store(store_url: tuple[str, str | None]) -> Iterator[SqlStore]:
    """A new store in the database."""
    opened = SqlStore.open(*store_url)
    yield opened
    opened.engine.dispose()


def record(rid: str, day: str = "2025-06-01", **fields: Any) -> dict[str, Any]:
    """A valid record."""
    data: dict[str, Any] = {
        "id": rid,
        "date": day,
        "country": "MLI",
        "admin1": "Mopti",
        "location": "Boulkessi",
        "event_type": "battles",
        "sources": [{"id": "rfi", "name": "RFI"}],
        "claims": [
            {
                "source": "rfi",
                "by": "army",
                "stance": "official",
                "group": "state_forces",
                "outcome": "killed",
                "count": 12,
            }
        ],
    }
    data.update(fields)
    return data


def raws(*records: dict[str, Any]) -> list[RawRecord]:
    """Records as an import hands them over."""
    return [RawRecord(copy.deepcopy(r), "batch.yaml", i + 1) for i, r in enumerate(records)]


def ids(store: SqlStore, **kwargs: Any) -> list[str]:
    """The ids a load returns."""
    return [r.id for r in store.load(**kwargs).records]


def test_write_then_load_in_written_order(store: SqlStore) -> None:
    result = store.write(raws(record("b"), record("a")), author="ana", reason="first")
    assert (result.revision, result.added, result.problems) == (1, ["b", "a"], [])
    loaded = store.load()
    assert [r.id for r in loaded.records] == ["b", "a"]
    assert loaded.revision == 1
    count = loaded.records[0].claims[0].count
    assert count is not None and (count.low, count.high) == (12, 12)


def test_writing_unchanged_records_makes_no_revision(store: SqlStore) -> None:
    store.write(raws(record("a"), record("b")), author="ana", reason="first")
    again = store.write(raws(record("a"), record("b")), author="ana", reason="again")
    assert (again.revision, again.unchanged, again.added, again.changed) == (None, 2, [], [])
    assert store.revision_at() == 1
    assert len(store.history("a")) == 1


def test_a_change_is_a_new_revision_and_history_shows_the_fields(store: SqlStore) -> None:
    store.write(raws(record("a"), record("b")), author="ana", reason="first")
    changed = record("a", claims=[{**record("a")["claims"][0], "count": 15}], admin2="Douentza")
    result = store.write(raws(changed, record("b")), author="import acled", reason="toll revised")
    assert (result.revision, result.changed, result.unchanged) == (2, ["a"], 1)
    versions = store.history("a")
    assert [(v.revision, v.author, v.reason) for v in versions] == [
        (1, "ana", "first"),
        (2, "import acled", "toll revised"),
    ]
    assert versions[0].document is not None and versions[1].document is not None
    changes = [str(c) for c in diff(versions[0].document, versions[1].document)]
    assert changes == ["claims[0].count: 12 -> 15", 'admin2: added "Douentza"']
    assert [v.revision for v in store.history("b")] == [1]


def test_a_deletion_is_a_revision_and_the_past_is_still_readable(store: SqlStore) -> None:
    store.write(raws(record("a"), record("b")), author="ana", reason="first")
    before = dt.datetime.now(dt.UTC)
    time.sleep(0.01)
    gone = store.delete(["a"], author="ana", reason="duplicate of b")
    assert (gone.revision, gone.deleted) == (2, ["a"])
    assert ids(store) == ["b"]
    assert ids(store, as_of=before) == ["a", "b"]
    assert [v.document is None for v in store.history("a")] == [False, True]
    with pytest.raises(StoreError, match="no record with id 'zz'"):
        store.delete(["zz"], author="ana", reason="typo")
    again = store.write(raws(record("a", location="Boulikessi")), author="ana", reason="back")
    assert again.added == ["a"] and ids(store) == ["b", "a"]


def test_as_of_reproduces_the_store_at_that_time(store: SqlStore) -> None:
    assert store.load().revision == 0
    store.write(raws(record("a")), author="ana", reason="first")
    first = dt.datetime.now(dt.UTC)
    time.sleep(0.01)
    store.write(raws(record("a", location="Boulikessi"), record("b")), author="ana", reason="2")
    old = store.load(as_of=first)
    assert old.revision == 1 and [(r.id, r.location) for r in old.records] == [("a", "Boulkessi")]
    now = store.load(as_of=dt.datetime.now(dt.UTC))
    assert now.revision == 2 and [(r.id, r.location) for r in now.records] == [
        ("a", "Boulikessi"),
        ("b", "Boulkessi"),
    ]
    assert store.load(as_of=first - dt.timedelta(days=1)).records == []
    assert store.revision_at(first) == 1 and store.revision_at() == 2


def test_writes_are_validated_with_the_messages_of_validate(store: SqlStore) -> None:
    bad = record("bad", event_type="battle", claims=[{"source": "nope", "by": "x"}])
    expected = [(p.field, p.message) for p in MemoryStore([bad]).load().problems]
    result = store.write(raws(record("good"), bad), author="ana", reason="mixed")
    assert [(p.field, p.message) for p in result.problems] == expected
    assert {(p.file, p.line, p.record) for p in result.problems} == {("batch.yaml", 2, "bad")}
    assert result.invalid == ["bad"] and result.added == ["good"]
    assert ids(store) == ["good"]


def test_references_may_name_stored_records_but_not_unknown_ones(store: SqlStore) -> None:
    store.write(raws(record("a")), author="ana", reason="first")
    later = store.write(
        raws(record("b", same_as="a"), record("c", not_same_as=["zz"])), author="ana", reason="2"
    )
    assert later.added == ["b"] and later.invalid == ["c"]
    assert [p.message for p in later.problems] == [
        "no record with id 'zz' in the dataset (expected an existing record id)"
    ]
    assert store.write(raws(record("d", same_as="b")), author="ana", reason="3").added == ["d"]


def test_a_window_reads_only_overlapping_records(store: SqlStore) -> None:
    store.write(
        raws(
            record("early", "2025-01-01"),
            record("long", "2025-03-01", end_date="2025-06-05"),
            record("inside", "2025-06-02"),
            record("late", "2025-09-01", same_as="inside"),
            record("refers", "2025-06-03", same_as="early"),
        ),
        author="ana",
        reason="first",
    )
    window = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    loaded = store.load(window)
    assert [r.id for r in loaded.records] == ["long", "inside", "refers"]
    assert loaded.problems == []  # "early", outside the window, still counts as known
    at = dt.datetime.now(dt.UTC)
    assert ids(store, window=window, as_of=at) == ["long", "inside", "refers"]
    store.delete(["early"], author="ana", reason="wrong")
    problems = store.load(window).problems
    assert [(p.record, p.field) for p in problems] == [("refers", "same_as")]
    assert store.load(window, as_of=at).problems == []


def test_daily_counts_follow_every_write(store: SqlStore) -> None:
    store.write(
        raws(record("a"), record("b"), record("c", "2025-06-02", country="Niger")),
        author="ana",
        reason="first",
    )
    june = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    one, two = dt.date(2025, 6, 1), dt.date(2025, 6, 2)
    assert store.daily_counts(*june) == {(one, "MLI"): 2, (two, "NER"): 1}
    store.write(raws(record("a", "2025-06-02")), author="ana", reason="redated")
    store.delete(["c"], author="ana", reason="gone")
    counts = {(one, "MLI"): 1, (two, "MLI"): 1}
    assert store.daily_counts(*june) == counts
    assert store.daily_counts(*june, country="NER") == {}
    recount = Counter((r.day, r.country) for r in store.load().records)
    assert dict(recount) == counts


def test_an_old_schema_says_how_to_upgrade(store_url: tuple[str, str | None]) -> None:
    engine = make_engine(*store_url)
    upgrade(engine, "0001")
    with engine.begin() as conn:  # a record written by the sitrep of schema 0001
        conn.execute(
            sa.text(
                "INSERT INTO records (record_id, version, created, document, date, end_date, "
                "country) VALUES ('a', 1, 1, :doc, '2025-06-01', '2025-06-01', 'MLI')"
            ),
            {"doc": '{"id": "a"}'},
        )
    old = rf"schema revision 0001, .* needs {head_revision()}: run `sitrep store upgrade`"
    with pytest.raises(StoreError, match=old):
        SqlStore(engine)
    assert upgrade(engine) == ("0001", head_revision())
    store = SqlStore(engine)
    assert store.daily_counts(dt.date(2025, 6, 1), dt.date(2025, 6, 1)) == {
        (dt.date(2025, 6, 1), "MLI"): 1
    }
    assert upgrade(engine) == (head_revision(), head_revision())
    engine.dispose()


def test_the_migrations_make_the_indexes_the_schema_declares(
    store_url: tuple[str, str | None],
) -> None:
    """A store made (or upgraded) by the migrations has the indexes ``schema.py`` declares,
    the records' index of days and versions (0004, which the fingerprints read alone)
    included."""
    from sitrep.store.schema import metadata

    engine = make_engine(*store_url)
    upgrade(engine)

    def indexes(table: str) -> dict[str | None, list[str | None]]:
        return {ix["name"]: ix["column_names"] for ix in sa.inspect(engine).get_indexes(table)}

    for table in metadata.sorted_tables:
        declared = {ix.name: [c.name for c in ix.columns] for ix in table.indexes}
        assert indexes(table.name) == declared, table.name
    assert indexes("records")["ix_records_days"] == ["date", "end_date", "version"]
    engine.dispose()


def test_batches_are_one_revision_and_may_name_later_batches(store: SqlStore) -> None:
    joint = {**record("a")["claims"][0], "covers": ["c"]}
    first = raws(record("a", claims=[joint]), record("b"))
    later = raws(record("c"), record("b", admin2="Douentza"))  # b again: an error
    result = store.write_batches([first, later], author="ana", reason="import",
                                 known={"a", "b", "c"})  # fmt: skip
    assert (result.revision, result.added) == (1, ["a", "b", "c"])
    assert result.invalid == ["b"]
    [problem] = result.problems
    assert (problem.line, problem.field, problem.level) == (2, "id", "error")
    assert "more than one record" in problem.message
    assert store.revision_at() == 1
    assert ids(store) == ["a", "b", "c"]
    assert store.history("b")[0].document == record("b")
    unknown = store.write_batches([raws(record("d", claims=[{**joint, "covers": ["zz"]}]))],
                                  author="ana", reason="import")  # fmt: skip
    assert unknown.invalid == ["d"] and unknown.revision is None


def test_postgresql_never_keeps_a_generic_plan_of_an_empty_table(store: SqlStore) -> None:
    # psycopg prepares a statement run five times; PostgreSQL may then keep one generic plan
    # made when the table was empty (a sequential scan) for every batch of an import, which
    # made 100,000 records take minutes instead of 42 s. The store prepares nothing.
    if store.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    import sqlalchemy as sa

    store.write(raws(*(record(f"r{n}") for n in range(20))), author="t", reason="setup")
    with store.engine.connect() as conn:
        for _ in range(10):
            conn.execute(sa.text("SELECT record_id FROM records WHERE record_id = :i"),
                         {"i": "r1"})  # fmt: skip
        prepared = conn.execute(sa.text("SELECT count(*) FROM pg_prepared_statements")).scalar()
    assert prepared == 0
