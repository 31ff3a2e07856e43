"""A progress bar on the terminal for long commands (``validate``, ``import``).

The bar goes to stderr, only when stderr is a terminal and ``--quiet`` was not given,
and only once the work has taken :data:`DELAY` seconds: a quick check prints nothing
more than before, and does not import ``rich`` at all.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO

from ..progress import SILENT, Progress

DELAY = 1.0
"""Seconds of work before the bar shows (most runs end before)."""


def progress_for(args: argparse.Namespace, what: str, stream: TextIO | None = None) -> Progress:
    """A bar on ``stream`` (stderr) if it is a terminal and ``--quiet`` is not given."""
    stream = stream or sys.stderr
    if getattr(args, "quiet", False) or not stream.isatty():
        return SILENT
    return TerminalProgress(what, stream)


class TerminalProgress:
    """A rich progress bar: records, records a second, and bytes read of the total (or
    records or lines of the total, or a pulsing bar when the total is not known)."""

    def __init__(self, what: str, stream: TextIO, delay: float | None = None) -> None:
        self.what, self.stream = what, stream
        self.delay = DELAY if delay is None else delay
        self.total: int | None = None
        self.unit = "bytes"
        self.began = time.monotonic()
        self._bar: Any = None
        self._task: Any = None

    def start(self, total: int | None, unit: str = "bytes") -> None:
        """Work begins (the clock of :data:`DELAY` starts)."""
        self.total, self.unit = total, unit
        self.began = time.monotonic()

    def update(self, records: int, done: int | None = None) -> None:
        """Show how far the work is (the bar appears once :data:`DELAY` has passed)."""
        elapsed = time.monotonic() - self.began
        if self._bar is None:
            if elapsed < self.delay:
                return
            self._show()
        rate = f"{records / elapsed:,.0f} records/s" if elapsed > 0 else ""
        self._bar.update(
            self._task, completed=done or 0, records=f"{records:,} records", rate=rate
        )
        self._bar.refresh()  # besides rich's own 10 a second: a short run is shown too

    def finish(self) -> None:
        """Take the bar off the terminal."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        amount = (
            [DownloadColumn()]
            if self.unit == "bytes"
            else [MofNCompleteColumn(), TextColumn(self.unit)]
        )
        columns = [
            TextColumn("{task.description}"),
            BarColumn(),
            *([*amount, TimeRemainingColumn()] if self.total else []),
            TextColumn("{task.fields[records]}"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
        ]
        console = Console(file=self.stream, stderr=True)
        self._bar = Progress(*columns, console=console, transient=True)
        self._task = self._bar.add_task(self.what, total=self.total, records="", rate="")
        self._bar.start()
