"""The chart and PDF workers of a run: the charts and the PDF made beside it.

A cold ``sitrep generate`` of one day spends most of its time importing and waiting on
itself: the report models (0.2 s of CPU), matplotlib and the map data (0.35 s) before three
charts are drawn (0.15 s), WeasyPrint (0.25 s) before the PDF is laid out and written
(0.73 s; measured on the project's 2-core machine, December 2026). On two cores these run
side by side:

- the PDF worker is forked as the command begins (:func:`begin`, before the pipeline and
  its models are imported): it imports WeasyPrint while this process imports, loads,
  merges and summarises (on a machine with no core to spare, only once the chart worker
  is forked: before, it would slow this process's imports and so the fork), then lays
  out the print HTML it is given (:class:`EarlyPdf`), while this process writes the
  Markdown and the JSON;
- the chart worker is forked as soon as this process has imported the models and the
  chart modules: it imports matplotlib and reads the map data while this process loads
  and summarises, then draws the report's charts (:class:`EarlyCharts`; the map in a
  process it forks once prepared, :mod:`sitrep.render.mapprocess`), while this process
  makes the JSON and the PDF's attachments and compiles the templates.

Nothing is lost when a worker fails: the charts are drawn, or the PDF rendered, in this
process instead, the same bytes. On one core, or where ``fork`` is not available, no
worker is started. This module imports nothing heavy: it is imported before the models.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .render.formats import FORMATS  # the format registry alone: nothing heavy

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from .model.report import Report
    from .render.mapprocess import MapDrawer
    from .render.pdf import PdfAttachment
    from .render.style import Chart

logger = logging.getLogger(__name__)

W = TypeVar("W", bound="_Worker")


def forking() -> bool:
    """Whether a worker can run beside this process: two cores or more, and ``fork`` (a
    spawned worker would import everything again)."""
    import multiprocessing

    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def _busy() -> bool:
    """Whether the machine has no core to spare (its load average over the last minute is
    within half a process of its cores)."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return False
    return load >= (os.cpu_count() or 1) - 0.5


def _follow_parent() -> None:
    from .executors import follow_parent

    follow_parent()


class _Worker:
    """One forked process (a pool of one) that runs ``prepare`` at once, then the calls
    it is given."""

    def __init__(self, prepare: Callable[[], None]) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        self._pool: ProcessPoolExecutor = ProcessPoolExecutor(
            max_workers=1, mp_context=context, initializer=_follow_parent
        )
        self.ready: Future[None] = self._pool.submit(prepare)

    def submit(self, function: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run ``function(*args)`` in the worker."""
        return self._pool.submit(function, *args)

    def _processes(self) -> list[Any]:
        # the pool's own table (Python 3.14 has terminate_workers(); 3.11 has nothing public)
        return list((getattr(self._pool, "_processes", None) or {}).values())

    def pids(self) -> list[int]:
        """The worker's process ids (empty once it is gone)."""
        return [p.pid for p in self._processes() if p.pid is not None]

    def close(self) -> None:
        """Let the worker finish what it was given, then end it."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def stop(self) -> None:
        """End the worker now (it is not needed): a half-done import is not waited for."""
        processes = self._processes()
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join()


# --- the charts ---------------------------------------------------------------------------


def _prepare_charts() -> None:
    """What the first chart of a process would otherwise pay for: matplotlib and its SVG
    backend, the chart modules, the font lookup and the shipped map data; then the map's
    own drawer is forked (:mod:`sitrep.render.mapprocess`)."""
    from .render.charts import draw_charts  # noqa: F401  (imports matplotlib)
    from .render.mapdata import boundaries
    from .render.mapprocess import MapDrawer
    from .render.regions import admin1
    from .render.style import FONT, figure_svg, new_figure, svg_style

    boundaries()
    admin1()
    with svg_style():
        fig = new_figure(1, 1, (0.1, 0.1, 0.1, 0.1))
        fig.text(0.5, 0.5, "0", family=FONT)
        figure_svg(fig)
    global _MAP
    # Now: the worker's only other thread sleeps (follow_parent's watch); once a result is
    # sent, the pool starts a feeder thread that may hold a lock when a fork copies it.
    try:
        _MAP = MapDrawer()
    except OSError:
        _MAP = None
    else:
        signal.signal(signal.SIGTERM, _end_with_drawer)


def _end_with_drawer(signum: int, frame: object) -> None:
    """The chart worker stopped (``HeadStart.close(now=True)`` terminates it): its map
    drawer ends with it and is reaped, not left to whatever process adopts orphans."""
    if _MAP is not None:
        _MAP.kill()
    os._exit(128 + signum)


def _draw(report: Report) -> list[Chart]:
    """The report's charts, the map drawn beside the others when the drawer is there."""
    from .render.charts import draw_casualty_chart, draw_charts
    from .render.daily import draw_daily_chart

    global _MAP
    drawer = _MAP
    try:
        if drawer is None or not drawer.send(report):
            return draw_charts(report)
        drawn = [draw_casualty_chart(report), draw_daily_chart(report), drawer.receive(report)]
        return [chart for chart in drawn if chart is not None]
    finally:
        _MAP = None  # one report's map: a later one is drawn here


_MAP: MapDrawer | None = None
"""The chart worker's map drawer, forked once it is prepared (:func:`_prepare_charts`)."""


class PendingCharts(Sequence["Chart"]):
    """A report's charts being drawn in the chart worker: a sequence that waits for them
    when first read, so that what needs no chart (the JSON, the PDF's attachments, the
    compiled templates) is done meanwhile. If the worker died, the charts are drawn in
    this process."""

    def __init__(self, pending: Future[list[Chart]], report: Report) -> None:
        self._pending = pending
        self._report = report
        self._charts: list[Chart] | None = None
        self._lock = threading.Lock()  # the PDF's thread and this one may both ask

    def charts(self) -> list[Chart]:
        """The charts (waited for once)."""
        with self._lock:
            if self._charts is None:
                from concurrent.futures.process import BrokenProcessPool

                try:
                    self._charts = self._pending.result()
                except BrokenProcessPool:
                    logger.warning("the chart process stopped; drawing the charts here")
                    self._charts = _draw(self._report)
            return self._charts

    @overload
    def __getitem__(self, index: int) -> Chart: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Chart]: ...

    def __getitem__(self, index: int | slice) -> Chart | Sequence[Chart]:
        return self.charts()[index]

    def __len__(self) -> int:
        return len(self.charts())

    def __iter__(self) -> Iterator[Chart]:
        return iter(self.charts())


class EarlyCharts(_Worker):
    """The chart worker: prepares to draw at once, draws a report's charts on demand."""

    def __init__(self) -> None:
        super().__init__(_prepare_charts)

    def draw(self, report: Report) -> PendingCharts:
        """Start drawing ``report``'s charts; reading the result waits for them."""
        return PendingCharts(self.submit(_draw, report), report)


# --- the PDF ------------------------------------------------------------------------------


_START: Any = None
"""The PDF worker's signal to begin importing (a ``multiprocessing`` event), set in this
module just before the worker is forked, which inherits it."""


def _prepare_pdf() -> None:
    """Import the PDF engine (what the first PDF of a process would otherwise pay for),
    once the run says so if it asked the worker to wait."""
    if _START is not None:
        _START.wait(timeout=60)
    import weasyprint  # noqa: F401

    from .render import pdf  # noqa: F401


def _render_pdf(folders: list[Path], html: str, attachments: list[PdfAttachment]) -> bytes:
    from .render.pdf import WeasyPrintRenderer

    return WeasyPrintRenderer(folders).render(html, attachments)


class EarlyPdf(_Worker):
    """The PDF worker: imports WeasyPrint at once (or, with ``wait``, when :meth:`start`
    is called), renders print HTML on demand."""

    def __init__(self, *, wait: bool = False) -> None:
        global _START
        import multiprocessing

        self._start = multiprocessing.get_context("fork").Event() if wait else None
        _START = self._start
        try:
            super().__init__(_prepare_pdf)  # forks: the worker keeps its own _START
        finally:
            _START = None

    def start(self) -> None:
        """Let the worker begin importing WeasyPrint (if it was asked to wait)."""
        if self._start is not None:
            self._start.set()

    def close(self) -> None:
        """Let the worker finish what it was given, then end it."""
        self.start()
        super().close()

    def renderer(self, folders: Sequence[Path]) -> WorkerPdfRenderer:
        """A :class:`~sitrep.render.pdf.PdfRenderer` that renders in this worker, the
        HTML loading files from ``folders`` (as :class:`WeasyPrintRenderer`)."""
        return WorkerPdfRenderer(self, list(folders))


class WorkerPdfRenderer:
    """Renders PDFs in an :class:`EarlyPdf` worker, or here if the worker is gone. The
    PDF is the same bytes either way: the worker runs the same renderer."""

    def __init__(self, worker: EarlyPdf, folders: list[Path]) -> None:
        self.worker = worker
        self.folders = folders

    def render(self, html: str, attachments: Sequence[PdfAttachment] = ()) -> bytes:
        """The PDF of ``html`` with ``attachments`` embedded."""
        from concurrent.futures.process import BrokenProcessPool

        self.worker.start()
        try:
            pdf: bytes = self.worker.submit(_render_pdf, self.folders, html,
                                            list(attachments)).result()  # fmt: skip
        except BrokenProcessPool:
            logger.warning("the PDF process stopped; rendering the PDF in this process")
            pdf = _render_pdf(self.folders, html, list(attachments))
        return pdf


# --- both ---------------------------------------------------------------------------------


class HeadStart:
    """The workers of a run (either may be None): the PDF worker (``pdf``) and the chart
    worker (``charts``), both started at once on two cores or more with ``fork``. Use as
    a context manager: leaving it ends them."""

    def __init__(self, *, pdf: bool = False, charts: bool = False) -> None:
        self.charts: EarlyCharts | None = None
        self.pdf: EarlyPdf | None = None
        if pdf and forking():
            # With no core to spare, WeasyPrint's import would only slow this process's
            # imports down, and with them the chart worker's fork: it waits for that.
            self.pdf = self._start(lambda: EarlyPdf(wait=charts and _busy()))
        if charts:
            self._start_charts()

    @staticmethod
    def _start(kind: Callable[[], W]) -> W | None:
        try:
            return kind()
        except OSError as exc:  # no process could be made: the run does it all here
            logger.warning("could not start a worker process (%s); working in this one", exc)
            return None

    def _start_charts(self) -> None:
        """Fork the chart worker once this process has imported the report models and the
        chart modules, which both processes need: imported again in the worker, they would
        put 0.4 s more before the charts, which the PDF waits for."""
        if self.charts is None and forking():
            from .render import charts  # noqa: F401  (the models; not matplotlib)

            self.charts = self._start(EarlyCharts)
        if self.pdf is not None:
            self.pdf.start()

    def fit(self, formats: Sequence[str], *, pdf: bool = True) -> None:
        """Keep the workers ``formats`` need and no other: the PDF worker is ended at once
        unless the PDF is to be rendered by WeasyPrint (``pdf``: no other renderer was
        given); the chart worker is ended if no format shows the charts, started if one
        does."""
        if self.pdf is not None and not (pdf and "pdf" in formats):
            self.pdf.stop()
            self.pdf = None
        if not any(FORMATS[name].charts for name in formats):
            if self.charts is not None:
                self.charts.stop()
                self.charts = None
        else:
            self._start_charts()

    def close(self, *, now: bool = False) -> None:
        """End both workers, once what they were given is done (``now``: at once, a
        half-done import or drawing left unfinished)."""
        for worker in (self.charts, self.pdf):
            if worker is not None:
                worker.stop() if now else worker.close()
        self.charts = self.pdf = None

    def __enter__(self) -> HeadStart:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(now=kind is not None)  # a failed run does not wait for its workers


def begin(formats: Sequence[str] | None) -> HeadStart:
    """The workers of a run rendering ``formats`` (None: not known yet, the configured
    ones), started as the command begins: the PDF worker first, which imports WeasyPrint
    while this process imports the models and the chart modules, then the chart worker
    (:meth:`HeadStart.fit` ends those the formats turn out not to need)."""
    wanted = list(FORMATS) if formats is None else [f for f in formats if f in FORMATS]
    return HeadStart(pdf="pdf" in wanted, charts=any(FORMATS[f].charts for f in wanted))
