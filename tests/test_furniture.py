"""The furniture of a report: marking, contacts, next edition, licence and data link from
``[furniture]``; 'not yet known' severities; no empty headings or columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from factories import one_incident_report, sahel_report

from sitrep import render
from sitrep.config import Config, FurnitureConfig, load_config
from sitrep.deliver.messages import Composer
from sitrep.deliver.subscribers import Subscriber
from sitrep.errors import ConfigError
from sitrep.model.report import Report, Severity

FURNITURE = FurnitureConfig(
    marking="TLP:AMBER+STRICT",
    contacts=["Sahel desk: desk@example.org"],
    next_edition="3 June 2025, 06:00 UTC",
    licence="CC BY 4.0",
    data_url="https://example.org/data.json",
)


@pytest.mark.parametrize(
    ("given", "kept"),
    [("tlp:amber", "TLP:AMBER"), ("TLP: RED", "TLP:RED"), ("For NGO  use only", "For NGO use only"),
     ("TLP:AMBER+STRICT", "TLP:AMBER+STRICT"), ("  ", None)],
)  # fmt: skip
def test_marking_is_a_tlp_label_or_free_text(given: str, kept: str | None) -> None:
    assert FurnitureConfig(marking=given).marking == kept


@pytest.mark.parametrize(
    "section",
    ['marking = "TLP:WHITE"', 'data_url = "ftp://example.org/x"', 'contact = ["x"]'],
)
def test_bad_furniture_is_refused_with_the_setting_named(tmp_path: Path, section: str) -> None:
    (tmp_path / "sitrep.toml").write_text(f"[furniture]\n{section}\n")
    with pytest.raises(ConfigError, match=r"furniture\.(marking|data_url|contact)"):
        load_config(tmp_path)


def test_markdown_and_html_carry_the_furniture() -> None:
    report = sahel_report()
    md = render.render_markdown(report, [], stem="s", furniture=FURNITURE)
    html = render.render_html(report, [], furniture=FURNITURE)
    assert md.startswith("**TLP:AMBER+STRICT** Limited disclosure")
    assert md.rstrip().endswith("**TLP:AMBER+STRICT**")
    for text in ("Next edition", "3 June 2025, 06:00 UTC", "Sahel desk: desk@example.org",
                 "CC BY 4.0", "https://example.org/data.json"):  # fmt: skip
        assert text in html
    assert html.count('class="marking-label tlp tlp-amber"') == 2
    assert '<a href="https://example.org/data.json">' in html


def test_no_furniture_configured_prints_none() -> None:
    html = render.render_html(sahel_report(), [])
    assert "marking" not in re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    assert "Next edition" not in html and "Data licence" not in html


def test_severity_not_yet_known_without_a_figure() -> None:
    base = one_incident_report()
    silent = base.incidents[0].model_copy(update={"figures": [], "severity": Severity.MINOR})
    md = render.render_markdown(base.model_copy(update={"incidents": [silent]}), [], stem="s")
    assert "severity not yet known" in md and "severity minor" not in md
    # a reported zero is a figure: minor
    zero = base.incidents[0].figures[0].model_copy(update={"low": 0, "best": 0, "high": 0})
    calm = silent.model_copy(update={"figures": [zero]})
    md = render.render_markdown(base.model_copy(update={"incidents": [calm]}), [], stem="s")
    assert "severity minor" in md


def test_quiet_day_is_compact_without_empty_headings() -> None:
    report = one_incident_report()
    html = render.render_html(report, [], for_pdf=True)
    assert '<body class="pdf compact">' in html
    md = render.render_markdown(report, [], stem="s")
    assert "### Updates" not in md and "(0)" not in md
    assert "No new information on earlier incidents." in md


def test_sources_without_addresses_have_no_address_column() -> None:
    report = sahel_report()
    bare = report.model_copy(
        update={"sources": [s.model_copy(update={"url": None}) for s in report.sources]}
    )
    assert "<th>Address</th>" in render.render_html(report, [])
    assert "<th>Address</th>" not in render.render_html(bare, [])


def test_merged_records_named_once() -> None:
    report: Report = sahel_report()
    md = render.render_markdown(report, [], stem="s")
    merged = next(m for m in report.data_quality.merges if len(m.records) > 1)
    line = next(
        line for line in md.splitlines() if line.startswith("- **") and merged.records[1] in line
    )
    assert line.count(merged.records[1]) == 1, line


def test_email_subject_starts_with_the_marking(tmp_path: Path) -> None:
    config = Config(root=tmp_path, furniture=FURNITURE)
    subscriber = Subscriber(email="aicha@example.org", name="Aïcha")
    subject, *_ = Composer(config).render(sahel_report(), subscriber, [])
    assert subject.startswith("[TLP:AMBER+STRICT] Sahel situation report - 1 June 2025")
    plain, *_ = Composer(Config(root=tmp_path)).render(sahel_report(), subscriber, [])
    assert plain.startswith("Sahel situation report - ")


def test_the_marking_is_explained_in_the_edition_language() -> None:
    """A TLP label's meaning is in the report's language: every label in English and in
    French, none left in English in a French edition."""
    from sitrep.config import TLP_MARKINGS
    from sitrep.wording.languages import words_for

    for language in ("en", "fr"):
        meanings = [words_for(language).marking_meaning(m) for m in TLP_MARKINGS]
        assert all(meanings) and len(set(meanings)) == len(TLP_MARKINGS)
    assert words_for("fr").marking_meaning("For NGO use only") == ""
    report = sahel_report().model_copy(update={"language": "fr"})
    md = render.render_markdown(report, [], stem="s", furniture=FURNITURE)
    assert md.startswith("**TLP:AMBER+STRICT** Diffusion limitée : les destinataires")
    assert "Limited disclosure" not in md
    assert "**Prochaine édition\u202f:** 3 June 2025" in md  # French typography: " :"
