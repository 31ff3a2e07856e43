"""The French edition: French grammar, dates and numbers, the template catalog, the CLI,
e-mail for a French subscriber, and a French PDF with no English sentence left."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from factories import empty_report, sahel_report

from sitrep.config import Config
from sitrep.deliver.messages import Attachment, Composer
from sitrep.deliver.subscribers import Subscriber
from sitrep.model.counts import parse_count
from sitrep.model.records import Group, Outcome
from sitrep.model.report import ReportFilter
from sitrep.render.charts import Chart, draw_charts
from sitrep.render.documents import render_markdown
from sitrep.render.environment import md_escape
from sitrep.summarise.daily import daily_counts
from sitrep.wording import furniture, headline, labels, words_for
from sitrep.wording.catalog import locale_dir, translations
from sitrep.wording.charts import ChartWords
from sitrep.wording.french import grammar
from sitrep.wording.maps import MapWords

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sahel-2025-06"
FR = words_for("fr")

# Words that stay English in the French edition, and why (the test lists them rather than
# skipping them; each is a known gap, see docs/languages.md).
KNOWN_ENGLISH: set[str] = set()  # none left: the charts and the map are French too


def chart_texts() -> list[str]:
    """Every English text of the casualty and daily charts and of the map: titles, axis,
    legends, headings and the frames of their text alternatives."""
    texts: list[str] = []
    for name, value in [*vars(ChartWords).items(), *vars(MapWords).items()]:
        if name.startswith("_"):
            continue
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            texts += value.values()
        elif isinstance(value, tuple):
            texts += value
    return texts


def english_phrases() -> set[str]:
    """Every English template string (the catalog's msgids) and every English wording
    constant a reader reads, as phrases of at least two words (placeholders cut out)."""
    with (locale_dir() / "sitrep.pot").open("rb") as f:
        msgids = [m.id for m in read_po(f) if m.id]
    texts: list[str] = []
    for m in msgids:
        texts += list(m) if isinstance(m, tuple) else [m]
    texts += [f.meaning for f in labels.FLAGS.values()] + [f.tag for f in labels.FLAGS.values()]
    texts += [*labels.STATUS_HEADINGS.values(), labels.NO_FIGURE, *headline.SAYS.values()]
    texts += [furniture.SEVERITY_UNKNOWN, *furniture.TLP_MEANINGS.values(), *chart_texts()]
    phrases = set()
    for text in texts:
        for part in re.split(r"%\(\w+\)s|\{\w+\}|[;:()“”\[\]\n]", text):
            part = " ".join(part.split()).strip(" .,")
            if len(part.split()) >= 2:
                phrases.add(part)
    return phrases


def test_french_grammar_agrees_in_number_and_gender() -> None:
    more = grammar.count(parse_count("more than 30"))
    assert grammar.passive(more, Group.STATE_FORCES, Outcome.KILLED) == (
        "plus de 30 soldats ont été tués")
    assert grammar.passive("1", Group.UNKNOWN, Outcome.ARRESTED) == "1 personne a été arrêtée"
    assert grammar.people("de nombreux", Group.UNKNOWN) == "de nombreuses personnes"
    assert grammar.people("des dizaines", Group.ARMED_GROUP) == "des dizaines d’assaillants"


def test_french_dates_and_numbers_come_from_babel() -> None:
    assert FR.date(dt.date(2025, 6, 2)) == "2 juin 2025"
    assert FR.date(dt.date(2025, 6, 1)) == "1er juin 2025"
    assert FR.num(1234) == "1\u202f234"  # CLDR's narrow no-break space
    assert words_for("en").num(1234) == "1,234"


def test_french_count_words_are_parsed_and_worded_in_french() -> None:
    assert grammar.count(parse_count("plus de 30")) == "plus de 30"
    assert grammar.count(parse_count("des dizaines")) == "des dizaines"


def test_french_sentences_of_the_sahel_report() -> None:
    report = sahel_report().model_copy(update={"language": "fr"})
    text = " ".join(FR.developments(report))
    assert "a dit avoir tué" in text or "ont été tués" in text
    assert not re.search(r"\b(said|killed|were|was|soldiers)\b", text)


def test_english_is_unchanged_and_markdown_is_french(tmp_path: Path) -> None:
    report = sahel_report()
    english = render_markdown(report, [], stem="x")
    french = render_markdown(report.model_copy(update={"language": "fr"}), [], stem="x")
    assert "## Key developments" in english and "## Faits marquants" in french
    # record text is data, and data-quality problems are English diagnostics (Words.problem)
    french = french.split("## Qualité des données")[0]
    for inc in report.incidents:
        french = french.replace(md_escape(inc.summary or ""), "")
    left = [p for p in english_phrases() if p in french and not known(p)]
    assert not left, left


def test_french_subscriber_gets_french_email(tmp_path: Path) -> None:
    report = sahel_report().model_copy(update={"language": "fr"})
    who = Subscriber(email="aicha@example.org", name="Aïcha", language="fr")
    subject, text, html, language = Composer(Config(root=tmp_path)).render(report, who, [])
    assert language == "fr"
    assert "juin 2025" in subject and "Bonjour Aïcha" in text and "Faits marquants" in html
    assert "FAITS MARQUANTS" in text and "Hello" not in text + html


def email_msgids() -> list[str]:
    """The strings of the e-mail templates, as ``make i18n`` extracts them (plurals: the
    singular and the plural)."""
    found: list[str] = []
    for path in sorted((ROOT / "templates" / "email").iterdir()):
        for _, message, _, _ in extract_from_file(
            "jinja2.ext:babel_extract", str(path), options={"extensions": "jinja2.ext.i18n"}
        ):
            found += list(message) if isinstance(message, tuple) else [message]
    return found


def test_french_email_is_the_one_template_through_the_catalog(tmp_path: Path) -> None:
    # one template per format: no French copy, the French words come from the catalog
    assert sorted(p.name for p in (ROOT / "templates" / "email").iterdir()) == [
        "body.html", "body.txt", "subject.txt"]  # fmt: skip
    ids = email_msgids()
    assert len(ids) > 15
    composer = Composer(Config(root=tmp_path))
    docs = []
    pdf = Attachment("sitrep-2025-06-02.fr.pdf", b"%PDF-1.7", "application", "pdf")
    mali = ReportFilter(countries=frozenset({"MLI"}))
    for report, name in ((sahel_report(filter=mali), "Aïcha"), (empty_report(), "")):
        french = report.model_copy(update={"language": "fr"})
        who = Subscriber(email="aicha@example.org", name=name, language="fr")
        subject, text, html, language = composer.render(french, who, [pdf])
        assert language == "fr"
        docs += [subject, text, html]
    catalog = translations("fr")
    for msgid in ids:
        english = msgid.split("%(")[0].strip(" ,:.")
        french = catalog.gettext(msgid).split("%(")[0].strip(" ,:.\u202f")
        assert french != english or not english, msgid  # translated
        if french:
            assert any(french in doc or french.upper() in doc for doc in docs), french
        if len(english.split()) >= 2:
            assert not any(english in doc for doc in docs), english


def test_generate_language_fr_writes_the_french_edition(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "sitrep", "generate", "--data", str(EXAMPLE), "--date",
           "2025-06-02", "--language", "fr", "--format", "md,json", "--out", str(tmp_path)]
    subprocess.run(run, check=True, capture_output=True, cwd=tmp_path)  # fmt: skip
    data = json.loads((tmp_path / "sitrep-2025-06-02.fr.json").read_text(encoding="utf-8"))
    assert data["language"] == "fr"
    assert data["period"]["label"] == "2 juin 2025"
    assert any("a dit avoir tué 200 soldats" in d for d in data["developments"])
    md = (tmp_path / "sitrep-2025-06-02.fr.md").read_text(encoding="utf-8")
    assert "Chiffres clés" in md
    # every chart in words, in French: the JSON's charts, the Markdown's alt text and captions
    assert [c["name"] for c in data["charts"]] == ["casualties", "daily"]
    alts = re.findall(r"!\[([^\]]*)\]\(([^)]*)\)", md)
    assert [a for a, _ in alts[:2]] == [c["text"] for c in data["charts"]]
    assert all(c["title"] in md for c in data["charts"])
    assert alts[0][0].startswith("Graphique en barres des personnes tuées par incident")
    phrases = english_phrases()
    for chart in data["charts"]:
        text = chart["title"] + " " + chart["text"]
        assert not [p for p in phrases if p in text], chart["name"]


def test_french_pdf_has_no_english_left(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "sitrep", "generate", "--data", str(EXAMPLE), "--date",
           "2025-06-02", "--language", "fr", "--format", "pdf,json", "--out", str(tmp_path)]
    subprocess.run(run, check=True, capture_output=True, cwd=tmp_path)  # fmt: skip
    pypdf = pytest.importorskip("pypdf")
    pages = pypdf.PdfReader(tmp_path / "sitrep-2025-06-02.fr.pdf").pages
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pages)
    for data in record_text(json.loads((tmp_path / "sitrep-2025-06-02.fr.json").read_text())):
        text = text.replace(" ".join(data.split()), "")  # record text is the data's own words
    phrases = english_phrases()
    assert len(phrases) > 100  # the list is built, not hand-picked
    left = sorted(p for p in phrases if p in text and not known(p))
    assert not left, left
    assert not KNOWN_ENGLISH or any(p in text for p in KNOWN_ENGLISH), "empty KNOWN_ENGLISH"
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(tmp_path / "sitrep-2025-06-02.fr.pdf") as pdf:
        alts = [str(e.get("/Alt", "")) for e in tagged(pdf.Root.StructTreeRoot, pikepdf)
                if str(e.get("/S")) == "/Figure"]  # fmt: skip
    assert len(alts) == 3 and all(alts)
    assert any(a.startswith("Carte des incidents") for a in alts)
    for alt in alts:
        assert not [p for p in phrases if p in alt], alt


def tagged(node: Any, pikepdf: Any) -> Iterator[Any]:
    """Every structure element of a tagged PDF under ``node``, in reading order."""
    kids = node.get("/K")
    for kid in [] if kids is None else kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from tagged(kid, pikepdf)


def test_french_charts_are_french_with_babel_dates_and_numbers() -> None:
    report = sahel_report().model_copy(update={"language": "fr"})
    report = report.model_copy(update={"daily": daily_counts(report.incidents, report.period.end)})
    drawn = {c.name: c for c in draw_charts(report)}
    casualties, daily = svg_words(drawn["casualties"]), svg_words(drawn["daily"])
    for expected in ("14 revendiqués", "personnes tuées", "Nouveaux dans la période",
                     "Incidents antérieurs", "bas crédible", "officiel", "Boulkessi, 1er juin",
                     "forces de l’État", "conjoint\u202f: Tahoua + Dosso"):
        assert expected in casualties, expected  # fmt: skip
    for expected in ("2 juin", "5 mai", "Estimation crédible (bas)", "revendiqué seulement"):
        assert expected in daily, expected
    phrases = english_phrases()
    for chart in (drawn["casualties"], drawn["daily"]):
        words = " ".join([*svg_words(chart), chart.title, chart.alt])
        assert not [p for p in phrases if p in words], chart.name
    day = "Jours avec un bilan\u202f: 15 mai Burkina Faso 0 (revendiqués 200)"
    assert day in drawn["daily"].alt
    chart_words = FR.charts()
    claimed = next(r for r in report.table if r.claimed_only and r.high)
    big = claimed.model_copy(update={"high": 1234, "high_open": False})
    assert chart_words.value_text(big) == "1\u202f234 revendiqués"
    assert chart_words.value_text(big.model_copy(update={"high": 1})) == "1 revendiqué"
    assert chart_words.num(12000.0) == "12\u202f000"  # an axis tick
    assert chart_words.day_label(dt.date(2025, 6, 1)) == "1er juin"
    assert words_for("en").charts().num(12000.0) == "12,000"


def svg_words(chart: Chart) -> list[str]:
    """The texts drawn in a chart's SVG."""
    root = ET.fromstring(chart.svg)
    return ["".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")]


def known(phrase: str) -> bool:
    """A phrase of a string listed in KNOWN_ENGLISH."""
    return any(phrase in k for k in KNOWN_ENGLISH)


def record_text(data: object) -> list[str]:
    """The record text of the JSON report (summaries, titles, quotes): the data's words."""
    if isinstance(data, dict):
        own = [v for k, v in data.items() if k in ("summary", "title", "quote") and v]
        return own + [t for v in data.values() for t in record_text(v)]
    if isinstance(data, list):
        return [t for v in data for t in record_text(v)]
    return []


@pytest.mark.parametrize(("language", "label"), [("en", "Killed (credible figures)"),
                                                 ("fr", "Tués (chiffres crédibles)")])
def test_the_killed_trend_says_it_counts_credible_figures(language: str, label: str) -> None:
    """A trend's killed figure adds up credible figures only: labelled so in every format,
    so that '0' on a day of claims alone is not read as nobody killed."""
    from sitrep.render.jsonreport import render_json

    report = sahel_report(language=language)
    assert any(t.metric == "killed" for t in report.trends)
    text = " ".join(render_markdown(report, [], stem="s").split())
    assert f"{label.lower()}: " in text
    data = json.loads(render_json(report))
    assert [t["label"] for t in data["trends"] if t["metric"] == "killed"] == [label]
