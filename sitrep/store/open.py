"""Choosing the store: the one place that turns the configuration into an IncidentStore."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from .base import IncidentStore
from .directory import DirectoryStore

if TYPE_CHECKING:
    from .sql import SqlStore


def open_store(config: Config, data: Path | None = None) -> IncidentStore:
    """The store the configuration names (``[store] kind``): the folder of record files in
    ``report.data`` (the default), a SQLite file (``store.path``, under the state folder) or
    a PostgreSQL database (``store.url``, password from SITREP_STORE_PASSWORD). ``data``, a
    folder or file given on the command line, is always read as a folder of records.

    Every reader of incident records (generate, run, explain, validate, the subscribers'
    admin1 check) goes through here, so the store is chosen in one place.
    """
    kind = config.store.kind
    if data is not None or kind == "folder":
        root = data if data is not None else config.path(config.report.data)
        return DirectoryStore(root, config.report.follow_links)
    return open_database(config)


def open_database(config: Config) -> SqlStore:
    """The configured database store (``[store] kind = "sqlite"`` or ``"postgresql"``)."""
    from .sql import SqlStore

    return SqlStore.open(*database_url(config))


def database_url(config: Config) -> tuple[str, str | None]:
    """The configured database's URL and password (SQLite: the file, created if need be)."""
    from .database import StoreError

    store = config.store
    if store.kind == "sqlite":
        path = store.path if store.path.is_absolute() else config.path(config.state) / store.path
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}", None
    if store.kind == "postgresql" and store.url:
        return store.url, store.password.get_secret_value() if store.password else None
    raise StoreError(
        f"[store] kind = {store.kind!r} is not a database: set kind = \"sqlite\", or "
        'kind = "postgresql" with url = "postgresql://user@host/db", in sitrep.toml'
    )
