"""The store's database: engines, the schema revision, Alembic migrations, errors."""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from ..errors import SitrepError

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


class StoreError(SitrepError):
    """The database store cannot be opened, read or written."""


def _alembic(connection: Connection) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


def head_revision() -> str:
    """The schema revision this version of sitrep reads and writes."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def schema_revision(engine: Engine) -> str | None:
    """The schema revision of the database (None: no sitrep store in it yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, target: str = "head") -> tuple[str | None, str | None]:
    """Upgrade the database's schema to ``target``; the revisions before and after."""
    from alembic import command

    try:
        before = schema_revision(engine)
        with engine.begin() as conn:
            command.upgrade(_alembic(conn), target)
        after = schema_revision(engine)
    except sa.exc.DBAPIError as exc:
        raise StoreError(f"cannot upgrade the store {display_name(engine)}: {exc.orig}") from exc
    if before != after:
        logger.info("store schema upgraded from %s to %s", before or "nothing", after)
    return before, after


def make_engine(url: str | sa.URL, password: str | None = None) -> Engine:
    """An engine for a ``sqlite:///`` or ``postgresql://`` URL (psycopg 3), with the
    password (from the environment) added to the URL."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
        if password:
            parsed = parsed.set(password=password)
    elif parsed.get_backend_name() != "sqlite":
        raise StoreError(
            f"{parsed.drivername}: not a supported store (expected sqlite or postgresql)"
        )
    if parsed.get_backend_name() == "sqlite":
        return sa.create_engine(parsed)
    # No server-side prepared statements: psycopg prepares a query met five times, and
    # PostgreSQL may then keep one generic plan made when the table was empty (a sequential
    # scan), which an import then runs for every batch as the table grows.
    return sa.create_engine(parsed, connect_args={"prepare_threshold": None})


def display_name(engine: Engine) -> str:
    """How messages name a store: the SQLite file, or the URL without the password."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)


def check_schema(engine: Engine, name: str) -> None:
    """Create the store in a new, empty database; refuse one whose schema is not this
    version's, saying how to upgrade it."""
    try:
        current = schema_revision(engine)
        empty = current is None and not sa.inspect(engine).get_table_names()
    except sa.exc.DBAPIError as exc:
        raise StoreError(f"cannot open the store {name}: {exc.orig}".strip()) from exc
    head = head_revision()
    if empty:
        upgrade(engine)
    elif current != head:
        if current in {script.revision for script in _scripts().walk_revisions()}:
            raise StoreError(
                f"the store {name} has schema revision {current}, this version of "
                f"sitrep needs {head}: run `sitrep store upgrade` (back it up first)"
            )
        raise StoreError(
            f"{name}: schema revision {current or 'none'} is unknown to this version "
            "of sitrep (written by a newer sitrep, or not a sitrep store?)"
        )
