"""The cyclic garbage collector, paused while a stage builds the objects of a report.

Used by the pipeline's load, merge and summarise stages and by the JSON render. A stage
allocates hundreds of thousands of objects (records, incidents, statements, the
report and its JSON) that all live until it ends. The collector, triggered by every 700
allocations, walks them again and again without finding garbage: a quarter to a third of
the CPU time of a 30-day report out of a million records (bench/README.md). Reference
counting still frees everything that is not a cycle; the collector runs again, as usual,
once the stage returns. The PDF is left alone: WeasyPrint's boxes make cycles, and
pausing there saves 8% of its time for 40 MB more at the peak of a 1,000-incident period.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run with the cyclic garbage collector paused (left as it was if some
    caller already paused it)."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return run
