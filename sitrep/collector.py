"""The cyclic garbage collector, paused while a stage builds the objects of a report.

Used by the pipeline's load, merge and summarise stages and by the JSON render. A stage
allocates hundreds of thousands of objects (records, incidents, statements, the
report and its JSON) that all live until it ends. The collector, triggered by every 700
allocations, walks them again and again without finding garbage: a quarter to a third of
the CPU time of a 30-day report out of a million records (bench/README.md). Reference
counting still frees everything that is not a cycle; the collector runs again, as usual,
once the stage returns. What the stage leaves alive goes straight to the collector's oldest
generation as it returns: left young, all of it would be walked by the next young
collection (0.15 s at the start of a 90-day report's JSON, finding nothing), then by the
middle one. It is walked, and any cycle among it freed, at the next full collection, as
anything that lives long enough. The PDF is left alone: WeasyPrint's boxes make cycles, and
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
    caller already paused it), the objects alive when it returns moved to the collector's
    oldest generation."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if not gc.get_freeze_count():  # (someone's frozen objects stay frozen)
                gc.freeze()  # every generation spliced into the permanent one, then
                gc.unfreeze()  # into the oldest: no object walked
            gc.enable()

    return run
