"""The current records indexed by first day, last day and version together: what a long
report's trend cache fingerprints (the records of 90 months, counted by their days and
versions) is read from the index alone, not from the records' rows. It replaces the index
of the first day, which it begins with.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Replace the first day's index with the days-and-version one."""
    op.create_index("ix_records_days", "records", ["date", "end_date", "version"])
    op.drop_index("ix_records_date", "records")


def downgrade() -> None:
    """Put the first day's index back."""
    op.create_index("ix_records_date", "records", ["date"])
    op.drop_index("ix_records_days", "records")
