"""The look shared by every chart and the map: colours, fonts, figure set-up."""

from __future__ import annotations

import io
import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure
from ..model.records import Stance

logger = logging.getLogger(__name__)


# Okabe & Ito (2008), "Color Universal Design": told apart by every common form of colour
# blindness. Stances have these colours for marks and rules, a darker shade of the same hue
# for text (WCAG AA, 4.5:1 on white), and a marker shape each, so that no chart depends on
# colour alone.
OKABE_ITO = {
    "orange": "#e69f00",
    "sky_blue": "#56b4e9",
    "bluish_green": "#009e73",
    "yellow": "#f0e442",
    "blue": "#0072b2",
    "vermillion": "#d55e00",
    "reddish_purple": "#cc79a7",
    "black": "#000000",
}
STANCE_COLOURS: dict[Stance, str] = {
    Stance.OFFICIAL: OKABE_ITO["blue"],
    Stance.CLAIMED: OKABE_ITO["vermillion"],
    Stance.INDEPENDENT: OKABE_ITO["bluish_green"],
}
STANCE_TEXT: dict[Stance, str] = {
    Stance.OFFICIAL: "#005a8c",
    Stance.CLAIMED: "#a84800",
    Stance.INDEPENDENT: "#00735a",
}
STANCE_MARKERS: dict[Stance, str] = {
    Stance.OFFICIAL: "s",  # square
    Stance.CLAIMED: "^",  # triangle
    Stance.INDEPENDENT: "o",  # circle
}
# Countries in the daily chart: a colour and a hatch each, in the order countries come.
# Hatches of straight lines only: matplotlib writes a dotted hatch ("....") as a 250 KB
# pattern of curves that WeasyPrint parses again for every bar (10 s of a 30-day PDF).
SERIES_FILLS: tuple[tuple[str, str], ...] = (
    (OKABE_ITO["sky_blue"], ""),
    (OKABE_ITO["orange"], "////"),
    (OKABE_ITO["reddish_purple"], "----"),
    (OKABE_ITO["yellow"], "xxxx"),
    (OKABE_ITO["bluish_green"], "\\\\"),
    (OKABE_ITO["blue"], "++"),
)
ESTIMATE_COLOUR = "#5f6975"  # the credible estimate (low): 5.6:1 on white
ESTIMATE_SPAN_COLOUR = "#c9d0d8"
INK = "#2b2f36"
MUTED = "#5f6975"
FONT = ["DejaVu Sans"]  # ships with matplotlib: same glyphs on every machine
WIDTH_IN = 7.0  # A4 text width (180 mm) is 7.09 in


@dataclass(frozen=True)
class Chart:
    """One drawn chart: its file-name part, caption title, SVG text and alt text."""

    name: str
    title: str
    svg: str
    alt: str


def _import_numpy() -> None:
    """Import numpy (matplotlib's) with one OpenBLAS thread, unless it is imported already
    or the thread count is set. Charts do no linear algebra, and OpenBLAS starts a thread
    per core that spins: on two cores, 0.1 s of CPU taken from the run's other processes
    while the chart worker prepares. The environment is left as it was."""
    if "numpy" in sys.modules or "OPENBLAS_NUM_THREADS" in os.environ:
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        import numpy  # noqa: F401
    finally:
        del os.environ["OPENBLAS_NUM_THREADS"]


@contextmanager
def svg_style() -> Iterator[None]:
    """Matplotlib settings for every sitrep chart (deterministic, report fonts)."""
    _import_numpy()
    import matplotlib

    with matplotlib.rc_context(
        {
            "svg.hashsalt": "sitrep",
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.sans-serif": FONT,
            "font.size": 7.5,
            "axes.edgecolor": MUTED,
            "axes.labelcolor": INK,
            "xtick.color": MUTED,
            "ytick.color": INK,
            "text.color": INK,
            "hatch.linewidth": 0.8,
            "path.simplify": True,
            # Record text is drawn as plain text: "$5 and $6" literally, "$\\foo$" no crash.
            "text.parse_math": False,
            "text.usetex": False,
        }
    ):
        yield


def new_figure(width: float, height: float, margins: tuple[float, float, float, float]) -> Figure:
    """A figure of fixed size (inches) and fixed margins (left, right, top, bottom, inches)."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasSVG(fig)
    left, right, top, bottom = margins
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
    )
    return fig


def figure_svg(fig: Figure) -> str:
    """The figure as SVG text, with no date or other varying metadata, styled by
    presentation attributes (:func:`presentation_attributes`)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "sitrep"})
    return presentation_attributes(buf.getvalue().decode("utf-8"))


_SHEET = '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'
_SHEET_DEFAULTS = {"stroke-linejoin": "round", "stroke-linecap": "butt"}
_STYLED = re.compile(r'(<[a-zA-Z]+\b[^<>]*?) style="([^"]*)"')


def presentation_attributes(svg: str) -> str:
    """matplotlib's SVG with each element's ``style`` written as presentation attributes
    (``fill="#ffffff"`` for ``style="fill: #ffffff"``) and its one style sheet, round
    joins and butt caps on every element, written on each styled element that sets
    neither itself (the others are groups, clip paths and definitions: no stroke).

    Drawn the same, by WeasyPrint and by browsers, but WeasyPrint tokenises every
    ``style`` as CSS and matches every element against the sheet: a big period's map has
    1,500 styled elements (0.3 s of CPU). An SVG with another sheet is left as it is."""
    if svg.count("<style") != 1 or _SHEET not in svg:
        return svg

    def attributes(match: re.Match[str]) -> str:
        declared = dict(_SHEET_DEFAULTS)
        for declaration in match.group(2).split(";"):
            name, colon, value = declaration.partition(":")
            if colon:
                declared[name.strip()] = value.strip()
        return match.group(1) + "".join(f' {name}="{value}"' for name, value in declared.items())

    return _STYLED.sub(attributes, svg.replace(_SHEET, "", 1))


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb' or '#rgb'."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21; AA asks 4.5 for text, 3 for marks)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
