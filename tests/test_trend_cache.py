"""Trend baselines of long periods from cached incident summaries equal those counted from
the records themselves, on generated stores (``bench/gen_records.py``): SQLite, PostgreSQL
and a folder of JSONL; cached months are used again, and a write invalidates only the
months whose records it touched; a report as of an earlier time counts the records as the
store held them then."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pg import PASSWORD, Cluster, pg_cluster

from sitrep.config import Config
from sitrep.ingest.raw import RawRecord, Window
from sitrep.model.report import ReportFilter, Severity
from sitrep.pipeline.baseline import SummaryCache, trend_summaries
from sitrep.pipeline.plan import Plan, make_plan, trend_start
from sitrep.reconcile.merge import merge_records
from sitrep.store import MemoryStore
from sitrep.store.base import LoadResult
from sitrep.store.directory import DirectoryStore
from sitrep.store.sql import SqlStore
from sitrep.summarise.baseline import PeriodCount, baseline, summarise_incidents

__all__ = ["pg_cluster"]
pytestmark = pytest.mark.slow  # 2,400 records merged and summarised again and again: ~1 min

_spec = importlib.util.spec_from_file_location(
    "gen_records", Path(__file__).resolve().parent.parent / "bench" / "gen_records.py"
)
assert _spec and _spec.loader
gen_records = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_records)

END = dt.date(2025, 6, 2)
# 2,400 records at 4 a day: 600 days, enough for 30 earlier weeks and 30 earlier 14-day periods
RECORDS: list[dict[str, Any]] = list(gen_records.generate(2400, per_day=4.0))
FILTERS = [
    ReportFilter(),
    ReportFilter(countries=frozenset({"BFA"})),
    ReportFilter(min_severity=Severity.MAJOR),
]


def _plan(days: int, as_of: dt.datetime | None = None) -> Plan:
    return make_plan(Config(), start=END - dt.timedelta(days=days - 1), end=END, as_of=as_of,
                     now=dt.datetime(2025, 7, 1, tzinfo=dt.UTC))  # fmt: skip


def _from_records(plan: Plan, records: list[dict[str, Any]]) -> list[list[PeriodCount]]:
    """The baseline counted from the records: every record of the trends' dates (and a
    month either side) merged at once, as a report whose window held them would."""
    window: Window = (trend_start(plan.period) - dt.timedelta(days=62), plan.period.end)
    loaded = MemoryStore(records).load(window)
    lo, hi = window
    mine = [r for r in loaded.records if r.day <= hi and r.last_day >= lo]
    incidents = merge_records(mine, plan.rules.merge)
    summaries = summarise_incidents(incidents, plan.period.end, plan.rules.figures)
    return [baseline(summaries, plan.period, flt=f) for f in FILTERS]


def _from_cache(plan: Plan, store: Any, cache: SummaryCache) -> list[list[PeriodCount]]:
    summaries = trend_summaries(plan, store, cache)
    return [baseline(summaries, plan.period, flt=f) for f in FILTERS]


class Counting:
    """A store that counts its loads."""

    def __init__(self, store: Any) -> None:
        self.store, self.loads = store, 0

    def load(self, window: Window | None = None, **kwargs: Any) -> LoadResult:
        self.loads += 1
        result: LoadResult = self.store.load(window, **kwargs)
        return result

    def fingerprints(self, windows: list[Window], as_of: dt.datetime | None = None) -> list[str]:
        result: list[str] = self.store.fingerprints(windows, as_of)
        return result


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.db)])
def sql_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    """A store of each database kind holding the generated records."""
    if request.param == "sqlite":
        store = SqlStore.open(f"sqlite:///{tmp_path / 'incidents.sqlite'}")
    else:
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        store = SqlStore.open(cluster.new_database(), PASSWORD)
    raws = [RawRecord(r, "gen", i + 1) for i, r in enumerate(RECORDS)]
    written = store.write(raws, author="test", reason="generated")
    assert not written.invalid and not [p for p in written.problems if p.level == "error"]
    yield store
    store.engine.dispose()


@pytest.mark.parametrize("days", [7, 14])
def test_cached_summaries_count_as_the_records_do(
    sql_store: SqlStore, tmp_path: Path, days: int
) -> None:
    plan = _plan(days)
    expected = _from_records(plan, RECORDS)
    assert sum(p.incidents for p in expected[0]) > 100  # the data reach every earlier period
    assert all(p.incidents for p in expected[0])
    counting = Counting(sql_store)
    cache = SummaryCache(tmp_path / "cache.sqlite")
    assert _from_cache(plan, counting, cache) == expected
    first = counting.loads
    assert first > 0
    assert _from_cache(plan, counting, cache) == expected  # again: all from the cache
    assert counting.loads == first


def test_a_write_recounts_only_the_months_it_touched(sql_store: SqlStore, tmp_path: Path) -> None:
    plan = _plan(7)
    cache = SummaryCache(tmp_path / "cache.sqlite")
    _from_cache(plan, sql_store, cache)
    # a toll revised in an event of January 2025
    target = next(r for r in RECORDS if r["date"].startswith("2025-01-15") and r.get("claims"))
    changed = json.loads(json.dumps(target))
    changed["claims"] = [{**changed["claims"][0], "outcome": "killed", "count": 500,
                          "stance": "independent", "by": "a hospital source"}]  # fmt: skip
    assert sql_store.write([RawRecord(changed, "edit", 1)], author="t", reason="toll").changed
    records = [changed if r["id"] == target["id"] else r for r in RECORDS]
    counting = Counting(sql_store)
    after = _from_cache(plan, counting, cache)
    assert after == _from_records(plan, records)
    assert after != _from_records(plan, RECORDS)
    assert counting.loads == 1  # December to February, read once


def test_fingerprints_of_many_windows_are_those_of_each_alone(sql_store: SqlStore) -> None:
    """The trends ask for every month's fingerprint in one statement (100 windows to a
    statement): each is what asking for its window alone gives, now and as of a time; a
    write changes those of the windows it touched, and only those."""
    months = [(dt.date(2024, 1, 1) + dt.timedelta(days=3 * k),
               dt.date(2024, 1, 3) + dt.timedelta(days=3 * k)) for k in range(105)]  # fmt: skip
    before = dt.datetime.now(dt.UTC)
    together = sql_store.fingerprints(months)
    assert together == [sql_store.fingerprints([m])[0] for m in months]
    assert len(set(together)) > 90  # they differ: each counts its own records
    target = next(r for r in RECORDS if r["date"] == "2024-01-15" and not r.get("end_date"))
    assert sql_store.delete([target["id"]], author="t", reason="duplicate").deleted
    after = sql_store.fingerprints(months)
    touched = [i for i, (lo, hi) in enumerate(months) if lo <= dt.date(2024, 1, 15) <= hi]
    assert [i for i in range(len(months)) if after[i] != together[i]] == touched
    assert sql_store.fingerprints(months, before) == together


def test_fingerprints_name_the_store_not_where_it_is_served_from(
    sql_store: SqlStore, tmp_path: Path
) -> None:
    """The same database reached by another URL (a new host or port, a copied SQLite file)
    keeps its fingerprints, and with them the trends' cache; another store holding the
    same records does not share them."""
    months = [(dt.date(2024, 1, 1), dt.date(2024, 1, 31)),
              (dt.date(2024, 2, 1), dt.date(2024, 2, 29))]  # fmt: skip
    mine = sql_store.fingerprints(months)
    url = sql_store.engine.url
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        copy = tmp_path / "moved" / "copy.sqlite"
        copy.parent.mkdir()
        shutil.copyfile(url.database, copy)
        elsewhere = SqlStore.open(f"sqlite:///{copy}")
    else:  # the same database under another URL (its name in messages changes with it)
        elsewhere = SqlStore.open(
            url.update_query_dict({"application_name": "elsewhere"}), PASSWORD
        )
    try:
        assert elsewhere.name != sql_store.name
        assert elsewhere.fingerprints(months) == mine
    finally:
        elsewhere.engine.dispose()
    other = SqlStore.open(f"sqlite:///{tmp_path / 'other.sqlite'}")
    try:
        other.write([RawRecord(r, "gen", i + 1) for i, r in enumerate(RECORDS)], author="test",
                    reason="generated")  # fmt: skip
        assert other.fingerprints(months) != mine
    finally:
        other.engine.dispose()


def test_as_of_counts_the_store_as_it_was(sql_store: SqlStore, tmp_path: Path) -> None:
    before = dt.datetime.now(dt.UTC)
    gone = [r["id"] for r in RECORDS if r["date"].startswith("2025-02")]
    sql_store.delete(gone, author="t", reason="duplicates")
    cache = SummaryCache(tmp_path / "cache.sqlite")
    now = _from_cache(_plan(7), sql_store, cache)
    assert now == _from_records(_plan(7), [r for r in RECORDS if r["id"] not in gone])
    assert _from_cache(_plan(7, before), sql_store, cache) == _from_records(_plan(7), RECORDS)


def test_folder_of_jsonl(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    gen_records.write_jsonl(RECORDS, folder / "records.jsonl")
    plan = _plan(7)
    cache = SummaryCache(tmp_path / "cache.sqlite")
    counting = Counting(DirectoryStore(folder))
    assert _from_cache(plan, counting, cache) == _from_records(plan, RECORDS)
    loads = counting.loads
    assert _from_cache(plan, counting, cache) == _from_records(plan, RECORDS)
    assert counting.loads == loads
    with (folder / "more.jsonl").open("w") as f:  # a new file: the folder is read again
        f.write(json.dumps({**RECORDS[-1], "id": "extra"}) + "\n")
    _from_cache(plan, counting, cache)
    assert counting.loads > loads


@given(st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31)), st.sampled_from([1, 7, 30, 90]),
       st.integers(0, 3))  # fmt: skip
def test_an_event_of_one_day_falls_in_the_one_earlier_period_that_holds_it(
    day: dt.date, days: int, extra: int
) -> None:
    """The baseline's shortcut for an event dated to one day, and the general rule for
    longer ones, give the periods ``spans_in`` over every earlier period gives."""
    from sitrep.model.records import DatePrecision
    from sitrep.model.report import Period, Severity
    from sitrep.summarise.baseline import IncidentSummary, _earlier_periods, baseline
    from sitrep.summarise.period import spans_in

    start = dt.date(2025, 6, 1)
    period = Period(start=start, end=start + dt.timedelta(days=days - 1), timezone="UTC",
                    context_start=start - dt.timedelta(days=30))  # fmt: skip
    last = day + dt.timedelta(days=extra)
    s = IncidentSummary("x", day, last, DatePrecision.DAY, "MLI", None, Severity.MINOR, (), None)
    expected = [k for k in range(1, 31)
                if spans_in(day, last, True, start - dt.timedelta(days=days * k),
                            start - dt.timedelta(days=days * k - days + 1))]  # fmt: skip
    assert _earlier_periods(day, last, DatePrecision.DAY, period, 30) == expected
    counted = [k for k, c in enumerate(baseline([s], period), start=1) if c.incidents]
    assert counted == expected
