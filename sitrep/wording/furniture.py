"""The words around a report's content: marking, contacts, next edition, licence, data
link, and the severity of an incident nobody has put a figure on yet."""

from __future__ import annotations

from ..model.records import Outcome
from ..model.report import Incident, Severity

TLP_MEANINGS = {
    "TLP:CLEAR": "Disclosure is not limited.",
    "TLP:GREEN": "Limited disclosure: recipients may share it within their community.",
    "TLP:AMBER": "Limited disclosure: recipients may share it on a need-to-know basis "
    "within their organisation and its clients.",
    "TLP:AMBER+STRICT": "Limited disclosure: recipients may share it on a need-to-know "
    "basis within their organisation only.",
    "TLP:RED": "For the named recipients only: no further disclosure.",
}
"""What each TLP 2.0 label asks of the reader (FIRST TLP 2.0 definitions, shortened)."""

SEVERITY_UNKNOWN = "not yet known"


def marking_meaning(marking: str | None) -> str:
    """What a TLP label asks of the reader; empty for free-text markings."""
    return TLP_MEANINGS.get(marking or "", "")


def has_killed_figure(incident: Incident) -> bool:
    """True when someone put a number (zero included) on the incident's killed."""
    return any(
        r.low is not None or r.high is not None or r.high_open
        for r in incident.figures
        if r.outcome is Outcome.KILLED
    )


def severity_text(incident: Incident) -> str:
    """The incident's severity in words; 'not yet known' when it would be 'minor' only
    because nobody has given a figure yet (a reported zero is minor)."""
    if incident.severity is Severity.MINOR and not has_killed_figure(incident):
        return SEVERITY_UNKNOWN
    return incident.severity.value
