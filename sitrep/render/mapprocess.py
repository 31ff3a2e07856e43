"""The map drawn in a process of its own, beside the other charts.

A chart worker (:mod:`sitrep.headstart`) that has imported matplotlib and read the map data
forks a :class:`MapDrawer` before it sends any result (no thread of its holds a lock yet);
given a report, the drawer draws its map while the worker draws the casualty and daily
charts: 0.12-0.13 s instead of 0.17 s for the example's three charts, which the PDF waits
for.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.report import Report
    from .style import Chart

logger = logging.getLogger(__name__)


class MapDrawer:
    """A process forked from the prepared chart worker that draws one report's map while
    the worker draws the other charts (the map costs about as much as the other two). It
    reads the pickled report from a pipe and writes the pickled map back; it ends when
    the pipe closes, report or none (the worker ended). If it fails, the map is drawn in
    the worker: the same bytes."""

    def __init__(self) -> None:
        from multiprocessing import util

        report_r, report_w = os.pipe()
        map_r, map_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the drawer: nothing returns from here
            os.close(report_w)
            os.close(map_r)
            os._exit(_draw_map_between(report_r, map_w))
        os.close(report_r)
        os.close(map_w)
        self._to, self._back = os.fdopen(report_w, "wb"), os.fdopen(map_r, "rb")
        self._status: int | None = None
        util.Finalize(None, self.close, exitpriority=10)  # an unused drawer ends with the worker

    def send(self, report: Report) -> bool:
        """Start drawing ``report``'s map (False: the drawer is gone)."""
        try:
            with self._to:
                self._to.write(pickle.dumps(report))
        except OSError:
            self.close()
            logger.warning("the map process stopped; drawing the map in the chart process")
            return False
        return True

    def receive(self, report: Report) -> Chart | None:
        """The map (drawn in this process if the drawer failed)."""
        with self._back:
            data = self._back.read()
        if self._reap() == 0 and data:
            chart: Chart | None = pickle.loads(data)
            return chart
        logger.warning("the map process stopped; drawing the map in the chart process")
        from .maps import draw_map

        return draw_map(report)

    def close(self) -> None:
        """End the drawer, if it still waits for a report, and reap it."""
        for pipe in (self._to, self._back):
            with contextlib.suppress(OSError):
                pipe.close()
        self._reap()

    def kill(self) -> None:
        """End the drawer at once, whatever it is doing, and reap it (safe in a signal
        handler: no pipe is touched)."""
        if self._status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> int:
        if self._status is None:
            try:
                self._status = os.waitpid(self.pid, 0)[1]
            except ChildProcessError:
                self._status = -1
        return self._status


def _draw_map_between(given: int, back: int) -> int:
    """The map drawer's work: the report read from ``given``, its pickled map written to
    ``back``; the exit status."""
    try:
        with os.fdopen(given, "rb") as pipe:
            data = pipe.read()
        if data:
            from .maps import draw_map

            chart = draw_map(pickle.loads(data))
            with os.fdopen(back, "wb") as pipe:
                pipe.write(pickle.dumps(chart))
        return 0
    except BaseException:
        return 1
