"""Sending a run's messages: mailer, ledger, rate limit and retries.

Temporary failures are retried with exponential backoff within the run and left
``deferred`` for the next run; permanent ones are recorded and do not stop the others;
an error that concerns the whole run (login refused) stops it, leaving the rest deferred.
Each step is committed to the ledger before it happens (see :mod:`sitrep.deliver.ledger`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..config import SmtpConfig
from ..errors import DeliveryError
from ..model.edition import Edition
from ..model.report import Report
from .ledger import Clock, Ledger, utcnow
from .mailers import Mailer, PermanentFailure, TemporaryFailure
from .messages import Attachment, Composer, as_bytes
from .planning import Outcome, Result
from .subscribers import Subscriber

logger = logging.getLogger(__name__)


class RateLimiter:
    """At most ``per_minute`` sends a minute, spaced evenly."""

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

    def wait(self) -> None:
        """Sleep until the next send is allowed."""
        now = self._monotonic()
        if self._last is not None and now < self._last + self.interval:
            self._sleep(self._last + self.interval - now)
            now = self._monotonic()
        self._last = now


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

    def send_all(self, report: str, jobs: Sequence[Job]) -> str | None:
        """Send every job, retrying temporary failures; every job has its result after.

        Returns the error that stopped the run early (the others are left deferred), if any.
        """
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
                self.mailer.close()
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
        """Try every job once; return those that failed temporarily."""
        again: list[Job] = []
        try:
            self._try_each(report, jobs, again)
        finally:
            if self.ledger is not None:
                self.ledger.flush()
        return again

    def _try_each(self, report: str, jobs: Sequence[Job], again: list[Job]) -> None:
        for i, job in enumerate(jobs):
            result = self._send(report, job)
            if result.outcome is not Outcome.DEFERRED:
                continue
            again.append(job)
            if job.unreachable:
                # The server is unreachable: the others would only wait for the same error.
                for rest in jobs[i + 1 :]:
                    rest.settle(Outcome.DEFERRED, result.detail)
                    self._defer_unattempted(report, rest, result.detail)
                    again.append(rest)
                break

    def _send(self, report: str, job: Job) -> Result:
        sub, prep, ledger = job.subscriber, job.prepared, self.ledger
        kinds = sorted(sub.attachments)
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
                sync=False,  # made durable by the "unconfirmed" commit after the body
            )  # fmt: skip

        def after_end() -> None:
            if ledger is not None:
                ledger.mark_unconfirmed(report, sub.key)

        job.unreachable = False
        try:
            reply = self.mailer.send(
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
        # Committed with the next delivery's "sending" (or at the end of the round): one
        # synchronous commit less a message; a kill in between leaves it "unconfirmed".
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
