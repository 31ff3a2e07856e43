"""The lock that keeps two runs of one project from sending at once (``state/run.lock``)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from pathlib import Path
from types import TracebackType

from ..config import Config
from ..errors import LockError
from .ledger import Clock, state_folder, utcnow

LOCK_NAME = "run.lock"


class RunLock:
    """An exclusive, non-blocking lock on ``state/run.lock`` for one run.

    The lock is an ``flock`` on the file: the kernel releases it when the process ends,
    however it ends (SIGKILL, power loss), so a crashed run never leaves it stale. The
    file holds the pid and start time of the holder, for the error message.
    """

    def __init__(self, path: Path, *, clock: Clock = utcnow) -> None:
        self.path = path
        self._clock = clock
        self._fd: int | None = None

    @classmethod
    def for_config(cls, config: Config) -> RunLock:
        """The lock of the configured state folder."""
        return cls(state_folder(config) / LOCK_NAME)

    def acquire(self) -> None:
        """Take the lock, or raise :class:`LockError` naming the run that holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EACCES):
                raise LockError(
                    f"another sitrep run holds {self.path} ({holder}); wait for it to finish "
                    "(runs are safe to repeat: the next one sends only what is missing)"
                ) from None
            raise
        # The lock file is rewritten in place, not atomically: replacing it would
        # swap the inode the lock is held on. Its content is informational only.
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} since {self._clock().isoformat(timespec='seconds')}\n"
                 .encode())  # fmt: skip
        self._fd = fd

    def release(self) -> None:
        """Release the lock (the file stays, empty, for the next run)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
