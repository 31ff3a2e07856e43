"""A joint figure coded on an incident the report does not show, covering a record merged
into one it does show: the figure is shown, and its sources are numbered and listed.

Found on 100,000 generated records (``bench/gen_records.py``): ``KeyError`` in
``reconcile._statement``, because only the shown incidents' sources were numbered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.config import Config
from sitrep.model.report import Report
from sitrep.pipeline import build_report
from sitrep.store import MemoryStore

DAY = dt.date(2025, 6, 2)


def _record(rid: str, day: str, place: str, source: str, claims: list[Any]) -> dict[str, Any]:
    return {
        "id": rid, "date": day, "country": "MLI", "location": place, "event_type": "battles",
        "sources": [{"id": "src", "name": source, "published": day}], "claims": claims,
    }  # fmt: skip


def _report(records: list[dict[str, Any]], day: dt.date = DAY) -> Report:
    loaded = MemoryStore(records).load()
    assert loaded.problems == []
    return build_report(Config(), start=day, end=day, loaded=loaded)


def _cited(report: Report) -> set[int]:
    return {
        n
        for row in report.table
        for cell in (row.official, row.claimed, row.independent)
        for s in [*cell.statements, *cell.superseded]
        for n in s.sources
    }


def test_joint_figure_from_an_incident_not_shown_is_numbered_and_listed() -> None:
    joint = {"source": "src", "by": "UN", "stance": "independent", "group": "civilians",
             "outcome": "killed", "count": 10, "covers": ["b2"]}  # fmt: skip
    records = [
        # too old for the report's look-back (3 May), inside the data window it reads
        _record("a", "2025-04-10", "Alpha", "Old paper", [joint]),
        _record("b1", "2025-06-02", "Beta", "Wire", []),
        _record("b2", "2025-06-02", "Beta", "Other", []),  # merged into b1
    ]
    report = _report(records)
    assert [i.id for i in report.incidents] == ["b1"]
    [row] = report.table
    assert row.incidents == ["a", "b1"]
    numbers = {s.number for s in report.sources}
    assert _cited(report) <= numbers
    assert "Old paper" in {s.name for s in report.sources}


@st.composite
def stores(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A few records of one place or two over two months, with joint figures between them."""
    n = draw(st.integers(min_value=2, max_value=7))
    ids = [f"r{i}" for i in range(n)]
    out = []
    for i, rid in enumerate(ids):
        day = dt.date(2025, 4, 1) + dt.timedelta(days=draw(st.integers(0, 62)))
        claims = []
        for _ in range(draw(st.integers(0, 2))):
            others = [x for x in ids if x != rid]
            claims.append({
                "source": "src", "by": draw(st.sampled_from(["UN", "FAMa", "JNIM"])),
                "stance": draw(st.sampled_from(["official", "claimed", "independent"])),
                "group": "civilians", "outcome": "killed",
                "count": draw(st.integers(0, 50)),
                "covers": draw(st.lists(st.sampled_from(others), max_size=2, unique=True)),
            })  # fmt: skip
        place = draw(st.sampled_from(["Beta", "Gamma"]))
        out.append(_record(rid, day.isoformat(), place, f"Paper {i % 3}", claims))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stores(), st.integers(0, 62))
def test_property_every_cited_source_is_listed(records: list[dict[str, Any]], offset: int) -> None:
    report = _report(records, dt.date(2025, 4, 1) + dt.timedelta(days=offset))
    assert _cited(report) <= {s.number for s in report.sources}
