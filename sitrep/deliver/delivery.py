"""Delivery: each edition of a report to the subscribers who lack it, exactly once.

:func:`deliver` plans from the ledger (:mod:`~sitrep.deliver.planning`: what was already
sent, what failed, what a crashed run left half done), asks its ``build`` function for
each edition that still has someone to send to, once, and sends through a
:class:`~sitrep.deliver.sender.Sender`. It knows nothing of how a report is made: the
caller passes ``build`` (``sitrep run`` passes the pipeline's, see :mod:`sitrep.daily`).

What a run does with each ledger state is documented in :mod:`sitrep.deliver.ledger` and
``docs/delivery.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..config import Config
from ..errors import DeliveryError, SitrepError, UsageError
from ..model.edition import Edition
from ..model.report import Report
from .ledger import Clock, Ledger, utcnow
from .mailers import Mailer
from .messages import Composer, message_id, read_attachments, report_id
from .planning import EditionPlan, Outcome, Result, plan_deliveries
from .sender import Job, Prepared, RateLimiter, Sender
from .subscribers import Subscriber, editions

__all__ = ["BuildFn", "DeliveryReport", "Outcome", "RateLimiter", "Result", "deliver"]

logger = logging.getLogger(__name__)


class Built(Protocol):
    """What a build function returns (``sitrep.pipeline.Generated``)."""

    @property
    def report(self) -> Report:
        """The report model."""

    @property
    def files(self) -> Mapping[str, Path]:
        """Format ("pdf", "md", ...) -> written file."""


BuildFn = Callable[[Edition, Sequence[str]], Built]
"""Generates one edition with (at least) the given formats: ``build(edition, formats)``."""


@runtime_checkable
class Prepares(Protocol):
    """A build function that can build many editions at once before they are asked for
    (``sitrep.pipeline.EditionBuilder``: in parallel)."""

    def prepare(self, wanted: Sequence[tuple[Edition, Sequence[str] | None]]) -> None:
        """Build these editions with these formats; errors are raised when one is asked for."""


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


def _prepare(planned: EditionPlan, build: BuildFn) -> Prepared:
    """Generate one edition and read its attachments."""
    edition, formats = planned.edition, planned.formats
    built = build(edition, formats)
    attachments = read_attachments(built.report, built.files, edition.language)
    missing = set(formats) - set(attachments)
    if missing:
        raise DeliveryError(
            f"the {edition.key} edition was generated without its "
            f"{', '.join(sorted(missing))} file(s)"
        )
    sha = {k: hashlib.sha256(a.data).hexdigest() for k, a in attachments.items()}
    return Prepared(edition, built.report, attachments, sha)


def deliver(
    config: Config,
    subscribers: Sequence[Subscriber],
    *,
    start: dt.date,
    end: dt.date | None = None,
    mailer: Mailer,
    ledger: Ledger | None,
    build: BuildFn,
    dry_run: bool = False,
    resend: bool = False,
    resend_unconfirmed: bool = False,
    only: Collection[str] | None = None,
    clock: Clock = utcnow,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryReport:
    """Build each edition once and send it to its active subscribers that lack it.

    With ``dry_run`` the ledger is read but never written, and ``mailer`` is normally an
    :class:`~sitrep.deliver.mailers.EmlMailer`. An edition that cannot be built is left
    deferred for its subscribers and does not stop the others.
    """
    began = monotonic()
    rid = report_id(start, end or start)
    entries = {e.recipient: e for e in ledger.entries(rid)} if ledger is not None else {}
    plan = plan_deliveries(rid, editions(subscribers, only), entries, resend=resend,
                           resend_unconfirmed=resend_unconfirmed)  # fmt: skip
    out = DeliveryReport(rid, list(plan.settled), dry_run=dry_run)
    composer = Composer(config)
    jobs: list[Job] = []
    if isinstance(build, Prepares):
        build.prepare([(planned.edition, planned.formats) for planned in plan.editions])
    for planned in plan.editions:
        key = planned.edition.key
        if ledger is not None and not dry_run:
            for p in planned.deliveries:
                if p.detail:
                    ledger.note(rid, p.subscriber.key, "planned", p.detail)
        try:
            prepared = _prepare(planned, build)
        except SitrepError as exc:
            if isinstance(exc, UsageError):
                raise
            logger.error("the %s edition could not be generated: %s", key, exc)
            out.results += [Result(p.subscriber.email, key, Outcome.DEFERRED,
                                   f"report not generated: {exc}")
                            for p in planned.deliveries]  # fmt: skip
            continue
        out.editions_generated += 1
        for p in planned.deliveries:
            mid = message_id(rid, key, p.subscriber.key, p.generation, composer.domain)
            jobs.append(Job(prepared, p.subscriber, p.generation, mid))
    sender = Sender(mailer=mailer, ledger=ledger, composer=composer, smtp=config.smtp,
                    dry_run=dry_run, clock=clock, monotonic=monotonic, sleep=sleep)  # fmt: skip
    out.error = sender.send_all(rid, jobs)
    out.results += [j.result for j in jobs if j.result is not None]
    out.seconds = monotonic() - began
    return out
