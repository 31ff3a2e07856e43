"""A figure that carries its own best inside its bounds (UCDP's low/best/high, coded
'8-14 (best 10)'): how reconciliation weighs it, that a claim's best never reaches a
credible total, and how a reader sees it in English and French."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.model.counts import parse_count
from sitrep.model.records import Group, Outcome, Record, Stance
from sitrep.reconcile import collect_statements, figure_rows, merge_records, number_sources
from sitrep.reconcile.bounds import Stated, bounds, side_bounds, specific
from sitrep.summarise.totals import total
from sitrep.wording import counts as en_counts
from sitrep.wording import words_for
from sitrep.wording.french import grammar as fr
from sitrep.wording.people import people

OFF, CLM, IND = Stance.OFFICIAL, Stance.CLAIMED, Stance.INDEPENDENT


def _bounds(*items: tuple[Stance, str, str]) -> tuple[int | None, int | None, int | None]:
    found = bounds([Stated(stance, by, parse_count(text)) for stance, by, text in items])
    return found.low, found.best, found.high


def _record(*claims: dict[str, Any], rid: str = "r1") -> Record:
    return Record.model_validate({
        "id": rid, "date": "2025-05-24", "country": "MLI", "location": "Dioura",
        "event_type": "battles",
        "sources": [{"id": "src", "name": "Src", "published": "2025-05-25"}],
        "claims": [{"source": "src", "group": "unknown", "outcome": "killed", **c}
                   for c in claims],
    })  # fmt: skip


def _rows(*records: Record) -> list[Any]:
    statements = collect_statements(merge_records(list(records)))
    return figure_rows(statements, number_sources(s.source for s in statements))


# --- reconciliation ----------------------------------------------------------------------


def test_a_lone_figure_with_its_best_gives_low_best_high() -> None:
    assert _bounds((IND, "UCDP", "8-14 (best 10)")) == (8, 10, 14)
    assert _bounds((IND, "UCDP", "8-14")) == (8, 8, 14)  # without it, best = low, as before


def test_the_floor_stays_on_low_and_the_best_ranks_as_a_point_figure() -> None:
    # ACLED's 12 and UCDP's 8-14 (best 10) agree: low from the range, best the larger point
    assert _bounds((IND, "ACLED", "12"), (IND, "UCDP", "8-14 (best 10)")) == (8, 12, 14)
    # a carried best before a bare bound: 'at least 8' and '8-14 (best 11)' give 11, not 8
    assert _bounds((IND, "a", "at least 8"), (IND, "UCDP", "8-14 (best 11)"))[:2] == (8, 11)
    # it is never below low: a figure it contradicts sets a floor above the range's best
    assert _bounds((OFF, "FAMa", "30"), (IND, "UCDP", "8-14 (best 10)")) == (8, 30, 30)


def test_the_row_says_whose_best_it_is() -> None:
    [row] = _rows(_record({"by": "UCDP", "stance": "independent", "count": "8-14 (best 10)"}))
    assert (row.low, row.best, row.high) == (8, 10, 14)
    assert (row.derivation.best_rule, row.derivation.best_by) == ("point", "UCDP")
    [statement] = row.independent.statements
    assert (statement.low, statement.best, statement.high) == (8, 10, 14)
    assert words_for("en").basis(row) == "low 8 from UCDP (best 10, 8-14); best 10 from UCDP; " \
        "high 14 from UCDP"


def test_a_claims_best_never_becomes_the_rows_or_a_credible_total() -> None:
    claim = {"by": "JNIM", "stance": "claimed", "count": "20-40 (best 30)"}
    [alone] = _rows(_record(claim))
    assert (alone.low, alone.best, alone.high) == (None, None, 40)
    [with_official] = _rows(_record({"by": "FAMa", "stance": "official", "count": 5}, claim))
    assert (with_official.low, with_official.best, with_official.high) == (5, 5, 40)
    assert with_official.credible_high == 5
    both = total([alone.model_copy(update={"incident": "r2", "incidents": ["r2"]}),
                  with_official], Outcome.KILLED, None, None, 2)  # fmt: skip
    assert (both.low, both.best, both.high) == (5, 5, 5)  # 30 and 40 are claims: never added


def test_a_sides_own_low_best_high_keeps_a_claims_best_in_its_column() -> None:
    claim = {"by": "JNIM", "stance": "claimed", "count": "20-40 (best 30)"}
    [row] = _rows(_record({"by": "FAMa", "stance": "official", "count": 5}, claim))
    claimed = side_bounds(row.claimed.statements)
    assert (claimed.low, claimed.best, claimed.high) == (20, 30, 40)
    official = side_bounds(row.official.statements)
    assert (official.low, official.best, official.high) == (5, 5, 5)
    assert side_bounds(row.independent.statements).low is None  # silent: no figure


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(Stance)),
                          st.sampled_from(["12", "about 20", "8-14 (best 10)", "5-50 (best 40)",
                                           "more than 10", "dozens", "0-3 (best 3)", "10-20"])),
                min_size=1, max_size=5))  # fmt: skip
def test_property_a_carried_best_keeps_low_best_high_ordered(items: list[Any]) -> None:
    found = bounds([Stated(s, f"s{i}", parse_count(t)) for i, (s, t) in enumerate(items)])
    if found.low is not None:
        assert found.best is not None and found.low <= found.best
        assert found.high is None or found.best <= found.high
    floors = [c.low for s, t in items if s is not CLM and specific(c := parse_count(t))]
    if floors:  # the floor is on the lows, never on a carried best
        assert found.low == min(floors)


# --- words ---------------------------------------------------------------------------------


def test_english_shows_best_then_the_range() -> None:
    count = parse_count("8-14 (best 10)")
    assert en_counts.count(count) == "best 10, 8-14"
    assert people(en_counts.count(count), Group.STATE_FORCES) == "8-14 soldiers (best 10)"
    assert people("best 1, 1-2", Group.UNKNOWN) == "1-2 people (best 1)"  # the range agrees


def test_french_shows_the_best_estimate_then_the_range() -> None:
    count = parse_count("1,000-1,500 (best 1,200)")
    text = fr.count(count)
    assert text == "meilleure estimation 1\u202f200, 1\u202f000 à 1\u202f500"
    assert fr.passive(fr.count(parse_count("8-14 (best 10)")), Group.UNKNOWN, "killed") == (
        "8 à 14 personnes (meilleure estimation 10) ont été tuées")
