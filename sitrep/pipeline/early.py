"""Charts drawn in a process of their own, started as a run begins.

A cold ``sitrep generate`` spends over a second importing matplotlib and loading the map
data before it draws anything; this process meanwhile loads, reconciles and summarises the
records and imports WeasyPrint. :class:`EarlyCharts` forks one worker at the start of the
run that does that preparation at once, then draws the report's charts when the report is
ready: on a machine with two cores or more, the charts cost the run almost no wall time.
On one core, where nothing is gained, or where ``fork`` is not available, it is not used.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..executors import follow_parent
from ..model.report import Report
from ..render.style import Chart

logger = logging.getLogger(__name__)


def _prepare() -> None:
    """What the first chart of a process would otherwise pay for: matplotlib and its SVG
    backend, the font lookup and the shipped map data."""
    from ..render.charts import draw_charts  # noqa: F401  (imports matplotlib)
    from ..render.mapdata import boundaries
    from ..render.regions import admin1
    from ..render.style import FONT, figure_svg, new_figure, svg_style

    boundaries()
    admin1()
    with svg_style():
        fig = new_figure(1, 1, (0.1, 0.1, 0.1, 0.1))
        fig.text(0.5, 0.5, "0", family=FONT)
        figure_svg(fig)


def _draw(report: Report) -> list[Chart]:
    from ..render.charts import draw_charts

    return draw_charts(report)


class EarlyCharts:
    """One worker process that prepares to draw at once and draws a report's charts on
    demand. Use as a context manager; :meth:`result` falls back to this process if the
    worker is gone."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                         initializer=follow_parent)
        self._ready: Future[None] = self._pool.submit(_prepare)

    @staticmethod
    def wanted() -> bool:
        """Whether a worker of its own can run beside this process: two cores or more, and
        ``fork`` (a spawned worker would import everything again)."""
        return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()

    def submit(self, report: Report) -> Future[list[Chart]]:
        """Start drawing ``report``'s charts; :meth:`result` waits for them."""
        return self._pool.submit(_draw, report)

    @staticmethod
    def result(pending: Future[list[Chart]], report: Report) -> list[Chart]:
        """The charts, or, if the worker died, the charts drawn here."""
        try:
            return pending.result()
        except BrokenProcessPool:
            logger.warning("the chart process stopped; drawing the charts in this process")
            return _draw(report)

    def __enter__(self) -> EarlyCharts:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
