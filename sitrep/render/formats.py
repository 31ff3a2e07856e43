"""The registry of output formats: the one place that says what a format is.

Each :class:`Format` has a name (what ``report.formats`` and ``--format`` list), the file
suffix, the MIME type, whether it can be attached to an e-mail, whether it needs the
charts, and the function that renders it. The pipeline renders every requested format
through this table, the configuration is checked against it, and delivery takes the
attachable formats and their MIME types from it. Adding a format is one entry here.

This module imports nothing heavy: each render function imports its renderer when called.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import FurnitureConfig
    from ..model.report import Report
    from ..reconcile.bounds import FigureRules
    from .pdf import PdfRenderer
    from .style import Chart

Content = bytes | str


@dataclass(frozen=True)
class RenderJob:
    """What a format's render function gets: the report, its file stem, its charts."""

    report: Report
    stem: str
    charts: Sequence[Chart]
    templates: Path | None = None
    pdf_renderer: PdfRenderer | None = None
    furniture: FurnitureConfig | None = None
    """Marking, contacts, next edition, licence and data link (``[furniture]``)."""
    table_limit: int | None = None
    """``report.figures_table_limit`` (None: its default)."""
    rules: FigureRules | None = None
    """The run's figure rules (``[report]``), for the figures of the attached CSV log."""

    @property
    def limit(self) -> int:
        """``table_limit``, or its default."""
        from ..config import FIGURES_TABLE_LIMIT

        return FIGURES_TABLE_LIMIT if self.table_limit is None else self.table_limit

    @cached_property
    def json_bytes(self) -> bytes:
        """The report's JSON, made once for the JSON file and the PDF's attachment (the
        same bytes)."""
        from .jsonreport import render_json_bytes

        return render_json_bytes(self.report, chart_limit=self.limit)


@dataclass(frozen=True)
class Format:
    """One output format."""

    name: str
    suffix: str
    mime: tuple[str, str]
    attachable: bool
    charts: bool
    render: Callable[[RenderJob], dict[str, Content]]
    """The job's files, keyed by file name: ``{stem}{suffix}`` first, then any side files."""

    def file_name(self, stem: str) -> str:
        """The main file of this format: 'sitrep-2025-06-02.pdf'."""
        return f"{stem}{self.suffix}"


def _markdown(job: RenderJob) -> dict[str, Content]:
    from .documents import render_markdown

    text = render_markdown(job.report, job.charts, stem=job.stem, templates=job.templates,
                           furniture=job.furniture, table_limit=job.limit)  # fmt: skip
    return {f"{job.stem}.md": text, **{f"{job.stem}-{c.name}.svg": c.svg for c in job.charts}}


def _html(job: RenderJob) -> dict[str, Content]:
    from .documents import render_html

    html = render_html(job.report, job.charts, templates=job.templates, furniture=job.furniture,
                       table_limit=job.limit)
    return {f"{job.stem}.html": html}


def _pdf(job: RenderJob) -> dict[str, Content]:
    """The tagged PDF/A-3b, with the report's JSON (the same bytes as the JSON format) and
    the full incident log as CSV (one row per incident and figure row, context included)
    embedded as its data; the CSV is also written beside it."""
    from .export import export_text
    from .pdf import PdfAttachment, WeasyPrintRenderer, pdf_folders

    renderer = job.pdf_renderer or WeasyPrintRenderer(pdf_folders(job.templates))
    data = PdfAttachment(
        name=f"{job.stem}.json",
        data=job.json_bytes,
        description="The report's data (sitrep JSON, docs/report-json.md)",
        modified=job.report.generated_at,
    )
    log = export_text(job.report, "csv", job.rules, context=True)
    table = PdfAttachment(
        name=f"{job.stem}.csv",
        data=log.encode("utf-8"),
        description="The full incident log: one row per incident and figure row "
        "(the columns of sitrep export, docs/importing.md)",
        modified=job.report.generated_at,
    )
    html = print_html(job)  # last: the charts may still be being drawn (sitrep.headstart)
    return {f"{job.stem}.pdf": renderer.render(html, [data, table]),
            f"{job.stem}.csv": log}  # fmt: skip


def print_html(job: RenderJob) -> str:
    """The HTML the PDF is made from (also the desk's preview of the PDF)."""
    from .documents import render_html

    return render_html(job.report, job.charts, templates=job.templates, for_pdf=True,
                       furniture=job.furniture, table_limit=job.limit)  # fmt: skip


def _json(job: RenderJob) -> dict[str, Content]:
    return {f"{job.stem}.json": job.json_bytes}


_ALL = (
    Format("md", ".md", ("text", "markdown"), attachable=True, charts=True, render=_markdown),
    Format("pdf", ".pdf", ("application", "pdf"), attachable=True, charts=True, render=_pdf),
    Format("html", ".html", ("text", "html"), attachable=False, charts=True, render=_html),
    Format("json", ".json", ("application", "json"), attachable=False, charts=False, render=_json),
)

FORMATS: Mapping[str, Format] = {f.name: f for f in _ALL}
"""Every output format by name, in the order they are listed and rendered."""

ATTACHABLE: tuple[str, ...] = tuple(name for name, f in FORMATS.items() if f.attachable)
"""The formats an e-mail can carry as attachments ("md", "pdf")."""


def unknown_formats(names: Sequence[str]) -> list[str]:
    """The names in ``names`` that are not formats, sorted (empty when all are known)."""
    return sorted(set(names) - set(FORMATS))
