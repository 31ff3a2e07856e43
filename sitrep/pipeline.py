"""The one orchestrator: plan once, then load -> merge -> summarise -> render -> write.

:func:`make_plan` decides once what a run needs (the period, the data window, the merge
and figure rules, the formats, the editions, the time); then the records are loaded once
(:func:`load`, through the configured store) and merged once (:func:`merge`), and each
edition is summarised, rendered and written from that one merge
(:class:`EditionBuilder`). ``sitrep generate`` (:func:`generate`), ``sitrep run``
(:mod:`sitrep.daily`), ``sitrep explain`` (:mod:`sitrep.explaining`) and the web app all
call it.

Nothing is written until every output of an edition is rendered in memory, and the files
of an edition are then published as one set (:func:`sitrep.writers.publish_set`), so a
failed or killed run leaves the previous report untouched and whole.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import pickle
import uuid
from collections.abc import Sequence
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .config import REPORT_DATES, Config
from .errors import ConfigError, DataError, SitrepError, UsageError
from .executors import render_executor
from .ingest.raw import Window
from .model.edition import DEFAULT_LANGUAGE, Edition
from .model.report import Period, PossibleDuplicate, Report, ReportFilter
from .reconcile.bounds import FigureRules
from .reconcile.merge import MergedIncident, MergeRules, merge_records, possible_duplicates
from .render.formats import FORMATS, Content, RenderJob, unknown_formats
from .store.base import IncidentStore, LoadResult, VersionedStore
from .store.open import open_store
from .summarise.period import make_period
from .summarise.summary import SummaryInputs, summarise
from .summarise.trends import history
from .wording import LANGUAGES, has_words, words_for
from .writers import publish_set

if TYPE_CHECKING:
    from .render.pdf import PdfRenderer

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


def _window(period: Period) -> Window:
    earliest = min(period.context_start, period.start - dt.timedelta(days=30 * period.days))
    return earliest - dt.timedelta(days=31), period.end + dt.timedelta(days=31)


def _period(config: Config, start: dt.date, end: dt.date) -> Period:
    return make_period(start, end, config.report.timezone, config.report.lookback_days)


def data_window(config: Config, start: dt.date, end: dt.date) -> Window:
    """The dates of the records a report on ``start``..``end`` looks at: its look-back, the
    30 earlier periods of its trends, and a month of slack for imprecise and multi-day events."""
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


# --- the stages -------------------------------------------------------------------------


def load(
    config: Config,
    store: IncidentStore | None = None,
    *,
    strict: bool = False,
    window: Window | None = None,
    as_of: dt.datetime | None = None,
) -> LoadResult:
    """Load and validate the records (those in ``window``, if given) from ``store``, by
    default the configured one, as it was at ``as_of`` (a store with revisions only);
    problems are logged, or raised when ``strict``."""
    store = store or open_store(config)
    if as_of is None:
        result = store.load(window)
    elif isinstance(store, VersionedStore):
        result = store.load(window, as_of=as_of)
    else:
        result = store.load(window)
        logger.warning(
            "--as-of leaves out statements made or published later, but a folder of files has "
            "no revisions: the records are read as they are now (to read them as they were, "
            'set [store] kind = "sqlite" and `sitrep import records` the folder)'
        )
    for problem in result.problems:
        logger.warning("%s", problem)
    errors = [p for p in result.problems if p.level == "error"]
    if errors and strict:
        raise DataError(errors, "the data has problems and --strict was given")
    if errors:
        logger.warning(
            "skipped %d invalid record(s); the report lists them under Data quality",
            len(result.invalid),
        )
    return result


@dataclass(frozen=True)
class Merged:
    """The loaded records of a plan, merged into incidents once for every edition."""

    loaded: LoadResult
    incidents: list[MergedIncident]
    possible: list[PossibleDuplicate] = field(default_factory=list)


def merge(plan: Plan, loaded: LoadResult) -> Merged:
    """Merge the records the plan's period reads into incidents."""
    lo, _ = plan.window
    end = plan.period.end
    records = [r for r in loaded.records if r.day <= end and r.last_day >= lo]
    incidents = merge_records(records, plan.rules.merge)
    return Merged(loaded, incidents, possible_duplicates(incidents, plan.rules.merge))


def report_for(plan: Plan, merged: Merged, edition: Edition | None = None) -> Report:
    """Summarise the merged incidents into the report of one edition."""
    edition = edition or plan.editions[0]
    flt = edition.filter
    rc = plan.config.report
    inputs = SummaryInputs(
        title=rc.title,
        period=plan.period,
        generated_at=plan.generated_at,
        filter=flt,
        # Warnings (a statement date left unknown) are advice for `sitrep validate`; the
        # report shows such a figure as a restatement instead.
        problems=[p for p in merged.loaded.problems if p.level == "error"],
        skipped=merged.loaded.invalid,
        records_loaded=len(merged.loaded.records),
        rules=plan.rules.figures,
        language=wording_for(edition),
        as_of=plan.as_of or plan.generated_at,
        possible_duplicates=merged.possible,
    )
    incidents = merged.incidents
    trend = history(incidents, plan.period, plan.rules.figures, flt=flt)
    report = summarise(incidents, inputs, trend)
    if merged.loaded.revision is not None:
        report = report.model_copy(update={"store_revision": merged.loaded.revision})
    return report


def build_report(
    config: Config,
    *,
    start: dt.date,
    end: dt.date,
    filters: ReportFilter | None = None,
    loaded: LoadResult,
    now: dt.datetime | None = None,
) -> Report:
    """Merge and summarise loaded records into the report of one period (one edition)."""
    plan = make_plan(config, start=start, end=end, now=now,
                     editions=[Edition(filters or ReportFilter())])  # fmt: skip
    return report_for(plan, merge(plan, loaded))


def render_edition(
    plan: Plan,
    report: Report,
    edition: Edition,
    formats: Sequence[str] | None = None,
    pdf_renderer: PdfRenderer | None = None,
) -> dict[Path, Content]:
    """Chart (if a format needs it) and render every format in memory, keyed by the path
    to write."""
    wanted = [FORMATS[name] for name in (plan.formats if formats is None else formats)]
    charts = []
    if any(f.charts for f in wanted):
        from .render.charts import draw_charts  # matplotlib: only when a chart is drawn

        charts = draw_charts(report)
    job = RenderJob(report, edition.stem(plan.period.start, plan.period.end), charts,
                    plan.config.user_templates, pdf_renderer, plan.config.furniture)  # fmt: skip
    files: dict[Path, Content] = {}
    for fmt in wanted:
        files.update({plan.out_dir / name: data for name, data in fmt.render(job).items()})
    return files


@dataclass(frozen=True)
class Generated:
    """An edition's report and the files it was written to ("pdf", "md", ... -> path).

    The paths are those of the edition's published set (:mod:`sitrep.writers`), which is
    never modified: reading them gives this run's files, even if another run publishes
    a newer set meanwhile. :attr:`public` has the same files by their names in the
    output folder."""

    report: Report
    files: dict[str, Path]
    edition: Edition = field(default_factory=Edition)
    public: dict[str, Path] = field(default_factory=dict)


class EditionBuilder:
    """Builds the editions of one plan from one load and one merge.

    The first edition asked for loads (unless ``loaded`` is given) and merges; the others
    reuse both. Bad data under ``strict`` fails every edition with the same error, loaded
    once. Call it with an edition and its formats (default: the plan's).

    :meth:`prepare` builds several editions at once, each once, on the executor that
    ``[render]`` chooses (:func:`sitrep.executors.render_executor`): the workers summarise
    and render, this process writes the published sets. A ``pdf_renderer`` (a test
    double) keeps every edition in this process.
    """

    def __init__(
        self,
        plan: Plan,
        *,
        store: IncidentStore | None = None,
        strict: bool = False,
        loaded: LoadResult | None = None,
        pdf_renderer: PdfRenderer | None = None,
    ) -> None:
        self.plan = plan
        self.store = store
        self.strict = strict
        self.pdf_renderer = pdf_renderer
        self._loaded = loaded
        self._merged: Merged | SitrepError | None = None
        self._fallbacks: set[str] = set()
        self._prepared: dict[tuple[str, tuple[str, ...]], Generated | BaseException] = {}

    def merged(self) -> Merged:
        """The plan's records, loaded and merged on first use."""
        if self._merged is None:
            try:
                plan = self.plan
                loaded = self._loaded or load(plan.config, self.store, strict=self.strict,
                                              window=plan.window, as_of=plan.as_of)  # fmt: skip
            except SitrepError as exc:
                self._merged = exc
                raise
            self._merged = merge(self.plan, loaded)
        if isinstance(self._merged, SitrepError):
            raise self._merged
        return self._merged

    def _formats(self, formats: Sequence[str] | None) -> tuple[str, ...]:
        return self.plan.formats if formats is None else check_formats(formats, "--format")

    def prepare(self, wanted: Sequence[tuple[Edition, Sequence[str] | None]]) -> None:
        """Build these editions (with their formats) at once, in parallel where ``[render]``
        allows; calling the builder then returns them. The error of one edition is kept
        for that edition and raised when it is asked for."""
        todo: dict[tuple[str, tuple[str, ...]], Edition] = {}
        for edition, formats in wanted:
            key = (edition.key, self._formats(formats))
            if key not in self._prepared:
                todo.setdefault(key, edition)
        if not todo or self.pdf_renderer is not None:
            return
        try:
            payload = pickle.dumps((self.plan, self.merged()), pickle.HIGHEST_PROTOCOL)
        except SitrepError:
            return  # raised again for each edition asked for
        with render_executor(self.plan.config.render, len(todo)) as executor:
            if executor is None:
                return
            token = uuid.uuid4().hex
            futures = {executor.submit(render_in_worker, token, payload, edition, key[1]): key
                       for key, edition in todo.items()}  # fmt: skip
            for future in as_completed(futures):
                key = futures[future]
                edition = todo[key]
                try:
                    report, files = _outcome(future.result())
                    self._prepared[key] = self._publish(edition, key[1], report, files)
                except Exception as exc:  # kept for the edition: the others go on
                    logger.error("the %s edition failed: %s", edition.key, exc)
                    self._prepared[key] = exc

    def __call__(self, edition: Edition, formats: Sequence[str] | None = None) -> Generated:
        """Summarise, render and write one edition (or return it, built by :meth:`prepare`)."""
        formats = self._formats(formats)
        prepared = self._prepared.pop((edition.key, formats), None)
        if isinstance(prepared, BaseException):
            raise prepared
        if prepared is not None:
            return prepared
        report = report_for(self.plan, self.merged(), edition)
        rendered = render_edition(self.plan, report, edition, formats, self.pdf_renderer)
        return self._publish(edition, formats, report, {p.name: d for p, d in rendered.items()})

    def _publish(
        self, edition: Edition, formats: tuple[str, ...], report: Report, files: dict[str, Content]
    ) -> Generated:
        """Write an edition's rendered files as one published set."""
        if wording_for(edition) != edition.language and edition.language not in self._fallbacks:
            self._fallbacks.add(edition.language)
            logger.info("no %s wording yet: the %s edition is in English", edition.language,
                        edition.key)  # fmt: skip
        plan = self.plan
        stem = edition.stem(plan.period.start, plan.period.end)
        published = publish_set(plan.out_dir, stem, files)
        names = {name: FORMATS[name].file_name(stem) for name in formats}
        public = {name: plan.out_dir / file for name, file in names.items()}
        logger.info(
            "wrote %s: %d incident(s), %d update(s), %s",
            ", ".join(str(p) for p in public.values()),
            report.key_figures.incidents,
            report.key_figures.updates,
            words_for(report.language).total(report.key_figures.killed_all),
        )
        return Generated(report, {name: published.files[file] for name, file in names.items()},
                         edition, public)  # fmt: skip

    def all(self) -> list[Generated]:
        """Every edition of the plan (built at once, see :meth:`prepare`)."""
        self.prepare([(edition, None) for edition in self.plan.editions])
        return [self(edition) for edition in self.plan.editions]


# --- the worker side of EditionBuilder.prepare -------------------------------------------


@dataclass(frozen=True)
class Failed:
    """An edition a worker could not build: the error's class name and message (an
    exception is sent back as words, since not every SitrepError can be pickled)."""

    kind: str
    message: str


Built = tuple[Report, dict[str, Content]]

_WORKER_STATE: tuple[str, Plan, Merged] | None = None
"""The plan and merge a worker process last unpickled, by token: each is read once per
process, not once per edition."""


def render_in_worker(token: str, payload: bytes, edition: Edition, formats: tuple[str, ...]
                     ) -> Built | Failed:  # fmt: skip
    """Summarise and render one edition in a worker process: its report and its files by
    name, nothing written. ``payload`` is the pickled (plan, merged) of ``token``."""
    global _WORKER_STATE
    if _WORKER_STATE is None or _WORKER_STATE[0] != token:
        plan, merged = pickle.loads(payload)
        _WORKER_STATE = (token, plan, merged)
    _, plan, merged = _WORKER_STATE
    try:
        report = report_for(plan, merged, edition)
        rendered = render_edition(plan, report, edition, formats)
    except SitrepError as exc:
        return Failed(type(exc).__name__, str(exc))
    return report, {path.name: data for path, data in rendered.items()}


def _outcome(result: Built | Failed) -> Built:
    """A worker's result, or its error raised again (usage and configuration errors keep
    their class: delivery stops on those)."""
    if isinstance(result, Failed):
        kinds: dict[str, type[SitrepError]] = {"UsageError": UsageError, "ConfigError": ConfigError}
        raise kinds.get(result.kind, SitrepError)(result.message)
    return result


def generate(
    config: Config,
    *,
    start: dt.date,
    end: dt.date | None = None,
    filters: ReportFilter | None = None,
    language: str | None = None,
    strict: bool = False,
    formats: Sequence[str] | None = None,
    store: IncidentStore | None = None,
    pdf_renderer: PdfRenderer | None = None,
    loaded: LoadResult | None = None,
    now: dt.datetime | None = None,
    as_of: dt.datetime | None = None,
) -> Generated:
    """Load, merge, summarise, render and write the report of a period (one edition), as
    the data stood at ``as_of`` (default: now)."""
    edition = Edition(filters or ReportFilter(), language or config.report.language)
    plan = make_plan(config, start=start, end=end, formats=formats, editions=[edition], now=now,
                     as_of=as_of)  # fmt: skip
    builder = EditionBuilder(plan, store=store, strict=strict, loaded=loaded,
                             pdf_renderer=pdf_renderer)  # fmt: skip
    return builder(edition)
