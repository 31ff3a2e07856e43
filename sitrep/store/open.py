"""Choosing the store: the one place that turns the configuration into an IncidentStore."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..model.records import Record
from ..progress import SILENT, Progress
from .base import IncidentStore
from .checking import Checked
from .directory import DirectoryStore
from .memory import MemoryStore

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


def check_store(
    store: IncidentStore,
    progress: Progress = SILENT,
    name: Callable[[Record], str | None] | None = None,
    *,
    full: bool = False,
) -> Checked:
    """Check the records of a store (``sitrep validate``), one at a time, in memory that
    does not grow with the store. A folder is read whole, a file and a JSON line at a time.
    A database store validates each record as it is written (``sitrep import``); this
    checks, against the rules of this version of sitrep and against each other (a
    reference to a record deleted since), the records written since the last check and
    those naming a record deleted since, and reports again the errors earlier checks
    left standing (:mod:`.incremental`); every record with ``full``, on the first check,
    and when the rules changed. ``name`` names each valid record (its admin1) for
    :attr:`Checked.names`."""
    if isinstance(store, (DirectoryStore, MemoryStore)):
        return store.check(progress, name)
    from .sql import SqlStore  # not before: SQLAlchemy takes a while to import

    if isinstance(store, SqlStore):
        from .incremental import check_database

        return check_database(store, progress, name, full=full)
    loaded = store.load()  # any other store (a test double): its whole load
    names = {label for r in loaded.records if name and (label := name(r))}
    valid = len(loaded.records)
    return Checked(
        loaded.problems, valid + len(loaded.invalid), valid, loaded.files, loaded.notes, names
    )
