"""Rendering the report: Markdown, HTML, PDF and JSON from hand-built reports (tests/factories.py).

No golden files here: these tests check structure, content and safety.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from factories import (
    EVIL,
    empty_report,
    filtered_report,
    hostile_report,
    one_incident_report,
    sahel_report,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep import render
from sitrep.errors import RenderError
from sitrep.model.records import record_json_schema
from sitrep.model.report import Report
from sitrep.render import environment, pdf
from sitrep.render.charts import STANCE_COLOURS, Chart, draw_charts

ROOT = Path(__file__).resolve().parent.parent
STEM = "sitrep-2025-06-02"
SECTIONS = [
    "Key figures",
    "Key developments",
    "Official vs claimed figures",
    "Charts",
    "Map",
    "Incident log",
    "Sources",
    "Data quality",
]


# --- helpers ----------------------------------------------------------------------------


class _Html(HTMLParser):
    """Collects the visible text, the tags and their attributes of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag in ("div", "p", "li", "tr", "h1", "h2", "h3", "h4", "br"):
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._skip -= 1
        if tag in ("td", "th"):
            self.text.append(" | ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def parse_html(html: str) -> _Html:
    parser = _Html()
    parser.feed(html)
    parser.close()
    return parser


def visible_text(html: str) -> str:
    """The page's text, whitespace collapsed within lines."""
    joined = "".join(parse_html(html).text)
    return "\n".join(" ".join(line.split()) for line in joined.splitlines())


def pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def headings(markdown: str, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+)$", markdown, flags=re.MULTILINE)


def markdown_to_html(markdown: str) -> str:
    cmarkgfm = pytest.importorskip("cmarkgfm")
    from cmarkgfm.cmark import Options

    html: str = cmarkgfm.github_flavored_markdown_to_html(
        markdown, options=Options.CMARK_OPT_UNSAFE
    )
    return html


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> Report:
    return sahel_report()


@pytest.fixture(scope="module")
def charts(report: Report) -> list[Chart]:
    return draw_charts(report)


@pytest.fixture(scope="module")
def markdown(report: Report, charts: list[Chart]) -> str:
    return render.render_markdown(report, charts, stem=STEM)


@pytest.fixture(scope="module")
def html(report: Report, charts: list[Chart]) -> str:
    return render.render_html(report, charts)


@pytest.fixture(scope="module")
def pdf_run(report: Report, charts: list[Chart]) -> tuple[bytes, render.WeasyPrintRenderer]:
    renderer = render.WeasyPrintRenderer([render.shipped_templates()])
    pdf = renderer.render(render.render_html(report, charts, for_pdf=True))
    return pdf, renderer


@pytest.fixture(scope="module")
def pdf_text(pdf_run: tuple[bytes, render.WeasyPrintRenderer]) -> list[str]:
    return pdf_pages(pdf_run[0])


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_sections_in_order(markdown: str, report: Report) -> None:
    assert headings(markdown, 1) == [report.title]
    assert headings(markdown, 2) == SECTIONS


def test_markdown_header(markdown: str) -> None:
    head = markdown.split("## Key figures")[0]
    for expected in (
        "1–2 June 2025",
        "Africa/Bamako",
        "generated 3 June 2025, 06:00 GMT",
        "data as of 2 June 2025, 23:10 GMT",
    ):
        assert expected in head


def test_markdown_table_official_vs_claimed(markdown: str) -> None:
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| Incident | Casualties | Official | Claimed | Independent |")
    timbuktu = next(r for r in rows if "Timbuktu, 2 Jun" in r and "Armed group" in r)
    assert "⚠ 14 (FAMa; party claim) \\[4\\]; 13 (FAMa; party claim) \\[3\\]" in timbuktu
    boulkessi = next(r for r in rows if "Boulkessi, 1 Jun" in r and "State forces" in r)
    assert "no toll given (FAMa) \\[2, 5\\]" in boulkessi
    assert "more than 30 (two security sources; via Reuters) \\[1, 3, 5\\]" in boulkessi
    assert "31+" in boulkessi
    djibo = next(r for r in rows if "Djibo" in r)
    assert "200 (JNIM; party claim) \\[5\\]" in djibo and "*claimed only*" in djibo
    menaka = next(r for r in rows if "Ménaka, 1 Jun" in r and "Civilians killed" in r)
    assert "revised from 8 (1 Jun 2025)" in menaka
    # every data row has the same number of cells as the header
    assert {r.count(" | ") for r in rows if not r.startswith("|---")} == {8}


def test_joint_figure_shown_once(markdown: str, html: str) -> None:
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert sum("joint: Tahoua + Dosso" in r for r in rows) == 1
    table = html.split('<table class="figures">')[1].split("</table>")[0]
    assert visible_text(table).count("joint: Tahoua + Dosso") == 1


def test_markdown_links_chart_files(markdown: str, charts: list[Chart]) -> None:
    for chart in charts:
        assert f"]({STEM}-{chart.name}.svg)" in markdown
    assert "## Map\n\n![Map of incidents" in markdown


def test_markdown_renders_as_intended(markdown: str) -> None:
    page = markdown_to_html(markdown)
    assert page.count("<table>") == 1
    assert '<img src="sitrep-2025-06-02-casualties.svg"' in page
    assert "<a " not in page  # no links at all: addresses are shown as text
    assert "https://www.trtworld.example/article/18233" in page


def test_markdown_incident_log(markdown: str) -> None:
    log = markdown.split("## Incident log")[1].split("## Sources")[0]
    assert headings(log, 3) == [
        "New in the period (9)",
        "New information on earlier incidents (5)",
        "Context (1)",
    ]
    assert "#### Boulkessi, Douentza, Mopti, Mali — 1 June 2025 (new)" in log
    assert "JNIM → FAMa" in log
    assert "“*cleared the camp*”" in log
    assert "Sources \\[1, 2, 4, 5, 6\\]" in log


def test_markdown_sources_and_data_quality(markdown: str) -> None:
    sources = markdown.split("## Sources")[1].split("## Data quality")[0]
    assert "- \\[3\\] ClashReport — published 2 Jun 2025 — https\\://clashreport" in sources
    quality = markdown.split("## Data quality")[1]
    assert (
        "- mali/boulikessi-clashreport.yaml:31: field claims\\[1\\].count: 'over thirty' "
        "is not a count" in quality
    )
    assert "niger/tahoua-dosso.yaml: record ner-dosso-2025-05-26: no coordinates" in quality
    assert (
        "mli-boulikessi-clashreport-2025-06-01 + mli-boulkessi-2025-06-01: place names match "
        "by alias (Boulikessi / Boulkessi), same date" in quality
    )


# --- HTML -------------------------------------------------------------------------------------


def test_html_sections_in_order(html: str, report: Report) -> None:
    page = parse_html(html)
    h2 = [i for i, (tag, _) in enumerate(page.tags) if tag == "h2"]
    assert len(h2) == len(SECTIONS)
    text = visible_text(html)
    positions = [text.index(f"\n{title}\n") for title in SECTIONS]
    assert positions == sorted(positions)
    assert report.title in text


def test_html_is_standalone(html: str) -> None:
    page = parse_html(html)
    assert not [t for t, _ in page.tags if t in ("link", "script", "a", "iframe", "object")]
    images = [a.get("src") or "" for t, a in page.tags if t == "img"]
    assert len(images) == 2
    assert all(src.startswith("data:image/svg+xml;base64,") for src in images)
    assert "table-layout: fixed" in html  # the stylesheet is inlined


def test_html_table_cells(html: str) -> None:
    table = visible_text(html.split('<table class="figures">')[1].split("</table>")[0])
    assert "⚠ 14 (FAMa; party claim) [4]" in table and "13 (FAMa; party claim) [3]" in table
    assert "no toll given (FAMa) [2, 5]" in table
    assert "more than 30 (two security sources; via Reuters) [1, 3, 5]" in table
    assert "claimed only" in table
    assert "revised from 8 (1 Jun 2025)" in table
    head = html.split('<table class="figures">')[1].split("</thead>")[0]
    assert re.findall(r"<th[^>]*>([^<]+)</th>", head) == [
        "Incident",
        "Casualties",
        "Official",
        "Claimed",
        "Independent",
        "Low",
        "Best",
        "High",
    ]
    assert len(re.findall(r'<td class="stance [a-z]+ status-silent', html)) > 10


def test_html_legend_names_used_flags(html: str) -> None:
    legend = visible_text(html.split('<dl class="legend">')[1].split("</dl>")[0])
    for words in (
        "cannot all be true",
        "no toll given",
        "officials differ",
        "claimed only",
        "claim spread",
        "revised",
        "no official toll",
    ):
        assert words in legend


def test_html_for_pdf_marks_body(report: Report, charts: list[Chart]) -> None:
    assert '<body class="pdf">' in render.render_html(report, charts, for_pdf=True, table_limit=50)
    # more incidents with news than report.figures_table_limit (10): the big-period digest
    assert '<body class="pdf digest">' in render.render_html(report, charts, for_pdf=True)
    assert '<body class="screen">' in render.render_html(report, charts)


def test_stance_colours_match_charts() -> None:
    css = environment.load_css()
    for stance, colour in STANCE_COLOURS.items():
        assert re.search(rf"th\.{stance.value} \{{[^}}]*{colour}", css), stance


# --- empty and small reports -------------------------------------------------------------------


def test_empty_sections_say_so() -> None:
    report = empty_report()
    charts = draw_charts(report)
    assert charts == []
    md = render.render_markdown(report, charts, stem=STEM)
    html = visible_text(render.render_html(report, charts))
    for out in (md, html):
        for sentence in (
            "No key developments in this period.",
            "No casualty figures for incidents in this period.",
            "No casualty figures to chart in this period.",
            "No incidents in this period.",
            "No sources in this period.",
            "No problems found in the data.",
            "No one was reported killed in this period.",
        ):
            assert sentence in out, sentence
    assert headings(md, 2) == SECTIONS


def test_one_incident_report_renders() -> None:
    report = one_incident_report()
    charts = draw_charts(report)
    md = render.render_markdown(report, charts, stem=STEM)
    assert "⚠ 14 (FAMa; party claim)" in md
    assert "No new information on earlier incidents." in md


def test_filter_is_shown() -> None:
    report = filtered_report()
    md = render.render_markdown(report, [], stem=STEM)
    assert "Edition for: countries Burkina Faso, Mali; regions Timbuktu; severity major" in md
    assert "Edition for:" in visible_text(render.render_html(report, []))
    assert "Edition for" not in render.render_markdown(sahel_report(), [], stem=STEM)


# --- user templates ---------------------------------------------------------------------------


def test_user_template_overrides_shipped(tmp_path: Path, report: Report) -> None:
    (tmp_path / "report.md.j2").write_text("Custom: {{ report.title }} {{ report.period.label }}\n")
    (tmp_path / "report.css").write_text("body { color: #123456; }")
    md = render.render_markdown(report, [], stem=STEM, templates=tmp_path)
    assert md == "Custom: Sahel situation report 1–2 June 2025\n"
    html = render.render_html(report, [], templates=tmp_path)
    assert "#123456" in html and "table-layout: fixed" not in html
    assert "Official vs claimed figures" in html  # report.html.j2 still the shipped one


def test_user_partial_overrides_shipped(tmp_path: Path, report: Report) -> None:
    macros = (render.shipped_templates() / "_macros.md.j2").read_text()
    (tmp_path / "_macros.md.j2").write_text(macros.replace("revised from", "REVISED FROM"))
    md = render.render_markdown(report, [], stem=STEM, templates=tmp_path)
    assert "REVISED FROM 8" in md


def test_template_errors_say_what_to_fix(tmp_path: Path, report: Report) -> None:
    with pytest.raises(RenderError, match="does not exist"):
        render.render_markdown(report, [], stem=STEM, templates=tmp_path / "missing")
    (tmp_path / "report.md.j2").write_text("line one\n{% if %}\n")
    with pytest.raises(RenderError, match=r"report\.md\.j2:2: template syntax error"):
        render.render_markdown(report, [], stem=STEM, templates=tmp_path)
    (tmp_path / "report.md.j2").write_text("{{ report.no_such_field }}\n")
    with pytest.raises(RenderError, match="no_such_field"):
        render.render_markdown(report, [], stem=STEM, templates=tmp_path)


# --- JSON ---------------------------------------------------------------------------------


def test_json_round_trips_and_is_stable() -> None:
    report = filtered_report()
    text = render.render_json(report)
    assert Report.model_validate_json(text) == report
    assert text == render.render_json(Report.model_validate_json(text))
    data = json.loads(text)
    assert data["filter"]["countries"] == ["BFA", "MLI"]
    assert data["schema_version"] == 1
    assert "Ménaka" in text  # UTF-8, not \\u escapes


@pytest.mark.parametrize(
    ("name", "schema"),
    [("report.schema.json", render.report_json_schema), ("record.schema.json", record_json_schema)],
)
def test_schema_files_are_current(name: str, schema: Callable[[], dict[str, Any]]) -> None:
    """The published schemas (docs/) and those `sitrep schema` prints (sitrep/data/) are
    the models' own, written as `scripts/write_schemas.py` writes them."""
    text = json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
    for folder in ("docs", "sitrep/data"):
        written = (ROOT / folder / name).read_text(encoding="utf-8")
        assert written == text, f"{folder}/{name} is out of date: regenerate it with `make golden`"


def _model_fields(model: type, seen: set[type]) -> Iterator[tuple[str, str]]:
    from pydantic import BaseModel

    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():  # type: ignore[attr-defined]
        yield model.__name__, name
        for arg in (*getattr(info.annotation, "__args__", ()), info.annotation):
            inner = getattr(arg, "__args__", (arg,))
            for cls in inner:
                if isinstance(cls, type) and issubclass(cls, BaseModel):
                    yield from _model_fields(cls, seen)


def test_report_json_doc_covers_every_field() -> None:
    doc = (ROOT / "docs" / "report-json.md").read_text(encoding="utf-8")
    missing = [f"{m}.{f}" for m, f in _model_fields(Report, set()) if f"`{f}`" not in doc]
    assert not missing, f"docs/report-json.md does not document: {', '.join(missing)}"


# --- PDF ----------------------------------------------------------------------------------


def test_pdf_has_the_figures_and_sections(pdf_text: list[str]) -> None:
    text = " ".join(pdf_text)
    for expected in (
        "13 (FAMa; party claim) [3]",
        "14 (FAMa; party claim) [4]",
        "more than 30",
        "200 (JNIM; party claim)",
        "joint: Tahoua + Dosso",
        "no toll given",
        "Ménaka",
        "Tillabéri",
        "Fada N'Gourma",
        "claimed only",
    ):
        assert expected in text, expected
    for title in SECTIONS:
        assert title.upper() in text, title


def test_pdf_pages_numbered_and_table_header_repeats(pdf_text: list[str]) -> None:
    assert len(pdf_text) > 1
    assert f"page 1 of {len(pdf_text)}" in pdf_text[0]
    assert f"page 2 of {len(pdf_text)}" in pdf_text[1]
    # The table goes on from the page where it starts to the next under a repeated header
    # row. (It used to start on page 1; issue 8's three-block key figures now fill page 1.)
    header = "Incident Casualties Official Claimed Independent Low Best High"
    first = next(i for i, page in enumerate(pdf_text) if header in page)
    assert first <= 1 and header in pdf_text[first + 1]
    assert "Sahel situation report" in pdf_text[1] and "1–2 June 2025" in pdf_text[1]


def test_pdf_fetches_only_data_urls(pdf_run: tuple[bytes, render.WeasyPrintRenderer]) -> None:
    _, renderer = pdf_run
    assert renderer.policy.refused == []
    assert renderer.policy.requested
    assert all(url.startswith("data:") for url in renderer.policy.requested)


def test_pdf_is_a4(pdf_run: tuple[bytes, render.WeasyPrintRenderer]) -> None:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf_run[0])).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


# --- record text is data ---------------------------------------------------------------------


def test_record_text_is_inert_everywhere() -> None:
    report = hostile_report()
    charts = draw_charts(report)

    html = render.render_html(report, charts)
    page = parse_html(html)
    assert not [t for t, _ in page.tags if t in ("script", "a", "link")]
    assert all((a.get("src") or "").startswith("data:") for t, a in page.tags if t == "img")
    text = visible_text(html)
    assert text.count(EVIL) >= 6  # title, summary, by (table, log), quote, source, problem

    md = render.render_markdown(report, charts, stem=STEM)
    as_html = markdown_to_html(md)
    assert "<script" not in as_html and "<a " not in as_html
    assert [m for m in re.findall(r'<img src="([^"]*)"', as_html)] == [
        f"{STEM}-casualties.svg",
        f"{STEM}-map.svg",
    ]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in as_html
    assert "[link](http://x.example/a)" in as_html

    renderer = render.WeasyPrintRenderer()
    pdf = renderer.render(render.render_html(report, charts, for_pdf=True))
    pdf_text = " ".join(pdf_pages(pdf))
    assert '<img src="file:///etc/passwd"> <script>alert(1)</script>' in pdf_text
    assert "[link](http://x.example/a)" in pdf_text
    assert not [u for u in renderer.policy.requested if not u.startswith("data:")]

    data = json.loads(render.render_json(report))
    assert data["incidents"][0]["title"] == "Title " + EVIL


def test_fetcher_refuses_everything_but_data_and_templates(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    policy = pdf.FetchPolicy([templates])
    with caplog.at_level(logging.WARNING, logger="sitrep.render"):
        assert policy.allows("data:image/png;base64,AAAA")
        assert policy.allows((templates / "logo.png").as_uri())
        assert not policy.allows("file:///etc/passwd")
        assert not policy.allows((templates / ".." / "secret.txt").as_uri())
        assert not policy.allows("http://x.example/a.png")
        assert not policy.allows("https://x.example/a.css")
        assert not policy.allows("ftp://x.example/a")
        assert not policy.allows("file://otherhost/etc/passwd")
    assert len(policy.refused) == 6
    assert "refused to load file:///etc/passwd" in caplog.text


def test_weasyprint_renderer_loads_no_outside_resource(tmp_path: Path) -> None:
    (tmp_path / "ok.css").write_text("p { color: #336699; }")
    html = (
        '<link rel="stylesheet" href="ok.css">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
        '<img src="file:///etc/passwd"><img src="https://x.example/a.png"><p>body text</p>'
    )
    renderer = render.WeasyPrintRenderer([tmp_path])
    pdf = renderer.render(html)
    assert pdf.startswith(b"%PDF")
    assert "body text" in pdf_pages(pdf)[0]
    assert sorted(renderer.policy.refused) == [
        "file:///etc/passwd",
        "http://127.0.0.1:9/evil.css",
        "https://x.example/a.png",
    ]
    assert (tmp_path / "ok.css").as_uri() in renderer.policy.requested


def test_recording_renderer_returns_a_valid_pdf(report: Report) -> None:
    recorder = render.RecordingPdfRenderer()
    pdf = recorder.render("<p>x</p>")
    assert recorder.html == ["<p>x</p>"]
    assert pdf_pages(pdf) == ["sitrep test PDF"]


def test_md_escape_defuses_markup_and_autolinks() -> None:
    escaped = environment.md_escape("[a](http://x) <b> www.y.example | *z*\nnext")
    assert escaped == "\\[a\\](http\\://x) \\<b\\> www\\.y.example \\| \\*z\\* next"
    assert "<a " not in markdown_to_html(escaped)


@settings(max_examples=500, deadline=None)
@given(
    st.text()
    | st.text(alphabet="aw.:/\\`*_{}[]<>#|~\r\n\t\x00\x85\u2028\u202e é1")
    | st.integers()
)
def test_a_markdown_value_with_nothing_to_escape_is_written_as_it_is(value: object) -> None:
    """The Markdown templates' finalize skips escaping a value that holds nothing to escape
    or drop: whatever the value, the same text as escaping it in full."""
    full = environment.md_escape(environment.safe_value(value))
    assert environment._finalize_md(value) == full
