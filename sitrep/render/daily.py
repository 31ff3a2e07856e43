"""The daily chart: people killed per day over the last 30 days, by country.

Two panels on one time axis: above, the credible figure (conservative low) as bars stacked
by country; below, apart, the figures only claims give, as hatched outlines. Each country
has an Okabe-Ito colour and a hatch of its own, and the legend names them, so the chart
reads without colour.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
from ..model.records import Stance
from ..model.report import DayCount, Report
from ..summarise.charted import has_daily_chart
from ..summarise.daily import DAYS
from ..wording import words_for
from ..wording.charts import ChartWords
from .style import (
    INK,
    MUTED,
    SERIES_FILLS,
    STANCE_COLOURS,
    WIDTH_IN,
    Chart,
    figure_svg,
    new_figure,
    svg_style,
)

logger = logging.getLogger(__name__)


def draw_daily_chart(report: Report) -> Chart | None:
    """The daily chart of the report, or None when nobody put a figure on anyone killed in
    the 30 days (a chart of zeros says nothing the key figures do not)."""
    if not has_daily_chart(report):
        return None
    end = report.period.end
    days = [end - dt.timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    with svg_style():
        return _daily_chart(report.daily, days, words_for(report.language).charts())


def _series(counts: list[DayCount], days: list[dt.date], field: str) -> dict[str, list[int]]:
    """Per country (most killed first), the value of ``field`` on each day."""
    index = {d: i for i, d in enumerate(days)}
    out: dict[str, list[int]] = defaultdict(lambda: [0] * len(days))
    for c in counts:
        out[c.country][index[c.day]] += getattr(c, field)
    return dict(sorted(out.items(), key=lambda kv: (-sum(kv[1]), kv[0])))


def _daily_chart(counts: list[DayCount], days: list[dt.date], words: ChartWords) -> Chart:
    margins = (0.55, 0.2, 0.55, 0.5)
    height = 2.9
    fig = new_figure(WIDTH_IN, height, margins)
    grid = fig.add_gridspec(2, 1, height_ratios=(2.2, 1), hspace=0.45)
    credible_ax = fig.add_subplot(grid[0])
    claimed_ax = fig.add_subplot(grid[1], sharex=credible_ax)
    credible = _series(counts, days, "killed_low")
    claimed = _series(counts, days, "killed_claimed")
    countries = list(dict.fromkeys([*credible, *claimed]))
    fills = {c: SERIES_FILLS[i % len(SERIES_FILLS)] for i, c in enumerate(countries)}
    _stack(credible_ax, credible, fills, outline=False, none=words.daily_none)
    _stack(claimed_ax, claimed, fills, outline=True, none=words.daily_none)
    credible_ax.set_title(words.daily_panels["credible"], loc="left", fontsize=8, color=INK)
    claimed_ax.set_title(words.daily_panels["claimed"], loc="left", fontsize=8, color=INK)
    ticks = [i for i, d in enumerate(days) if d.weekday() == days[-1].weekday()]
    claimed_ax.set_xticks(ticks, [words.day_label(days[i]) for i in ticks])
    claimed_ax.set_xlim(-0.6, len(days) - 0.4)
    for ax in (credible_ax, claimed_ax):
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(nbins=4 if ax is credible_ax else 2, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: words.num(value)))
        ax.tick_params(labelsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(axis="y", color="#e3e6ea", linewidth=0.5)
        ax.set_axisbelow(True)
    credible_ax.tick_params(labelbottom=False)
    credible_ax.set_ylabel(words.casualty_axis, fontsize=8, color=MUTED)
    _legend(fig, countries, fills, height, words)
    return Chart(
        name="daily",
        title=words.daily_title,
        svg=figure_svg(fig),
        alt=words.daily_text(counts, days[0], days[-1]),
    )


def _stack(
    ax: Axes,
    series: dict[str, list[int]],
    fills: dict[str, tuple[str, str]],
    outline: bool,
    none: str,
) -> None:
    """Bars by country: credible figures stacked (the totals add them); with ``outline``,
    claims side by side, hatched in the claimed colour, never stacked into a sum."""
    bottom = [0] * len(next(iter(series.values()), []))
    drawn = [(c, v) for c, v in series.items() if any(v)]
    width = 0.75 / len(drawn) if outline and drawn else 0.75
    for k, (country, values) in enumerate(drawn):
        colour, hatch = fills[country]
        offset = (k - (len(drawn) - 1) / 2) * width if outline else 0.0
        xs = [i + offset for i in range(len(values))]
        if outline:
            _bars(ax, xs, values, [0] * len(values), width, hatch,
                  face="white", edge=STANCE_COLOURS[Stance.CLAIMED], linewidth=0.8)  # fmt: skip
        else:
            _bars(ax, xs, values, bottom, width, hatch, face=colour, edge=INK, linewidth=0.4)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if not drawn:
        ax.set_ylim(0, 1)
        ax.text(0.5, 0.5, none, transform=ax.transAxes, ha="center",
                va="center", fontsize=8, color=MUTED)  # fmt: skip


def _bars(
    ax: Axes, xs: list[float], heights: list[int], bottoms: list[int], width: float,
    hatch: str, *, face: str, edge: str, linewidth: float,
) -> None:  # fmt: skip
    """One country's bars as one compound path (none for a day without a figure): the SVG
    then has one hatch pattern to draw for the country, not one per bar (WeasyPrint draws a
    pattern again for every shape that uses it: 120 in a busy month)."""
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MplPath

    half = width / 2
    rects = [
        MplPath([(x - half, b), (x + half, b), (x + half, b + h), (x - half, b + h), (x - half, b)],
                closed=True)
        for x, h, b in zip(xs, heights, bottoms, strict=True) if h
    ]  # fmt: skip
    if not rects:
        return
    bars = PathCollection([MplPath.make_compound_path(*rects)], facecolors=face, edgecolors=edge,
                          linewidths=linewidth, hatch=hatch or None, zorder=2)  # fmt: skip
    bars.sticky_edges.y.append(0)  # the axis starts at 0, as with ax.bar
    ax.add_collection(bars)


def _legend(
    fig: Any,
    countries: list[str],
    fills: dict[str, tuple[str, str]],
    height: float,
    words: ChartWords,
) -> None:
    from matplotlib.patches import Patch

    handles = [
        Patch(
            facecolor=fills[c][0],
            edgecolor=INK,
            linewidth=0.4,
            hatch=fills[c][1] or None,
            label=words.words.country(c),
        )
        for c in countries
    ]
    handles.append(
        Patch(
            facecolor="white",
            edgecolor=STANCE_COLOURS[Stance.CLAIMED],
            hatch="////",
            label=words.daily_panels["claimed_legend"],
        )
    )
    fig.legend(handles=handles, loc="upper left", ncol=min(len(handles), 5), frameon=False,
               fontsize=8, bbox_to_anchor=(0.01, 1 - 0.04 / height), handlelength=1.6,
               columnspacing=1.2, handletextpad=0.4, borderaxespad=0)  # fmt: skip
