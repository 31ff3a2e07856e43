"""Reading without strain and without colour: no text under 8 pt, every text colour of the
stylesheet at WCAG AA on its backgrounds, Okabe-Ito stances with a shape each, and a
text alternative for every chart."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from factories import one_incident_report, sahel_report

from sitrep.model.records import Stance
from sitrep.render import environment
from sitrep.render.charts import draw_charts
from sitrep.render.style import (
    ESTIMATE_COLOUR,
    INK,
    OKABE_ITO,
    STANCE_COLOURS,
    STANCE_MARKERS,
    STANCE_TEXT,
    Chart,
    contrast_ratio,
)
from sitrep.summarise.daily import daily_counts

AA_TEXT = 4.5  # WCAG 2.1 1.4.3, normal text
AA_GRAPHICS = 3.0  # WCAG 2.1 1.4.11, marks a reader must tell apart
MIN_PT = 8.0
COLOUR = r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b"


def rules(css: str) -> list[tuple[str, str]]:
    """(selector, declarations) of every innermost block (margin boxes of @page included)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [(m[1].split(";")[-1].strip(), m[2]) for m in re.finditer(r"([^{}]*)\{([^{}]*)\}", css)]


def declared(block: str, prop: str) -> str | None:
    found = re.search(rf"(?<![-\w]){prop}\s*:\s*({COLOUR})", block)
    return found[1] if found else None


@pytest.fixture(scope="module")
def sheet() -> list[tuple[str, str]]:
    return rules(environment.load_css())


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast_ratio("#000", "#fff") == pytest.approx(21.0)
    assert contrast_ratio("#fff", "#fff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    # the failing footer grey: 2.9:1
    assert contrast_ratio("#8d99a6", "#ffffff") == pytest.approx(2.9, abs=0.05)


def test_no_text_under_8pt(sheet: list[tuple[str, str]]) -> None:
    sizes = [
        (selector, float(size))
        for selector, block in sheet
        for size in re.findall(r"font(?:-size)?\s*:[^;]*?(\d+(?:\.\d+)?)pt", block)
    ]
    assert sizes, "no font sizes found: the parser is broken"
    small = [(s, v) for s, v in sizes if v < MIN_PT]
    assert not small, f"text under {MIN_PT} pt: {small}"
    assert not re.search(r"font-size\s*:\s*[\d.]+(px|em|%|rem)", environment.load_css()), (
        "font sizes in pt only, so this test sees them all"
    )


def test_every_text_colour_reaches_aa(sheet: list[tuple[str, str]]) -> None:
    white = "#ffffff"
    light = {white} | {
        bg
        for _, block in sheet
        if (bg := declared(block, "background") or declared(block, "background-color"))
        and contrast_ratio(bg, "#000") > 17  # the pale panels any text may sit on
    }
    failures = []
    pairs = 0
    for selector, block in sheet:
        fg = declared(block, "color")
        bg = declared(block, "background") or declared(block, "background-color")
        backgrounds = [bg] if bg else sorted(light)
        fgs = [fg] if fg else ([INK] if bg else [])
        for f in fgs:
            for b in backgrounds:
                pairs += 1
                ratio = contrast_ratio(f, b)
                if ratio < AA_TEXT:
                    failures.append(f"{selector}: {f} on {b} is {ratio:.2f}:1")
    assert pairs > 80, "too few colour pairs found: the parser is broken"
    assert not failures, "\n".join(failures)


def test_stances_are_okabe_ito_with_a_shape_and_readable_text() -> None:
    assert set(STANCE_COLOURS.values()) <= set(OKABE_ITO.values())
    assert len(set(STANCE_MARKERS.values())) == len(Stance)
    for stance in Stance:
        assert contrast_ratio(STANCE_COLOURS[stance], "#ffffff") >= AA_GRAPHICS, stance
        assert contrast_ratio(STANCE_TEXT[stance], "#ffffff") >= AA_TEXT, stance
        assert contrast_ratio(STANCE_TEXT[stance], "#eef1f4") >= AA_TEXT, stance
    assert contrast_ratio(ESTIMATE_COLOUR, "#ffffff") >= AA_GRAPHICS
    css = environment.load_css().lower()
    for stance in Stance:  # the table says the stance in words and in its text colour
        assert re.search(rf"th\.{stance.value} \{{[^}}]*color: {STANCE_TEXT[stance]}", css)


def svg_font_sizes(chart: Chart) -> list[float]:
    """The font size of every text of the chart, in px (its ``font-size`` attribute)."""
    root = ET.fromstring(chart.svg)
    return [float(t.get("font-size", "").removesuffix("px"))
            for t in root.iter("{http://www.w3.org/2000/svg}text")]  # fmt: skip


@pytest.fixture(scope="module")
def charts() -> dict[str, Chart]:
    report = sahel_report()
    daily = daily_counts(report.incidents, report.period.end)
    return {c.name: c for c in draw_charts(report.model_copy(update={"daily": daily}))}


def test_charts_text_at_8pt_and_marks_by_shape(charts: dict[str, Chart]) -> None:
    for name in ("casualties", "daily"):
        sizes = svg_font_sizes(charts[name])
        assert sizes and min(sizes) >= MIN_PT, (name, sorted(set(sizes)))
    root = ET.fromstring(charts["casualties"].svg)
    markers = {d.get("id", "") for d in root.iter("{http://www.w3.org/2000/svg}defs")
               for d in d.iter() if d.get("id", "").startswith("m")}  # fmt: skip
    assert len(markers) >= len(Stance), "a marker shape per stance"


def test_every_chart_has_a_text_alternative(charts: dict[str, Chart]) -> None:
    assert set(charts) == {"casualties", "daily", "map"}
    for chart in charts.values():
        assert len(chart.alt) > 60 and chart.title, chart.name
    assert "Burkina Faso" in charts["daily"].alt and "claimed" in charts["daily"].alt


def test_no_daily_chart_without_incidents_in_the_30_days() -> None:
    report = one_incident_report()
    assert "daily" not in [c.name for c in draw_charts(report)]
    later = report.period.end + dt.timedelta(days=40)
    assert daily_counts(report.incidents, later) == []
