"""Alembic environment: runs the migrations on the connection sitrep hands over.

sitrep calls Alembic with ``config.attributes["connection"]`` set (see
:func:`sitrep.store.sql.upgrade`); with plain ``alembic`` the URL in ``sqlalchemy.url``
is used instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from sitrep.store.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise SystemExit("set sqlalchemy.url, or run `sitrep store upgrade`")
    with create_engine(url).connect() as conn:
        _run(conn)
