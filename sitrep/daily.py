"""``sitrep run``: the day's report, every edition built once from one load, e-mailed.

The pipeline plans the report and builds its editions (:class:`~sitrep.pipeline.EditionBuilder`:
the records are loaded and merged once, on the first edition that someone still needs);
:func:`sitrep.deliver.delivery.deliver` plans from the ledger and sends.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Collection
from pathlib import Path

from .config import Config
from .deliver.delivery import BuildFn, DeliveryReport, deliver
from .deliver.ledger import Ledger
from .deliver.mailers import EmlMailer, Mailer, SmtpMailer
from .deliver.runlock import RunLock
from .deliver.subscribers import read_subscribers, unknown_addresses
from .desk.editions import Archive
from .desk.release import check_news, reviewed_release
from .errors import UsageError
from .pipeline import EditionBuilder, Plan, make_plan, now_in, previous_day

logger = logging.getLogger(__name__)


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
    build: Callable[[Plan], BuildFn] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    allow_empty: bool = False,
) -> DeliveryReport:
    """The report of ``day`` (default: the day before ``now``, in the report's time zone)
    to every subscriber that lacks it.

    Holds the project's run lock throughout, so overlapping runs cannot both send.
    ``build`` makes the edition builder from the plan (default: the pipeline's, loading
    the configured store once). ``[publish] mode = "review"`` sends only the issue
    published on the desk (:mod:`sitrep.desk.release`); in auto mode a day with no record
    created or changed since the last edition is sent only with ``allow_empty``.
    """
    with RunLock.for_config(config):
        day = day or previous_day(config, now)
        plan = make_plan(config, start=day)
        subscribers, invalid = read_subscribers(config, check_admin1=True)
        for problem in invalid:
            logger.warning("subscriber skipped: %s", problem)
        if only:
            unknown = unknown_addresses(subscribers, only)
            if unknown:
                raise UsageError(
                    f"--only {', '.join(unknown)}: not an active subscriber "
                    "(check the address against the subscriber list)"
                )
        if mailer is None:
            if dry_run:
                mailer = EmlMailer(outbox or plan.out_dir / "outbox" / str(day))
            else:
                mailer = SmtpMailer(config.smtp)
        news: str | None = None
        if config.publish.mode == "review":
            release = reviewed_release(config, day, subscribers, now or now_in(config.report.zone))
            builder = release.build
            if release.resend_to is not None and not resend:
                resend, only = True, [a for a in release.resend_to if not only or a in only]
        elif build:
            builder = build(plan)
        else:
            builder = EditionBuilder(plan, strict=strict)
            news = check_news(config, day, allow_empty)
        with Ledger.for_config(config) as ledger, mailer:
            result = deliver(
                config, subscribers, start=day, mailer=mailer, ledger=ledger, build=builder,
                dry_run=dry_run, resend=resend, resend_unconfirmed=resend_unconfirmed,
                only=only, sleep=sleep,
            )  # fmt: skip
        if news is not None and result.ok and not dry_run:
            Archive(config).record_sent(day, news)
    result.invalid = [str(p) for p in invalid]
    return result
