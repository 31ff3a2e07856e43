"""``sitrep validate`` on a database store checks what changed since the last check: the
records written since, those naming a record deleted (or written again) since, and the
errors earlier checks left standing; ``--all`` checks everything. The same suite on
SQLite files and on the real PostgreSQL 15 cluster, and the schema migration that adds
the validation marks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pg import pg_cluster
from test_store import raws, record, store_url
from test_store_cli import project

from sitrep.cli import main
from sitrep.config import load_config
from sitrep.errors import Problem
from sitrep.ingest.raw import RawRecord
from sitrep.model.records import Record
from sitrep.store import incremental
from sitrep.store.checking import Checked, Checker, check_all
from sitrep.store.database import StoreError, head_revision, make_engine, upgrade
from sitrep.store.open import check_store, open_database
from sitrep.store.revising import new_revision, write_versions
from sitrep.store.schema import metadata, validations
from sitrep.store.sql import SqlStore

__all__ = ["pg_cluster", "project", "store_url"]  # fixtures, imported for pytest


@pytest.fixture
def store(store_url: tuple[str, str | None]) -> Iterator[SqlStore]:
    """A new store holding records a..e (b names a, c covers a and b)."""
    opened = SqlStore.open(*store_url)
    covers = {**record("c")["claims"][0], "covers": ["a", "b"]}
    written = opened.write(
        raws(record("a"), record("b", same_as="a"), record("c", claims=[covers]), record("d"),
             record("e", "2025-06-02", admin1="Gao")),
        author="ana", reason="first",
    )  # fmt: skip
    assert written.added == ["a", "b", "c", "d", "e"]
    yield opened
    opened.engine.dispose()


def unchecked(store: SqlStore, doc: dict[str, Any]) -> None:
    """Write a record as a sitrep with looser rules (or another tool) would have: a new
    revision, but the document not validated (its columns come from a valid record)."""
    valid = Record.model_validate(record(doc["id"], doc["date"]))
    with store.engine.begin() as conn:
        current = store._current(conn, [valid.id])
        rev = new_revision(conn, "old sitrep", "unchecked")
        new, changed = ([], [valid]) if current else ([valid], [])
        write_versions(conn, rev, {valid.id: json.dumps(doc)}, new, changed, current)


def whole(store: SqlStore) -> list[Problem]:
    """What checking every record finds (as ``validate`` did before it kept marks)."""
    found = (RawRecord(doc, store.name, 0) for doc in store.documents())
    return list(check_all(found, Checker()).problems)


def listed(done: Checked) -> list[tuple[str | None, str | None, str]]:
    return [(p.record, p.field, p.level) for p in done.problems]


def test_a_second_check_checks_only_what_was_written_since(store: SqlStore) -> None:
    first = check_store(store)
    assert first.coverage is not None and first.coverage.why == "first"
    assert (first.records, first.valid, first.problems) == (5, 5, [])
    store.write(raws(record("d", location="Boulikessi")), author="ana", reason="renamed")
    unchecked(store, record("f", event_type="battle"))  # not a valid event type
    second = check_store(store)
    assert second.coverage is not None
    assert (second.records, second.coverage.written, second.coverage.since) == (2, 2, 1)
    assert (second.coverage.revision, second.coverage.stored, second.valid) == (3, 6, 5)
    assert listed(second) == [("f", "event_type", "error")]
    assert second.problems == whole(store)
    # Not checked again, but its error is reported until the record is fixed.
    third = check_store(store)
    assert third.coverage is not None and (third.records, third.coverage.older) == (0, 1)
    assert listed(third) == [("f", "event_type", "error")] and third.valid == 5
    store.write(raws(record("f")), author="ana", reason="fixed")
    fixed = check_store(store)
    assert (fixed.records, fixed.problems, fixed.valid) == (1, [], 6)


def test_a_deleted_record_that_others_name_is_reported_until_written_again(
    store: SqlStore,
) -> None:
    check_store(store)
    store.delete(["a"], author="ana", reason="duplicate")
    after = check_store(store)
    assert after.coverage is not None
    assert (after.coverage.deleted, after.coverage.referring, after.records) == (1, 2, 2)
    assert listed(after) == [("b", "same_as", "error"), ("c", "claims[0].covers[0]", "error")]
    assert after.problems == whole(store)
    assert (after.valid, after.coverage.stored) == (2, 4)
    again = check_store(store)
    assert again.records == 0 and again.problems == after.problems
    store.write(raws(record("a")), author="ana", reason="back")  # the same id again
    mended = check_store(store)
    assert mended.coverage is not None and mended.coverage.referring == 2
    assert (mended.records, mended.problems, mended.valid) == (3, [], 5)


def test_a_record_changed_by_hand_in_the_database_is_seen_only_by_all(store: SqlStore) -> None:
    check_store(store)
    bad = json.dumps(record("d", country="Atlantis"))
    with store.engine.begin() as conn:  # no new revision: nothing says it changed
        conn.execute(sa.text("UPDATE records SET document = :d WHERE record_id = 'd'"), {"d": bad})
    since = check_store(store)
    assert (since.records, since.problems) == (0, [])
    everything = check_store(store, full=True)
    assert everything.coverage is not None and everything.coverage.why == "all"
    assert everything.records == 5 and listed(everything) == [("d", "country", "error")]
    assert listed(check_store(store)) == [("d", "country", "error")]  # kept


def test_a_check_that_stops_half_way_leaves_the_last_mark(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_store(store)
    store.write(raws(record("f"), record("g")), author="ana", reason="more")

    def broken(raw: RawRecord) -> Any:
        raise MemoryError("the check stops here")

    monkeypatch.setattr(incremental, "validate_raw", broken)
    with pytest.raises(MemoryError):
        check_store(store)
    monkeypatch.undo()
    with store.engine.connect() as conn:
        assert [n for (n,) in conn.execute(sa.select(validations.c.number))] == [1]
    assert check_store(store).records == 2


def test_of_two_checks_at_once_the_first_to_end_leaves_the_mark(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    check_store(store)
    store.write(raws(record("f")), author="ana", reason="more")
    documents = incremental._documents

    def meanwhile(*args: Any) -> Any:  # another check runs to the end during this one
        monkeypatch.setattr(incremental, "_documents", documents)
        assert check_store(store).records == 1
        return documents(*args)

    monkeypatch.setattr(incremental, "_documents", meanwhile)
    assert check_store(store).records == 1  # its findings are still reported
    assert "another check of" in caplog.text
    with store.engine.connect() as conn:
        assert [n for (n,) in conn.execute(sa.select(validations.c.number))] == [1, 2]
    assert check_store(store).records == 0


def test_changed_rules_check_every_record_again(store: SqlStore) -> None:
    check_store(store)
    with store.engine.begin() as conn:  # as left by a sitrep with other record rules
        conn.execute(validations.update().values(rules="older rules"))
    again = check_store(store)
    assert again.coverage is not None and (again.coverage.why, again.records) == ("rules", 5)
    assert check_store(store).records == 0


def test_the_check_since_finds_what_a_whole_check_finds(store: SqlStore) -> None:
    joint = {**record("x")["claims"][0], "covers": ["d", "e"]}
    y = "y" * 100  # longer than the ids messages show (80 characters)
    steps = [
        lambda: store.write(raws(record("x", claims=[joint])), author="t", reason="1"),
        lambda: store.delete(["d"], author="t", reason="2"),
        lambda: unchecked(store, record(y, same_as="e", country="Atlantis")),
        lambda: store.delete(["e", "b"], author="t", reason="4"),
        lambda: store.write(raws(record("d")), author="t", reason="5"),
        lambda: store.write(raws(record("e"), record("b")), author="t", reason="6"),
        lambda: store.write(raws(record(y)), author="t", reason="7"),
    ]
    check_store(store)
    for step in steps:
        step()
        since = check_store(store)
        assert since.problems == whole(store)
        assert since.valid == len(store.load().records)
    assert check_store(store, full=True).problems == []


def test_names_of_valid_records_for_the_subscribers_check(store: SqlStore) -> None:
    def admin1(r: Record) -> str | None:
        return r.admin1

    assert check_store(store, name=admin1).names == {"Mopti", "Gao"}
    unchecked(store, record("e", admin1="Gao", event_type="battle"))
    assert check_store(store, name=admin1).names == {"Mopti"}  # e, its only record, is bad
    assert check_store(store, name=admin1).names == {"Mopti"}
    assert check_store(store, name=admin1, full=True).names == {"Mopti"}


def test_the_migrations_make_the_schema_sitrep_reads(store_url: tuple[str, str | None]) -> None:
    engine = make_engine(*store_url)
    upgrade(engine)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()


def test_an_old_store_upgrades_and_its_first_check_is_whole(
    store_url: tuple[str, str | None],
) -> None:
    engine = make_engine(*store_url)
    upgrade(engine, "0002")
    with engine.begin() as conn:  # records written by the sitrep of schema 0002
        rev = new_revision(conn, "ana", "old")
        docs = [record("a"), record("b", same_as="a")]
        valid = [Record.model_validate(d) for d in docs]
        write_versions(conn, rev, {d["id"]: json.dumps(d) for d in docs}, valid, [], {})
    with pytest.raises(StoreError, match=f"needs {head_revision()}: run `sitrep store upgrade`"):
        SqlStore(engine)
    assert upgrade(engine) == ("0002", head_revision())
    store = SqlStore(engine)
    first = check_store(store)
    assert first.coverage is not None and (first.coverage.why, first.records) == ("first", 2)
    store.delete(["a"], author="ana", reason="gone")
    assert listed(check_store(store)) == [("b", "same_as", "error")]
    engine.dispose()


def test_validate_says_what_it_checked(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = project / "in.jsonl"
    docs = [record("a"), record("b", same_as="a"), record("c")]
    records.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    config = ["--config", str(project)]
    assert main(["import", "records", str(records), *config]) == 0
    store = open_database(load_config(project))
    capsys.readouterr()
    assert main(["validate", *config]) == 0
    err = capsys.readouterr().err
    assert f"ok: 3 valid record(s); checked all 3 record(s) of {store.name} at revision 1 " \
        "(the first check)" in err  # fmt: skip
    store.delete(["a"], author="ana", reason="duplicate")
    store.write(raws(record("c", location="Boulikessi")), author="ana", reason="renamed")
    assert main(["validate", *config]) == 1
    out, err = capsys.readouterr()
    dangling = f"{store.name}: record b: field same_as: no record with id 'a' in the dataset"
    assert out.splitlines() == [f"{dangling} (expected an existing record id)"]
    assert (
        f"1 problem(s); 1 valid record(s); checked 2 of 2 record(s) of {store.name}: 1 written, "
        "1 naming a record deleted or written again, 1 deleted since revision 1 (checked 20"
    ) in err
    assert "now at revision 3 (--all checks every record)" in err
    assert main(["validate", *config]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(dangling)
    assert ": nothing changed since revision 3 (checked " in err
    assert "now at revision 3; 1 error(s) found before, not fixed (--all" in err
    assert main(["validate", "--all", *config]) == 1
    assert "checked all 2 record(s) of" in capsys.readouterr().err
    store.engine.dispose()
