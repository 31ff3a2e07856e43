"""Big periods read well: a 30-day period of about 1,000 incidents gives a PDF digest (the
key figures, the developments and the table of the incidents that matter, every other
incident one a line, where the rest is said), with the full log attached as CSV; context
incidents are one line each in every format; a quiet day is one page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from factories import sahel_report
from pypdf import PdfReader
from reading import structure_elements

from sitrep.config import FIGURES_TABLE_LIMIT, Config
from sitrep.model.report import Report
from sitrep.pipeline import build_report
from sitrep.render import render_html, render_markdown
from sitrep.render.digest import one_liners
from sitrep.render.export import COLUMNS
from sitrep.render.formats import FORMATS, RenderJob
from sitrep.store import MemoryStore
from sitrep.summarise.ranking import rank_key, ranked
from sitrep.wording.languages import words_for

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from gen_records import LAST_DAY, generate

START = LAST_DAY - dt.timedelta(days=29)


@pytest.fixture(scope="module")
def big() -> Report:
    """30 days of generated records, 31 a day: 1,029 incidents, 820 with news."""
    loaded = MemoryStore(list(generate(1250, per_day=31))).load()
    return build_report(Config(), start=START, end=LAST_DAY, loaded=loaded,
                        now=dt.datetime(2025, 7, 1, 6, tzinfo=dt.UTC))  # fmt: skip


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def _pdf(report: Report, language: str = "en") -> dict[str, bytes | str]:
    report = report.model_copy(update={"language": language})
    return FORMATS["pdf"].render(RenderJob(report, "big", [], table_limit=FIGURES_TABLE_LIMIT))


@pytest.fixture(scope="module")
def big_pdf(big: Report) -> dict[str, bytes | str]:
    """The big period's PDF (and the CSV beside it), rendered once for the module."""
    return _pdf(big)


def test_ranking_puts_news_and_the_gravest_first(big: Report) -> None:
    order = ranked(big.incidents)
    assert len(order) == sum(1 for i in big.incidents if i.status != "context")
    assert [rank_key(i) for i in order] == sorted(rank_key(i) for i in order)
    news = [i for i in big.incidents if i.status in ("new", "update")]
    assert order[0].severity.rank == max(i.severity.rank for i in news)
    statuses = [i.status for i in order]
    assert "restatement" not in statuses[: statuses.index("restatement")]
    assert all(s == "restatement" for s in statuses[statuses.index("restatement") :])


def test_big_period_pdf_is_a_digest_with_the_full_log_attached(
    big: Report, big_pdf: dict[str, bytes | str]
) -> None:
    ranked_n = len(ranked(big.incidents))
    context = sum(1 for i in big.incidents if i.status == "context")
    assert len(big.incidents) > 1000 and context > 100  # a big period, with a long look-back
    files = big_pdf
    pdf = files["big.pdf"]
    assert isinstance(pdf, bytes)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert 8 <= pages <= 20, pages  # 21 with the charts and the map
    text = _text(pdf)
    left_out = words_for("en").left_out(ranked_n - FIGURES_TABLE_LIMIT, context)
    assert left_out in text
    assert "the full log is in the HTML and JSON editions and the attached CSV" in left_out
    # every incident is in the PDF: in the table or on its line (its place and sources)
    html = render_html(big, [], for_pdf=True)
    top = {i.id for i in ranked(big.incidents)[:FIGURES_TABLE_LIMIT]}
    groups = one_liners(big, words_for("en"), top, only_context=False)
    shown = [line.incident.id for *_, days in groups for _, lines in days for line in lines]
    assert set(shown) | top == {i.id for i in big.incidents}
    assert len(shown) == len(set(shown)) == len(big.incidents) - len(top)
    # one item a line, each a single text run (no id, no inline element: issue 12's speed)
    lists = re.findall(r'<ul class="lines">(.*?)</ul>', html, flags=re.S)
    item = re.compile(r'<li( class="claimed")?>([^<]*)</li>')
    items = [i for block in lists for i in item.findall(block)]
    assert len(items) == len(shown)
    claimed = [text for cls, text in items if cls]
    assert claimed and all("claimed only" in text for text in claimed)
    assert "<article" not in html  # no full entries: they are the HTML edition's
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert sorted(document.attachments) == ["big.csv", "big.json"]
        data = document.attachments["big.csv"].get_file().read_bytes()
        assert document.attachments["big.csv"].obj.AFRelationship == "/Data"
    assert data.decode("utf-8") == files["big.csv"]  # the same as the file beside it
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert list(rows[0]) == list(COLUMNS)
    assert {r["incident"] for r in rows} == {i.id for i in big.incidents}
    assert len(rows) == sum(max(1, len(i.figures)) for i in big.incidents)


def _kids(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    kids = node.get("/K")
    kids = [] if kids is None else kids if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _elements(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    for kid in _kids(node):
        yield kid
        yield from _elements(kid)


def test_one_liners_are_tagged_lists_under_day_headings(
    big: Report, big_pdf: dict[str, bytes | str]
) -> None:
    """In the tagged PDF every one-line entry is a list item (L > LI > LBody) under its
    day's heading (H4), so a screen reader announces the lists and moves by day; table
    rows or bare paragraphs fail this."""
    top = {i.id for i in ranked(big.incidents)[:FIGURES_TABLE_LIMIT]}
    groups = one_liners(big, words_for("en"), top, only_context=False)
    lines = sum(count for _, _, count, _ in groups)
    days = sum(len(by_day) for *_, by_day in groups)
    assert lines == len(big.incidents) - len(top)
    pdf = big_pdf["big.pdf"]
    assert isinstance(pdf, bytes)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tree = list(_elements(document.Root.StructTreeRoot))
        # the one-liners' block on each page (WeasyPrint tags each page's part of a block
        # apart: a page may hold only the end of a day's list, with no heading)
        parents = [e for e in tree if str(e.S) == "/Div" and _kids(e)
                   and {str(k.S) for k in _kids(e)} <= {"/H3", "/H4", "/L"}
                   and any(str(k.S) == "/L" for k in _kids(e))]  # fmt: skip
        headings = [k for e in parents for k in _kids(e) if str(k.S) == "/H4"]
        lists = [k for e in parents for k in _kids(e) if str(k.S) == "/L"]
        items = [k for lst in lists for k in _kids(lst)]
        assert {str(i.S) for i in items} == {"/LI"}
        assert all([str(k.S) for k in _kids(i)] == ["/LBody"] for i in items)
        assert len(items) == lines
    assert len(headings) == days
    assert len(lists) >= days  # a day's list split by a column or page break is two


def test_the_html_edition_holds_the_whole_log(big: Report) -> None:
    html = render_html(big, [])
    current = [i for i in big.incidents if i.status != "context"]
    assert html.count("<article") == len(current)
    assert "matter most" not in html and "listed one a line" not in html


def test_french_digest_has_no_english(big: Report) -> None:
    html = render_html(big.model_copy(update={"language": "fr"}), [], for_pdf=True)
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    assert "le journal complet figure dans les éditions HTML et JSON" in body
    assert "Chaque ligne : lieu, pays" in body and " · revendiqué · [" in body
    for english in ("listed one a line", "matter most", "claimed only", "civilians<",
                    "Each line", " killed<", "more in the HTML"):  # fmt: skip
        assert english not in body, english


def test_context_incidents_are_one_line_in_every_format() -> None:
    report = sahel_report()
    context = [i for i in report.incidents if i.status == "context"]
    assert context
    html = render_html(report, [])
    md = render_markdown(report, [], stem="s")
    for inc in context:
        assert f'<article class="incident status-context" id="inc-{inc.id}">' not in html
        assert f'<li id="inc-{inc.id}">' in html
        assert f"#### {inc.location}" not in md
        line = next(x for x in md.splitlines() if x.startswith("- ") and inc.location in x)
        assert line.count(" · ") >= 3  # date · place · type · figure
    current = [i for i in report.incidents if i.status != "context"]
    assert html.count("<article") == len(current)


QUIET = {
    "id": "mli-timbuktu-2025-06-02", "date": "2025-06-02", "country": "MLI",
    "admin1": "Timbuktu", "location": "Timbuktu", "latitude": 16.77, "longitude": -3.01,
    "event_type": "battles", "sub_event_type": "armed_clash", "perpetrator": "JNIM",
    "target": "FAMa", "title": "Car bomb and firefight at Timbuktu military camp",
    "sources": [{"id": "fama", "name": "FAMa statement", "published": "2025-06-02"},
                {"id": "afp", "name": "AFP", "published": "2025-06-02"}],
    "claims": [
        {"source": "fama", "by": "FAMa", "stance": "official", "group": "state_forces",
         "outcome": "killed", "count": 14, "reported": "2025-06-02"},
        {"source": "afp", "by": "a security source", "stance": "independent",
         "group": "state_forces", "outcome": "killed", "count": "more than 15",
         "reported": "2025-06-02"},
        {"source": "fama", "by": "FAMa", "stance": "official", "group": "armed_group",
         "outcome": "killed", "count": 31, "reported": "2025-06-02"},
    ],
}  # fmt: skip


# What the quiet day's page must still say, in each language: every figure with its speaker
# and sources, both sources, the record id, the map (its caption and its text alternative).
QUIET_MUST_SAY = {
    "en": ["14 (FAMa) [2]", "more than 15 (a security source) [1]", "31 (FAMa; party claim) [2]",
           "[1] AFP, 2 Jun 2025", "[2] FAMa statement, 2 Jun 2025", "mli-timbuktu-2025-06-02",
           "New in the period (1)", "Incidents on the map: 1 new in the period",
           "low 14 from FAMa (14)"],
    "fr": ["14 (FAMa) [2]", "plus de 15 (a security source) [1]",
           "31 (FAMa; revendication d’une partie) [2]", "[1] AFP, 2 juin 2025",
           "[2] FAMa statement, 2 juin 2025", "mli-timbuktu-2025-06-02",
           "Nouveaux dans la période (1)", "Incidents sur la carte : 1 nouveau dans la période",
           "bas 14 selon FAMa (14)"],
}  # fmt: skip
QUIET_MUST_NOT = {
    "en": ["New information on earlier incidents", "CHARTS", "OFFICIAL 14"],
    "fr": ["Nouvelles informations sur des incidents antérieurs", "GRAPHIQUES", "OFFICIEL 14"],
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_quiet_day_is_compact(language: str) -> None:
    """A day with one event is one A4 page, in English and in French (longer): no casualty
    chart or killed table (its table row says it all), no empty headings; the map, drawn for
    its column, beside the period's text and the incident card; the card gives the basis of
    the row's figures (and the record id and sources), not the figures again; sources and
    data quality run in. Nothing is lost: every figure with its speaker, both sources, the
    record id, the map with its text alternative, a tagged table with its headers."""
    from sitrep.render.charts import draw_charts

    report = _quiet_report().model_copy(update={"language": language})
    assert [i.status for i in report.incidents] == ["new"]
    pdf = FORMATS["pdf"].render(RenderJob(report, "quiet", draw_charts(report)))["quiet.pdf"]
    assert isinstance(pdf, bytes)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = _text(pdf)
    assert "Timbuktu" in text
    for heading in words_for(language).status_headings.values():
        assert f"{heading} (0)" not in text  # no empty headings
    for said in QUIET_MUST_SAY[language]:
        assert said in text, said
    for left_out in QUIET_MUST_NOT[language]:  # the casualty chart repeats the table
        assert left_out not in text, left_out
    assert re.search(r"(MAP|Map|CARTE|Carte) ", text)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert str(document.Root.Lang) == language
        tagged = list(structure_elements(document.Root.StructTreeRoot))
        alts = [str(e.get("/Alt", "")) for e in tagged if str(e.S) == "/Figure"]
        assert len(alts) == 1 and "Timbuktu" in alts[0]  # the map, described
        tables = [e for e in tagged if str(e.S) == "/Table"]
        assert [len([h for h in structure_elements(t) if str(h.S) == "/TH"]) for t in tables] == [8]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_quiet_day_with_all_its_furniture_is_one_page(language: str) -> None:
    """Marking, contacts, next edition, licence and data link set: still one page, the
    marking's meaning once at the top (the running footer carries the label below)."""
    from sitrep.config import FurnitureConfig
    from sitrep.render.charts import draw_charts

    furniture = FurnitureConfig(
        marking="tlp:amber", contacts=["Sahel desk: desk@example.org"],
        next_edition="3 June 2025, 06:00 UTC", licence="CC BY 4.0",
        data_url="https://example.org/sitrep/2025-06-02.json",
    )  # fmt: skip
    report = _quiet_report().model_copy(update={"language": language})
    job = RenderJob(report, "quiet", draw_charts(report), furniture=furniture)
    pdf = FORMATS["pdf"].render(job)["quiet.pdf"]
    assert isinstance(pdf, bytes)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = _text(pdf)
    for said in ("desk@example.org", "CC BY 4.0", "2025-06-02.json", "3 June 2025, 06:00 UTC"):
        assert said in text, said
    meaning = words_for(language).marking_meaning("TLP:AMBER")
    assert text.count("TLP:AMBER") >= 2 and text.count(meaning[:25]) == 1


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_example_timbuktu_record_alone_is_one_page(language: str, tmp_path: Path) -> None:
    """A heavier one-event day, from the example's own data: the Timbuktu record (a long
    summary, four sources, conflicting official figures, a party claim) is one page too."""
    from sitrep.config import load_config
    from sitrep.pipeline import generate

    data = tmp_path / "data"
    data.mkdir()
    example = Path(__file__).resolve().parent.parent / "examples" / "sahel-2025-06"
    (data / "timbuktu.yaml").write_bytes((example / "mali" / "timbuktu.yaml").read_bytes())
    config = load_config(tmp_path).with_overrides(data=data, output=tmp_path / "out")
    done = generate(config, start=dt.date(2025, 6, 2), formats=["pdf"], language=language,
                    now=dt.datetime(2025, 6, 3, 6, tzinfo=dt.UTC))  # fmt: skip
    pdf = done.files["pdf"].read_bytes()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = _text(pdf)
    for said in ("mli-timbuktu-2025-06-02", "[4] JNIM statement", "14 (FAMa;", "13 (FAMa;"):
        assert said in text, said


def _quiet_report() -> Report:
    day = dt.date(2025, 6, 2)
    return build_report(Config(), start=day, end=day, loaded=MemoryStore([QUIET]).load(),
                        now=dt.datetime(2025, 6, 3, 6, tzinfo=dt.UTC))  # fmt: skip


def test_the_legend_explains_only_the_marks_the_table_prints() -> None:
    """The quiet day's table has silent sides, an open high (16+) and source numbers, but
    no contradiction and no statement without a figure: its legend says what —, + and [n]
    mean, and nothing about ⚠ or 'no toll given' (the example report's legend, which uses
    every mark, is the golden HTML's)."""
    report = _quiet_report()
    html = render_html(report, [])
    legend = html.split('<dl class="legend">')[1].split("</dl>")[0]
    md = render_markdown(report, [], stem="q")
    md_legend = next(x for x in md.splitlines() if "numbers in the source list" in x)
    for text in (legend, md_legend):
        assert "nobody on that side said anything" in text
        assert "no upper bound" in text and "numbers in the source list" in text
        assert "cannot all be true" not in text and "no toll given" not in text
    assert "party claim" in legend and "claimed only" in legend  # the flags it uses


def test_the_json_describes_the_casualty_chart_as_the_other_formats_draw_it(big: Report) -> None:
    """A big period's casualty chart shows the incidents that matter; the JSON's text of
    it says so and describes those bars, the drawn chart's own text alternative, not every
    killed row of the period."""
    import json

    from sitrep.render.charts import draw_casualty_chart
    from sitrep.render.digest import charted

    limit = 7
    data = json.loads(FORMATS["json"].render(RenderJob(big, "big", [], table_limit=limit))
                      ["big.json"])  # fmt: skip
    [text] = [c["text"] for c in data["charts"] if c["name"] == "casualties"]
    scope = words_for("en").chart_scope(limit, len(ranked(big.incidents)))
    drawn = draw_casualty_chart(charted(big, limit))
    assert drawn is not None
    assert text == f"{scope} {drawn.alt}"
    assert len(text) < len(words_for("en").chart_texts(big)[0]["text"]) / 5
    # a report that is not big: the whole report's text, with no scope
    whole = FORMATS["json"].render(RenderJob(big, "big", [], table_limit=10_000))["big.json"]
    assert json.loads(whole)["charts"] == words_for("en").chart_texts(big)


def test_the_configured_table_limit_is_what_every_format_says_the_chart_shows(
    big: Report,
) -> None:
    from sitrep.render.style import Chart

    bars = Chart("casualties", "Killed", '<svg xmlns="http://www.w3.org/2000/svg"/>', "bars")
    job = RenderJob(big, "big", [bars], table_limit=7)
    scope = words_for("en").chart_scope(7, len(ranked(big.incidents)))
    markdown = str(FORMATS["md"].render(job)["big.md"])
    html = str(FORMATS["html"].render(job)["big.html"])
    assert scope in " ".join(markdown.split())
    assert scope in " ".join(html.split())
