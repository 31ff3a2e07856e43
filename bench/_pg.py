"""A PostgreSQL 15 cluster kept in a folder between benchmark runs (``initdb`` once,
``pg_ctl`` start and stop), as ``tests/pg.py`` makes one for a test session."""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
from pathlib import Path

import sqlalchemy as sa

PG_BIN = Path(os.environ.get("SITREP_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER, PASSWORD, DATABASE = "sitrep", "bench-password", "bench"


def _run(argv: list[str]) -> None:
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        argv = ["runuser", "-u", "postgres", "--", *argv]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")


class Postgres:
    """A cluster in ``folder`` (created on first use), listening on 127.0.0.1."""

    password = PASSWORD

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"

    def start(self) -> str:
        """Start the server (creating the cluster and the database the first time); the
        database's URL, without the password."""
        if not self.data.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                server = pwd.getpwnam("postgres")
                os.chown(self.folder, server.pw_uid, server.pw_gid)
            pwfile = self.folder / "pw"
            pwfile.write_text(PASSWORD)
            pwfile.chmod(0o644)
            _run([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", USER,
                  f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8",
                  "--locale=C.UTF-8"])  # fmt: skip
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        options = (f"-p {port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.folder}")  # fmt: skip
        _run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
              "-l", str(self.folder / "server.log"), "-w", "start"])  # fmt: skip
        admin = sa.create_engine(
            f"postgresql+psycopg://{USER}:{PASSWORD}@127.0.0.1:{port}/postgres",
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as conn:
            if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"),
                                {"d": DATABASE}).first():  # fmt: skip
                conn.execute(sa.text(f'CREATE DATABASE "{DATABASE}"'))
        admin.dispose()
        return f"postgresql://{USER}@127.0.0.1:{port}/{DATABASE}"

    def stop(self) -> None:
        """Stop the server (the cluster stays for the next run)."""
        if self.data.exists():
            _run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])
