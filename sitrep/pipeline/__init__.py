"""The one orchestrator: plan once, then load -> merge -> summarise -> render -> write.

:func:`make_plan` decides once what a run needs (the period, the data window, the merge
and figure rules, the formats, the editions, the time); then the records are loaded once
(:func:`load`, through the configured store) and merged once (:func:`merge`), and each
edition is summarised, rendered and written from that one merge
(:class:`EditionBuilder`). ``sitrep generate`` (:func:`generate`), ``sitrep run``
(:mod:`sitrep.daily`), ``sitrep explain`` (:mod:`sitrep.explaining`) and the web app all
call it.

Nothing is written until every output of an edition is rendered in memory, and the files
of an edition are then published as one set (:func:`sitrep.writers.publish_set`), so a
failed or killed run leaves the previous report untouched and whole.
"""

from __future__ import annotations

from .editions import EditionBuilder, Generated, generate, render_in_worker
from .plan import (
    Plan,
    Rules,
    check_formats,
    check_language,
    data_window,
    make_plan,
    now_in,
    previous_day,
    wording_for,
)
from .stages import Merged, build_report, load, merge, render_edition, render_job, report_for

__all__ = [
    "EditionBuilder",
    "Generated",
    "Merged",
    "Plan",
    "Rules",
    "build_report",
    "check_formats",
    "check_language",
    "data_window",
    "generate",
    "load",
    "make_plan",
    "merge",
    "now_in",
    "previous_day",
    "render_edition",
    "render_in_worker",
    "render_job",
    "report_for",
    "wording_for",
]
