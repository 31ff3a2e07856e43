"""The incident store's tables (the schema at the newest migration, for the queries).

- ``revisions``: one row per write that changed anything: its number, when (UTC), by whom
  or by which import, and why. The store's revision is the highest number.
- ``record_versions``: every version of every record, never updated or deleted; a
  deletion is a version with ``deleted`` set and no document. ``version`` orders the
  versions of the whole store; ``created`` is the version that first created the record
  (records load in that order, the order they were written in).
- ``records``: the current version of each record that is not deleted.
- ``daily_counts``: current records per start day and country (kept up to date by writes).
- ``validations``: one row per ``sitrep validate`` that ran to the end: the store revision it
  checked up to (the next one checks only what changed since), when, the fingerprint of the
  record rules it used, whether it checked every record, how many it checked and found wrong.
- ``validation_errors``: the errors that check left standing, per record (reported again by
  every check until the record is fixed or deleted).
- ``validation_references``: the ids each checked record refers to (``covers``, ``same_as``,
  ``not_same_as``), so that a check finds the records that name one added or deleted since.

Documents are the records as written (validated), as JSON text; ``date``, ``end_date``
(the last day, ``date`` when there is none), ``span`` (days between them), ``country`` and
``admin1`` are copied out of them and indexed so that a load reads only its window (and
``validate`` finds the admin1 names without reading the documents).
The migrations in ``migrations/versions`` create exactly these tables.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

revisions = sa.Table(
    "revisions",
    metadata,
    sa.Column("revision", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

record_versions = sa.Table(
    "record_versions",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("record_id", sa.String(128), nullable=False),
    sa.Column("revision", sa.Integer, sa.ForeignKey("revisions.revision"), nullable=False),
    sa.Column("created", sa.Integer, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("document", sa.Text),
    sa.Column("date", sa.Date),
    sa.Column("end_date", sa.Date),
    sa.Column("span", sa.Integer),
    sa.Column("country", sa.String(3)),
    sa.Column("admin1", sa.String(200)),
    sa.Index("ix_versions_record", "record_id", "version"),
    sa.Index("ix_versions_date", "date"),
    sa.Index("ix_versions_span", "span"),
)

records = sa.Table(
    "records",
    metadata,
    sa.Column("record_id", sa.String(128), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("end_date", sa.Date, nullable=False),
    sa.Column("country", sa.String(3), nullable=False),
    sa.Column("admin1", sa.String(200)),
    # a covering index: the trend cache's fingerprints read the days and versions alone
    sa.Index("ix_records_days", "date", "end_date", "version"),
    sa.Index("ix_records_country_date", "country", "date"),
    sa.Index("ix_records_admin1", "admin1"),
)

daily_counts = sa.Table(
    "daily_counts",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("country", sa.String(3), primary_key=True),
    sa.Column("records", sa.Integer, nullable=False),
)

validations = sa.Table(
    "validations",
    metadata,
    sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("rules", sa.String(64), nullable=False),
    sa.Column("full", sa.Boolean, nullable=False),
    sa.Column("checked", sa.Integer, nullable=False),
    sa.Column("errors", sa.Integer, nullable=False),
)

validation_errors = sa.Table(
    "validation_errors",
    metadata,
    sa.Column("record_id", sa.String(128), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("field", sa.Text),
    sa.Column("message", sa.Text, nullable=False),
)

validation_references = sa.Table(
    "validation_references",
    metadata,
    sa.Column("record_id", sa.String(128), primary_key=True),
    sa.Column("target", sa.String(128), primary_key=True),
    sa.Index("ix_validation_references_target", "target"),
)
