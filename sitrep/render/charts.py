"""Charts for the report: casualty figures per incident, killed per day, and the map.

Charts are drawn with matplotlib's object API and SVG canvas (no pyplot, no global
state), imported lazily so that commands which render nothing do not pay for it. The
SVG is deterministic: the same report gives the same bytes (fixed hash salt, no date
in the metadata, fixed margins instead of ``tight_layout``).

Colours: one per stance (Okabe-Ito), the same as in ``templates/report.css`` (a test
checks it), and a marker shape per stance, so that nothing depends on colour alone.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
from ..model.records import Outcome, Stance
from ..model.report import FigureRow, Report
from ..wording import charts as chart_words
from .daily import draw_daily_chart
from .maps import draw_map
from .safe import plain
from .style import (
    ESTIMATE_COLOUR,
    ESTIMATE_SPAN_COLOUR,
    INK,
    MUTED,
    STANCE_COLOURS,
    STANCE_MARKERS,
    STANCE_TEXT,
    WIDTH_IN,
    Chart,
    figure_svg,
    new_figure,
    svg_style,
)

logger = logging.getLogger(__name__)


def draw_charts(report: Report) -> list[Chart]:
    """Every chart of the report: the casualty chart, the daily chart and the map, each only
    when it has data.

    A report with no casualty figures gets no casualty chart, one with no killed figure in
    the last 30 days no daily chart, and one with no incident coordinates no map; the
    templates then say so in words.
    """
    drawn = (draw_casualty_chart(report), draw_daily_chart(report), draw_map(report))
    return [chart for chart in drawn if chart is not None]


# --- the casualty chart -----------------------------------------------------------------



def _statements_with_figures(row: FigureRow) -> list[tuple[Stance, float, float | None]]:
    out = []
    for c in (row.official, row.claimed, row.independent):
        for s in c.statements:
            if s.low is not None:
                out.append((c.stance, float(s.low), _float(s.high)))
    return out


def _float(value: int | None) -> float | None:
    """Counts are drawn as floats: matplotlib overflows on integers beyond 64 bits."""
    return None if value is None else float(value)


def charted_rows(report: Report) -> list[FigureRow]:
    """Killed rows of the table that have at least one number: the period's incidents
    first, then the updates on earlier ones, each in the table's order."""
    new = {i.id for i in report.incidents if i.status == "new"}
    rows = [
        r
        for r in report.table
        if r.outcome is Outcome.KILLED
        and (r.low is not None or r.high is not None or _statements_with_figures(r))
    ]
    return sorted(rows, key=lambda r: not new.intersection(r.incidents))


def draw_casualty_chart(report: Report) -> Chart | None:
    """Killed per incident and group: credible low to best, whisker to the highest figure.

    Statements are marks in their stance's colour and shape (official square, claimed
    triangle, independent circle). Claimed-only figures are hatched bars in the claimed
    colour; open-ended highs ('more than 30') end in an arrow.
    """
    rows = charted_rows(report)
    if not rows:
        return None
    with svg_style():
        return _casualty_chart(rows, report)


def _casualty_chart(rows: list[FigureRow], report: Report) -> Chart:
    n = len(rows)
    row_h = 0.36
    margins = (2.0, 0.25, 0.55, 0.42)
    height = margins[2] + margins[3] + row_h * n
    fig = new_figure(WIDTH_IN, height, margins)
    ax = fig.add_subplot()
    top = max(
        [float(v) for r in rows for v in (r.low, r.best, r.high) if v is not None]
        + [s[2] or s[1] for r in rows for s in _statements_with_figures(r)]
        + [1]
    )
    xmax = top * 1.32 + 1
    offsets = {Stance.OFFICIAL: -0.2, Stance.INDEPENDENT: 0.0, Stance.CLAIMED: 0.2}
    for y, r in enumerate(rows):
        _draw_row(ax, y, r, xmax, offsets)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    ax.set_xlim(0, xmax)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(range(n), [plain(chart_words.bar_label(r)) for r in rows])
    ax.tick_params(axis="y", length=0, pad=6, labelsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(chart_words.CASUALTY_AXIS, color=MUTED, fontsize=8)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#e3e6ea", linewidth=0.5)
    ax.set_axisbelow(True)
    for y in range(n - 1):
        ax.axhline(y + 0.5, color="#eef0f2", linewidth=0.5, zorder=0)
    _casualty_legend(fig)
    svg = figure_svg(fig)
    return Chart(
        name="casualties",
        title=chart_words.CASUALTY_TITLE,
        svg=svg,
        alt=chart_words.casualty_alt(rows),
    )


def _draw_row(ax: Axes, y: int, r: FigureRow, xmax: float, offsets: dict[Stance, float]) -> None:
    bar_h = 0.5
    end: float
    if r.claimed_only:
        end = float(r.high or 0)
        ax.barh(
            y,
            end,
            height=bar_h,
            left=0,
            color="white",
            edgecolor=STANCE_COLOURS[Stance.CLAIMED],
            hatch="////",
            linewidth=0.8,
            zorder=2,
        )
    else:
        low = float(r.low or 0)
        best = float(r.best) if r.best is not None else low
        ax.barh(y, low, height=bar_h, color=ESTIMATE_COLOUR, linewidth=0, zorder=2)
        if best > low:
            ax.barh(
                y,
                best - low,
                left=low,
                height=bar_h,
                color=ESTIMATE_SPAN_COLOUR,
                linewidth=0,
                zorder=2,
            )
        end = float(best)
        high = _float(r.high)
        if high is not None and high > best:
            colour = _high_colour(r)
            ax.plot(
                [best, high], [y, y], color=colour, linewidth=1.1, zorder=3, solid_capstyle="butt"
            )
            ax.plot([high, high], [y - 0.14, y + 0.14], color=colour, linewidth=1.1, zorder=3)
            end = high
    if r.high_open:
        arrow_len = xmax * 0.045
        colour = _high_colour(r)
        ax.annotate(
            "",
            xy=(end + arrow_len, y),
            xytext=(end, y),
            arrowprops={
                "arrowstyle": "-|>",
                "color": colour,
                "linewidth": 1.0,
                "shrinkA": 0,
                "shrinkB": 0,
                "mutation_scale": 7,
            },
            zorder=4,
        )
        end += arrow_len
    for stance, low_value, high_value in _statements_with_figures(r):
        yy = y + offsets[stance]
        colour = STANCE_COLOURS[stance]
        if high_value is not None and high_value > low_value:
            ax.plot(
                [low_value, high_value],
                [yy, yy],
                color=colour,
                linewidth=2.2,
                alpha=0.55,
                zorder=5,
                solid_capstyle="round",
            )
        ax.plot(
            [low_value],
            [yy],
            marker=STANCE_MARKERS[stance],
            markersize=4.2,
            color=colour,
            markeredgecolor="white",
            markeredgewidth=0.4,
            zorder=6,
        )
    label = chart_words.value_text(r)
    if label:
        claimed = r.claimed_only
        ax.text(
            end + xmax * 0.012,
            y,
            label,
            va="center",
            ha="left",
            fontsize=8,
            color=STANCE_TEXT[Stance.CLAIMED] if claimed else INK,
            fontstyle="italic" if claimed else "normal",
            zorder=7,
        )


def _high_colour(r: FigureRow) -> str:
    """The colour of the stance whose statement gave the row's highest figure."""
    best_stance, best_value = Stance.INDEPENDENT, -1.0
    for stance, low, high in _statements_with_figures(r):
        value = high if high is not None else low
        if value > best_value:
            best_stance, best_value = stance, value
    return STANCE_COLOURS[best_stance]


def _casualty_legend(fig: Figure) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Patch(facecolor=ESTIMATE_COLOUR, label=chart_words.CASUALTY_LEGEND["low"]),
        Patch(facecolor=ESTIMATE_SPAN_COLOUR, label=chart_words.CASUALTY_LEGEND["span"]),
        Line2D([], [], color=MUTED, linewidth=1.1, label=chart_words.CASUALTY_LEGEND["high"]),
        Patch(
            facecolor="white",
            edgecolor=STANCE_COLOURS[Stance.CLAIMED],
            hatch="////",
            label=chart_words.CASUALTY_LEGEND["claimed_only"],
        ),
    ]
    for stance in (Stance.OFFICIAL, Stance.CLAIMED, Stance.INDEPENDENT):
        handles.append(
            Line2D(
                [],
                [],
                marker=STANCE_MARKERS[stance],
                linestyle="none",
                markersize=4.5,
                color=STANCE_COLOURS[stance],
                label=chart_words.STANCES[stance],
            )
        )
    height = fig.get_figheight()
    fig.legend(
        handles=handles,
        loc="upper left",
        ncol=4,
        frameon=False,
        fontsize=8,
        bbox_to_anchor=(0.01, 1 - 0.06 / height),
        handlelength=1.4,
        columnspacing=1.0,
        handletextpad=0.4,
        borderaxespad=0,
    )
