"""Group commit for the delivery ledger: one fsync makes many commits durable.

The ledger is SQLite in WAL mode. A commit with ``synchronous=NORMAL`` has written its
pages to the write-ahead log (the operating system holds them) when it returns: it
survives the process being killed at once, but not a power loss until the log file is
fsynced. :class:`GroupSync` fsyncs the log on a background thread whenever commits are
waiting for it; a commit made while one fsync runs is covered by the next, so the disk
sees one fsync for every commit made during the last one, however many connections send
at once, and no sending thread waits for the disk. :meth:`GroupSync.wait` waits until
every commit made so far is on disk (the end of a round, a failure).

SQLite writes a committed transaction's frames to the log before ``COMMIT`` returns and
recovers a log up to its last complete commit, so fsyncing the log file covers every
commit made before the fsync began. Nothing here writes to the log, and the database
and its ``-shm`` file (where SQLite keeps its locks) are never opened.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from ..errors import DeliveryError

logger = logging.getLogger(__name__)


class GroupSync:
    """Makes the commits of one SQLite WAL database durable in groups, in the background.

    Call :meth:`committed` after each commit made without an fsync (``synchronous=NORMAL``),
    :meth:`covered` after one made with it (``synchronous=FULL`` syncs the whole log), and
    :meth:`wait` to block until everything committed is on disk. A commit made with
    ``urgent=False`` does not call for an fsync of its own: the next one covers it.
    """

    def __init__(self, database: Path) -> None:
        self.database = database
        self.log = database.with_name(database.name + "-wal")
        self._cond = threading.Condition()
        self._made = 0  # commits counted so far
        self._wanted = 0  # the last of them that called for an fsync
        self._durable = 0  # of which this many are known to be on disk
        self._error: OSError | None = None
        self._closing = False
        self._thread: threading.Thread | None = None
        self._folder_synced = False
        self.fsyncs = 0

    def committed(self, *, urgent: bool = True) -> None:
        """A commit has returned without an fsync: have it synced soon (``urgent``), or
        with the next fsync that something else calls for."""
        with self._cond:
            self._made += 1
            if not urgent:
                return
            self._wanted = self._made
            if self._thread is None and not self._closing:
                self._thread = threading.Thread(target=self._run, name="ledger-fsync", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def covered(self) -> None:
        """A synchronous commit has just synced the log: every commit so far is on disk."""
        with self._cond:
            self._durable = self._wanted = self._made
            self._cond.notify_all()

    @property
    def pending(self) -> int:
        """Commits not known to be on disk yet."""
        with self._cond:
            return self._made - self._durable

    def wait(self) -> None:
        """Block until every commit made so far is on disk; a :class:`DeliveryError` if the
        disk refused the fsync."""
        with self._cond:
            target = self._wanted = self._made
            self._cond.notify_all()
            if self._durable < target and (self._thread is None or not self._thread.is_alive()):
                self._sync_here(target)
            while self._durable < target and self._error is None:
                self._cond.wait()
            self._raise()

    def close(self) -> None:
        """Sync what is left and stop the background thread."""
        try:
            self.wait()
        finally:
            with self._cond:
                self._closing = True
                self._cond.notify_all()
                thread = self._thread
            if thread is not None:
                thread.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise DeliveryError(
                f"cannot write the delivery ledger {self.database} to disk: "
                f"{self._error.strerror or self._error} (check the state folder's disk)"
            )

    def _sync_here(self, target: int) -> None:
        """Sync on the caller's thread (no background thread running); lock held."""
        try:
            self._fsync()
        except OSError as exc:
            self._error = exc
            return
        self._durable = max(self._durable, target)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._durable >= self._wanted and not self._closing and self._error is None:
                    self._cond.wait()
                if self._error is not None or self._durable >= self._wanted:
                    return  # closing with nothing called for, or the disk failed
                target = self._made  # every commit counted so far has written its frames
            try:
                self._fsync()
            except OSError as exc:
                logger.error("fsync of the delivery ledger failed: %s", exc)
                with self._cond:
                    self._error = exc
                    self._cond.notify_all()
                return
            with self._cond:
                self._durable = max(self._durable, target)
                self._cond.notify_all()

    def _fsync(self) -> None:
        try:
            fd = os.open(self.log, os.O_RDONLY)
        except FileNotFoundError:
            return  # no log: SQLite checkpointed it into the database (synced) and removed it
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self.fsyncs += 1
        if not self._folder_synced:  # the log's own name in its folder, once
            folder = os.open(self.log.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
            self._folder_synced = True
