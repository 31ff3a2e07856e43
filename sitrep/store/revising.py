"""Writing store revisions: the revision row, the records' versions, the current records
and the per-day counts (the write half of :mod:`sitrep.store.sql`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..model.records import Record
from .schema import daily_counts, record_versions, records, revisions

CHUNK = 500  # ids per IN (...) list


def utc(moment: dt.datetime) -> dt.datetime:
    """A time as naive UTC, as the store keeps it (naive times are taken as UTC)."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    """``items`` in lists short enough for one ``IN (...)``."""
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def highest(
    conn: Connection, column: sa.Column[int], where: sa.ColumnElement[bool] | None = None
) -> int:
    """The highest value of a numbering column (0 when empty)."""
    query = sa.select(sa.func.coalesce(sa.func.max(column), 0))
    return int(conn.execute(query if where is None else query.where(where)).scalar_one())


def new_revision(conn: Connection, author: str, reason: str) -> int:
    """Open a store revision (the next number, now, by ``author``, for ``reason``)."""
    rev = highest(conn, revisions.c.revision) + 1
    conn.execute(
        revisions.insert().values(
            revision=rev, at=utc(dt.datetime.now(dt.UTC)), author=author, reason=reason
        )
    )
    return rev


def _columns(record: Record) -> dict[str, Any]:
    return {
        "date": record.day,
        "end_date": record.last_day,
        "country": record.country,
        "admin1": record.admin1,
    }


def write_versions(
    conn: Connection,
    rev: int,
    docs: dict[str, str],
    new: list[Record],
    changed: list[Record],
    current: dict[str, tuple[Any, ...]],
    deleted: Sequence[str] = (),
) -> None:
    """Write the versions of some records into store revision ``rev``: the versions, the
    current records, the day counts."""
    version = highest(conn, record_versions.c.version)
    rows: list[dict[str, Any]] = []
    counts: Counter[tuple[dt.date, str]] = Counter()
    for record in [*new, *changed]:
        version += 1
        old = current.get(record.id)
        if old is not None:
            counts[(old[2], old[3])] -= 1
        counts[(record.day, record.country)] += 1
        cols = _columns(record)
        rows.append(
            {
                "version": version,
                "record_id": record.id,
                "created": version if old is None else old[1],
                "document": docs[record.id],
                **cols,
            }
        )
    gone: list[dict[str, Any]] = []
    for rid in deleted:
        version += 1
        _, created, day, country = current[rid]
        counts[(day, country)] -= 1
        gone.append({"version": version, "record_id": rid, "created": created})
    replaced = [r.id for r in changed] + list(deleted)
    for part in chunks(replaced):
        conn.execute(records.delete().where(records.c.record_id.in_(part)))
    if rows:
        conn.execute(
            record_versions.insert(),
            [
                {
                    **row,
                    "revision": rev,
                    "deleted": False,
                    "span": (row["end_date"] - row["date"]).days,
                }
                for row in rows
            ],
        )
        conn.execute(records.insert(), rows)
    if gone:
        conn.execute(
            record_versions.insert(),
            [
                {
                    **row,
                    "revision": rev,
                    "deleted": True,
                    "document": None,
                    "date": None,
                    "end_date": None,
                    "span": None,
                    "country": None,
                    "admin1": None,
                }
                for row in gone
            ],
        )
    _count(conn, counts)


def _count(conn: Connection, counts: Counter[tuple[dt.date, str]]) -> None:
    """Apply changes to the per-day counts (one upsert for them all)."""
    rows = [{"day": d, "country": c, "records": n} for (d, c), n in counts.items() if n]
    if not rows:
        return
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    insert = dialect.insert(daily_counts)
    conn.execute(
        insert.on_conflict_do_update(
            index_elements=[daily_counts.c.day, daily_counts.c.country],
            set_={"records": daily_counts.c.records + insert.excluded.records},
        ),
        rows,
    )
    conn.execute(daily_counts.delete().where(daily_counts.c.records == 0))
