"""The daily run, stage by stage:

load -> validate -> reconcile -> summarise -> chart -> render -> write (-> deliver).

Nothing is written until every output is rendered in memory, and each file is then
written atomically, so a failed run leaves the previous report untouched.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .config import Config
from .errors import ConfigError, DataError, UsageError
from .ingest.raw import Window
from .model.report import Report, ReportFilter
from .reconcile.figures import FigureRules
from .reconcile.merge import MergeRules, merge_records
from .store.base import IncidentStore, LoadResult
from .store.directory import DirectoryStore
from .summarise.period import make_period
from .summarise.summary import SummaryInputs, summarise
from .summarise.trends import history
from .writers import write_all

if TYPE_CHECKING:
    from .render.pdf import PdfRenderer

logger = logging.getLogger(__name__)

FORMATS = ("md", "pdf", "html", "json")


@dataclass(frozen=True)
class Generated:
    """A report and the files it was written to ("pdf", "md", "html", "json" -> path)."""

    report: Report
    files: dict[str, Path]


def now_in(zone: ZoneInfo) -> dt.datetime:
    """The current time, or SOURCE_DATE_EPOCH when set (reproducible outputs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.datetime.now(tz=zone)
    if not epoch.isdigit():
        raise ConfigError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970 "
            "(unset it, or set it as `date +%s` prints)"
        )
    return dt.datetime.fromtimestamp(int(epoch), tz=zone)


def previous_day(config: Config, now: dt.datetime | None = None) -> dt.date:
    """Yesterday in the report's time zone: the default period of ``sitrep run``."""
    now = now or now_in(config.report.zone)
    return now.astimezone(config.report.zone).date() - dt.timedelta(days=1)


def data_window(config: Config, start: dt.date, end: dt.date) -> Window:
    """The dates of the records a report on ``start``..``end`` looks at: its look-back, the
    30 earlier periods of its trends, and a month of slack for imprecise and multi-day events."""
    period = make_period(start, end, config.report.timezone, config.report.lookback_days)
    earliest = min(period.context_start, start - dt.timedelta(days=30 * period.days))
    return earliest - dt.timedelta(days=31), end + dt.timedelta(days=31)


def load(
    config: Config,
    store: IncidentStore | None = None,
    *,
    strict: bool = False,
    window: Window | None = None,
) -> LoadResult:
    """Load and validate the records (those in ``window``, if given); problems are logged,
    or raised when ``strict``."""
    store = store or DirectoryStore(
        config.path(config.report.data), config.report.follow_links
    )
    result = store.load(window)
    for problem in result.problems:
        logger.warning("%s", problem)
    if result.problems and strict:
        raise DataError(result.problems, "the data has problems and --strict was given")
    if result.problems:
        logger.warning(
            "skipped %d invalid record(s); the report lists them under Data quality",
            len(result.invalid),
        )
    return result


def build_report(
    config: Config,
    *,
    start: dt.date,
    end: dt.date,
    filters: ReportFilter | None = None,
    loaded: LoadResult,
    now: dt.datetime | None = None,
) -> Report:
    """Reconcile and summarise loaded records into the report of one period."""
    rc = config.report
    period = make_period(start, end, rc.timezone, rc.lookback_days)
    lo, _ = data_window(config, start, end)
    records = [r for r in loaded.records if r.day <= end and r.last_day >= lo]
    incidents = merge_records(records, MergeRules(rc.merge_name_score, rc.merge_radius_km))
    rules = FigureRules(rc.claim_spread_factor)
    inputs = SummaryInputs(
        title=rc.title,
        period=period,
        generated_at=(now or now_in(rc.zone)).replace(microsecond=0),
        filter=filters or ReportFilter(),
        problems=loaded.problems,
        skipped=loaded.invalid,
        records_loaded=len(loaded.records),
        rules=rules,
    )
    return summarise(incidents, inputs, history(incidents, period, rules, flt=inputs.filter))


def output_stem(report: Report) -> str:
    """'sitrep-2025-06-02', 'sitrep-2025-05-27_2025-06-02', plus '-<filter>' for editions."""
    p = report.period
    stem = f"sitrep-{p.start}" if p.start == p.end else f"sitrep-{p.start}_{p.end}"
    return stem if report.filter.is_empty else f"{stem}-{report.filter.key}"


def render_outputs(
    config: Config,
    report: Report,
    formats: Sequence[str],
    out_dir: Path,
    pdf_renderer: PdfRenderer | None = None,
) -> dict[Path, bytes | str]:
    """Chart and render every requested format in memory, keyed by the path to write."""

    stem = output_stem(report)
    templates = config.user_templates
    from . import render  # imported here: commands that render nothing should not pay for it

    files: dict[Path, bytes | str] = {}
    charts = []
    if {"md", "html", "pdf"} & set(formats):

        from .render.charts import draw_charts

        charts = draw_charts(report)
    if "md" in formats:
        files[out_dir / f"{stem}.md"] = render.render_markdown(
            report, charts, stem=stem, templates=templates
        )
        for chart in charts:
            files[out_dir / f"{stem}-{chart.name}.svg"] = chart.svg
    if "html" in formats:
        files[out_dir / f"{stem}.html"] = render.render_html(report, charts, templates=templates)
    if "pdf" in formats:
        renderer = pdf_renderer or render.WeasyPrintRenderer(
            [p for p in (templates, render.shipped_templates()) if p]
        )
        html = render.render_html(report, charts, templates=templates, for_pdf=True)
        files[out_dir / f"{stem}.pdf"] = renderer.render(html)
    if "json" in formats:
        files[out_dir / f"{stem}.json"] = render.render_json(report)
    return files


def generate(
    config: Config,
    *,
    start: dt.date,
    end: dt.date | None = None,
    filters: ReportFilter | None = None,
    strict: bool = False,
    formats: Sequence[str] | None = None,
    store: IncidentStore | None = None,
    pdf_renderer: PdfRenderer | None = None,
    loaded: LoadResult | None = None,
    now: dt.datetime | None = None,
) -> Generated:
    """Load, reconcile, summarise, render and write the report of a period."""
    formats = list(formats or config.report.formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise UsageError(f"unknown format(s) {', '.join(unknown)} (expected: {', '.join(FORMATS)})")
    end = end or start
    loaded = loaded or load(config, store, strict=strict, window=data_window(config, start, end))
    report = build_report(config, start=start, end=end, filters=filters, loaded=loaded, now=now)
    out_dir = config.path(config.report.output)
    contents = render_outputs(config, report, formats, out_dir, pdf_renderer)
    written = write_all(contents)
    files = {p.suffix.lstrip("."): p for p in written if p.suffix != ".svg"}
    logger.info(
        "wrote %s: %d incident(s), %d update(s), %s",
        ", ".join(str(p) for p in files.values()),
        report.key_figures.incidents,
        report.key_figures.updates,
        report.key_figures.killed_all.text,
    )
    return Generated(report, files)
