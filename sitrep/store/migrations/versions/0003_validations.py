"""Validation marks: what the last ``sitrep validate`` checked, the errors it left standing
and the references of the records it checked, so that the next one checks only what
changed since; an index of the current records' admin1 names (the subscribers' check).
The tables are empty after the upgrade: the first ``validate`` checks every record.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables (empty) and the index."""
    op.create_table(
        "validations",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("rules", sa.String(64), nullable=False),
        sa.Column("full", sa.Boolean, nullable=False),
        sa.Column("checked", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
    )
    op.create_table(
        "validation_errors",
        sa.Column("record_id", sa.String(128), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("field", sa.Text),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_table(
        "validation_references",
        sa.Column("record_id", sa.String(128), primary_key=True),
        sa.Column("target", sa.String(128), primary_key=True),
    )
    op.create_index("ix_validation_references_target", "validation_references", ["target"])
    op.create_index("ix_records_admin1", "records", ["admin1"])


def downgrade() -> None:
    """Drop the tables (the next ``validate`` of an upgraded store checks every record)."""
    op.drop_index("ix_records_admin1", "records")
    op.drop_table("validation_references")
    op.drop_table("validation_errors")
    op.drop_table("validations")
