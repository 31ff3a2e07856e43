"""The delivery ledger: every (report, recipient) attempt and outcome, in SQLite.

The ledger lives in the project's state folder (``state/deliveries.sqlite``). A delivery
moves through these states, each committed before the step it describes:

``sending``
    written before ``MAIL FROM``. Found by a later run, it means the run died before the
    final ``.`` of ``DATA`` went out: the server cannot have accepted the message, so it is
    sent again.
``unconfirmed``
    written once the final ``.`` of ``DATA`` has gone out, before the server's reply is
    read. Found by a later run, it means the run died after the server had the whole
    message but before its reply was recorded. Mail servers queue a message before they
    answer, so it is most likely delivered: it is *not* sent again unless asked
    (``--resend-unconfirmed``), and is reported.
``sent``
    the server answered 250 to the end of ``DATA``. Written with the ledger's next commit
    (any connection's next ``sending``, or the end of the round) rather than in a commit
    of its own: a run killed in between leaves the delivery ``unconfirmed``, which is what
    it is then (most likely delivered, not sent again, reported).
``deferred``
    a temporary failure (4xx, dropped connection, timeout, server down): the next run
    tries again.
``failed``
    a permanent failure (5xx) for this recipient: reported, not retried without
    ``--resend``.

While sending, ``sending`` and ``unconfirmed`` are committed at once without waiting for
the disk (``sync=False``: safe from the process being killed the moment the call returns)
and reach the disk by group commit (:mod:`sitrep.deliver.groupsync`): one fsync in the
background for all the commits made during the previous one. Failures are committed
synchronously, and every round ends with everything on disk.

:class:`~sitrep.deliver.runlock.RunLock` is the lock that keeps two runs of one project
from sending at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import ConfigError
from .groupsync import GroupSync

logger = logging.getLogger(__name__)

LEDGER_NAME = "deliveries.sqlite"

Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    """The current time in UTC (the default clock)."""
    return dt.datetime.now(dt.UTC)


class Status(StrEnum):
    """Where one delivery stands, in the ledger and in a run's results (one enum for both).

    A ledger row is in one of the five states of the module documentation (its CHECK
    constraint); a run's results may also say ``already sent`` (nothing to do) and
    ``written`` (``--dry-run``). Listed in the order the summary line gives them.
    """

    SENT = "sent"
    ALREADY = "already sent"
    WRITTEN = "written"
    UNCONFIRMED = "unconfirmed"
    DEFERRED = "deferred"
    FAILED = "failed"
    SENDING = "sending"


@dataclass(frozen=True)
class Entry:
    """The ledger's row for one report and recipient."""

    report: str
    recipient: str
    name: str
    edition: str
    status: Status
    attempts: int
    generation: int
    message_id: str | None
    attachment_sha256: str | None
    smtp_code: int | None
    detail: str | None
    first_attempt: dt.datetime
    last_attempt: dt.datetime
    sent_at: dt.datetime | None


@dataclass(frozen=True)
class Attempt:
    """One line of a delivery's history."""

    report: str
    recipient: str
    at: dt.datetime
    status: str
    smtp_code: int | None
    detail: str | None


_SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    report TEXT NOT NULL,
    recipient TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    edition TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('sending', 'unconfirmed', 'sent', 'deferred', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    generation INTEGER NOT NULL DEFAULT 0,
    message_id TEXT,
    attachment_sha256 TEXT,
    smtp_code INTEGER,
    detail TEXT,
    first_attempt TEXT NOT NULL,
    last_attempt TEXT NOT NULL,
    sent_at TEXT,
    PRIMARY KEY (report, recipient)
);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    report TEXT NOT NULL,
    recipient TEXT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    smtp_code INTEGER,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS attempts_by_delivery ON attempts (report, recipient);
PRAGMA user_version = 1;
"""

_COLUMNS = (
    "report, recipient, name, edition, status, attempts, generation, message_id, "
    "attachment_sha256, smtp_code, detail, first_attempt, last_attempt, sent_at"
)


def _time(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


def _entry(row: tuple[Any, ...]) -> Entry:
    (report, recipient, name, edition, status, attempts, generation, message_id, sha,
     code, detail, first, last, sent) = row  # fmt: skip
    return Entry(
        str(report), str(recipient), str(name), str(edition), Status(status), int(attempts),
        int(generation), message_id, sha, code, detail, dt.datetime.fromisoformat(first),
        dt.datetime.fromisoformat(last), _time(sent),
    )  # fmt: skip


def state_folder(config: Config) -> Path:
    """The configured state folder, created if missing; a :class:`ConfigError` naming the
    ``state`` setting when it cannot be created or written."""
    folder = config.path(config.state)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        writable = os.access(folder, os.W_OK | os.X_OK)
        reason = "permission denied"
    except OSError as exc:
        writable, reason = False, exc.strerror or str(exc)
    if not writable:
        raise ConfigError(
            f"cannot write the state folder {folder}: {reason} (set `state` in sitrep.toml "
            "to a folder this user can write, or fix the folder's permissions)"
        )
    return folder


class Ledger:
    """The SQLite ledger of deliveries; every method commits before it returns, except
    :meth:`finish` with ``commit=False``, whose rows go in with the next commit
    (:meth:`flush` or any other write; reads flush first).

    Commits are synchronous (``synchronous=FULL``), so a row survives the machine
    losing power right after the call; except :meth:`begin` and :meth:`mark_unconfirmed`
    with ``sync=False``, whose rows survive the process being killed at once and reach
    the disk with the next group fsync (:class:`~sitrep.deliver.groupsync.GroupSync`,
    milliseconds later) or synchronous commit. One ledger may be shared by the threads
    of a run's connections: every call holds its lock.
    """

    def __init__(self, path: Path, *, clock: Clock = utcnow) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._clock = clock
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None,
                                   check_same_thread=False)  # fmt: skip
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self._pending: list[tuple[str, tuple[object, ...]]] = []
        self._lock = threading.RLock()
        self.sync = GroupSync(path)

    @classmethod
    def for_config(cls, config: Config, *, clock: Clock = utcnow) -> Ledger:
        """The ledger in the configured state folder."""
        return cls(state_folder(config) / LEDGER_NAME, clock=clock)

    def close(self) -> None:
        """Write what is pending, wait for the disk, and close the database."""
        try:
            self.flush()
        finally:
            try:
                self.sync.close()
            finally:
                self._db.close()

    def flush(self) -> None:
        """Commit the rows of :meth:`finish` calls made with ``commit=False``, and wait
        until every commit so far is on disk."""
        self._write_pending()
        self.sync.wait()

    def _write_pending(self) -> None:
        with self._lock:
            if self._pending:
                with self._tx():
                    pass

    def _read(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        with self._lock:  # what this ledger has written, pending rows included
            self._write_pending()
            return self._db.execute(sql, params).fetchall()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _tx(self, *, sync: bool | None = True) -> Iterator[sqlite3.Connection]:
        """A write transaction: ``sync`` True commits with an fsync, False without one
        (the group fsync follows soon), None without one (the next fsync covers it)."""
        with self._lock:
            if not sync:
                self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: no fsync at this commit
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    for sql, params in self._pending:
                        self._db.execute(sql, params)
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            finally:
                if not sync:
                    self._db.execute("PRAGMA synchronous=FULL")
            self._pending.clear()
            if sync:
                self.sync.covered()
            else:
                self.sync.committed(urgent=sync is not None)

    def _now(self) -> str:
        return self._clock().astimezone(dt.UTC).isoformat(timespec="milliseconds")

    # --- reading ------------------------------------------------------------------------

    def get(self, report: str, recipient: str) -> Entry | None:
        """The row for one delivery, or None if it was never attempted."""
        rows = self._read(
            f"SELECT {_COLUMNS} FROM deliveries WHERE report = ? AND recipient = ?",
            (report, recipient.lower()),
        )
        return _entry(rows[0]) if rows else None

    def entries(self, report: str | None = None) -> list[Entry]:
        """Every row, or those of one report, by report then first attempt."""
        where, params = ("WHERE report = ?", (report,)) if report else ("", ())
        rows = self._read(
            f"SELECT {_COLUMNS} FROM deliveries {where} ORDER BY report, first_attempt, recipient",
            params,
        )
        return [_entry(r) for r in rows]

    def reports(self) -> list[str]:
        """The reports in the ledger, newest last."""
        rows = self._read(
            "SELECT report FROM deliveries GROUP BY report ORDER BY MIN(first_attempt), report", ()
        )
        return [str(r[0]) for r in rows]

    def history(self, report: str, recipient: str | None = None) -> list[Attempt]:
        """Every recorded attempt of a report (or of one of its deliveries), oldest first."""
        sql = (
            "SELECT report, recipient, at, status, smtp_code, detail FROM attempts WHERE report = ?"
        )
        params: tuple[str, ...] = (report,)
        if recipient is not None:
            sql += " AND recipient = ?"
            params += (recipient.lower(),)
        rows = self._read(sql + " ORDER BY id", params)
        return [
            Attempt(str(r[0]), str(r[1]), dt.datetime.fromisoformat(r[2]), str(r[3]), r[4], r[5])
            for r in rows
        ]

    # --- writing ------------------------------------------------------------------------

    def begin(
        self,
        report: str,
        recipient: str,
        *,
        name: str,
        edition: str,
        message_id: str,
        generation: int,
        attachment_sha256: str | None,
        sync: bool = True,
    ) -> None:
        """Record that a delivery is starting (status ``sending``), before MAIL FROM.

        ``sync=False`` does not wait for the disk, nor call for an fsync (the one after the
        ``unconfirmed`` mark covers it): a ``sending`` row lost with the power means what
        a ``sending`` row means (the server cannot have the whole message); a lost row that
        would have replaced a ``sent`` or ``failed`` one (``--resend``) leaves that row, and
        the message is not sent again.
        """
        now = self._now()
        with self._tx(sync=True if sync else None) as db:  # a lost row is harmless: no fsync
            db.execute(
                """
                INSERT INTO deliveries (report, recipient, name, edition, status, attempts,
                    generation, message_id, attachment_sha256, first_attempt, last_attempt)
                VALUES (?, ?, ?, ?, 'sending', 1, ?, ?, ?, ?, ?)
                ON CONFLICT (report, recipient) DO UPDATE SET
                    name = excluded.name, edition = excluded.edition, status = 'sending',
                    attempts = attempts + 1, generation = excluded.generation,
                    message_id = excluded.message_id,
                    attachment_sha256 = excluded.attachment_sha256,
                    smtp_code = NULL, detail = NULL, last_attempt = excluded.last_attempt
                """,
                (report, recipient.lower(), name, edition, generation, message_id,
                 attachment_sha256, now, now),
            )  # fmt: skip

    def defer(
        self, report: str, recipient: str, *, name: str, edition: str, generation: int, detail: str
    ) -> None:
        """Record a delivery left for the next run without an attempt (server unreachable)."""
        now = self._now()
        with self._tx() as db:
            db.execute(
                """
                INSERT INTO deliveries (report, recipient, name, edition, status, generation,
                    detail, first_attempt, last_attempt)
                VALUES (?, ?, ?, ?, 'deferred', ?, ?, ?, ?)
                ON CONFLICT (report, recipient) DO UPDATE SET
                    status = 'deferred', detail = excluded.detail, smtp_code = NULL,
                    last_attempt = excluded.last_attempt
                """,
                (report, recipient.lower(), name, edition, generation, detail, now, now),
            )
            db.execute(
                "INSERT INTO attempts (report, recipient, at, status, detail) "
                "VALUES (?, ?, ?, 'deferred', ?)",
                (report, recipient.lower(), now, detail),
            )

    def mark_unconfirmed(self, report: str, recipient: str, *, sync: bool = True) -> None:
        """Record that the end of the message went out (status ``unconfirmed``).

        ``sync=False`` commits at once (the process may be killed the moment this returns)
        and leaves the fsync to the group commit, a few milliseconds later: a power loss in
        between brings the delivery back as ``sending``, sent again (``docs/delivery.md``).
        """
        with self._tx(sync=sync) as db:
            db.execute(
                "UPDATE deliveries SET status = 'unconfirmed' WHERE report = ? AND recipient = ?",
                (report, recipient.lower()),
            )

    def finish(
        self,
        report: str,
        recipient: str,
        status: Status,
        *,
        smtp_code: int | None = None,
        detail: str | None = None,
        commit: bool = True,
    ) -> None:
        """Record the outcome of the current attempt, and add it to the history.

        With ``commit=False`` the rows are written with the next commit (the delivery
        stays ``unconfirmed`` on disk until then): for ``sent``, see the module notes.
        """
        if status not in (Status.SENT, Status.DEFERRED, Status.FAILED):
            raise ValueError(f"{status} is not the outcome of an attempt")
        now = self._now()
        rows: list[tuple[str, tuple[object, ...]]] = [
            (
                """
                UPDATE deliveries SET status = ?, smtp_code = ?, detail = ?,
                    sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
                WHERE report = ? AND recipient = ?
                """,
                (status.value, smtp_code, detail, status.value, now, report, recipient.lower()),
            ),
            (
                "INSERT INTO attempts (report, recipient, at, status, smtp_code, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (report, recipient.lower(), now, status.value, smtp_code, detail),
            ),
        ]
        with self._lock:
            self._pending += rows
        if commit:
            self.flush()

    def note(self, report: str, recipient: str, status: str, detail: str) -> None:
        """Add a line to a delivery's history without changing its status."""
        with self._tx() as db:
            db.execute(
                "INSERT INTO attempts (report, recipient, at, status, detail) "
                "VALUES (?, ?, ?, ?, ?)",
                (report, recipient.lower(), self._now(), status, detail),
            )
