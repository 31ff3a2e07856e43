"""``sitrep validate`` on a database store: only what changed since the last check.

Each check that runs to the end leaves a mark (``validations``): the store revision (and
record version) it checked up to, and a fingerprint of the record rules it checked with.
The next check validates only

- the records written (added or changed) since that mark, and
- the records that name (``covers``, ``same_as``, ``not_same_as``) a record added or
  deleted since: a deletion leaves them a dangling reference, a record written again
  under a deleted id mends it. What each checked record names is kept
  (``validation_references``), so these are found through an index, not a scan;

and reports, besides their problems, the errors earlier checks found on records not
changed since (``validation_errors``): an error stays reported, check after check, until
the record is fixed or deleted. Warnings are shown when their record is checked.

Every record is checked (and the kept errors and references made again) on the first
check, with ``full`` (``validate --all``), and when the rules differ from the mark's (a
sitrep whose record rules changed). The mark, errors and references are written in one
transaction once the check is done: a check that stops half-way leaves the last mark.
A record changed in the database without a new revision (by hand, in SQL) is not seen by
a check since; ``--all`` sees it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import __version__
from ..errors import Problem
from ..ingest.raw import RawRecord
from ..model.records import Record
from ..model.values import clean
from ..progress import EVERY, SILENT, Progress
from .checking import Checked, Checker, Coverage, check_all
from .revising import chunks, highest, utc
from .schema import (
    daily_counts,
    record_versions,
    records,
    revisions,
    validation_errors,
    validation_references,
    validations,
)
from .spill import ProblemSorter
from .sql import SqlStore
from .validate import references, validate_raw, with_dangling

logger = logging.getLogger(__name__)

_ID = 128
"""The longest record id: a longer reference can name no record, and is not kept."""


@dataclass(frozen=True)
class Mark:
    """The last check that ran to the end."""

    number: int
    revision: int
    version: int
    at: dt.datetime
    rules: str


@dataclass
class _Found:
    """What a check found, to be kept for the next one."""

    errors: dict[str, list[Problem]] = field(default_factory=dict)
    references: dict[str, set[str]] = field(default_factory=dict)

    def record(self, rid: str | None, problems: list[Problem]) -> None:
        """Keep the errors of a record (the warnings are only shown)."""
        errors = [p for p in problems if p.level == "error"]
        if errors:
            self.errors.setdefault(rid or "", []).extend(errors)

    def refer(self, data: Any) -> None:
        """Keep the ids a record names."""
        rid = data.get("id") if isinstance(data, dict) else None
        if isinstance(rid, str) and len(rid) <= _ID:
            named = {ref for _, ref in references(data) if len(ref) <= _ID and ref != rid}
            if named:
                self.references[rid] = named


def rules_fingerprint() -> str:
    """What the record rules are, as a short hash: sitrep's version and the source of the
    modules that decide a record's problems (``sitrep/model``, ``store/validate.py``). A
    sitrep whose rules differ checks every record again."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    for path in [*sorted((package / "model").glob("*.py")), package / "store" / "validate.py"]:
        try:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        except OSError:  # an install without sources: the version alone
            continue
    return digest.hexdigest()[:32]


def last_mark(conn: Connection) -> Mark | None:
    """The mark of the last check that ran to the end (None: never checked)."""
    row = conn.execute(
        sa.select(validations).order_by(validations.c.number.desc()).limit(1)
    ).first()
    if row is None:
        return None
    return Mark(row.number, row.revision, row.version, row.at.replace(tzinfo=dt.UTC), row.rules)


def check_database(
    store: SqlStore,
    progress: Progress = SILENT,
    name: Callable[[Record], str | None] | None = None,
    *,
    full: bool = False,
) -> Checked:
    """Check a database store's records: those changed since the last check (see the
    module), or every one (``full``, the first check, or rules changed since); then mark
    the store as checked up to the revision read first. ``name`` names each valid record
    (its admin1) for :attr:`Checked.names`."""
    rules = rules_fingerprint()
    with store.engine.connect() as conn:
        mark = last_mark(conn)
        revision = highest(conn, revisions.c.revision)
        version = highest(conn, record_versions.c.version)
    why = "all" if full else "first" if mark is None else "rules" if mark.rules != rules else ""
    if why:
        done, found = _check_all(store, progress, name)
        done.coverage = Coverage(revision, done.records, why=why)
        cleared: Sequence[str] | None = None  # every record's errors and references
    else:
        assert mark is not None
        done, found, cleared = _check_since(store, mark, progress, name)
        assert done.coverage is not None
        done.coverage.revision = revision
    kept = _save(store, mark, found, cleared, (revision, version, rules, done))
    if not kept:
        logger.warning("another check of %s ended first: this one leaves no mark", store.name)
    return done


def _check_all(
    store: SqlStore, progress: Progress, name: Callable[[Record], str | None] | None
) -> tuple[Checked, _Found]:
    """Every current record, one at a time (memory grows with the ids, not the records)."""
    found = _Found()

    def raws() -> Iterator[RawRecord]:
        for doc in store.documents():
            found.refer(doc)
            yield RawRecord(doc, store.name, 0)

    with store.engine.connect() as conn:
        total = _count(conn)
    done = check_all(raws(), Checker(name=name, on_record=found.record), progress, total)
    return done, found


def _check_since(
    store: SqlStore,
    mark: Mark,
    progress: Progress,
    name: Callable[[Record], str | None] | None,
) -> tuple[Checked, _Found, list[str]]:
    """The records written since ``mark`` and those naming a record added or deleted
    since; the errors of earlier checks on the others. Also the ids whose kept errors
    and references this check replaces."""
    found = _Found()
    sorter = ProblemSorter()
    with store.engine.connect() as conn:
        # Without DISTINCT: SQLite would then scan an index of every version instead of
        # searching the versions since (the primary key) only.
        since = sa.select(record_versions.c.record_id).where(
            record_versions.c.version > mark.version
        )
        touched = list(dict.fromkeys(conn.execute(since).scalars()))
        alive = _existing(conn, touched)
        referring = _referring(conn, touched, alive)
        wanted = [*touched, *referring]
        progress.start(len(alive) + len(referring), "records")
        checked = bad = 0
        for docs in _documents(conn, wanted):
            known = _existing(conn, {ref for _, _, doc in docs for _, ref in references(doc)})
            for created, rid, doc in docs:
                found.refer(doc)
                problems = _problems(store.name, doc, known)
                found.record(rid, problems)
                bad += any(p.level == "error" for p in problems)
                for k, problem in enumerate(problems):
                    sorter.add((created, k), clean(problem))
                checked += 1
                if checked % EVERY == 0:
                    progress.update(checked, checked)
        progress.update(checked, checked)
        progress.finish()
        older = _older(store.name, conn, set(wanted))
        for key, _, problem in older:
            sorter.add(key, problem)
        stored = _count(conn)
        before = {rid for _, rid, _ in older}  # records with errors found before
        names = _names(conn, {*found.errors, *before}) if name is not None else set()
    coverage = Coverage(
        0, stored, mark.revision, mark.at, written=len(alive), referring=checked - len(alive),
        deleted=len(touched) - len(alive), older=len(older),
    )  # fmt: skip
    done = Checked(sorter.done(), checked, stored - bad - len(before), names=names,
                   coverage=coverage)  # fmt: skip
    return done, found, wanted


def _problems(file: str, doc: Any, known: set[str]) -> list[Problem]:
    """One record's problems, as a whole check finds them (``known``: the ids, among
    those it names, of records in the store)."""
    raw = RawRecord(doc, file, 0)
    _, found = validate_raw(raw)
    dangling = [(path, ref) for path, ref in references(doc) if ref not in known]
    return with_dangling(found, dangling, file, raw.id, raw.line_of)


def _referring(conn: Connection, touched: Sequence[str], alive: set[str]) -> list[str]:
    """The records, among those checked before and not ``touched`` since, to check again:
    those that name a record deleted since (not ``alive``), and those with errors that
    name one written since (a record written again under a deleted id mends them)."""
    among = set(touched)
    naming: dict[str, bool] = {}  # id -> names a record deleted since
    r = validation_references.c
    for part in chunks(touched):
        for rid, target in conn.execute(sa.select(r.record_id, r.target).where(r.target.in_(part))):
            if rid not in among:
                naming[rid] = naming.get(rid, False) or target not in alive
    wanted = [rid for rid, gone in naming.items() if gone]
    rest = [rid for rid, gone in naming.items() if not gone]
    e = validation_errors.c
    for part in chunks(rest):
        query = sa.select(e.record_id).where(e.record_id.in_(part)).distinct()
        wanted.extend(conn.execute(query).scalars())
    return wanted


def _documents(
    conn: Connection, ids: Sequence[str]
) -> Iterator[list[tuple[int, str, dict[str, Any]]]]:
    """The current records among ``ids`` (created, id, document), a few hundred at a time."""
    c = records.c
    for part in chunks(ids):
        query = sa.select(c.created, c.record_id, c.document).where(c.record_id.in_(part))
        yield [(created, rid, json.loads(doc)) for created, rid, doc in conn.execute(query)]


def _existing(conn: Connection, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` that are current records."""
    wanted = sorted(i for i in ids if len(i) <= _ID)
    found: set[str] = set()
    for part in chunks(wanted):
        query = sa.select(records.c.record_id).where(records.c.record_id.in_(part))
        found.update(conn.execute(query).scalars())
    return found


def _older(
    file: str, conn: Connection, checked: set[str]
) -> list[tuple[tuple[int, int], str, Problem]]:
    """The errors kept by earlier checks on current records not checked now, with the
    order a whole check reports them in (the record's creation, then its own order) and
    the record's id."""
    e = validation_errors.c
    query = (
        sa.select(records.c.created, e.record_id, e.seq, e.field, e.message)
        .join(records, records.c.record_id == e.record_id)
        .order_by(records.c.created, e.seq)
    )
    return [
        ((created, seq), rid, clean(Problem(file, 0, rid, where, message)))
        for created, rid, seq, where, message in conn.execute(query)
        if rid not in checked
    ]


# The distinct admin1 names one index lookup each (a "loose index scan", which neither
# SQLite nor PostgreSQL does by itself: SELECT DISTINCT would read every record).
_DISTINCT_ADMIN1 = sa.text(
    "WITH RECURSIVE names(name) AS ("
    " SELECT min(admin1) FROM records"
    " UNION ALL"
    " SELECT (SELECT min(admin1) FROM records WHERE admin1 > names.name)"
    " FROM names WHERE names.name IS NOT NULL"
    ") SELECT name FROM names"
)


def _names(conn: Connection, troubled: set[str]) -> set[str]:
    """The admin1 names of the current records that have no errors (``troubled``: those
    that have), through the ``admin1`` index."""
    c = records.c
    names = {n for n in conn.execute(_DISTINCT_ADMIN1).scalars() if n is not None}
    suspect: set[str] = set()
    for part in chunks(sorted(troubled)):
        query = sa.select(c.admin1).where(c.record_id.in_(part), c.admin1.is_not(None))
        suspect.update(conn.execute(query).scalars())
    for label in suspect:  # a name stays if one record without errors has it
        holders = conn.execute(
            sa.select(c.record_id).where(c.admin1 == label).limit(len(troubled) + 1)
        ).scalars()
        if all(rid in troubled for rid in holders):
            names.discard(label)
    return names


def _count(conn: Connection) -> int:
    """How many records the store holds now (from the per-day counts that writes keep:
    a few thousand rows, where counting the records would read a million)."""
    total = sa.select(sa.func.coalesce(sa.func.sum(daily_counts.c.records), 0))
    return int(conn.execute(total).scalar_one())


def _save(
    store: SqlStore,
    mark: Mark | None,
    found: _Found,
    cleared: Sequence[str] | None,
    head: tuple[int, int, str, Checked],
) -> bool:
    """Keep what the check found and its mark, in one transaction; False (nothing kept)
    when another check ended in the meantime."""
    revision, version, rules, done = head
    errors = [
        {"record_id": rid, "seq": seq, "field": p.field, "message": p.message}
        for rid, problems in found.errors.items()
        if len(rid) <= _ID
        for seq, p in enumerate(problems)
    ]
    named = [
        {"record_id": rid, "target": target}
        for rid, targets in found.references.items()
        for target in sorted(targets)
    ]
    with store._connect(write=True) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("LOCK TABLE validations IN EXCLUSIVE MODE"))
        now = last_mark(conn)
        if (now and now.number) != (mark and mark.number):
            return False
        for table in (validation_errors, validation_references):
            if cleared is None:
                conn.execute(table.delete())
            for part in chunks(cleared or []):
                conn.execute(table.delete().where(table.c.record_id.in_(part)))
        for rows, table in ((errors, validation_errors), (named, validation_references)):
            for start in range(0, len(rows), 10_000):
                conn.execute(table.insert(), rows[start : start + 10_000])
        conn.execute(
            validations.insert().values(
                number=(mark.number if mark else 0) + 1,
                revision=revision,
                version=version,
                at=utc(dt.datetime.now(dt.UTC)),
                rules=rules,
                full=cleared is None,
                checked=done.records,
                errors=len(errors) + (done.coverage.older if done.coverage else 0),
            )
        )
    return True
