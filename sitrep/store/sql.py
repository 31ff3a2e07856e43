"""Records in a database (SQLite or PostgreSQL) with their whole revision history.

Every write that changes anything is a new store revision (when, by whom, why); each
changed record gets a new version, a deletion too, and nothing is updated in place or
lost. Reads take the store as it is now or ``as_of`` a time. The schema is created and
upgraded by the Alembic migrations in ``migrations/`` (see :mod:`sitrep.store.database`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import Problem
from ..ingest.raw import RawRecord, Window
from .base import LoadResult
from .checking import validate_records
from .database import StoreError, check_schema, display_name, make_engine
from .revising import chunks, highest, new_revision, utc, write_versions
from .schema import daily_counts, record_versions, records, revisions
from .validate import references

logger = logging.getLogger(__name__)


@dataclass
class WriteResult:
    """What a write did: the new store revision (None: nothing changed) and the counts."""

    revision: int | None = None
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Version:
    """One version of a record: the store revision that made it, and the document."""

    revision: int
    at: dt.datetime
    author: str
    reason: str
    document: dict[str, Any] | None
    """None for a deletion."""


def _iso(value: object) -> str:
    """YAML dates and times as ISO strings (json.dumps' ``default``)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON data")


def _text(data: Any) -> str:
    """A record as the store keeps it: JSON text."""
    return json.dumps(data, ensure_ascii=False, default=_iso)


def _differ(stored: str, written: str) -> bool:
    """Whether two documents differ as JSON data (not merely in key order or spacing)."""
    return stored != written and json.loads(stored) != json.loads(written)


class SqlStore:
    """Records in a SQLite or PostgreSQL database, with every revision kept."""

    def __init__(self, engine: Engine, name: str | None = None) -> None:
        self.engine = engine
        self.name = name or display_name(engine)
        check_schema(engine, self.name)

    @contextmanager
    def _connect(self, write: bool = False) -> Iterator[Connection]:
        """A connection (in a transaction when ``write``); database errors as StoreError."""
        try:
            with self.engine.begin() if write else self.engine.connect() as conn:
                yield conn
        except sa.exc.DBAPIError as exc:
            raise StoreError(f"{self.name}: {exc.orig}") from exc

    @classmethod
    def open(cls, url: str | sa.URL, password: str | None = None) -> SqlStore:
        """Open (and, if new and empty, create) the store at ``url``."""
        return cls(make_engine(url, password))

    # -- reads --

    def revision_at(self, as_of: dt.datetime | None = None) -> int:
        """The store revision at ``as_of`` (default now): the highest revision made at or
        before that time; 0 before the first write."""
        with self._connect() as conn:
            return self._revision(conn, as_of)

    def load(self, window: Window | None = None, as_of: dt.datetime | None = None) -> LoadResult:
        """The records (those overlapping ``window``) as they were at ``as_of`` (default:
        now), validated like the folder's, in the order they were first written. References
        to records outside the window are checked against the store at the same revision."""
        with self._connect() as conn:
            rev = self._revision(conn, as_of)
            rows = conn.execute(self._select(conn, window, None if as_of is None else rev))
            raws = [RawRecord(json.loads(doc), self.name, 0) for (doc,) in rows]
            ids = {raw.id for raw in raws}
            wanted = sorted({ref for raw in raws for _, ref in references(raw.data)} - ids)
            known = self._existing(conn, wanted, None if as_of is None else rev)
        stubs = [RawRecord({"id": rid}, self.name, 0, outside=True) for rid in known]
        result = validate_records([*raws, *stubs], files=[], window=window)
        result.revision = rev
        logger.info(
            "loaded %d valid record(s) from %s at revision %d; %d problem(s)",
            len(result.records),
            self.name,
            rev,
            len(result.problems),
        )
        return result

    def _revision(self, conn: Connection, as_of: dt.datetime | None) -> int:
        return highest(
            conn, revisions.c.revision, None if as_of is None else revisions.c.at <= utc(as_of)
        )

    def fingerprints(
        self, windows: Sequence[Window], as_of: dt.datetime | None = None
    ) -> list[str]:
        """What identifies the records overlapping each window (at ``as_of``): the store
        (:meth:`_origin`, not its URL), their number and versions. Any write that adds,
        changes or deletes one of them changes it. The records of all the windows are read
        once, counted by their first and last days (a 90-day report's trends ask for 91
        overlapping months)."""
        if not windows:
            return []
        with self._connect() as conn:
            rev = None if as_of is None else self._revision(conn, as_of)
            origin = self._origin(conn)
            longest = self._longest(conn)
            every = (min(lo for lo, _ in windows), max(hi for _, hi in windows))
            found = self._select(conn, every, rev, ("date", "end_date", "version"), longest)
            f = found.order_by(None).subquery().c
            query = sa.select(f.date, f.end_date, sa.func.count(), sa.func.sum(f.version),
                              sa.func.max(f.version)).group_by(f.date, f.end_date)  # fmt: skip
            days = sorted(tuple(row) for row in conn.execute(query))
        firsts = [day for day, *_ in days]
        out = []
        for lo, hi in windows:
            n = total = top = 0
            start = bisect.bisect_left(firsts, lo - dt.timedelta(days=longest))
            for _, end, count, versions, latest in days[start : bisect.bisect_right(firsts, hi)]:
                if end >= lo:
                    n, total, top = n + count, total + versions, max(top, latest)
            out.append(f"{origin}:{n}:{total}:{top}")
        return out

    def _origin(self, conn: Connection) -> str:
        """What tells this store from another, wherever it is served from (a new host or
        port keeps the trends' cache): when its first revision was written. A copy of the
        store keeps it, as it keeps the records."""
        first = conn.execute(
            sa.select(revisions.c.at).order_by(revisions.c.revision).limit(1)
        ).scalar()
        return "empty" if first is None else first.isoformat()

    def _longest(self, conn: Connection) -> int:
        """The most days any record spans: how far before a window a record may start."""
        return int(conn.execute(sa.select(sa.func.max(record_versions.c.span))).scalar() or 0)

    def _select(
        self,
        conn: Connection,
        window: Window | None,
        rev: int | None,
        columns: str | tuple[str, ...] = "document",
        longest: int | None = None,
    ) -> sa.Select[Any]:
        """The documents (or other columns) in the window: current ones (``rev`` None) from
        ``records``, else each record's latest version at ``rev`` (deletions have no dates,
        so drop out)."""
        if rev is None:
            table = records
            query = sa.select(*(records.c[c] for c in _names(columns)))
        else:
            table = record_versions
            later = record_versions.alias("later")
            latest = (
                sa.select(sa.func.max(later.c.version))
                .where(later.c.record_id == record_versions.c.record_id, later.c.revision <= rev)
                .scalar_subquery()
            )
            query = sa.select(*(record_versions.c[c] for c in _names(columns))).where(
                record_versions.c.revision <= rev,
                record_versions.c.version == latest,
                record_versions.c.deleted.is_(False),
            )
        if window is not None:
            lo, hi = window
            if longest is None:
                longest = self._longest(conn)
            query = query.where(
                table.c.date >= lo - dt.timedelta(days=longest),
                table.c.date <= hi,
                table.c.end_date >= lo,
            )
        return query.order_by(table.c.created)

    def _existing(self, conn: Connection, ids: Sequence[str], rev: int | None) -> list[str]:
        """Those of ``ids`` that are records (now, or at ``rev``)."""
        found: list[str] = []
        for part in chunks(ids):
            if rev is None:
                query = sa.select(records.c.record_id).where(records.c.record_id.in_(part))
            else:
                v = record_versions
                latest = (
                    sa.select(v.c.record_id, sa.func.max(v.c.version).label("version"))
                    .where(v.c.record_id.in_(part), v.c.revision <= rev)
                    .group_by(v.c.record_id)
                    .subquery()
                )
                query = (
                    sa.select(v.c.record_id)
                    .join(latest, latest.c.version == v.c.version)
                    .where(v.c.deleted.is_(False))
                )
            found.extend(conn.execute(query).scalars())
        return found

    def documents(self) -> Iterator[dict[str, Any]]:
        """The current records as written, in the order they were first written."""
        query = sa.select(records.c.document).order_by(records.c.created)
        with self._connect() as conn:
            for doc in conn.execution_options(yield_per=1000).execute(query).scalars():
                yield json.loads(doc)

    def history(self, record_id: str) -> list[Version]:
        """Every version of a record, oldest first (empty: no such record, ever)."""
        query = (
            sa.select(
                revisions.c.revision,
                revisions.c.at,
                revisions.c.author,
                revisions.c.reason,
                record_versions.c.document,
            )
            .join(revisions, revisions.c.revision == record_versions.c.revision)
            .where(record_versions.c.record_id == record_id)
            .order_by(record_versions.c.version)
        )
        with self._connect() as conn:
            return [
                Version(
                    rev,
                    at.replace(tzinfo=dt.UTC),
                    author,
                    reason,
                    None if doc is None else json.loads(doc),
                )
                for rev, at, author, reason, doc in conn.execute(query)
            ]

    def daily_counts(
        self, start: dt.date, end: dt.date, country: str | None = None
    ) -> dict[tuple[dt.date, str], int]:
        """Current records per start day and country, ``start``..``end`` (kept by writes)."""
        query = sa.select(daily_counts).where(daily_counts.c.day.between(start, end))
        if country is not None:
            query = query.where(daily_counts.c.country == country)
        with self._connect() as conn:
            return {(day, c): n for day, c, n in conn.execute(query) if n}

    # -- writes --

    def write(self, raws: Sequence[RawRecord], *, author: str, reason: str) -> WriteResult:
        """Validate records and write those that are new or changed as one new store
        revision. Invalid ones are not written (their problems are returned, as
        ``validate`` words them); references may name the batch's or the store's records.
        Writing records that are already stored unchanged makes no revision."""
        return self.write_batches([raws], author=author, reason=reason)

    def write_batches(
        self,
        batches: Iterable[Sequence[RawRecord]],
        *,
        author: str,
        reason: str,
        known: Collection[str] = (),
        on_problem: Callable[[Problem], None] | None = None,
    ) -> WriteResult:
        """:meth:`write` for records that come in batches, all in one store revision and
        one transaction, each batch validated and written before the next is read (memory
        holds one batch). References may also name ``known`` ids (the other records of
        the import); an id met in an earlier batch is an error. ``on_problem``, if given,
        takes each batch's problems as they are found instead of the result."""
        out = WriteResult()
        seen: set[str] = set()
        with self._connect(write=True) as conn:
            self._lock(conn)
            for raws in batches:
                again = [raw for raw in raws if raw.id in seen]
                for raw in again:
                    out.invalid.append(raw.id or f"{raw.file}:{raw.line}")
                    out.problems.append(Problem(
                        raw.file, raw.line, raw.id, "id",
                        f"id {raw.id!r} is used by more than one record (an earlier one in "
                        "the same import): give each record its own id"))  # fmt: skip
                fresh = [raw for raw in raws if raw.id not in seen]
                seen.update(raw.id for raw in fresh if raw.id)
                self._write_batch(conn, fresh, author, reason, known, out)
                if on_problem is not None:
                    for problem in out.problems:
                        on_problem(problem)
                    out.problems = []
        if out.revision is not None:
            logger.info("store revision %d: %d new, %d changed record(s) (%s: %s)",
                        out.revision, len(out.added), len(out.changed), author, reason)  # fmt: skip
        return out

    def _write_batch(
        self,
        conn: Connection,
        raws: Sequence[RawRecord],
        author: str,
        reason: str,
        known: Collection[str],
        out: WriteResult,
    ) -> None:
        ids = {raw.id for raw in raws}
        refs = sorted({ref for raw in raws for _, ref in references(raw.data)} - ids)
        stored = self._existing(conn, [r for r in refs if r not in known], None)
        found = sorted({*(r for r in refs if r in known), *stored})
        stubs = [RawRecord({"id": rid}, self.name, 0, outside=True) for rid in found]
        checked = validate_records([*raws, *stubs], files=[])
        out.problems.extend(checked.problems)
        out.invalid.extend(checked.invalid)
        valid = {r.id: r for r in checked.records}
        docs = {rid: _text(raw.data) for raw in raws if (rid := raw.id or "") in valid}
        current = self._current(conn, list(valid))
        new = [r for rid, r in valid.items() if rid not in current]
        changed = [
            r for rid, r in valid.items() if rid in current and _differ(current[rid][0], docs[rid])
        ]
        out.unchanged += len(valid) - len(new) - len(changed)
        if new or changed:
            if out.revision is None:
                out.revision = new_revision(conn, author, reason)
            write_versions(conn, out.revision, docs, new, changed, current)
        out.added.extend(r.id for r in new)
        out.changed.extend(r.id for r in changed)

    def delete(self, ids: Iterable[str], *, author: str, reason: str) -> WriteResult:
        """Delete records (a new revision: their history stays)."""
        wanted = list(dict.fromkeys(ids))
        out = WriteResult()
        with self._connect(write=True) as conn:
            self._lock(conn)
            current = self._current(conn, wanted)
            missing = [rid for rid in wanted if rid not in current]
            if missing:
                raise StoreError(
                    f"no record with id {', '.join(map(repr, missing))} in "
                    f"{self.name} (see `sitrep history ID`)"
                )
            out.revision = new_revision(conn, author, reason)
            write_versions(conn, out.revision, {}, [], [], current, wanted)
            out.deleted = wanted
        logger.info("store revision %d: %d deleted record(s) (%s: %s)",
                    out.revision, len(wanted), author, reason)  # fmt: skip
        return out

    def _lock(self, conn: Connection) -> None:
        """One writer at a time (revision and version numbers are taken in order)."""
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("LOCK TABLE revisions IN EXCLUSIVE MODE"))

    def _current(self, conn: Connection, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        """id -> (document, created, date, country) of the current records among ``ids``."""
        found: dict[str, tuple[Any, ...]] = {}
        for part in chunks(ids):
            query = sa.select(
                records.c.record_id,
                records.c.document,
                records.c.created,
                records.c.date,
                records.c.country,
            )
            for rid, doc, created, day, country in conn.execute(
                query.where(records.c.record_id.in_(part))
            ):
                found[rid] = (doc, created, day, country)
        return found


def _names(columns: str | tuple[str, ...]) -> tuple[str, ...]:
    return (columns,) if isinstance(columns, str) else columns
