"""Rendering: the report model into Markdown, HTML, JSON and PDF.

Templates come from a user folder first (``report.templates`` in sitrep.toml), then
from the templates shipped with sitrep. Record text is data, never markup: HTML
templates autoescape, Markdown templates escape every value through ``finalize``.

The PDF is WeasyPrint's rendering of the HTML made with ``for_pdf=True``. WeasyPrint is
given a URL fetcher that loads nothing but ``data:`` URLs and files inside the template
folders: a record that smuggled an ``<img src="file:///etc/passwd">`` past the escaping
would still fetch nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from .errors import RenderError
from .models import country_name
from .report import FigureRow, Flag, Incident, ProblemOut, Report, Statement

if TYPE_CHECKING:
    from .charts import Chart

logger = logging.getLogger(__name__)

Kind = Literal["html", "md", "text"]


def shipped_templates() -> Path:
    """The folder of templates shipped inside the package."""
    return Path(str(resources.files("sitrep.templates")))


# With [ and ] escaped no link or image can form, so ( ) ! need no escape and text stays
# readable in the raw Markdown.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")
_MD_AUTOLINK = re.compile(r"(?i)(?<=\bwww)\.|:(?=//)")


def md_escape(value: Any) -> Any:
    """Escape a value for Markdown so it shows as text: no links, images, HTML or tables.

    Besides Markdown's punctuation, ``://`` and ``www.`` are escaped (``\\://``,
    ``www\\.``) so that GitHub-flavoured Markdown does not turn bare addresses into links.
    """
    if value is None:
        return ""
    if isinstance(value, jinja2.runtime.Undefined | MdSafe):
        return value
    text = str(value).replace("\r", " ").replace("\n", " ")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_AUTOLINK.sub(lambda m: "\\" + m.group(0), text)


class MdSafe(str):
    """Markdown produced by a template or filter, not to be escaped again."""


def make_environment(kind: Kind, user_templates: Path | None = None) -> jinja2.Environment:
    """A Jinja environment for one output kind, with the user's folder before the shipped one.

    ``html`` autoescapes; ``md`` escapes every ``{{ }}`` value for Markdown; ``text`` (plain
    e-mail bodies) escapes nothing.
    """
    folders = [str(user_templates)] if user_templates else []
    folders.append(str(shipped_templates()))
    loader = jinja2.FileSystemLoader(folders)
    env = jinja2.Environment(
        loader=loader,
        autoescape=kind == "html",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=md_escape if kind == "md" else None,
    )
    env.filters["md_safe"] = MdSafe
    return env


# --- words and numbers as the report shows them ---------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip

_LABELS: dict[str, str] = {
    "state_forces": "State forces",
    "armed_group": "Armed group",
    "foreign_forces": "Foreign forces",
    "unknown": "Group unknown",
    "explosions_remote_violence": "Explosions/remote violence",
    "air_drone_strike": "Air/drone strike",
    "remote_explosive_landmine_ied": "Remote explosive/landmine/IED",
    "shelling_artillery_missile_attack": "Shelling/artillery/missile attack",
    "abduction_forced_disappearance": "Abduction/forced disappearance",
    "non_state_actor_overtakes_territory": "Non-state actor overtakes territory",
    "headquarters_or_base_established": "Headquarters or base established",
    "looting_property_destruction": "Looting/property destruction",
}


@dataclass(frozen=True)
class FlagInfo:
    """How a flag shows: a short tag in the table and a sentence in the legend."""

    tag: str
    meaning: str


FLAGS: dict[Flag, FlagInfo] = {
    Flag.OFFICIAL_CONTRADICTION: FlagInfo(
        "officials differ", "officials gave figures that cannot all be true (⚠ in the cell)"
    ),
    Flag.NO_OFFICIAL: FlagInfo("no official", "the authorities said nothing about this figure"),
    Flag.OFFICIAL_NO_FIGURE: FlagInfo(
        "no official toll", "the authorities spoke but gave no figure"
    ),
    Flag.CLAIM_SPREAD: FlagInfo("claim spread", "a claim is several times the credible figure"),
    Flag.CLAIMED_ONLY: FlagInfo(
        "claimed only", "only the perpetrator gave a figure: no credible estimate"
    ),
    Flag.REVISED: FlagInfo("revised", "a speaker revised their figure"),
}

CONTRADICTION_MARK = "⚠"
NO_FIGURE = "no toll given"
SILENT = "—"


def label(value: object) -> str:
    """A code as words: 'state_forces' -> 'State forces', 'battles' -> 'Battles'."""
    raw = str(getattr(value, "value", value))
    return _LABELS.get(raw) or raw.replace("_", " ").capitalize()


def words(value: object) -> str:
    """A code as lower-case words, for use inside a sentence."""
    text = label(value)
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def fmt_date(value: dt.date | None, short: bool = False) -> str:
    """'2 June 2025' (or '2 Jun 2025'); empty for None. No locale involved."""
    if value is None:
        return ""
    month = MONTHS[value.month - 1]
    return f"{value.day} {month[:3] if short else month} {value.year}"


def fmt_datetime(value: dt.datetime | None, timezone: str) -> str:
    """'3 June 2025, 06:00 GMT' in the report's time zone; empty for None."""
    if value is None:
        return ""
    zone = ZoneInfo(timezone)  # validated with the configuration
    local = value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)
    return f"{fmt_date(local.date())}, {local:%H:%M} {local.tzname() or timezone}"


def fmt_num(value: int | float | None) -> str:
    """'1,234'; an em dash for None."""
    if value is None:
        return SILENT
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def fmt_range(low: int | None, high: int | None, high_open: bool = False) -> str:
    """'31', '13–14', '190–502+', '31+' ('+': some figure set no upper bound)."""
    plus = "+" if high_open else ""
    if low is None and high is None:
        return SILENT
    if low is None:
        return f"up to {high:,}{plus}"
    if high is None or high == low:
        return f"{low:,}{plus}"
    return f"{low:,}–{high:,}{plus}"


def fmt_high(row: FigureRow) -> str:
    """The row's high column: '31+' when the largest statement set no upper bound.

    When ``high`` is null but open-ended, the largest lower bound stated ('more than 30'
    gives 31) is shown with a '+'.
    """
    plus = "+" if row.high_open else ""
    if row.high is not None:
        return f"{row.high:,}{plus}"
    if not row.high_open:
        return SILENT
    lows = [
        s.low
        for c in (row.official, row.claimed, row.independent)
        for s in c.statements
        if s.low is not None
    ]
    return f"{max(lows):,}+" if lows else "open"


def estimate_text(row: FigureRow) -> str:
    """sitrep's reconciliation of a row in words: 'low 13 · best 14 · high 14'."""
    high = fmt_high(row)
    if row.best is not None:
        return f"low {fmt_num(row.low)} · best {fmt_num(row.best)} · high {high}"
    if Flag.CLAIMED_ONLY in row.flags:
        return f"no credible estimate (claimed only) · high {high}"
    if row.low is not None:
        return f"at least {fmt_num(row.low)} · no best estimate · high {high}"
    return "no figure"


def refs(numbers: Iterable[int]) -> str:
    """Source numbers as a reference: '[1, 5]'; empty when there are none."""
    nums = sorted(set(numbers))
    return f"[{', '.join(str(n) for n in nums)}]" if nums else ""


def statement_text(s: Statement) -> str:
    """The figure of a statement, or 'no toll given'."""
    return s.text if s.text is not None else NO_FIGURE


def problem_line(p: ProblemOut) -> str:
    """'file:line: record id: field: message', leaving out what is unknown."""
    parts = [f"{p.file}:{p.line}" if p.line else p.file]
    if p.record:
        parts.append(f"record {p.record}")
    if p.field:
        parts.append(p.field)
    return ": ".join([*parts, p.message])


def _strip_region(name: str) -> str:
    return re.sub(r"\s+region$", "", name, flags=re.IGNORECASE)


@dataclass
class _Lookup:
    """Lookups the templates need across the report (incidents by id, ...)."""

    report: Report
    incidents: dict[str, Incident] = field(init=False)

    def __post_init__(self) -> None:
        self.incidents = {i.id: i for i in self.report.incidents}

    def joint_label(self, row: FigureRow) -> str:
        """'joint: Tahoua + Dosso' for a figure covering several incidents; '' otherwise."""
        if len(row.incidents) < 2:
            return ""
        names = [
            _strip_region(self.incidents[i].location) if i in self.incidents else i
            for i in row.incidents
        ]
        return "joint: " + " + ".join(names)

    def place(self, incident_id: str) -> str:
        """'Boulkessi (Mopti, Mali)' for an incident id, or the id if unknown."""
        inc = self.incidents.get(incident_id)
        if inc is None:
            return incident_id
        where = ", ".join(x for x in (inc.admin1, inc.country_name) if x)
        return f"{inc.location} ({where})"


def table_groups(rows: Sequence[FigureRow]) -> list[tuple[FigureRow, bool]]:
    """Rows with a flag: True for the first row of an incident (its label is shown in full)."""
    out = []
    previous = None
    for r in rows:
        key = tuple(r.incidents)
        out.append((r, key != previous))
        previous = key
    return out


def used_flags(rows: Iterable[FigureRow]) -> list[Flag]:
    """Flags that occur in the rows, in legend order."""
    present = {f for r in rows for f in r.flags}
    return [f for f in FLAGS if f in present]


def statuses(report: Report) -> list[tuple[str, str, list[Incident]]]:
    """The incident log's groups: (status, heading, incidents), every group listed."""
    names = {
        "new": "New in the period",
        "update": "Updates on earlier incidents",
        "context": "Context",
    }
    return [
        (s, heading, [i for i in report.incidents if i.status == s]) for s, heading in names.items()
    ]


def chart_data_url(chart: Chart) -> str:
    """A chart's SVG as a base64 ``data:`` URL for an ``<img>``."""
    payload = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{payload}"


def _context(report: Report, charts: Sequence[Chart], **extra: Any) -> dict[str, Any]:
    lookup = _Lookup(report)
    the_map = next((c for c in charts if c.name == "map"), None)
    from .maps import unmapped_incidents

    return {
        "report": report,
        "charts": [c for c in charts if c.name != "map"],
        "map_chart": the_map,
        "unmapped": unmapped_incidents(report),
        "lookup": lookup,
        "flags": FLAGS,
        "used_flags": used_flags(report.table),
        "table_rows": table_groups(report.table),
        "log_groups": statuses(report),
        "contradiction_mark": CONTRADICTION_MARK,
        "no_figure": NO_FIGURE,
        "silent": SILENT,
        **extra,
    }


def where(inc: Incident) -> str:
    """District, region and country of an incident, each once: 'Douentza, Mopti, Mali'
    (Timbuktu in Timbuktu region is 'Timbuktu, Mali', not 'Timbuktu, Timbuktu, Mali')."""
    seen = {inc.location.casefold()}
    parts = []
    for name in (inc.admin2, inc.admin1, inc.country_name):
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            parts.append(name)
    return ", ".join(parts)


def _environment(kind: Kind, templates: Path | None) -> jinja2.Environment:
    if templates is not None and not templates.is_dir():
        raise RenderError(
            f"template folder {templates} does not exist (fix report.templates in sitrep.toml "
            "or create the folder)"
        )
    env = make_environment(kind, templates)
    env.filters.update(
        label=label,
        words=words,
        date=fmt_date,
        date_short=lambda d: fmt_date(d, short=True),
        num=fmt_num,
        range=lambda t: fmt_range(t.low, t.high, t.high_open),
        high=fmt_high,
        estimate=estimate_text,
        refs=refs,
        figure=statement_text,
        problem=problem_line,
        country=country_name,
        data_url=chart_data_url,
        where=where,
    )
    env.globals.update(fmt_datetime=fmt_datetime, fmt_range=fmt_range)
    return env


def _render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateNotFound as exc:
        raise RenderError(
            f"template {exc.name!r} not found in the user or shipped templates folder "
            f"({', '.join(str(p) for p in env.loader.searchpath)})"  # type: ignore[union-attr]
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}"
        ) from None
    except jinja2.UndefinedError as exc:
        raise RenderError(
            f"template {name!r} uses something the report does not have: {exc.message} "
            "(check the names against docs/report-json.md)"
        ) from None


def render_markdown(
    report: Report, charts: Sequence[Chart], *, stem: str, templates: Path | None = None
) -> str:
    """The report as Markdown; charts are linked as ``{stem}-{chart.name}.svg`` beside it."""
    env = _environment("md", templates)
    links = {c.name: MdSafe(quote(f"{stem}-{c.name}.svg")) for c in charts}
    return _render(env, "report.md.j2", _context(report, charts, chart_files=links, stem=stem))


def load_css(templates: Path | None = None) -> str:
    """``report.css``: the user's, if their templates folder has one, else the shipped one."""
    for folder in (templates, shipped_templates()):
        if folder is not None and (folder / "report.css").is_file():
            return (folder / "report.css").read_text(encoding="utf-8")
    raise RenderError(f"report.css not found in {shipped_templates()} (reinstall sitrep)")


def render_html(
    report: Report,
    charts: Sequence[Chart],
    *,
    templates: Path | None = None,
    for_pdf: bool = False,
) -> str:
    """The report as one standalone HTML page (CSS inlined, charts as ``data:`` images).

    ``for_pdf`` marks the page for print (running header, page numbers): the HTML that
    :class:`WeasyPrintRenderer` turns into the PDF.
    """
    env = _environment("html", templates)
    css = load_css(templates)
    if "</style" in css.lower():
        raise RenderError("report.css contains '</style': remove it (CSS cannot contain it)")
    context = _context(report, charts, css=Markup(css), for_pdf=for_pdf)
    return _render(env, "report.html.j2", context)


def render_json(report: Report) -> str:
    """The report as JSON: :class:`Report` serialised as is, with sets sorted (stable)."""
    data = report.model_dump(mode="json")
    for key in ("countries", "admin1"):
        data["filter"][key] = sorted(data["filter"][key])
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report (``docs/report.schema.json``)."""
    schema = Report.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/sitrep/sitrep/docs/report.schema.json",
        **schema,
        "title": "sitrep report",
        "description": "The JSON output of sitrep generate (docs/report-json.md).",
    }


# --- PDF -------------------------------------------------------------------------------


class PdfRenderer(Protocol):
    """Turns the report's print HTML into PDF bytes."""

    def render(self, html: str) -> bytes:
        """The PDF of ``html``."""
        ...


@dataclass
class FetchPolicy:
    """Which URLs the PDF engine may load: ``data:`` and files inside the allowed folders.

    Every URL asked for is kept in ``requested``; refused ones also in ``refused``.
    """

    folders: list[Path]
    requested: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def allows(self, url: str) -> bool:
        """True for ``data:`` URLs and ``file:`` URLs inside an allowed folder."""
        self.requested.append(url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        ok = False
        if scheme == "data":
            ok = True
        elif scheme == "file" and parts.netloc in ("", "localhost"):
            target = Path(unquote(parts.path)).resolve()
            ok = any(target.is_relative_to(f.resolve()) for f in self.folders)
        if not ok:
            self.refused.append(url)
            logger.warning(
                "PDF: refused to load %s (only data: URLs and files in the templates "
                "folders may be loaded)",
                url[:200],
            )
        return ok


def _fetcher(policy: FetchPolicy) -> Any:
    """A WeasyPrint URL fetcher that asks ``policy`` before loading anything."""
    from weasyprint.urls import URLFetcher

    class PolicyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not policy.allows(url):
                raise ValueError(f"sitrep does not load {url[:80]} into reports")
            return super().fetch(url, headers)

    return PolicyFetcher(timeout=5, allow_redirects=False)


class WeasyPrintRenderer:
    """The real PDF renderer: WeasyPrint, imported on first use, with a locked-down fetcher.

    ``folders`` are the folders whose files the HTML may load (the user's templates and
    the shipped ones; the first is the base for relative URLs). ``policy`` records what
    the last rendering asked for and what was refused.
    """

    def __init__(self, folders: Sequence[Path] | None = None) -> None:
        self.folders = list(folders) if folders else [shipped_templates()]
        self.policy = FetchPolicy(self.folders)

    def render(self, html: str) -> bytes:
        """The PDF of ``html``; raises :class:`RenderError` if WeasyPrint fails."""
        progress = logging.getLogger("weasyprint.progress")
        if progress.level == logging.NOTSET:  # its step-by-step INFO lines drown the CLI's
            progress.setLevel(logging.WARNING)
        try:
            import weasyprint
        except (ImportError, OSError) as exc:
            raise RenderError(
                f"cannot load WeasyPrint ({exc}); run scripts/setup.sh to install Pango "
                "and HarfBuzz, or leave pdf out of report.formats"
            ) from None
        base = self.folders[0].resolve().as_uri() + "/"
        self.policy = FetchPolicy(self.folders)
        try:
            document = weasyprint.HTML(
                string=html, base_url=base, url_fetcher=_fetcher(self.policy)
            )
            pdf: bytes = document.write_pdf()
        except Exception as exc:  # WeasyPrint raises many types; report them all the same way
            raise RenderError(
                f"the PDF could not be made: {type(exc).__name__}: {exc} (check the HTML "
                "template and report.css, or render the HTML format to inspect it)"
            ) from exc
        return pdf


class RecordingPdfRenderer:
    """A test double: keeps every HTML it is given and returns a small valid one-page PDF."""

    def __init__(self) -> None:
        self.html: list[str] = []

    def render(self, html: str) -> bytes:
        """Record ``html``; return a minimal PDF."""
        self.html.append(html)
        return minimal_pdf("sitrep test PDF")


def minimal_pdf(text: str) -> bytes:
    """A valid one-page A4 PDF showing one line of ASCII text."""
    safe = re.sub(r"[^A-Za-z0-9 .,:-]", "", text)
    stream = f"BT /F1 12 Tf 72 770 Td ({safe}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
