"""Building editions: one load and one merge, each edition summarised, rendered and
published as one set; several at once on an executor (a process pool or a Dask cluster)."""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import uuid
from collections.abc import Sequence
from concurrent.futures import as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import ConfigError, SitrepError, UsageError
from ..executors import render_executor
from ..headstart import HeadStart
from ..model.edition import Edition
from ..model.report import Report, ReportFilter
from ..render.formats import FORMATS, Content
from ..store.base import IncidentStore, LoadResult
from ..wording import words_for
from ..writers import publish_set

if TYPE_CHECKING:
    from ..render.pdf import PdfRenderer

from .plan import Plan, check_formats, make_plan, wording_for
from .stages import Merged, load, merge, render_edition, report_for

logger = logging.getLogger(__name__)


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
        early: HeadStart | None = None,
    ) -> None:
        self.plan = plan
        self.early = early
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
            self._merged = merge(self.plan, loaded, self.store)
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
        rendered = render_edition(self.plan, report, edition, formats, self.pdf_renderer,
                                  self.early)  # fmt: skip
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
    head_start: HeadStart | None = None,
) -> Generated:
    """Load, merge, summarise, render and write the report of a period (one edition), as
    the data stood at ``as_of`` (default: now).

    ``head_start``: the workers the caller started before importing the pipeline
    (:func:`sitrep.headstart.begin`), fitted here to the formats (the caller ends them);
    without it, a chart worker of its own when a format shows the charts."""
    edition = Edition(filters or ReportFilter(), language or config.report.language)
    plan = make_plan(config, start=start, end=end, formats=formats, editions=[edition], now=now,
                     as_of=as_of)  # fmt: skip
    with ExitStack() as stack:
        early = head_start or stack.enter_context(HeadStart())
        early.fit(plan.formats, pdf=pdf_renderer is None)  # matplotlib loads in a worker
        return EditionBuilder(plan, store=store, strict=strict, loaded=loaded,
                              pdf_renderer=pdf_renderer, early=early)(edition)  # fmt: skip
