"""What ``sitrep run`` may send for a day, by ``[publish] mode``.

``review``: only a published issue (:mod:`sitrep.desk.editions`), its files as frozen; a
correction goes as a new message to each subscriber who has not had it. Nothing published
by the deadline: nothing is sent and the run fails naming the day, or (``send_unreviewed``)
the draft is published marked "not reviewed" and sent. ``auto``: the report is generated
and sent as it always was, but a day whose data is the same as the last edition's is not
sent without ``--allow-empty``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Config
from ..deliver.delivery import BuildFn
from ..deliver.ledger import Ledger
from ..deliver.subscribers import Subscriber, editions
from ..errors import SitrepError
from ..store.open import open_store
from .editions import Archive, Draft, Issue, fingerprint, frozen_build

logger = logging.getLogger(__name__)

UNREVIEWED_BY = "sitrep run (not reviewed)"


class NotReleased(SitrepError):
    """Nothing may be sent for the day (exit 1; the message names the day and why)."""


@dataclass(frozen=True)
class Release:
    """How to deliver a published issue: its build, and for a correction, to whom anew."""

    build: BuildFn
    resend_to: list[str] | None = None
    """A correction: the subscribers who lack it (sent again, as a new message)."""


def deadline(config: Config, day: dt.date) -> dt.datetime:
    """When the day's edition must be published: ``[publish] deadline`` the next day."""
    hour, minute = map(int, config.publish.deadline.split(":"))
    nxt = day + dt.timedelta(days=1)
    return dt.datetime(nxt.year, nxt.month, nxt.day, hour, minute, tzinfo=config.report.zone)


def reviewed_release(
    config: Config, day: dt.date, subscribers: Sequence[Subscriber], now: dt.datetime
) -> Release:
    """Review mode: the day's published issue, or :class:`NotReleased`."""
    archive = Archive(config)
    issue = archive.latest(day)
    if issue is None:
        due = deadline(config, day)
        if now < due:
            raise NotReleased(
                f"the {day} edition is not published yet (deadline {due:%Y-%m-%d %H:%M %Z}): "
                "nothing sent; publish it on the desk or with `sitrep publish --date "
                f"{day}`"
            )
        if not config.publish.send_unreviewed:
            raise NotReleased(
                f"the {day} edition was not published by the deadline "
                f"({due:%Y-%m-%d %H:%M %Z}): nothing sent (publish it, or set [publish] "
                "send_unreviewed = true to send drafts marked not reviewed)"
            )
        audiences = [a.edition for a in editions(subscribers)]
        draft = Draft(config, day, audiences, now=now)
        issue = draft.publish(user=UNREVIEWED_BY, notes=archive.notes(day), reviewed=False)
        logger.warning("the %s edition was not reviewed by the deadline: sending the draft", day)
    if issue.number == 1:
        return Release(frozen_build(issue))
    with Ledger.for_config(config) as ledger:
        sent = {e.recipient: e.sent_at for e in ledger.entries(_report_id(day))}
    lacking = [s.email for s in subscribers if s.active and not _had(sent.get(s.key), issue)]
    logger.info("issue %d of %s corrects the edition: %d subscriber(s) lack it",
                issue.number, day, len(lacking))  # fmt: skip
    return Release(frozen_build(issue), lacking)


def _had(sent_at: dt.datetime | None, issue: Issue) -> bool:
    return sent_at is not None and sent_at >= issue.published_at


def _report_id(day: dt.date) -> str:
    from ..deliver.messages import report_id

    return report_id(day, day)


def check_news(config: Config, day: dt.date, allow_empty: bool) -> str:
    """Auto mode: the data's fingerprint, or :class:`NotReleased` when it is the same as
    the last edition's (no record created or changed since) and not ``allow_empty``."""
    print_ = fingerprint(config, open_store(config))
    last = Archive(config).last_fingerprint(day)
    if last is not None and last[1] == print_ and not allow_empty:
        raise NotReleased(
            f"no record was created or changed since the {last[0]} edition: the {day} "
            "report is not sent (run with --allow-empty to send it anyway)"
        )
    return print_
