"""The first store schema: revisions, every version of every record, the current records.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "revisions",
        sa.Column("revision", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_table(
        "record_versions",
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
    )
    op.create_index("ix_versions_record", "record_versions", ["record_id", "version"])
    op.create_index("ix_versions_date", "record_versions", ["date"])
    op.create_index("ix_versions_span", "record_versions", ["span"])
    op.create_table(
        "records",
        sa.Column("record_id", sa.String(128), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=False),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("admin1", sa.String(200)),
    )
    op.create_index("ix_records_date", "records", ["date"])
    op.create_index("ix_records_country_date", "records", ["country", "date"])


def downgrade() -> None:
    """Drop the tables."""
    op.drop_table("records")
    op.drop_table("record_versions")
    op.drop_table("revisions")
