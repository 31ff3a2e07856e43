"""The report as JSON (and the JSON Schema of it).

Kept apart from the Markdown and HTML renderers: ``--format json`` needs neither Jinja nor
the map's data, and does not import them.
"""

from __future__ import annotations

from typing import Any

from ..collector import collector_paused
from ..model.report import Report
from ..wording import Words, words_for
from .digest import chart_scope, charted
from .safe import json_document
from .worded import json_data, json_schema


@collector_paused
def render_json_bytes(
    report: Report, words: Words | None = None, chart_limit: int | None = None
) -> bytes:
    """The report as JSON in UTF-8: :class:`Report` serialised with its words in the
    report's language (docs/report-json.md), sets sorted (stable). ``chart_limit``
    (``report.figures_table_limit``): the charts' texts describe the casualty chart as
    the other formats draw it, a big period's showing only the incidents that matter."""
    words = words or words_for(report.language)
    charts = None
    if chart_limit is not None and (drawn := charted(report, chart_limit)) is not report:
        charts = words.chart_texts(drawn, chart_scope(report, words, chart_limit))
    data = json_data(report, words, charts)
    for key in ("countries", "admin1"):
        data["filter"][key] = sorted(data["filter"][key])
    return json_document(data)


def render_json(report: Report, words: Words | None = None) -> str:
    """The report as JSON text (:func:`render_json_bytes`)."""
    return render_json_bytes(report, words).decode()


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report (``docs/report.schema.json``)."""
    schema = json_schema(Report.model_json_schema(mode="serialization"))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/sitrep/sitrep/docs/report.schema.json",
        **schema,
        "title": "sitrep report",
        "description": "The JSON output of sitrep generate (docs/report-json.md).",
    }


