"""Desk accounts (name, role, argon2 password hash) and the log of every change made on
the desk, in the project's state folder (``state/desk.sqlite``)."""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..config import Config
from ..errors import SitrepError

logger = logging.getLogger(__name__)

DESK_DB = "desk.sqlite"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
MIN_PASSWORD = 10


class DeskError(SitrepError):
    """A desk account or publishing step that cannot be done as asked."""


class Role(StrEnum):
    """What an account may do: readers view, analysts also edit records, editors also
    publish editions."""

    READER = "reader"
    ANALYST = "analyst"
    EDITOR = "editor"

    def may(self, needed: Role) -> bool:
        """Whether this role includes ``needed``."""
        order = [Role.READER, Role.ANALYST, Role.EDITOR]
        return order.index(self) >= order.index(needed)


@dataclass(frozen=True)
class User:
    """A desk account."""

    name: str
    role: Role


@dataclass(frozen=True)
class Change:
    """One line of the change log: who did what, when."""

    at: dt.datetime
    user: str
    action: str
    detail: str


_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('reader', 'analyst', 'editor')),
    hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""


class Accounts:
    """The accounts and the change log of one project."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._hasher = PasswordHasher()
        with self._db() as db:
            db.executescript(_SCHEMA)

    @classmethod
    def for_config(cls, config: Config) -> Accounts:
        """The accounts of the configured project."""
        return cls(config.path(config.state) / DESK_DB)

    def _db(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA busy_timeout = 10000")
        return db

    def add(self, name: str, role: Role, password: str, *, by: str) -> User:
        """Create an account, or set the role and password of an existing one."""
        if not _NAME.match(name):
            raise DeskError(
                f"user name {name!r}: expected 1-40 lower-case letters, digits, '.', '_' or '-'"
            )
        if len(password) < MIN_PASSWORD:
            raise DeskError(f"the password is too short (at least {MIN_PASSWORD} characters)")
        with self._db() as db:
            db.execute(
                "INSERT INTO users (name, role, hash) VALUES (?, ?, ?) ON CONFLICT (name) "
                "DO UPDATE SET role = excluded.role, hash = excluded.hash",
                (name, role.value, self._hasher.hash(password)),
            )
        self.log(by, "user", f"{name} is {role.value}")
        return User(name, role)

    def get(self, name: str) -> User | None:
        """The account of this name, if any."""
        with self._db() as db:
            row = db.execute("SELECT role FROM users WHERE name = ?", (name,)).fetchone()
        return None if row is None else User(name, Role(row[0]))

    def check(self, name: str, password: str) -> User | None:
        """The account, if the password is right (time spent as for a wrong one)."""
        with self._db() as db:
            row = db.execute("SELECT role, hash FROM users WHERE name = ?", (name,)).fetchone()
        stored = row[1] if row else self._hasher.hash("no such user: same work")
        try:
            self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return None if row is None else User(name, Role(row[0]))

    def users(self) -> list[User]:
        """Every account, by name."""
        with self._db() as db:
            rows = db.execute("SELECT name, role FROM users ORDER BY name").fetchall()
        return [User(n, Role(r)) for n, r in rows]

    def log(self, user: str, action: str, detail: str) -> None:
        """Record a change made by ``user`` (also logged at INFO)."""
        logger.info("%s: %s: %s", user, action, detail)
        with self._db() as db:
            db.execute(
                "INSERT INTO changes (at, user, action, detail) VALUES (?, ?, ?, ?)",
                (dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), user, action, detail),
            )

    def changes(self, limit: int = 200) -> list[Change]:
        """The latest changes, newest first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT at, user, action, detail FROM changes ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [Change(dt.datetime.fromisoformat(a), u, ac, d) for a, u, ac, d in rows]
