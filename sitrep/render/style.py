"""The look shared by every chart and the map: colours, fonts, figure set-up."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure
from ..model.records import Stance

logger = logging.getLogger(__name__)


STANCE_COLOURS: dict[Stance, str] = {
    Stance.OFFICIAL: "#2f5d8a",
    Stance.CLAIMED: "#b5452f",
    Stance.INDEPENDENT: "#3d7a5a",
}
ESTIMATE_COLOUR = "#8d99a6"  # the credible estimate (low), darker than the low-best span
ESTIMATE_SPAN_COLOUR = "#c9d0d8"
INK = "#2b2f36"
MUTED = "#6b7480"
FONT = ["DejaVu Sans"]  # ships with matplotlib: same glyphs on every machine
WIDTH_IN = 7.0  # A4 text width (180 mm) is 7.09 in


@dataclass(frozen=True)
class Chart:
    """One drawn chart: its file-name part, caption title, SVG text and alt text."""

    name: str
    title: str
    svg: str
    alt: str


@contextmanager
def svg_style() -> Iterator[None]:
    """Matplotlib settings for every sitrep chart (deterministic, report fonts)."""
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
    """The figure as SVG text, with no date or other varying metadata."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "sitrep"})
    return buf.getvalue().decode("utf-8")
