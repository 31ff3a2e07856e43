"""The PDF read back as a machine reads it (pikepdf): PDF/A-3b with the report's JSON
embedded, tagged for PDF/UA-1 (structure tree, /Lang, title shown, table headers, alt text
on every figure), and the furniture on every page."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from reading import structure_elements as elements

from sitrep.config import load_config
from sitrep.pipeline import Generated, generate
from sitrep.render.pdf import PdfAttachment, WeasyPrintRenderer, _declare_pdf_ua

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "sahel-2025-06"
DAY = dt.date(2025, 6, 2)
NOW = dt.datetime(2025, 6, 3, 6, tzinfo=dt.UTC)

FURNITURE = """
[furniture]
marking = "tlp:amber"
contacts = ["Sahel desk: desk@example.org"]
next_edition = "3 June 2025, 06:00 UTC"
licence = "CC BY 4.0"
data_url = "https://example.org/sitrep/2025-06-02.json"
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    root = tmp_path_factory.mktemp("pdf-structure")
    (root / "sitrep.toml").write_text(f'[report]\ndata = "{DATA}"\n' + FURNITURE)
    config = load_config(root).with_overrides(output=root / "out")
    return generate(config, start=DAY, now=NOW, formats=["pdf", "json"])


@pytest.fixture(scope="module")
def pdf(generated: Generated) -> Iterator[pikepdf.Pdf]:
    with pikepdf.open(generated.files["pdf"]) as document:
        yield document


def tags(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return list(elements(pdf.Root.StructTreeRoot))


def test_tagged_with_language_and_title_shown(pdf: pikepdf.Pdf) -> None:
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == "en"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.docinfo.Title) == "Sahel situation report — 2 June 2025"
    assert "/StructTreeRoot" in pdf.Root


def test_declares_pdf_a_3b_and_pdf_ua_1(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata() as meta:
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
        assert meta["pdfuaid:part"] == "1"
    intent = pdf.Root.OutputIntents[0]
    assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent


def test_reading_order_follows_the_sections(pdf: pikepdf.Pdf) -> None:
    headings = [e for e in tags(pdf) if str(e.S) == "/H2"]
    assert len(headings) == 8  # every section, in the order of the HTML
    kinds = [str(e.S) for e in tags(pdf)]
    assert kinds.index("/H1") < kinds.index("/H2") < kinds.index("/Table")


def page_of(pdf: pikepdf.Pdf, node: pikepdf.Dictionary) -> int:
    """The index of the first page that holds content of ``node``."""
    numbers = {page.objgen: i for i, page in enumerate(pdf.pages)}
    return next(numbers[e.Pg.objgen] for e in [node, *elements(node)] if "/Pg" in e)


def test_tables_have_header_cells(pdf: pikepdf.Pdf) -> None:
    tables = [e for e in tags(pdf) if str(e.S) == "/Table"]
    # killed totals, official vs claimed, sources (no layout table). WeasyPrint tags each
    # page's part of a table as a table of its own (Kozea/WeasyPrint#2903), with the header
    # row repeated: a table running onto the next page is two, on consecutive pages.
    headers = [len([e for e in elements(table) if str(e.S) == "/TH"]) for table in tables]
    parts = [headers[0]] + [n for prev, n in itertools.pairwise(headers) if n != prev]
    assert parts == [4, 8, 3]
    assert len(tables) >= len(parts)  # a table running onto the next page is two parts
    for prev, table, before, n in zip(tables, tables[1:], headers, headers[1:], strict=False):
        if n == before:
            assert page_of(pdf, table) == page_of(pdf, prev) + 1


def test_every_figure_has_alt_text(pdf: pikepdf.Pdf, generated: Generated) -> None:
    figures = [e for e in tags(pdf) if str(e.S) == "/Figure"]
    assert len(figures) == 3  # the casualty chart, the daily chart, the map
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert alts[0].startswith("Bar chart of people killed per incident")
    assert alts[1].startswith("Bar chart of people killed per day")
    assert alts[2].startswith("Map of incidents")
    assert all(len(a) > 60 for a in alts)


def test_the_json_is_embedded_as_the_reports_data(pdf: pikepdf.Pdf, generated: Generated) -> None:
    name = generated.files["json"].name
    log = name.replace(".json", ".csv")
    assert sorted(pdf.attachments) == sorted([name, log])
    spec = pdf.attachments[name]
    assert spec.get_file().read_bytes() == generated.files["json"].read_bytes()
    assert spec.obj.AFRelationship == "/Data"
    assert spec.get_file().mime_type == "application/json"
    assert pdf.Root.AF[0].objgen == spec.obj.objgen  # an associated file (PDF/A-3)
    # the full incident log, as CSV, embedded and written beside the PDF
    csv = pdf.attachments[log]
    assert csv.obj.AFRelationship == "/Data"
    assert pdf.Root.AF[1].objgen == csv.obj.objgen
    beside = generated.files["pdf"].with_name(log)
    assert csv.get_file().read_bytes() == beside.read_bytes()


def test_marking_on_every_page_and_furniture_at_the_end(generated: Generated) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(generated.files["pdf"]), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    pages = text.split("\f")[:-1]
    assert len(pages) > 2
    for page in pages:
        assert page.count("TLP:AMBER") >= 2, "marking in the header and the footer"
    last = pages[-1]
    for expected in (
        "Next edition: 3 June 2025, 06:00 UTC",
        "Sahel desk: desk@example.org",
        "Data licence: CC BY 4.0",
        "https://example.org/sitrep/2025-06-02.json",
    ):
        assert expected in last, expected


HTML = (
    '<html lang="en"><head><title>t</title></head><body><h1>Title</h1>'
    "<ul><li>one</li><li>two</li></ul><table><tr><th>a</th></tr><tr><td>1</td></tr>"
    "</table></body></html>"
)


def test_objects_written_once_give_the_same_bytes() -> None:
    """The renderer serialises each PDF object once (pdf._written_once) rather than twice
    as pydyf does for the file identifier: the file must not change by a byte."""
    renderer = WeasyPrintRenderer()
    ours = renderer.render(HTML)
    options = renderer.options()
    document = weasyprint.HTML(string=HTML, base_url=str(ROOT)).render(**options)
    _declare_pdf_ua(document)
    assert ours == document.write_pdf(**options)


def test_attachments_deflated_at_the_default_level_read_back_whole() -> None:
    """Attached files are deflated at zlib's default level (faster than pydyf's 9 for a
    15 MB JSON): a reader gets the same bytes back, with their size and checksum."""
    data = PdfAttachment("t.json", b'{"a": 1}\n' * 5000, "data", NOW)
    renderer = WeasyPrintRenderer()
    ours = renderer.render(HTML, [data])
    options = renderer.options([data])
    document = weasyprint.HTML(string=HTML, base_url=str(ROOT)).render(**options)
    _declare_pdf_ua(document)
    theirs = document.write_pdf(**options)
    with pikepdf.open(io.BytesIO(ours)) as pdf, pikepdf.open(io.BytesIO(theirs)) as level9:
        ours_file = pdf.attachments["t.json"].get_file()
        their_file = level9.attachments["t.json"].get_file()
        assert ours_file.read_bytes() == their_file.read_bytes() == data.data
        assert ours_file.obj.Filter == "/FlateDecode"
        assert ours_file.obj.Params.Size == len(data.data)
        assert ours_file.obj.Params.CheckSum == their_file.obj.Params.CheckSum
        assert str(pdf.Root.AF[0].F) == "t.json"
