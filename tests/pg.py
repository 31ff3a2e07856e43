"""A real PostgreSQL 15 cluster for the store tests, started once per test session.

``initdb`` makes a cluster in a temporary folder (password authentication, user
``sitrep``), ``pg_ctl`` starts it on a free port of 127.0.0.1 and stops it at the end of
the session. Each test gets a database of its own. When run as root (containers), the
server runs as the ``postgres`` system user, since PostgreSQL refuses to run as root.
The tests that need it are marked ``db``; they are skipped, saying why, only when the
PostgreSQL binaries are not installed (``scripts/setup.sh`` installs them).
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from smtp_server import free_port

PG_BIN = Path(os.environ.get("SITREP_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER, PASSWORD = "sitrep", "test-password"
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Cluster:
    """A running PostgreSQL server: where it listens and how to reach a new database."""

    port: int
    folder: Path

    def url(self, database: str = "postgres") -> str:
        """The URL of a database, without the password (as sitrep.toml holds it)."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database; its URL."""
        name = f"store_test_{os.getpid()}_{next(_numbers)}"
        url = sa.make_url(f"postgresql+psycopg://{USER}:{PASSWORD}@127.0.0.1:{self.port}/postgres")
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url(name)


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str]) -> None:
    done = subprocess.run(_as_server_user(argv), capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the whole session (skipped if PostgreSQL is missing)."""
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        pytest.skip(
            f"PostgreSQL 15 is not installed (no initdb/pg_ctl in {PG_BIN}; "
            "run scripts/setup.sh or set SITREP_PG_BIN)"
        )
    folder = Path(tempfile.mkdtemp(prefix="sitrep-pg-"))
    if os.geteuid() == 0:
        server = pwd.getpwnam("postgres")
        os.chown(folder, server.pw_uid, server.pw_gid)
    data, pwfile = folder / "data", folder / "pw"
    pwfile.write_text(PASSWORD)
    pwfile.chmod(0o644)
    _run(
        [
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            USER,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]
    )
    port = free_port()
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} -F"
    _run(
        [
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "server.log"),
            "-w",
            "start",
        ]
    )
    try:
        yield Cluster(port, folder)
    finally:
        _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)
