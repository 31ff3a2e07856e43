"""The incident map's data and rules: shipped regions and capitals, region matching, symbol
sizes from credible figures only, the size legend, label placement and the window."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET

import pytest
from factories import DJIBO, DOSSO, SIRAKOROLA, TAHOUA, TIMBUKTU, sahel_report
from hypothesis import given
from hypothesis import strategies as st

from sitrep.model.records import Outcome
from sitrep.model.report import Report
from sitrep.render import mapdata, maps
from sitrep.render.mapdata import contains, extent, fit
from sitrep.render.mapsymbols import (
    claims_only,
    credible_floor,
    legend_values,
    map_content,
    marker_diameter,
)
from sitrep.render.placement import overlaps
from sitrep.render.regions import admin1, match_region, normalise
from sitrep.render.style import WIDTH_IN
from sitrep.summarise.totals import total

SAHEL = {"MLI", "BFA", "NER"}
NEIGHBOURS = {"MRT", "SEN", "GIN", "CIV", "GHA", "TGO", "BEN", "NGA", "TCD", "DZA", "LBY"}
SVG = "{http://www.w3.org/2000/svg}"


# --- the shipped data ----------------------------------------------------------------------


def test_regions_of_the_sahel_and_neighbours_are_shipped() -> None:
    data = admin1()
    assert set(data) >= SAHEL | NEIGHBOURS
    assert set(data["MLI"].regions) >= {"Timbuktu", "Gao", "Kidal", "Mopti", "Bamako"}
    assert set(data["NER"].regions) == {
        "Agadez", "Diffa", "Dosso", "Maradi", "Niamey", "Tahoua", "Tillabéri", "Zinder",
    }  # fmt: skip
    # Burkina Faso's 45 provinces are merged into its 13 regions
    assert len(data["BFA"].regions) == 13 and "Sahel" in data["BFA"].regions


def test_region_rings_are_valid_and_inside_their_country() -> None:
    countries = mapdata.boundaries()
    for code, info in admin1().items():
        x0, y0, x1, y1 = countries[code].bbox
        assert info.lines, code  # borders between regions to draw
        for region in info.regions.values():
            assert region.polygons, (code, region.name)
            for poly in region.polygons:
                for ring in poly.rings:
                    assert len(ring) >= 4 and len(set(ring)) >= 3, (code, region.name)
                    assert _area(ring) > 0
                    for x, y in ring:  # admin0 and admin1 are simplified apart: 0.2° slack
                        assert x0 - 0.2 <= x <= x1 + 0.2 and y0 - 0.2 <= y <= y1 + 0.2
            bx0, by0, bx1, by1 = region.bbox  # the label point: the largest part's centroid
            assert bx0 <= region.label[0] <= bx1 and by0 <= region.label[1] <= by1


def test_capitals_lie_in_their_country() -> None:
    countries = mapdata.boundaries()
    names = {code: info.capital.name for code, info in admin1().items() if info.capital}
    assert names["MLI"] == "Bamako" and names["NER"] == "Niamey" and names["BFA"] == "Ouagadougou"
    assert names["NGA"] == "Abuja" and names["CIV"] == "Yamoussoukro"  # official capitals
    for code, info in admin1().items():
        assert info.capital is not None, code
        # a coastal capital may fall just off the simplified coast: within 0.15°
        x, y = info.capital.at
        near = [(x + dx, y + dy) for dx in (0, -0.15, 0.15) for dy in (0, -0.15, 0.15)]
        assert any(contains(p, *q) for p in countries[code].polygons for q in near), code


def _area(ring: tuple[tuple[float, float], ...]) -> float:
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


# --- region matching -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "name", "expected"),
    [
        ("NER", "Tillabéri", "Tillabéri"),
        ("NER", "Tillaberi", "Tillabéri"),
        ("NER", "TILLABÉRY", "Tillabéri"),
        ("NER", "Dosso region", "Dosso"),
        ("NER", "Région de Tahoua", "Tahoua"),
        ("MLI", "Tombouctou", "Timbuktu"),
        ("MLI", "Timbuktu", "Timbuktu"),
        ("MLI", "Ségou", "Ségou"),
        ("MLI", "Segou", "Ségou"),
        ("BFA", "Sahel", "Sahel"),
        ("BFA", "Centre Nord", "Centre-Nord"),
        ("NGA", "FCT", "Federal Capital Territory"),
        ("NGA", "Nasarawa", "Nassarawa"),
        ("TCD", "N'Djamena", "Ville de N'Djamena"),
    ],
)
def test_region_names_match_across_accents_and_spellings(
    country: str, name: str, expected: str
) -> None:
    region = match_region(country, name)
    assert region is not None and region.name == expected and region.country == country


@pytest.mark.parametrize(
    ("country", "name"),
    [("NER", "Atlantis"), ("NER", None), ("NER", ""), ("MLI", "Tahoua"), ("FRA", "Bretagne")],
)
def test_unknown_regions_do_not_match(country: str, name: str | None) -> None:
    assert match_region(country, name) is None


def test_normalise() -> None:
    assert normalise("Région de Tillabéri") == normalise("tillaberi") == "tillaberi"
    assert normalise("N’Djamena") == "ndjamena"


# --- what each incident is drawn as --------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> Report:
    return sahel_report()


def test_incidents_without_coordinates_shade_their_region(report: Report) -> None:
    content = map_content(report)
    shaded = {p.incident.id: r.name for p, r in content.regions}
    assert shaded == {TAHOUA: "Tahoua", DOSSO: "Dosso"}
    assert content.missing == []
    assert TIMBUKTU in {p.incident.id for p in content.points}
    assert all(p.incident.status != "context" for p in content.points)


def test_symbols_are_sized_by_credible_figures_never_claims(report: Report) -> None:
    by_id = {p.incident.id: p for p in map_content(report).points}
    djibo = by_id[DJIBO]  # a claim of 200 killed and nothing credible
    assert djibo.claims_only and djibo.floor == 0
    for p in by_id.values():
        inc = p.incident
        killed = [r for r in inc.figures if r.outcome.value == "killed" and r.incident == inc.id]
        credible = [r for r in killed if not r.claimed_only]
        assert p.floor == credible_floor(inc)
        assert p.floor == (total(credible, Outcome.KILLED, None, None, 1).low if credible else 0)
        assert p.floor <= sum(r.low or 0 for r in credible)  # never more than its rows say
        assert p.claims_only == claims_only(inc)
        if p.claims_only:
            assert not any(r.low for r in credible)
    assert by_id[SIRAKOROLA].floor == 0 and not by_id[SIRAKOROLA].claims_only


def test_claim_only_incidents_are_drawn_as_outlines(report: Report) -> None:
    chart, _ = maps.render_map(report) or pytest.fail("no map")
    root = ET.fromstring(chart.svg)
    outlines = [  # a symbol (<path>; in the legend <use>) hollow with a claimed-colour edge
        el for el in root.iter() if el.tag in (f"{SVG}use", f"{SVG}path")
        and (el.get("fill") == "none" or el.get("fill-opacity") == "0")
        and el.get("stroke", "").lower() == "#d55e00"
    ]  # fmt: skip
    claims = [p for p in map_content(report).points if p.claims_only]
    assert claims and len(outlines) == len(claims) + 1  # each claim-only symbol, and its legend
    assert "only claims give a figure (outline, not sized)" in _texts(chart.svg)


def test_the_symbols_are_clipped_once_by_their_group(report: Report) -> None:
    """The symbols' group carries the axes' clip; its paths carry none (WeasyPrint would
    clip each again); a group whose paths are not all clipped alike is left as it is."""
    from sitrep.render.mapbase import SYMBOLS, clipped_once

    chart, _ = maps.render_map(report) or pytest.fail("no map")
    root = ET.fromstring(chart.svg)
    group = next(el for el in root.iter(f"{SVG}g") if el.get("id") == SYMBOLS)
    clip = group.get("clip-path")
    assert clip and clip.startswith("url(#")
    assert any(el.get("id") == clip[5:-1] for el in root.iter(f"{SVG}clipPath"))
    paths = list(group.iter(f"{SVG}path"))
    assert len(paths) == len(map_content(report).points)
    assert all(path.get("clip-path") is None for path in paths)
    mixed = (f'<g id="{SYMBOLS}">\n<path d="M 0 0" clip-path="url(#a)"/>\n'
             '<path d="M 1 1" clip-path="url(#b)"/>\n</g>')  # fmt: skip
    assert clipped_once(mixed) == mixed
    unclipped = (f'<g id="{SYMBOLS}">\n<path d="M 0 0" clip-path="url(#a)"/>\n'
                 '<path d="M 1 1"/>\n</g>')  # fmt: skip
    assert clipped_once(unclipped) == unclipped


def test_marker_size_grows_with_the_credible_figure() -> None:
    sizes = [marker_diameter(v) for v in (0, 1, 10, 100, 10_000)]
    assert sizes == sorted(sizes) and sizes[-1] == 34.0
    assert marker_diameter(0) < marker_diameter(1)


@given(st.lists(st.integers(min_value=0, max_value=100_000), max_size=30))
def test_size_legend_fits_the_data(floors: list[int]) -> None:
    values = legend_values(floors)
    sized = [f for f in floors if f > 0]
    if not sized:
        assert values == []
        return
    assert values == sorted(set(values)) and 1 <= len(values) <= 3
    assert values[-1] <= max(sized) < values[-1] * 2.5  # the top stop is near the largest
    assert values[0] <= min(sized)
    for v in values:
        assert str(v).strip("0") in ("1", "2", "5")  # round values
    if max(sized) >= 2:
        assert len(values) >= 2  # something to compare a symbol with


def test_map_legend_sizes_follow_the_period(report: Report) -> None:
    chart, _ = maps.render_map(report) or pytest.fail("no map")
    floors = [p.floor for p in map_content(report).points if not p.claims_only]
    texts = _texts(chart.svg)
    for v in legend_values(floors):
        assert f"{v} killed" in texts
    assert "50 killed" not in texts or 50 in legend_values(floors)


def test_new_and_updated_incidents_differ_in_shape_and_the_caption_counts_both(
    report: Report,
) -> None:
    chart, _ = maps.render_map(report) or pytest.fail("no map")
    points = map_content(report).points
    regions = map_content(report).regions
    every = points + [p for p, _ in regions]
    new = sum(1 for p in every if p.incident.status == "new")
    updated = len(every) - new
    assert updated and f"{updated} earlier, updated" in chart.title
    assert "earlier incident, updated" in _texts(chart.svg)
    assert maps.base.SHAPES["new"] != maps.base.SHAPES["update"]


# --- labels and window ---------------------------------------------------------------------


def test_labels_do_not_collide(report: Report) -> None:
    _, layout = maps.render_map(report) or pytest.fail("no map")
    texts = [t for t, _ in layout.labels]
    for expected in ("Boulkessi", "Timbuktu", "Djibo", "MALI", "NIGER", "BURKINA FASO"):
        assert expected in texts
    assert any(t in texts for t in ("Bamako", "Niamey", "Ouagadougou"))  # capitals
    for (a, box_a), (b, box_b) in itertools.combinations(layout.labels, 2):
        assert not overlaps(box_a, box_b), (a, b)


def test_window_frames_the_data_with_a_margin_and_keeps_the_aspect() -> None:
    points = [(-1.5, 14.1), (-3.0, 16.8)]
    x0, x1, y0, y1 = extent(points, [])
    assert x1 - x0 >= mapdata.MIN_SPAN_DEG  # a sensible minimum size
    for x, y in points:
        assert x0 + mapdata.PAD_DEG <= x <= x1 - mapdata.PAD_DEG
        assert y0 + mapdata.PAD_DEG <= y <= y1 - mapdata.PAD_DEG
    box = (0.5, 13.0, 6.5, 18.0)  # a shaded region
    wx0, wx1, wy0, wy1 = extent(points, [box])
    assert wx1 >= 6.5 + mapdata.PAD_DEG and wy1 >= 18.0
    (fx0, fx1, fy0, fy1), height, k = fit((wx0, wx1, wy0, wy1), WIDTH_IN)
    assert fx0 <= wx0 and fx1 >= wx1 and fy0 <= wy0 and fy1 >= wy1  # only grown
    axes_w = WIDTH_IN - mapdata.MARGINS[0] - mapdata.MARGINS[1]
    axes_h = height - mapdata.MARGINS[2] - mapdata.MARGINS[3]
    # equal distances look equal: degrees of latitude per inch = degrees of longitude * k
    assert math.isclose((fy1 - fy0) / axes_h, (fx1 - fx0) * k / axes_w, rel_tol=1e-6)
    far = [(-12.0, 10.0), (15.0, 23.0)]  # Senegal to Chad
    x0, x1, y0, y1 = extent(far, [])
    assert x1 - x0 < 40  # the data, not whole countries


def test_map_window_follows_the_incidents(report: Report) -> None:
    _, layout = maps.render_map(report) or pytest.fail("no map")
    x0, x1, y0, y1 = layout.window
    content = map_content(report)
    for p in content.points:
        assert x0 < float(p.incident.longitude or 0) < x1
        assert y0 < float(p.incident.latitude or 0) < y1
    for _, region in content.regions:
        bx0, by0, bx1, by1 = region.bbox
        assert x0 <= bx0 and bx1 <= x1 and y0 <= by0 and by1 <= y1
    assert x1 - x0 < 30  # not all of Mali, Niger and Algeria


# --- words -----------------------------------------------------------------------------------


def test_french_map_words(report: Report) -> None:
    chart, _ = maps.render_map(report.model_copy(update={"language": "fr"})) or pytest.fail("")
    texts = _texts(chart.svg)
    assert "nouveau dans la période" in texts and "capitale" in texts
    assert any(t.endswith("tués") for t in texts)
    assert any(t.endswith("°O") for t in texts)  # ouest
    assert "new in the period" not in texts and not any(t.endswith("killed") for t in texts)
    assert chart.title.startswith("Incidents sur la carte")
    assert chart.alt.startswith("Carte des incidents") and "Régions ombrées" in chart.alt


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


def test_legend_takes_fewer_columns_when_its_words_are_long() -> None:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from sitrep.render.mapbase import legend_columns

    fig = Figure(figsize=(WIDTH_IN, 4))
    short = [Line2D([], [], label=f"{n} killed") for n in (1, 2, 5, 10, 20)]
    assert legend_columns(short, fig, 3.0) == 4
    long = [Line2D([], [], label="only claims give a figure (outline, not sized)")] * 7
    assert legend_columns(long, fig, 3.0) == 2
    assert legend_columns(long * 2, fig, 3.0) <= 2


def test_an_incident_whose_region_is_unknown_is_listed_as_not_on_the_map(report: Report) -> None:
    from sitrep.render.charts import draw_charts
    from sitrep.render.documents import render_markdown

    incidents = [
        i.model_copy(update={"admin1": "Atlantis"}) if i.id == DOSSO else i
        for i in report.incidents
    ]
    lost = report.model_copy(update={"incidents": incidents})
    assert [i.id for i in map_content(lost).missing] == [DOSSO]
    md = render_markdown(lost, draw_charts(lost), stem="x")
    dosso = next(i.location for i in incidents if i.id == DOSSO)
    assert f"Not on the map (no coordinates, region not found): {dosso}." in md
    fr = lost.model_copy(update={"language": "fr"})
    md_fr = render_markdown(fr, draw_charts(fr), stem="x")
    assert f"Absents de la carte (sans coordonnées, région inconnue)\u202f: {dosso}." in md_fr
    chart = maps.draw_map(lost)
    assert chart is not None and f"region not found): {dosso}." in chart.alt


def test_a_crowded_map_names_each_place_once_and_the_largest_places_only(report: Report) -> None:
    timbuktu = next(i for i in report.incidents if i.id == TIMBUKTU)
    extra = [timbuktu.model_copy(update={"id": f"{TIMBUKTU}-{n}"}) for n in range(5)]
    for n in range(maps.POINT_LABELS + 10):
        where = {"latitude": 12.0 + (n % 8) * 0.7, "longitude": -8.0 + (n // 8) * 1.3}
        extra.append(timbuktu.model_copy(update={"id": f"place-{n}", "location": f"Place {n}",
                                                 **where}))  # fmt: skip
    crowded = report.model_copy(update={"incidents": [*report.incidents, *extra]})
    _, layout = maps.render_map(crowded) or pytest.fail("no map")
    texts = [t for t, _ in layout.labels]
    assert texts.count("Timbuktu") <= 1  # six incidents there, one name
    places = [t for t in texts if t.startswith("Place ")]
    assert places and len(places) + texts.count("Timbuktu") <= maps.POINT_LABELS
    for (a, box_a), (b, box_b) in itertools.combinations(layout.labels, 2):
        assert not overlaps(box_a, box_b), (a, b)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_quiet_day_map_wraps_its_legend_rather_than_cutting_it(language: str) -> None:
    """A quiet day's map is drawn narrow (2.13 in, for its column beside the text): a
    legend label longer than the map is wide goes on two lines instead of running off."""
    report = sahel_report().model_copy(update={"language": language})
    timbuktu = next(i for i in report.incidents if i.id == TIMBUKTU)
    chart, _ = maps.render_map(report.model_copy(update={"incidents": [timbuktu]})) or (
        pytest.fail("no map")
    )
    label = maps.map_words(language).legend_claims
    lines = [t for t in _texts(chart.svg) if t and t in label]
    assert len(lines) == 2 and " ".join(lines) == label
