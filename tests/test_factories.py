"""The hand-built factory report agrees with the real summariser on the seed incidents.

``factories.sahel_report()`` is said to follow the seed articles for Boulkessi, Timbuktu,
Tahoua + Dosso, Djibo, Dioura and Sirakorola. These tests build the real report for 2 June
2025 from ``examples/sahel-2025-06`` (as ``test_golden`` does) and compare, incident by
incident, the figure rows on their numbers and codes only: group, outcome, low/best/high,
flags, cell statuses and each statement's speaker, stance, bounds and record. English text
(labels, bases, the figure as a reader reads it) and source numbers (each report numbers its
own sources) are left out on purpose.

Only the figure rows are compared: the factory's period is 1–2 June, the real report's
2 June, so statuses and severities of the incidents legitimately differ.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from factories import BOULKESSI, DIOURA, DJIBO, DOSSO, SIRAKOROLA, TAHOUA, TIMBUKTU, sahel_report

from sitrep.config import load_config
from sitrep.model.report import Cell, FigureRow, Incident, Report, Statement
from sitrep.pipeline import build_report, data_window, load

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sahel-2025-06"
DAY = dt.date(2025, 6, 2)
SEED = [BOULKESSI, TIMBUKTU, TAHOUA, DOSSO, DJIBO, DIOURA, SIRAKOROLA]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Incident]:
    """The real report's incidents for 2 June 2025, by id."""
    config = load_config(tmp_path_factory.mktemp("config")).with_overrides(data=EXAMPLE)
    loaded = load(config, window=data_window(config, DAY, DAY))
    report = build_report(
        config, start=DAY, end=DAY, loaded=loaded, now=dt.datetime(2025, 6, 3, 6, tzinfo=dt.UTC)
    )
    return by_id(report)


@pytest.fixture(scope="module")
def factory() -> dict[str, Incident]:
    """The factory report's incidents, by id."""
    return by_id(sahel_report())


def by_id(report: Report) -> dict[str, Incident]:
    return {incident.id: incident for incident in report.incidents}


def statement_facts(statement: Statement) -> dict[str, Any]:
    """What a statement says, without its English text or the report's source numbers."""
    return statement.model_dump(exclude={"text", "wording", "quote", "sources"})


def cell_facts(cell: Cell) -> dict[str, Any]:
    return {
        "stance": cell.stance,
        "status": cell.status,
        "contradiction": cell.contradiction,
        "statements": [statement_facts(s) for s in cell.statements],
        "superseded": [statement_facts(s) for s in cell.superseded],
    }


def row_facts(row: FigureRow) -> dict[str, Any]:
    """A figure row's numbers and codes (no label, no basis)."""
    return {
        **row.model_dump(include={"incident", "incidents", "group", "outcome", "low", "best",
                                  "high", "high_open", "flags"}),
        "official": cell_facts(row.official),
        "claimed": cell_facts(row.claimed),
        "independent": cell_facts(row.independent),
    }


def test_every_seed_incident_is_in_both_reports(
    real: dict[str, Incident], factory: dict[str, Incident]
) -> None:
    assert [i for i in SEED if i not in real] == []
    assert [i for i in SEED if i not in factory] == []


@pytest.mark.parametrize("incident", SEED)
def test_factory_rows_match_the_summariser(
    incident: str, real: dict[str, Incident], factory: dict[str, Incident]
) -> None:
    expected = [row_facts(r) for r in real[incident].figures]
    assert expected, f"{incident} has no figure rows in the real report"
    assert [row_facts(r) for r in factory[incident].figures] == expected
