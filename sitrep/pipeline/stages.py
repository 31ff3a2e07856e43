"""The stages: load -> merge -> summarise -> render, each in memory."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..collector import collector_paused
from ..config import Config
from ..errors import DataError
from ..ingest.raw import Window
from ..model.edition import Edition
from ..model.report import PossibleDuplicate, Report, ReportFilter
from ..reconcile.duplicates import merge_and_find_duplicates
from ..reconcile.merge import MergedIncident
from ..render.formats import FORMATS, Content, Format, RenderJob
from ..store.base import IncidentStore, LoadResult, VersionedStore
from ..store.open import open_store
from ..summarise.baseline import Earlier, baseline, summarise_incidents
from ..summarise.summary import SummaryInputs, summarise

if TYPE_CHECKING:
    from ..headstart import HeadStart
    from ..render.pdf import PdfRenderer
    from ..render.style import Chart

from .plan import Plan, make_plan, trend_start, trends_in_window, wording_for

logger = logging.getLogger(__name__)

# --- the stages -------------------------------------------------------------------------


@collector_paused
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
    earlier: Earlier = field(default_factory=Earlier)
    """The incidents of the trends' earlier periods, summarised."""


@collector_paused
def merge(plan: Plan, loaded: LoadResult, store: IncidentStore | None = None) -> Merged:
    """Merge the records the plan's period reads into incidents, and summarise the earlier
    incidents of its trends: from those records for a daily report, else from the trend
    cache or ``store`` (default: the configured one; see ``pipeline/baseline.py``)."""
    lo, _ = plan.window
    end = plan.period.end
    records = [r for r in loaded.records if r.day <= end and r.last_day >= lo]
    incidents, possible = merge_and_find_duplicates(records, plan.rules.merge)
    if trends_in_window(plan.period):
        first, before = trend_start(plan.period), plan.period.start - dt.timedelta(days=1)
        earlier = Earlier.of(
            summarise_incidents(incidents, end, plan.rules.figures, (first, before))
        )
    else:
        from .baseline import trend_summaries

        earlier = trend_summaries(plan, store or open_store(plan.config))
    return Merged(loaded, incidents, possible, earlier)


@collector_paused
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
    trend = baseline(merged.earlier, plan.period, flt=flt)
    report = summarise(merged.incidents, inputs, trend)
    if merged.loaded.revision is not None:
        report = report.model_copy(update={"store_revision": merged.loaded.revision})
    return report


@dataclass(frozen=True)
class _Loaded:
    """Records already loaded, read as a store: the trends of :func:`build_report`."""

    loaded: LoadResult

    def load(self, window: Window | None = None) -> LoadResult:
        """The loaded records overlapping ``window``."""
        lo, hi = window or (dt.date.min, dt.date.max)
        mine = [r for r in self.loaded.records if r.day <= hi and r.last_day >= lo]
        return LoadResult(mine, [], [])


def build_report(
    config: Config,
    *,
    start: dt.date,
    end: dt.date,
    filters: ReportFilter | None = None,
    loaded: LoadResult,
    now: dt.datetime | None = None,
) -> Report:
    """Merge and summarise loaded records into the report of one period (one edition);
    its trends count the loaded records too."""
    plan = make_plan(config, start=start, end=end, now=now,
                     editions=[Edition(filters or ReportFilter())])  # fmt: skip
    return report_for(plan, merge(plan, loaded, _Loaded(loaded)))


def render_edition(
    plan: Plan,
    report: Report,
    edition: Edition,
    formats: Sequence[str] | None = None,
    pdf_renderer: PdfRenderer | None = None,
    early: HeadStart | None = None,
) -> dict[Path, Content]:
    """Chart (if a format needs it) and render every format in memory, keyed by the path
    to write. With ``early``'s workers, the PDF is laid out in its worker while this
    process renders the other formats."""
    wanted = [FORMATS[name] for name in (plan.formats if formats is None else formats)]
    job = render_job(plan, report, edition, wanted, pdf_renderer, early)
    rendered: dict[str, dict[str, Content]] = {}
    in_worker = early is not None and early.pdf is not None and job.pdf_renderer is not None
    if in_worker and any(f.name == "pdf" for f in wanted):
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1, thread_name_prefix="pdf") as thread:
            pdf = thread.submit(FORMATS["pdf"].render, job)  # waits for the worker's PDF
            for fmt in wanted:
                if fmt.name != "pdf":
                    rendered[fmt.name] = fmt.render(job)
            rendered["pdf"] = pdf.result()
    else:
        rendered = {fmt.name: fmt.render(job) for fmt in wanted}
    files: dict[Path, Content] = {}
    for fmt in wanted:
        files.update({plan.out_dir / name: data for name, data in rendered[fmt.name].items()})
    return files


def render_job(
    plan: Plan,
    report: Report,
    edition: Edition,
    wanted: Sequence[Format],
    pdf_renderer: PdfRenderer | None = None,
    early: HeadStart | None = None,
) -> RenderJob:
    """What the ``wanted`` formats of an edition render from: its charts (drawn if a format
    needs them) and the run's settings.

    With ``early``'s chart worker, the charts are drawn there and waited for when first
    read: meanwhile this process makes the JSON and compiles the templates (and, without
    a PDF worker, imports WeasyPrint). With its PDF worker, the job's renderer is that
    worker."""
    limit = plan.config.report.figures_table_limit
    templates = plan.config.user_templates
    charts: Sequence[Chart] = []
    names = {f.name for f in wanted}
    if early is not None and early.pdf is not None and "pdf" in names and pdf_renderer is None:
        from ..render.pdf import pdf_folders

        pdf_renderer = early.pdf.renderer(pdf_folders(templates))
    if any(f.charts for f in wanted):
        from ..render.digest import charted

        drawn = charted(report, limit)  # a big period's chart: the incidents that matter
        if early is not None and early.charts is not None:
            charts = early.charts.draw(drawn)
        else:
            from ..render.charts import draw_charts  # matplotlib: only when a chart is drawn

            charts = draw_charts(drawn)
    job = RenderJob(report, edition.stem(plan.period.start, plan.period.end), charts,
                    templates, pdf_renderer, plan.config.furniture, limit,
                    plan.rules.figures)  # fmt: skip
    if early is not None and early.charts is not None and any(f.charts for f in wanted):
        _meanwhile(job, names, early.pdf is None)
    return job


def _meanwhile(job: RenderJob, names: set[str], import_pdf_engine: bool) -> None:
    """What the formats ``names`` need that does not need the charts, done while the
    chart worker draws them."""
    from ..render.documents import compile_templates

    if names & {"json", "pdf"}:
        job.json_bytes  # noqa: B018  (made once, kept by the job)
    compile_templates(job.report.language, job.templates, names & {"md", "html", "pdf"})
    if "pdf" in names and import_pdf_engine and job.pdf_renderer is None:
        import weasyprint  # noqa: F401  (what the PDF would import next)
