"""Trend baselines of long periods from incident summaries cached month by month.

A daily report's 30 earlier days lie inside the records it reads anyway, and its trends
are counted from them. A 7-, 30- or 90-day report compares itself with 30 earlier periods
(210 to 2,700 days): those are read as summaries (:mod:`sitrep.summarise.baseline`), one
entry per calendar month, in a SQLite file under the state folder
(``state/cache/trend-summaries.sqlite``). An entry is keyed on the store's fingerprint of
the month's records and of the 31 days either side (a SQL store: their versions; a folder:
its files' paths, sizes and times), on the rules and on the day the records stop; it is
used again for any report whose period ends after every statement it holds was made, and
otherwise only for a report whose period ends on the same day. A missing month is read
from the store with its neighbours (up to six months at a time), merged and summarised,
exactly as the report merges its own records.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..ingest.raw import Window
from ..reconcile.merge import merge_records
from ..store.base import FingerprintedStore, IncidentStore, VersionedStore
from ..summarise.baseline import Earlier, IncidentSummary, summarise_incidents
from .plan import SLACK, Plan, trend_start

logger = logging.getLogger(__name__)

MARGIN = SLACK
"""Records this far either side of a month are merged with it (as the report's window)."""
BATCH = 6
"""Months read from the store at a time."""
FORMAT = 4
"""The summaries' format: a change of it (or of the counting rules) starts a new cache."""

Month = tuple[dt.date, dt.date]


def months(first: dt.date, last: dt.date) -> list[Month]:
    """The calendar months from the one holding ``first`` to the one holding ``last``."""
    out = []
    lo = first.replace(day=1)
    while lo <= last:
        hi = (lo + dt.timedelta(days=32)).replace(day=1)
        out.append((lo, hi - dt.timedelta(days=1)))
        lo = hi
    return out


class SummaryCache:
    """Incident summaries by month in a SQLite file (None: nothing is kept)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS months (key TEXT NOT NULL, at TEXT NOT NULL, "
                "horizon TEXT NOT NULL, summaries TEXT NOT NULL, PRIMARY KEY (key, at))"
            )
        except (OSError, sqlite3.Error) as exc:
            logger.warning("trend cache %s not usable (%s): trends are read from records",
                           path, exc)  # fmt: skip
            self._db = None

    def get(self, key: str, end: dt.date) -> Earlier | None:
        """The summaries stored under ``key`` that hold for a period ending on ``end``."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT summaries FROM months WHERE key = ? AND ((at = '' AND horizon <= ?) "
                "OR at = ?) LIMIT 1",
                (key, end.isoformat(), end.isoformat()),
            ).fetchone()
        except sqlite3.Error as exc:  # locked by another run, or damaged: read the records
            logger.warning("trend cache %s not read (%s)", self.path, exc)
            return None
        return None if row is None else Earlier.from_json(json.loads(row[0]))

    def put(self, key: str, end: dt.date, summaries: Earlier) -> None:
        """Keep summaries computed as known at ``end``: for any later end too when no
        statement they hold was made after it."""
        if self._db is None:
            return
        horizon = summaries.horizon or dt.date.min
        at = "" if horizon <= end else end.isoformat()
        data = json.dumps(summaries.to_json(), separators=(",", ":"))
        try:
            with self._db:
                self._db.execute("INSERT OR REPLACE INTO months VALUES (?, ?, ?, ?)",
                                 (key, at, horizon.isoformat(), data))  # fmt: skip
        except sqlite3.Error as exc:
            logger.warning("trend cache %s not written (%s)", self.path, exc)

    def close(self) -> None:
        """Close the file."""
        if self._db is not None:
            self._db.close()


def cache_path(plan: Plan) -> Path:
    """Where the plan's configuration keeps the trend cache."""
    return plan.config.path(plan.config.state) / "cache" / "trend-summaries.sqlite"


def trend_summaries(
    plan: Plan, store: IncidentStore, cache: SummaryCache | None = None
) -> Earlier:
    """The summaries of the incidents of the plan's 30 earlier periods, as known at the end
    of its period: from the cache where it holds them, else from the store (and cached)."""
    end = plan.period.end
    # from a month early: an event that starts before the earliest period may reach into it
    wanted = months(trend_start(plan.period) - MARGIN, plan.period.start - dt.timedelta(days=1))
    owned = cache is None
    cache = cache or SummaryCache(cache_path(plan) if isinstance(store, FingerprintedStore)
                                  else None)  # fmt: skip
    try:
        found: dict[Month, Earlier] = {}
        keys = _keys(plan, store, wanted)
        for m in wanted:
            key = keys[m]
            hit = None if key is None else cache.get(key, end)
            if hit is not None:
                found[m] = hit
        missing = [m for m in wanted if m not in found]
        logger.info("trends: %d month(s) of summaries cached, %d read from the store",
                    len(found), len(missing))  # fmt: skip
        for batch in _batches(missing):
            for m, summaries in _summarise(plan, store, batch).items():
                found[m] = Earlier.of(summaries)
                if (key := keys[m]) is not None:
                    cache.put(key, end, found[m])
    finally:
        if owned:
            cache.close()
    return Earlier.join(found[m] for m in wanted)


def _keys(plan: Plan, store: IncidentStore, wanted: list[Month]) -> dict[Month, str | None]:
    """The cache key of each month: the store's fingerprint of its records and of the
    margins either side, the rules and the day the records stop (None: no cache)."""
    if not isinstance(store, FingerprintedStore):
        return {m: None for m in wanted}
    prints = store.fingerprints([(lo - MARGIN, hi + MARGIN) for lo, hi in wanted], plan.as_of)
    keys: dict[Month, str | None] = {}
    for (lo, hi), print_ in zip(wanted, prints, strict=True):
        stop = min(plan.period.end, hi + MARGIN)  # records dated later take no part
        text = f"{FORMAT}|{print_}|{lo}|{stop}|{plan.rules!r}"
        keys[(lo, hi)] = hashlib.sha256(text.encode()).hexdigest()
    return keys


def _batches(missing: list[Month]) -> Iterator[list[Month]]:
    """Runs of consecutive months, at most BATCH long."""
    run: list[Month] = []
    for m in missing:
        if run and (len(run) == BATCH or run[-1][1] + dt.timedelta(days=1) != m[0]):
            yield run
            run = []
        run.append(m)
    if run:
        yield run


def _summarise(
    plan: Plan, store: IncidentStore, batch: list[Month]
) -> dict[Month, list[IncidentSummary]]:
    """Read, merge and summarise some consecutive months, with their margins."""
    end = plan.period.end
    window: Window = (batch[0][0] - MARGIN, min(batch[-1][1] + MARGIN, end))
    with _quiet():
        if plan.as_of is not None and isinstance(store, VersionedStore):
            loaded = store.load(window, as_of=plan.as_of)
        else:
            loaded = store.load(window)
    lo, hi = window
    records = [r for r in loaded.records if r.day <= hi and r.last_day >= lo]
    incidents = merge_records(records, plan.rules.merge)
    summaries = summarise_incidents(incidents, end, plan.rules.figures, (batch[0][0], batch[-1][1]))
    out: dict[Month, list[IncidentSummary]] = {m: [] for m in batch}
    for s in sorted(summaries, key=lambda s: (s.day, s.id)):
        for m in batch:
            if m[0] <= s.day <= m[1]:
                out[m].append(s)
    return out


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The stores log each load at INFO: the months read for trends are not the report's."""
    store_log = logging.getLogger("sitrep.store")
    level = store_log.level
    store_log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        store_log.setLevel(level)


