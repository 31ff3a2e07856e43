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
from ..model.records import Stance
from ..model.report import FigureRow, Report
from ..summarise.charted import charted_rows, period_incidents, placed_statements
from ..wording import words_for
from ..wording.charts import ChartWords
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


def _statements_with_figures(
    row: FigureRow, placed: bool = True
) -> list[tuple[Stance, float, float | None]]:
    return [(stance, float(s.low or 0), _float(s.high))
            for stance, s in placed_statements(row, placed)]  # fmt: skip


def _float(value: int | None) -> float | None:
    """Counts are drawn as floats: matplotlib overflows on integers beyond 64 bits."""
    return None if value is None else float(value)


def draw_casualty_chart(report: Report) -> Chart | None:
    """Killed per incident and group: credible low to best, whisker to the highest figure.

    Statements are marks in their stance's colour and shape (official square, claimed
    triangle, independent circle). Claimed-only figures are hatched bars in the claimed
    colour; open-ended highs ('more than 30') end in an arrow.
    """
    rows = charted_rows(report)
    if not rows:
        return None
    words = words_for(report.language).charts()
    with svg_style():
        return _casualty_chart(rows, period_incidents(report), words)


def _casualty_chart(rows: list[FigureRow], new: set[str], words: ChartWords) -> Chart:
    # the period's incidents, then earlier ones, each group under its heading (if any)
    slots: list[FigureRow | str] = []
    for heading, group in words.row_groups(rows, new):
        slots += [heading] if heading else []
        slots += group
    n = len(slots)
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
    ticks: list[tuple[int, str]] = []
    for y, slot in enumerate(slots):
        if isinstance(slot, str):
            _draw_heading(fig, ax, y, slot)
        else:
            _draw_row(ax, y, slot, xmax, offsets, words)
            ticks.append((y, plain(words.bar_label(slot))))
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: words.num(value)))
    ax.set_xlim(0, xmax)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks([y for y, _ in ticks], [label for _, label in ticks])
    ax.tick_params(axis="y", length=0, pad=6, labelsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(words.casualty_axis, color=MUTED, fontsize=8)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#e3e6ea", linewidth=0.5)
    ax.set_axisbelow(True)
    for y in range(n - 1):
        ax.axhline(y + 0.5, color="#eef0f2", linewidth=0.5, zorder=0)
    _casualty_legend(fig, words)
    svg = figure_svg(fig)
    return Chart(
        name="casualties",
        title=words.casualty_title,
        svg=svg,
        alt=words.casualty_text(rows, new),
    )


def _draw_heading(fig: Figure, ax: Axes, y: int, heading: str) -> None:
    """A group heading on its own row, from the figure's left edge."""
    from matplotlib.transforms import blended_transform_factory

    where = blended_transform_factory(fig.transFigure, ax.transData)
    ax.text(0.012, y + 0.1, plain(heading), transform=where, ha="left", va="center",
            fontsize=8, fontweight="bold", color=INK, clip_on=False)  # fmt: skip


def _draw_row(
    ax: Axes, y: int, r: FigureRow, xmax: float, offsets: dict[Stance, float], words: ChartWords
) -> None:
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
    label = words.value_text(r)
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
    for stance, low, high in _statements_with_figures(r, placed=False):
        value = high if high is not None else low
        if value > best_value:
            best_stance, best_value = stance, value
    return STANCE_COLOURS[best_stance]


def _casualty_legend(fig: Figure, words: ChartWords) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Patch(facecolor=ESTIMATE_COLOUR, label=words.casualty_legend["low"]),
        Patch(facecolor=ESTIMATE_SPAN_COLOUR, label=words.casualty_legend["span"]),
        Line2D([], [], color=MUTED, linewidth=1.1, label=words.casualty_legend["high"]),
        Patch(
            facecolor="white",
            edgecolor=STANCE_COLOURS[Stance.CLAIMED],
            hatch="////",
            label=words.casualty_legend["claimed_only"],
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
                label=words.stance(stance),
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
