"""Delivery: generate each edition once and e-mail it to its subscribers, exactly once.

:func:`deliver` plans a report's deliveries from the ledger (what was already sent, what
failed, what a crashed run left half done), generates the report once per edition
(distinct filter set) that still has someone to send to, and sends through a
:class:`~sitrep.mailers.Mailer`: temporary failures are retried with exponential backoff
within the run and left ``deferred`` for the next run; permanent ones are recorded and do
not stop the others. :func:`run_daily` is ``sitrep run``: lock, subscribers, ledger,
mailer, then :func:`deliver`.

What a run does with each ledger state is documented in :mod:`sitrep.ledger` and
``docs/delivery.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import logging
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, cast

from ..config import Config
from ..errors import DeliveryError, SitrepError, UsageError
from ..model.report import Report
from .ledger import Clock, Entry, Ledger, RunLock, Status, utcnow
from .mailers import EmlMailer, Mailer, PermanentFailure, SmtpMailer, TemporaryFailure
from .messages import (
    Attachment,
    Composer,
    as_bytes,
    message_id,
    read_attachments,
    report_id,
)
from .subscribers import (
    Edition,
    Subscriber,
    editions,
    read_subscribers,
    unknown_addresses,
)

logger = logging.getLogger(__name__)


class GeneratedLike(Protocol):
    """What a generate function returns (``sitrep.pipeline.Generated``)."""

    @property
    def report(self) -> Report:
        """The report model."""

    @property
    def files(self) -> Mapping[str, Path]:
        """Format ("pdf", "md", ...) -> written file."""


GenerateFn = Callable[..., GeneratedLike]
"""``generate(config, *, start, end, filters, strict, formats) -> Generated``."""


def _pipeline(name: str) -> Any:
    return getattr(importlib.import_module("sitrep.pipeline"), name)


class Outcome(StrEnum):
    """What happened to one subscriber's delivery in a run."""

    SENT = "sent"
    ALREADY = "already sent"
    WRITTEN = "written"  # --dry-run
    UNCONFIRMED = "unconfirmed"
    DEFERRED = "deferred"
    FAILED = "failed"


@dataclass(frozen=True)
class Result:
    """The outcome of one subscriber's delivery."""

    recipient: str
    edition: str
    outcome: Outcome
    detail: str = ""


@dataclass
class DeliveryReport:
    """Everything one run did, for the summary line and the exit code."""

    report: str
    results: list[Result] = field(default_factory=list)
    editions_generated: int = 0
    dry_run: bool = False
    error: str | None = None
    seconds: float = 0.0
    invalid: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        """How many deliveries ended with ``outcome``."""
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def ok(self) -> bool:
        """True when nothing failed or is left for a later run."""
        return (
            self.error is None
            and not self.invalid
            and not any(r.outcome in (Outcome.DEFERRED, Outcome.FAILED) for r in self.results)
        )

    def problems(self) -> list[Result]:
        """The deliveries that need attention: failed, deferred, unconfirmed."""
        bad = (Outcome.FAILED, Outcome.DEFERRED, Outcome.UNCONFIRMED)
        return [r for r in self.results if r.outcome in bad]

    def summary(self) -> str:
        """One line: what was sent, what failed, how many reports were generated."""
        parts = [f"{self.count(o)} {o.value}" for o in Outcome if self.count(o)]
        what = ", ".join(parts) or "no subscribers"
        return (
            f"report {self.report}: {what}; {self.editions_generated} edition(s) generated "
            f"for {len(self.results)} subscriber(s) in {self.seconds:.1f} s"
            + (" (dry run)" if self.dry_run else "")
            + (
                f"; {len(self.invalid)} invalid subscriber entr"
                f"{'y' if len(self.invalid) == 1 else 'ies'} skipped (see sitrep validate)"
                if self.invalid
                else ""
            )
            + (f"; stopped: {self.error}" if self.error else "")
        )


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


@dataclass
class _Job:
    """One message still to send."""

    edition: _Prepared
    subscriber: Subscriber
    generation: int
    message_id: str
    result: Result | None = None
    unreachable: bool = False


@dataclass
class _Prepared:
    """An edition generated for this run."""

    edition: Edition
    report: Report
    attachments: dict[str, Attachment]
    sha256: dict[str, str]

    @property
    def key(self) -> str:
        return self.edition.filter.key


def _decide(
    entry: Entry | None, *, resend: bool, resend_unconfirmed: bool
) -> tuple[int | None, Outcome | None, str]:
    """(generation to send with, or None; outcome if not sent; detail) for one subscriber."""
    if entry is None:
        return 0, None, ""
    if resend:
        return entry.generation + 1, None, "forced by --resend"
    status = entry.status
    if status is Status.SENT:
        return (
            None,
            Outcome.ALREADY,
            f"sent {entry.sent_at:%Y-%m-%d %H:%M} UTC" if entry.sent_at else "",
        )
    if status is Status.FAILED:
        return (
            None,
            Outcome.FAILED,
            f"failed in an earlier run: {entry.detail} (fix, then --resend)",
        )
    if status is Status.UNCONFIRMED:
        if resend_unconfirmed:
            return entry.generation, None, "resending an unconfirmed delivery"
        return (
            None,
            Outcome.UNCONFIRMED,
            (
                "an earlier run stopped after the server had the whole message but before its "
                "reply: most likely delivered, not sent again (--resend-unconfirmed to send it)"
            ),
        )
    if status is Status.SENDING:
        return entry.generation, None, "an earlier run stopped before the message was complete"
    return entry.generation, None, f"retrying: {entry.detail}"  # deferred


class Deliverer:
    """Sends one report's editions; see :func:`deliver`."""

    def __init__(
        self,
        config: Config,
        *,
        mailer: Mailer,
        ledger: Ledger | None,
        generate: GenerateFn | None = None,
        dry_run: bool = False,
        clock: Clock = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.mailer = mailer
        self.ledger = ledger
        self.generate: GenerateFn = generate or cast(GenerateFn, _pipeline("generate"))
        self._default_pipeline = generate is None
        self._loaded: Any = None
        self.dry_run = dry_run
        self.clock = clock
        self.monotonic = monotonic
        self.sleep = sleep
        self.composer = Composer(config)
        self.limiter = RateLimiter(config.smtp.rate_per_minute, monotonic=monotonic, sleep=sleep)

    # --- planning -----------------------------------------------------------------------

    def _prepare(
        self, edition: Edition, formats: Sequence[str], start: dt.date, end: dt.date, strict: bool
    ) -> _Prepared:
        extra: dict[str, Any] = {}
        if self._default_pipeline:  # load and validate the records once, not per edition
            if isinstance(self._loaded, SitrepError):
                raise self._loaded  # bad data under --strict fails every edition, once
            if self._loaded is None:
                window = _pipeline("data_window")(self.config, start, end)
                try:
                    self._loaded = _pipeline("load")(self.config, strict=strict, window=window)
                except SitrepError as exc:
                    self._loaded = exc
                    raise
            extra["loaded"] = self._loaded
        generated = self.generate(
            self.config, start=start, end=end, filters=edition.filter, strict=strict,
            formats=list(formats), **extra,
        )  # fmt: skip
        attachments = read_attachments(generated.report, generated.files)
        missing = set(formats) - set(attachments)
        if missing:
            raise DeliveryError(
                f"the {edition.filter.key} edition was generated without its "
                f"{', '.join(sorted(missing))} file(s)"
            )
        sha = {k: hashlib.sha256(a.data).hexdigest() for k, a in attachments.items()}
        return _Prepared(edition, generated.report, attachments, sha)

    # --- sending ------------------------------------------------------------------------

    def _send(self, rid: str, job: _Job) -> Result:
        sub, prep = job.subscriber, job.edition
        attachments = [prep.attachments[k] for k in sorted(sub.attachments)]
        message = self.composer.compose(
            prep.report, sub, attachments=attachments, message_id=job.message_id,
            date=self.clock(),
        )  # fmt: skip
        data = as_bytes(message)
        ledger = self.ledger if not self.dry_run else None
        sha = ",".join(prep.sha256[k] for k in sorted(sub.attachments)) or None
        self.limiter.wait()
        if ledger is not None:
            ledger.begin(
                rid, sub.key, name=sub.name, edition=prep.key, message_id=job.message_id,
                generation=job.generation, attachment_sha256=sha,
            )  # fmt: skip

        def before_end() -> None:
            if ledger is not None:
                ledger.mark_unconfirmed(rid, sub.key)

        try:
            reply = self.mailer.send(
                data, sender=str(self.composer.sender), recipient=sub.email, before_end=before_end
            )
        except TemporaryFailure as exc:
            if ledger is not None:
                ledger.finish(rid, sub.key, Status.DEFERRED, smtp_code=exc.code, detail=str(exc))
            job.unreachable = exc.unreachable
            return Result(sub.email, prep.key, Outcome.DEFERRED, str(exc))
        except PermanentFailure as exc:
            if ledger is not None:
                ledger.finish(rid, sub.key, Status.FAILED, smtp_code=exc.code, detail=str(exc))
            logger.info("delivery to %s failed for good: %s", sub.email, exc)
            return Result(sub.email, prep.key, Outcome.FAILED, str(exc))
        except DeliveryError as exc:
            if ledger is not None:
                ledger.finish(rid, sub.key, Status.DEFERRED, detail=str(exc))
            raise
        if ledger is not None:
            ledger.finish(rid, sub.key, Status.SENT, smtp_code=250, detail=reply)
        logger.debug("sent to %s (%s edition)", sub.email, prep.key)
        return Result(sub.email, prep.key, Outcome.WRITTEN if self.dry_run else Outcome.SENT,
                      reply)  # fmt: skip

    def _round(self, rid: str, jobs: list[_Job]) -> list[_Job]:
        """Try every job once; return those that failed temporarily."""
        again: list[_Job] = []
        for i, job in enumerate(jobs):
            result = self._send(rid, job)
            job.result = result
            if result.outcome is not Outcome.DEFERRED:
                continue
            again.append(job)
            if job.unreachable:
                # The server is unreachable: the others would only wait for the same error.
                for rest in jobs[i + 1 :]:
                    rest.result = Result(rest.subscriber.email, rest.edition.key,
                                         Outcome.DEFERRED, result.detail)  # fmt: skip
                    self._defer_unattempted(rid, rest, result.detail)
                    again.append(rest)
                break
        return again

    def _defer_unattempted(self, rid: str, job: _Job, detail: str) -> None:
        if self.ledger is None or self.dry_run:
            return
        sub = job.subscriber
        self.ledger.defer(
            rid, sub.key, name=sub.name, edition=job.edition.key, generation=job.generation,
            detail=f"not attempted: {detail}",
        )  # fmt: skip

    def deliver(
        self,
        subscribers: Sequence[Subscriber],
        *,
        start: dt.date,
        end: dt.date,
        resend: bool = False,
        resend_unconfirmed: bool = False,
        only: Collection[str] | None = None,
        strict: bool = False,
    ) -> DeliveryReport:
        """Deliver the report of ``start``..``end`` to every active subscriber that lacks it."""
        began = self.monotonic()
        rid = report_id(start, end)
        out = DeliveryReport(rid, dry_run=self.dry_run)
        jobs: list[_Job] = []
        for edition in editions(subscribers, only):
            todo: list[tuple[Subscriber, int]] = []
            for sub in edition.subscribers:
                entry = self.ledger.get(rid, sub.key) if self.ledger else None
                generation, outcome, detail = _decide(
                    entry, resend=resend, resend_unconfirmed=resend_unconfirmed
                )
                if generation is None:
                    out.results.append(Result(sub.email, edition.filter.key,
                                              cast(Outcome, outcome), detail))  # fmt: skip
                    continue
                if detail and self.ledger is not None and not self.dry_run:
                    self.ledger.note(rid, sub.key, "planned", detail)
                todo.append((sub, generation))
            if not todo:
                continue
            formats = sorted(set().union(*(s.attachments for s, _ in todo)))
            try:
                prepared = self._prepare(edition, formats, start, end, strict)
            except SitrepError as exc:
                if isinstance(exc, UsageError):
                    raise
                logger.error("the %s edition could not be generated: %s", edition.filter.key, exc)
                for sub, _ in todo:
                    out.results.append(Result(sub.email, edition.filter.key, Outcome.DEFERRED,
                                              f"report not generated: {exc}"))  # fmt: skip
                continue
            out.editions_generated += 1
            for sub, generation in todo:
                mid = message_id(rid, prepared.key, sub.key, generation, self.composer.domain)
                jobs.append(_Job(prepared, sub, generation, mid))
        try:
            self._send_all(rid, jobs)
        except DeliveryError as exc:
            out.error = str(exc)
            for job in jobs:
                if job.result is None:
                    job.result = Result(job.subscriber.email, job.edition.key, Outcome.DEFERRED,
                                        f"not attempted: {exc}")  # fmt: skip
        out.results += [j.result for j in jobs if j.result is not None]
        out.seconds = self.monotonic() - began
        return out

    def _send_all(self, rid: str, jobs: list[_Job]) -> None:
        smtp = self.config.smtp
        pending = self._round(rid, jobs)
        for attempt in range(1, smtp.retries + 1):
            if not pending:
                break
            delay = smtp.backoff_seconds * 2 ** (attempt - 1)
            logger.warning(
                "%d delivery(ies) failed temporarily (%s); retry %d of %d in %.0f s",
                len(pending), pending[0].result.detail if pending[0].result else "",
                attempt, smtp.retries, delay,
            )  # fmt: skip
            self.mailer.close()
            self.sleep(delay)
            pending = self._round(rid, pending)
        for job in pending:
            if job.result is not None:
                logger.info("delivery to %s deferred to the next run: %s",
                            job.subscriber.email, job.result.detail)  # fmt: skip


def deliver(
    config: Config,
    subscribers: Sequence[Subscriber],
    *,
    start: dt.date,
    end: dt.date | None = None,
    mailer: Mailer,
    ledger: Ledger | None,
    generate: GenerateFn | None = None,
    dry_run: bool = False,
    resend: bool = False,
    resend_unconfirmed: bool = False,
    only: Collection[str] | None = None,
    strict: bool = False,
    clock: Clock = utcnow,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryReport:
    """Generate each edition once and send it to its subscribers that lack it.

    ``generate`` defaults to :func:`sitrep.pipeline.generate`. With ``dry_run`` the ledger
    is read but never written, and ``mailer`` is normally an :class:`EmlMailer`.
    """
    deliverer = Deliverer(
        config, mailer=mailer, ledger=ledger, generate=generate, dry_run=dry_run, clock=clock,
        monotonic=monotonic, sleep=sleep,
    )  # fmt: skip
    return deliverer.deliver(
        subscribers, start=start, end=end or start, resend=resend,
        resend_unconfirmed=resend_unconfirmed, only=only, strict=strict,
    )  # fmt: skip


def run_daily(
    config: Config,
    *,
    day: dt.date | None = None,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    outbox: Path | None = None,
    resend: bool = False,
    resend_unconfirmed: bool = False,
    only: Collection[str] | None = None,
    strict: bool = False,
    mailer: Mailer | None = None,
    generate: GenerateFn | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryReport:
    """``sitrep run``: the report of ``day`` (default: yesterday) to every subscriber.

    Holds the project's run lock throughout, so overlapping runs cannot both send.
    """
    with RunLock.for_config(config):
        if day is None:
            day = cast(dt.date, _pipeline("previous_day")(config, now))
        subscribers, invalid = read_subscribers(config)
        for problem in invalid:
            logger.warning("subscriber skipped: %s", problem)
        if only:
            unknown = unknown_addresses(subscribers, only)
            if unknown:
                raise UsageError(
                    f"--only {', '.join(unknown)}: not an active subscriber "
                    "(check the address against the subscriber list)"
                )
        if dry_run and outbox is None:
            outbox = config.path(config.report.output) / "outbox" / str(day)
        if mailer is None:
            mailer = EmlMailer(cast(Path, outbox)) if dry_run else SmtpMailer(config.smtp)
        with Ledger.for_config(config) as ledger, mailer:
            result = deliver(
                config, subscribers, start=day, end=day, mailer=mailer, ledger=ledger,
                generate=generate, dry_run=dry_run, resend=resend,
                resend_unconfirmed=resend_unconfirmed, only=only, strict=strict, sleep=sleep,
            )  # fmt: skip
    result.invalid = [str(p) for p in invalid]
    return result
