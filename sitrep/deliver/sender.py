"""Sending a run's messages: mailer, ledger, rate limit and retries.

Temporary failures are retried with exponential backoff within the run and left
``deferred`` for the next run; permanent ones are recorded and do not stop the others;
an error that concerns the whole run (login refused) stops it, leaving the rest deferred.
Each step is committed to the ledger before it happens (see :mod:`sitrep.deliver.ledger`).

With ``smtp.connections`` above one, a round's messages are sent over that many
connections at once, one thread each (:meth:`Mailer.clone`), taking the next message from
one queue; each connection is reused from message to message. Messages are composed one
at a time (Python runs one thread at a time anyway): what the threads overlap is the
waiting, for the server and for the network.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..config import SmtpConfig
from ..errors import DeliveryError
from ..model.edition import Edition
from ..model.report import Report
from .ledger import Clock, Ledger, utcnow
from .mailers import Mailer, PermanentFailure, TemporaryFailure
from .messages import Composer
from .mime import Attachment, as_bytes
from .planning import Outcome, Result
from .subscribers import Subscriber

logger = logging.getLogger(__name__)


class RateLimiter:
    """At most ``per_minute`` sends a minute, spaced evenly, whatever the thread."""

    def __init__(
        self,
        per_minute: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 60.0 / per_minute
        self._monotonic = monotonic
        self._sleep = sleep
        self._last: float | None = None
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Sleep until the next send is allowed (each caller gets its own slot)."""
        with self._lock:
            now = self._monotonic()
            slot = now if self._last is None else max(now, self._last + self.interval)
            self._last = slot
        if slot > now:
            self._sleep(slot - now)


@dataclass(frozen=True)
class Prepared:
    """A generated edition: its report and its attachable files, read once."""

    edition: Edition
    report: Report
    attachments: dict[str, Attachment]
    sha256: dict[str, str]


@dataclass
class Job:
    """One message to send, and what became of it."""

    prepared: Prepared
    subscriber: Subscriber
    generation: int
    message_id: str
    result: Result | None = None
    unreachable: bool = False

    def settle(self, outcome: Outcome, detail: str) -> Result:
        """Record this job's result."""
        self.result = Result(self.subscriber.email, self.prepared.edition.key, outcome, detail)
        return self.result


@dataclass
class _Queue:
    """A round's jobs, taken one at a time by the connections' threads."""

    jobs: Sequence[Job]
    taken: int = 0
    again: list[tuple[int, Job]] = field(default_factory=list)
    stopped: str | None = None
    """Why the round stopped early (server unreachable, run-wide error), if it did."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> tuple[int, Job] | None:
        with self.lock:
            if self.stopped is not None or self.taken >= len(self.jobs):
                return None
            self.taken += 1
            return self.taken - 1, self.jobs[self.taken - 1]

    def retry(self, index: int, job: Job) -> None:
        with self.lock:
            self.again.append((index, job))

    def stop(self, why: str) -> None:
        with self.lock:
            self.stopped = self.stopped or why

    def untaken(self) -> list[tuple[int, Job]]:
        with self.lock:
            rest = list(enumerate(self.jobs))[self.taken :]
            self.taken = len(self.jobs)
            return rest


class Sender:
    """Sends jobs through a mailer, recording each step in the ledger (none: dry run)."""

    def __init__(
        self,
        *,
        mailer: Mailer,
        ledger: Ledger | None,
        composer: Composer,
        smtp: SmtpConfig,
        dry_run: bool = False,
        clock: Clock = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.mailer = mailer
        self.ledger = None if dry_run else ledger
        self.composer = composer
        self.smtp = smtp
        self.sent = Outcome.WRITTEN if dry_run else Outcome.SENT
        self.clock = clock
        self.sleep = sleep
        self.limiter = RateLimiter(smtp.rate_per_minute, monotonic=monotonic, sleep=sleep)
        self.connections = 1 if dry_run else smtp.connections
        self._mailers = [mailer]  # the caller's, then clones for more connections
        self._composing = threading.Lock()

    def _connection_mailers(self, count: int) -> list[Mailer]:
        while len(self._mailers) < count:
            self._mailers.append(self.mailer.clone())
        return self._mailers[:count]

    def _close(self, *, clones_only: bool = False) -> None:
        seen: set[int] = set()
        for mailer in self._mailers[1:] if clones_only else self._mailers:
            if id(mailer) not in seen and not (clones_only and mailer is self.mailer):
                seen.add(id(mailer))
                mailer.close()

    def send_all(self, report: str, jobs: Sequence[Job]) -> str | None:
        """Send every job, retrying temporary failures; every job has its result after.

        Returns the error that stopped the run early (the others are left deferred), if any.
        """
        try:
            return self._send_all(report, jobs)
        finally:
            self._close(clones_only=True)  # the caller closes its own mailer

    def _send_all(self, report: str, jobs: Sequence[Job]) -> str | None:
        try:
            pending = self._round(report, jobs)
            for attempt in range(1, self.smtp.retries + 1):
                if not pending:
                    break
                delay = self.smtp.backoff_seconds * 2 ** (attempt - 1)
                first = pending[0].result
                logger.warning(
                    "%d delivery(ies) failed temporarily (%s); retry %d of %d in %.0f s",
                    len(pending), first.detail if first else "", attempt, self.smtp.retries,
                    delay,
                )  # fmt: skip
                self._close()
                self.sleep(delay)
                pending = self._round(report, pending)
        except DeliveryError as exc:
            for job in jobs:
                if job.result is None:
                    job.settle(Outcome.DEFERRED, f"not attempted: {exc}")
            return str(exc)
        for job in pending:
            logger.info("delivery to %s deferred to the next run: %s", job.subscriber.email,
                        job.result.detail if job.result else "")  # fmt: skip
        return None

    def _round(self, report: str, jobs: Sequence[Job]) -> list[Job]:
        """Try every job once, over the configured connections; return those that failed
        temporarily (in their order)."""
        queue = _Queue(jobs)
        try:
            count = min(self.connections, len(jobs))
            if count <= 1:
                self._work(report, self.mailer, queue)
            else:
                self._in_parallel(report, queue, self._connection_mailers(count))
            if queue.stopped is not None:  # unreachable: the others would only wait for it
                for index, job in queue.untaken():
                    job.settle(Outcome.DEFERRED, queue.stopped)
                    self._defer_unattempted(report, job, queue.stopped)
                    queue.again.append((index, job))
        finally:
            if self.ledger is not None:
                self.ledger.flush()
        return [job for _, job in sorted(queue.again, key=lambda pair: pair[0])]

    def _in_parallel(self, report: str, queue: _Queue, mailers: Sequence[Mailer]) -> None:
        pool = ThreadPoolExecutor(len(mailers), thread_name_prefix="smtp")
        try:
            futures = [pool.submit(self._work, report, mailer, queue) for mailer in mailers]
            for future in futures:
                future.result()  # the first run-wide error, once every thread has stopped
        except BaseException as exc:  # Ctrl-C too: the threads end their current message
            queue.stop(str(exc) or type(exc).__name__)
            raise
        finally:
            pool.shutdown(wait=True)

    def _work(self, report: str, mailer: Mailer, queue: _Queue) -> None:
        """One connection's loop: the next job from the queue until there is none."""
        while (item := queue.take()) is not None:
            index, job = item
            try:
                result = self._send(report, mailer, job)
            except BaseException as exc:
                queue.stop(str(exc) or type(exc).__name__)
                raise
            if result.outcome is Outcome.DEFERRED:
                queue.retry(index, job)
                if job.unreachable:
                    queue.stop(result.detail)

    def _send(self, report: str, mailer: Mailer, job: Job) -> Result:
        sub, prep, ledger = job.subscriber, job.prepared, self.ledger
        kinds = sorted(sub.attachments)
        with self._composing:  # the composer's caches are not shared between threads
            message = self.composer.compose(
                prep.report, sub, attachments=[prep.attachments[k] for k in kinds],
                message_id=job.message_id, date=self.clock(),
            )  # fmt: skip
            data = as_bytes(message)
        self.limiter.wait()
        if ledger is not None:
            ledger.begin(
                report, sub.key, name=sub.name, edition=prep.edition.key,
                message_id=job.message_id, generation=job.generation,
                attachment_sha256=",".join(prep.sha256[k] for k in kinds) or None,
                sync=False,  # on disk with the group fsync (see the ledger's notes)
            )  # fmt: skip

        def after_end() -> None:
            if ledger is not None:  # committed before the reply is read; fsynced by group
                ledger.mark_unconfirmed(report, sub.key, sync=False)

        job.unreachable = False
        try:
            reply = mailer.send(
                data, sender=str(self.composer.sender), recipient=sub.email, after_end=after_end
            )
        except TemporaryFailure as exc:
            self._finish(report, sub, Outcome.DEFERRED, exc.code, str(exc))
            job.unreachable = exc.unreachable
            return job.settle(Outcome.DEFERRED, str(exc))
        except PermanentFailure as exc:
            self._finish(report, sub, Outcome.FAILED, exc.code, str(exc))
            logger.info("delivery to %s failed for good: %s", sub.email, exc)
            return job.settle(Outcome.FAILED, str(exc))
        except DeliveryError as exc:
            self._finish(report, sub, Outcome.DEFERRED, None, str(exc))
            raise
        # Committed with the next "sending" of any connection (or at the end of the round):
        # one commit less a message; a kill in between leaves it "unconfirmed".
        self._finish(report, sub, Outcome.SENT, 250, reply, commit=False)
        logger.debug("sent to %s (%s edition)", sub.email, prep.edition.key)
        return job.settle(self.sent, reply)

    def _finish(
        self, report: str, sub: Subscriber, status: Outcome, code: int | None, detail: str,
        *, commit: bool = True,
    ) -> None:  # fmt: skip
        if self.ledger is not None:
            self.ledger.finish(
                report, sub.key, status, smtp_code=code, detail=detail, commit=commit
            )

    def _defer_unattempted(self, report: str, job: Job, detail: str) -> None:
        if self.ledger is None:
            return
        sub = job.subscriber
        self.ledger.defer(
            report, sub.key, name=sub.name, edition=job.prepared.edition.key,
            generation=job.generation, detail=f"not attempted: {detail}",
        )  # fmt: skip
