"""Charts and the incident map: valid, deterministic SVG that says what the report says."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from factories import (
    DJIBO,
    TAHOUA,
    TIMBUKTU,
    empty_report,
    one_incident_report,
    sahel_report,
)

from sitrep.model.report import Report
from sitrep.render import charts, maps
from sitrep.render.charts import Chart, draw_charts
from sitrep.summarise.charted import charted_rows, period_incidents
from sitrep.wording import words_for

value_text = words_for("en").charts().value_text

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(chart: Chart) -> list[str]:
    root = ET.fromstring(chart.svg)
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


@pytest.fixture(scope="module")
def drawn() -> dict[str, Chart]:
    return {c.name: c for c in draw_charts(sahel_report())}


def test_draws_casualty_chart_and_map(drawn: dict[str, Chart]) -> None:
    assert list(drawn) == ["casualties", "map"]
    for chart in drawn.values():
        root = ET.fromstring(chart.svg)  # valid XML
        assert root.tag == f"{SVG}svg"
        assert chart.title and chart.alt


def test_svg_is_deterministic(drawn: dict[str, Chart]) -> None:
    again = {c.name: c for c in draw_charts(sahel_report())}
    assert again == drawn
    for chart in drawn.values():
        assert "<dc:date>" not in chart.svg


def test_charts_are_styled_by_presentation_attributes() -> None:
    """Every style is written as attributes (WeasyPrint tokenises each ``style`` as CSS):
    the style sheet's round joins and butt caps on each styled element, its own values
    winning; text content is left alone, and an SVG with another sheet as it is."""
    from sitrep.render.style import presentation_attributes

    sheet = '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'
    raw = (f'<svg><defs>{sheet}</defs><g id="a"><path d="M 0 0\nL 1 1" '
           'style="fill: none; stroke: #d55e00; stroke-linejoin: miter"/>'
           '<text x="1" style="font-size: 6px; font-family: \'DejaVu Sans\', sans-serif">'
           'x style="fill: red"</text></g></svg>')  # fmt: skip
    assert presentation_attributes(raw) == (
        '<svg><defs></defs><g id="a"><path d="M 0 0\nL 1 1" stroke-linejoin="miter" '
        'stroke-linecap="butt" fill="none" stroke="#d55e00"/><text x="1" '
        'stroke-linejoin="round" stroke-linecap="butt" font-size="6px" '
        'font-family="\'DejaVu Sans\', sans-serif">x style="fill: red"</text></g></svg>'
    )
    other = raw.replace("stroke-linecap: butt}", "stroke-linecap: round}")
    assert presentation_attributes(other) == other
    for chart in draw_charts(sahel_report()):
        assert " style=" not in chart.svg and "<style" not in chart.svg, chart.name


@pytest.mark.pdf
def test_presentation_attributes_draw_the_same_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint draws each chart and the map pixel for pixel the same with matplotlib's
    ``style`` attributes and with the presentation attributes they become."""
    import base64
    import subprocess

    import weasyprint

    from sitrep.render import style

    def pixels(svg: str) -> bytes:
        url = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        pdf = weasyprint.HTML(string=f'<img src="{url}" style="width: 18cm">').write_pdf()
        return subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-"],
                              input=pdf, capture_output=True, check=True).stdout  # fmt: skip

    report = sahel_report()
    converted = draw_charts(report)
    monkeypatch.setattr(style, "presentation_attributes", lambda svg: svg)
    raw = draw_charts(report)
    assert [c.name for c in raw] == [c.name for c in converted] == ["casualties", "map"]
    for before, after in zip(raw, converted, strict=True):
        assert " style=" in before.svg and before.svg != after.svg
        assert pixels(before.svg) == pixels(after.svg), after.name


def test_casualty_chart_shows_figures(drawn: dict[str, Chart]) -> None:
    texts = svg_texts(drawn["casualties"])
    for expected in ("31+", "14 claimed", "200 claimed", "40 claimed", "5 (up to 60)", "101+"):
        assert expected in texts, expected
    assert any("joint: Tahoua + Dosso" in t for t in texts)
    assert "Sirakorola" not in " ".join(texts)  # no figure: not charted
    alt = drawn["casualties"].alt
    assert "Timbuktu, 2 Jun, armed group: 14 claimed" in alt  # the army on its enemy
    assert "Djibo, mid-May, state forces: 200 claimed" in alt


def hatched_rows(chart: Chart) -> list[str]:
    """The y-axis labels of the rows whose bar is filled with a hatch pattern defined in the
    SVG and outlined in the claimed colour (the legend's sample is outside the plot area)."""
    root = ET.fromstring(chart.svg)
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern") if p.find(f"{SVG}path") is not None}
    labels = y_labels(chart)
    claimed = charts.STANCE_COLOURS[charts.Stance.CLAIMED]
    found = []
    for path in root.iter(f"{SVG}path"):
        fill = re.fullmatch(r"url\(#(\w+)\)", path.get("fill", ""))
        clipped = path.get("clip-path", "").startswith("url(#")
        if not (fill and fill[1] in patterns and clipped and path.get("stroke") == claimed):
            continue
        ys = [float(y) for y in re.findall(r"[ML] [-\d.]+ ([-\d.]+)", path.get("d", ""))]
        middle = (min(ys) + max(ys)) / 2
        found.append(min(labels, key=lambda label: abs(label[1] - middle))[0])
    return found


def y_labels(chart: Chart) -> list[tuple[str, float]]:
    """The casualty chart's y-axis labels (their first line: "Djibo, mid-May") with the
    height of that line in the SVG, top to bottom."""
    root = ET.fromstring(chart.svg)
    out = []
    for tick in root.iter(f"{SVG}g"):
        text = tick.find(f".//{SVG}text") if tick.get("id", "").startswith("ytick_") else None
        if text is not None:
            where = re.search(r"translate\([-\d.]+ ([-\d.]+)\)", text.get("transform", ""))
            assert where, text.attrib
            out.append((text.text or "", float(where[1])))
    return out


def text_y(chart: Chart, words: str) -> float:
    """The height in the SVG of a text drawn with x/y attributes (a heading)."""
    root = ET.fromstring(chart.svg)
    return next(float(t.get("y", "")) for t in root.iter(f"{SVG}text") if t.text == words)


def test_claimed_only_rows_are_hatched(drawn: dict[str, Chart]) -> None:
    # Djibo (200) and Dioura (40) have only JNIM's claim, Timbuktu (14) only the army's count
    # of its enemy's dead (a party claim): a hatched bar each, and no other bar
    assert hatched_rows(drawn["casualties"]) == [
        "Timbuktu, 2 Jun",
        "Djibo, mid-May",
        "Dioura, 24 May",
    ]


def test_the_periods_incidents_come_first_under_headings() -> None:
    # the table lists Ménaka, Ouallam and more of the period after the updates on Djibo and
    # Dioura: the chart moves them up
    report = sahel_report()
    new = period_incidents(report)
    in_table = [bool(new.intersection(r.incidents)) for r in report.table]
    assert in_table != sorted(in_table, reverse=True), "the table mixes them: a real test"
    rows = charted_rows(report)
    in_period = [bool(new.intersection(r.incidents)) for r in rows]
    assert in_period == sorted(in_period, reverse=True), "the period's incidents first"
    chart = {c.name: c for c in draw_charts(report)}["casualties"]
    labels = y_labels(chart)
    assert [name for name, _ in labels] == [
        words_for("en").charts().row_label(r).split("\n")[0] for r in rows
    ]
    heights = [y for _, y in labels]
    assert heights == sorted(heights)
    split = in_period.index(False)
    assert text_y(chart, "New in the period") < heights[0]
    assert heights[split - 1] < text_y(chart, "Earlier incidents") < heights[split]
    assert "New in the period: " in chart.alt and ". Earlier incidents: " in chart.alt


def test_value_text() -> None:
    report = sahel_report()
    rows = {(r.incident, r.group.value): r for r in report.table if r.outcome.value == "killed"}
    assert value_text(rows[(DJIBO, "state_forces")]) == "200 claimed"
    assert value_text(rows[(TIMBUKTU, "armed_group")]) == "14 claimed"
    assert value_text(rows[(TAHOUA, "state_forces")]) == "101+"


def test_map_labels_places_and_shades_regions(drawn: dict[str, Chart]) -> None:
    texts = svg_texts(drawn["map"])
    for place in ("Boulkessi", "Timbuktu", "Ménaka", "Fada N'Gourma", "Djibo", "MALI", "NIGER"):
        assert place in texts, place
    assert any(re.fullmatch(r"\d+ km", t) for t in texts)  # the scale bar
    # the Niger incidents have no coordinates: their regions are shaded and named
    assert {"Tahoua", "Dosso"} <= set(texts)
    assert "Shaded regions, incidents located only to a region: Tahoua" in drawn["map"].alt
    assert "Not on the map" not in drawn["map"].alt
    assert "Bamako" in texts  # the capital, italic beside its star
    assert "Bamako (" not in drawn["map"].alt  # context incidents are not mapped


def test_empty_report_draws_nothing() -> None:
    assert draw_charts(empty_report()) == []


def test_one_incident() -> None:
    drawn = {c.name: c for c in draw_charts(one_incident_report())}
    assert list(drawn) == ["casualties", "map"]
    assert svg_texts(drawn["casualties"]).count("14 claimed") == 1
    assert hatched_rows(drawn["casualties"]) == ["Timbuktu, 2 Jun"]
    assert "New in the period" not in svg_texts(drawn["casualties"])  # one group: no heading
    assert "Timbuktu" in svg_texts(drawn["map"])


def test_no_coordinates_no_region_no_map() -> None:
    base = sahel_report()
    nowhere = {"latitude": None, "longitude": None, "admin1": "Atlantis"}
    incidents = [i.model_copy(update=nowhere) for i in base.incidents]
    drawn = draw_charts(base.model_copy(update={"incidents": incidents}))
    assert [c.name for c in drawn] == ["casualties"]


def test_no_coordinates_but_regions_draw_shaded_regions() -> None:
    base = sahel_report()
    incidents = [i.model_copy(update={"latitude": None, "longitude": None}) for i in base.incidents]
    chart = maps.draw_map(base.model_copy(update={"incidents": incidents}))
    assert chart is not None
    assert "Shaded regions" in chart.alt


def test_map_of_a_country_far_away() -> None:
    base = one_incident_report()
    far = base.incidents[0].model_copy(
        update={
            "country": "RUS",
            "country_name": "Russia",
            "latitude": 55.75,
            "longitude": 37.62,
            "location": "Moscow",
        }
    )
    report: Report = base.model_copy(
        update={
            "incidents": [far],
            "key_figures": base.key_figures.model_copy(update={"countries": ["RUS"]}),
        }
    )
    chart = maps.draw_map(report)
    assert chart is not None
    assert "Moscow" in svg_texts(chart)


def test_boundaries_shipped() -> None:
    shapes = maps.boundaries()
    assert len(shapes) > 200
    mali = shapes["MLI"]
    assert {"BFA", "NER", "DZA", "MRT"} <= set(mali.neighbours)
    x0, y0, x1, y1 = mali.bbox
    assert -13 < x0 < -12 and 4 < x1 < 5 and 10 < y0 < 11 and 24.5 < y1 < 25.5
    for poly in mali.polygons:
        for x, y in poly.rings[0]:
            assert x0 - 0.01 <= x <= x1 + 0.01 and y0 - 0.01 <= y <= y1 + 0.01


def test_marker_size_grows_and_is_capped_in_charts() -> None:
    sizes = [maps.marker_diameter(v) for v in (0, 1, 10, 100, 10_000)]
    assert sizes == sorted(sizes)
    assert sizes[-1] == 34.0


def test_group_headings_only_when_they_tell_the_reader_something() -> None:
    words = words_for("en").charts()
    rows = charted_rows(sahel_report())
    # no incident of the period: the one group is named, so nobody takes it for new
    assert words.row_groups(rows, set()) == [("Earlier incidents", rows)]
    # all of the period: no heading, no lost row
    everything = {i for r in rows for i in r.incidents}
    assert words.row_groups(rows, everything) == [("", rows)]
    assert "Earlier incidents" not in words.casualty_text(rows, everything)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_charts_start_no_blas_threads() -> None:
    """matplotlib's numpy is imported with one OpenBLAS thread (its thread per core spins
    and takes CPU from the run's other processes); the environment is left as it was."""
    import os
    import subprocess
    import sys

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: OpenBLAS starts no other thread")
    script = (
        "import os\n"
        "from sitrep.render.style import svg_style\n"
        "with svg_style():\n"
        "    pass\n"
        "import numpy\n"
        "print(len(os.listdir('/proc/self/task')), os.environ.get('OPENBLAS_NUM_THREADS'))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True).stdout.split()  # fmt: skip
    assert out == ["1", "None"]
    # what it avoids: numpy imported plainly starts a thread per core
    plain = subprocess.run(
        [sys.executable, "-c", "import os, numpy; print(len(os.listdir('/proc/self/task')))"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert int(plain[0]) > 1
