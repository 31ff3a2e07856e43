"""Alembic migrations of the incident store's database schema (``sitrep store upgrade``)."""
