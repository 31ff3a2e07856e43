"""The worded fields of the report: which words go with which part of the report model.

The model holds numbers, codes and references; a reader reads words. Each entry here
names a field that a reader (or the JSON output, or a user's template) sees on a model
object, and writes it from that object in the edition's language. The JSON writer puts
each field right after ``after`` (where the JSON has always had it); templates see the
same names as attributes (``report.period.label``, ``row.basis``, ``t.text``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..model.report import (
    FigureChange,
    FigureRow,
    Incident,
    Merge,
    OutcomeView,
    Period,
    PossibleDuplicate,
    Report,
    Statement,
    Total,
    Trend,
    UnconfirmedClaim,
)
from .words import Words


@dataclass(frozen=True)
class WordedField:
    """A field written from a model object: its name, its place and its words."""

    name: str
    after: str
    method: str
    schema: dict[str, Any]
    description: str

    def write(self, obj: Any, words: Words) -> Any:
        """The field's value for ``obj`` in the language of ``words``."""
        return getattr(words, self.method)(obj)


_TEXT = {"type": "string"}
_TEXT_OR_NULL = {"anyOf": [{"type": "string"}, {"type": "null"}]}
_CHART = {
    "type": "object",
    "properties": {"name": _TEXT, "title": _TEXT, "text": _TEXT},
    "required": ["name", "title", "text"],
}

WORDED: dict[type[BaseModel], tuple[WordedField, ...]] = {
    Statement: (
        WordedField("text", "stance", "statement", _TEXT_OR_NULL,
                    "The figure as a reader expects it; null: no figure."),
        WordedField("revised_from", "covers", "revised_from", _TEXT_OR_NULL,
                    "The speaker's earlier figure this statement replaced."),
        WordedField("marks", "via", "statement_marks", _TEXT,
                    "'party claim; via Reuters' (empty: nothing to mark)."),
    ),
    OutcomeView: (
        WordedField("text", "says", "outcome", _TEXT,
                    "'JNIM said it seized the position (disputed)'."),
    ),
    FigureChange: (
        WordedField("text", "outcome", "change", _TEXT,
                    "'state forces killed: no credible figure before, 31+ now'."),
    ),
    UnconfirmedClaim: (
        WordedField("text", "outcome", "unconfirmed", _TEXT,
                    "'FAMa: 14 armed group killed (party claim)'."),
    ),
    PossibleDuplicate: (
        WordedField("text", "reason", "possible_duplicate", _TEXT,
                    "Why two records may be one event, and how to decide."),
    ),
    FigureRow: (
        WordedField("label", "incidents", "row_label", _TEXT,
                    "Short place and date label: 'Boulkessi, 1 Jun'."),
        WordedField("basis", "high_open", "basis", _TEXT,
                    "How low/best/high were chosen, in words."),
    ),
    Period: (
        WordedField("label", "timezone", "period", _TEXT,
                    "The period in words: '27 May – 2 June 2025'."),
    ),
    Incident: (
        WordedField("date_text", "date_precision",
                    "incident_date", _TEXT,
                    "The date as a reader should see it: 'mid-May 2025'."),
        WordedField("country_name", "country", "incident_country", _TEXT,
                    "The country's name."),
        WordedField("restated_text", "restated", "restated", _TEXT_OR_NULL,
                    "'restated by TRT World on 2 June; first said mid-May'."),
    ),
    Total: (
        WordedField("text", "high_open", "total", _TEXT,
                    "'at least 45 killed; up to 260 including claims'."),
    ),
    Merge: (
        WordedField("reasons", "records", "merge_reasons",
                    {"type": "array", "items": _TEXT}, "Why the records were merged, in words."),
    ),
    Trend: (
        WordedField("label", "metric", "trend_label", _TEXT,
                    "What is counted: 'Incidents', 'Killed (credible figures)'."),
    ),
    Report: (
        WordedField("developments", "key_figures", "developments",
                    {"type": "array", "items": _TEXT},
                    "The key developments as sentences, most important first."),
        WordedField("as_of_note", "later_statements", "as_of_note", _TEXT_OR_NULL,
                    "How many later statements are left out, and how to include them."),
        WordedField("charts", "daily", "chart_texts", {"type": "array", "items": _CHART},
                    "The charts the report draws (the map apart), each as its name "
                    "('casualties', 'daily'), title and text alternative: the charts in words."),
    ),
}  # fmt: skip


def worded(obj: BaseModel, name: str) -> WordedField | None:
    """The worded field ``name`` of a model object, if it has one."""
    return next((f for f in WORDED.get(type(obj), ()) if f.name == name), None)
