"""The plan: what one report decides once for all its editions (period, data window,
rules, formats, editions, time)."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import REPORT_DATES, Config
from ..errors import ConfigError, UsageError
from ..ingest.raw import Window
from ..model.edition import DEFAULT_LANGUAGE, Edition
from ..model.report import Period
from ..reconcile.bounds import FigureRules
from ..reconcile.matching import MergeRules
from ..render.formats import FORMATS, unknown_formats
from ..summarise.period import make_period
from ..wording import LANGUAGES, has_words

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

# --- the plan ---------------------------------------------------------------------------


def now_in(zone: dt.tzinfo) -> dt.datetime:
    """The current time, or SOURCE_DATE_EPOCH when set (reproducible outputs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.datetime.now(tz=zone)
    if not epoch.isdigit():
        raise ConfigError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970 "
            "(unset it, or set it as `date +%s` prints)"
        )
    first, last = REPORT_DATES
    seconds = int(epoch)
    lowest = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    highest = dt.datetime.combine(last, dt.time.max, dt.UTC)
    if seconds > (highest - lowest).total_seconds():
        raise ConfigError(
            f"SOURCE_DATE_EPOCH={epoch} is after {last} (reports cover {first} to {last}; "
            "unset it, or set it as `date +%s` prints)"
        )
    return dt.datetime.fromtimestamp(seconds, tz=zone)


def previous_day(config: Config, now: dt.datetime | None = None) -> dt.date:
    """Yesterday in the report's time zone: the default period of ``sitrep run``."""
    now = now or now_in(config.report.zone)
    return now.astimezone(config.report.zone).date() - dt.timedelta(days=1)


@dataclass(frozen=True)
class Rules:
    """How records are merged and figures reconciled (from ``[report]``)."""

    merge: MergeRules
    figures: FigureRules

    @classmethod
    def from_config(cls, config: Config) -> Rules:
        """The configured rules."""
        rc = config.report
        return cls(
            MergeRules(rc.merge_name_score, rc.merge_radius_km),
            FigureRules(rc.claim_spread_factor, rc.about_tolerance, rc.party_claims),
        )


@dataclass(frozen=True)
class Plan:
    """Everything one report decides once, for all its editions."""

    config: Config
    period: Period
    window: Window
    """The dates of the records the report reads (:func:`data_window`)."""
    rules: Rules
    formats: tuple[str, ...]
    editions: tuple[Edition, ...]
    generated_at: dt.datetime
    as_of: dt.datetime | None = None
    """Statements made or published after this are left out, and a store with revisions
    is read as it was then (None: now, that is ``generated_at``)."""

    @property
    def out_dir(self) -> Path:
        """Where the files are written."""
        return self.config.path(self.config.report.output)


TREND_PERIODS = 30
"""The earlier periods the trends compare a period with."""
SLACK = dt.timedelta(days=31)
"""Records this far outside the dates a report looks at are read too (imprecise and
multi-day events at the edges)."""


def trend_start(period: Period) -> dt.date:
    """The first day of the earliest of the trends' earlier periods."""
    return period.start - dt.timedelta(days=TREND_PERIODS * period.days)


def trends_in_window(period: Period) -> bool:
    """Whether the trends are counted from the report's own records: when their earlier
    periods span no more than a month (a daily report), else from cached summaries
    (``pipeline/baseline.py``)."""
    return (period.start - trend_start(period)).days <= SLACK.days


def _window(period: Period) -> Window:
    earliest = period.context_start
    if trends_in_window(period):
        earliest = min(earliest, trend_start(period))
    return earliest - SLACK, period.end + SLACK


def _period(config: Config, start: dt.date, end: dt.date) -> Period:
    return make_period(start, end, config.report.timezone, config.report.lookback_days)


def data_window(config: Config, start: dt.date, end: dt.date) -> Window:
    """The dates of the records a report on ``start``..``end`` looks at: its look-back (and
    a daily report's 30 earlier days, for its trends), and a month of slack for imprecise
    and multi-day events."""
    return _window(_period(config, start, end))


def check_formats(formats: Sequence[str], where: str) -> tuple[str, ...]:
    """The formats, checked against the registry; ``where`` names the setting or option."""
    unknown = unknown_formats(formats)
    if not unknown:
        return tuple(formats)
    message = f"unknown format(s) {', '.join(unknown)} (expected: {', '.join(FORMATS)})"
    if where.startswith("--"):
        raise UsageError(f"{where}: {message}")
    raise ConfigError(f"{where}: {message}")


def check_language(language: str, where: str = "report.language") -> str:
    """A language the report has wording in, or a ConfigError naming the setting."""
    if not has_words(language):
        raise ConfigError(
            f"{where} = {language!r}: the report has no wording in that language yet "
            f"(expected one of: {', '.join(LANGUAGES)})"
        )
    return language


def wording_for(edition: Edition) -> str:
    """The language an edition is worded in: its own, else the default one (English)
    until its wording exists (the edition keeps its own key and files)."""
    return edition.language if has_words(edition.language) else DEFAULT_LANGUAGE


def make_plan(
    config: Config,
    *,
    start: dt.date,
    end: dt.date | None = None,
    formats: Sequence[str] | None = None,
    editions: Sequence[Edition] | None = None,
    now: dt.datetime | None = None,
    as_of: dt.datetime | None = None,
) -> Plan:
    """Plan the report of ``start``..``end``: the configuration's formats (or ``formats``,
    from ``--format``) are checked against the registry, the language against the wording."""
    rc = config.report
    checked = (
        check_formats(rc.formats, "report.formats")
        if formats is None
        else check_formats(formats, "--format")
    )
    language = check_language(rc.language)
    first, last = REPORT_DATES
    if not first <= start <= (end or start) <= last:
        raise UsageError(
            f"the report period {start} to {end or start} is out of range "
            f"(expected days from {first} to {last}, the first one first)"
        )
    period = _period(config, start, end or start)
    generated_at = (now or now_in(rc.zone)).replace(microsecond=0)
    return Plan(
        config=config,
        period=period,
        window=_window(period),
        rules=Rules.from_config(config),
        formats=checked,
        editions=tuple(editions or (Edition(language=language),)),
        generated_at=generated_at,
        as_of=as_of,
    )


