"""Issue 8, "Figures a reader can quote": one test per point (each fails on the code before
the issue), property tests for the floor and the party-claim rule, and the example
report's page 1 as the issue's "Done means" describes it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reading import EN

from sitrep.config import Config
from sitrep.model.counts import parse_count
from sitrep.model.records import Group, Record, Stance, record_warnings
from sitrep.model.report import Flag, Report, Severity
from sitrep.pipeline import build_report
from sitrep.reconcile import FigureRules, collect_statements, figure_rows, merge_records
from sitrep.reconcile.bounds import Stated, bounds, specific
from sitrep.reconcile.duplicates import possible_duplicates
from sitrep.reconcile.sources import number_sources
from sitrep.render.mapsymbols import map_point
from sitrep.store import load_records
from sitrep.summarise.ranking import tally
from sitrep.wording import words_for
from sitrep.wording.languages import map_words

OFF, CLM, IND = Stance.OFFICIAL, Stance.CLAIMED, Stance.INDEPENDENT
NOW = dt.datetime(2025, 6, 3, 6, 0, tzinfo=dt.UTC)


def rec(**kw: Any) -> Record:
    base: dict[str, Any] = {
        "id": "r1", "date": "2025-06-01", "country": "MLI", "location": "Testville",
        "event_type": "battles",
        "sources": [{"id": "src", "name": "Src", "published": "2025-06-01"}],
    }  # fmt: skip
    return Record.model_validate({**base, **kw})


def claim(**kw: Any) -> dict[str, Any]:
    return {"source": "src", "by": "FAMa", "stance": "official", "group": "state_forces",
            "outcome": "killed", "count": 5, **kw}  # fmt: skip


def rows(records: list[Record], rules: FigureRules | None = None) -> list[Any]:
    incidents = merge_records(records)
    statements = collect_statements(incidents)
    return figure_rows(statements, number_sources(s.source for s in statements), rules)


def b(*items: tuple[Stance, str] | tuple[Stance, str, bool]) -> tuple[Any, ...]:
    found = bounds([Stated(i[0], f"s{n}", parse_count(i[1]), *(i[2:]))  # type: ignore[misc]
                    for n, i in enumerate(items)])  # fmt: skip
    return (found.low, found.best, found.high, found.high_open)


# --- 1. statement time ---------------------------------------------------------------------


def test_reported_takes_a_month_and_a_precision() -> None:
    r = rec(claims=[claim(reported="2025-05"), claim(reported="2025-05-15",
                                                     reported_precision="week")])  # fmt: skip
    assert r.claims[0].reported_precision.value == "month"
    first, last = r.claims[0].said() or (None, None)
    assert (first and first.date(), last and last.date()) == (dt.date(2025, 5, 1),
                                                               dt.date(2025, 5, 31))  # fmt: skip


def test_figure_first_seen_in_the_period_but_said_earlier_is_a_restatement() -> None:
    old = rec(id="old", date="2025-05-15", location="Djibo",
              sources=[{"id": "trt", "name": "TRT World", "published": "2025-06-02"}],
              claims=[claim(source="trt", by="JNIM", stance="claimed", count=200)])  # fmt: skip
    report = _report([old])
    [inc] = report.incidents
    assert inc.status == "restatement"
    assert report.key_figures.updates == 0 and report.key_figures.restatements == 1
    assert EN.restated(inc) == "restated by TRT World on 2 June; first said at an unknown date"
    assert report.key_figures.killed_all.rows == 0  # never in the period's totals


def test_validate_warns_about_unknown_statement_dates_on_older_records() -> None:
    old = rec(date="2025-05-15", sources=[{"id": "src", "name": "S", "published": "2025-06-02"}],
              claims=[claim()])  # fmt: skip
    [(field, message)] = record_warnings(old)
    assert field == "claims[0].reported" and "restatement" in message


# --- 2. the floor ---------------------------------------------------------------------------


def test_vague_acknowledgement_never_sets_the_floor() -> None:
    assert b((OFF, ">=1"), (IND, "40"), (IND, "about 25"))[0] == 25


def test_a_single_leak_does_not_raise_the_floor() -> None:
    low, _, high, _ = b((IND, "at least 200"), (IND, "600"))
    assert low == 200 and high == 600


def test_hundreds_next_to_about_100_is_open_ended() -> None:
    assert b((IND, "about 100"), (CLM, "hundreds"))[2:] == (None, True)


def test_a_subset_figure_does_not_contradict_the_total() -> None:
    found = bounds([Stated(IND, "a", parse_count("about 100")),
                    Stated(IND, "b", parse_count(50), subset=True)])  # fmt: skip
    assert (found.low, found.best) == (100, 100)


def test_about_carries_a_tolerance() -> None:
    records = [rec(claims=[claim(by="A", count="about 100"), claim(by="B", count=108)])]
    assert not rows(records)[0].official.contradiction  # within ±10%
    assert rows(records, FigureRules(about_tolerance=0.0))[0].official.contradiction


# --- 3. party claims -------------------------------------------------------------------------


def test_the_armys_count_of_enemy_dead_is_a_party_claim() -> None:
    [row] = rows([rec(claims=[claim(group="armed_group", count=14)])])
    assert (row.low, row.best) == (None, None)
    assert Flag.PARTY_CLAIM in row.flags and row.official.statements[0].party


def test_a_non_party_figure_admits_the_party_claim_and_the_rule_is_configurable() -> None:
    local = claim(by="locals", stance="independent", group="armed_group", count=10)
    r = rec(claims=[claim(group="armed_group", count=14), local])
    [row] = rows([r])
    assert (row.low, row.best) == (10, 14) and row.derivation.party_admitted
    [never] = rows([r], FigureRules(party_claims="never"))
    assert (never.low, never.best) == (10, 10)


@pytest.mark.parametrize("vague", ["many", "up to 20", ">=1"])
def test_a_vague_figure_does_not_corroborate_a_party_claim(vague: str) -> None:
    """A figure that sets no floor itself cannot let the army's count of enemy dead set one:
    no low, no best, the 14 a party claim, listed unconfirmed."""
    local = claim(by="locals", stance="independent", group="armed_group", count=vague)
    [row] = rows([rec(claims=[claim(group="armed_group", count=14), local])])
    assert (row.low, row.best) == (None, None)
    assert row.derivation.rule == "no_floor" and not row.derivation.party_admitted
    assert Flag.PARTY_CLAIM in row.flags and row.official.statements[0].party
    assert row.credible_high != 14


# --- 4. relays ------------------------------------------------------------------------------


def test_same_figure_through_a_relay_is_one_statement_never_a_revision() -> None:
    relay = {"id": "cr", "name": "ClashReport", "published": "2025-06-02", "via": "reuters"}
    r = rec(sources=[{"id": "reuters", "name": "Reuters", "published": "2025-06-01"}, relay],
            claims=[claim(source="reuters", by="security sources", stance="independent",
                          count=600),
                    claim(source="cr", by="ClashReport", stance="independent", count=600),
                    claim(source="cr", by="security sources", stance="independent",
                          count=600)])  # fmt: skip
    [row] = rows([r])
    [st_] = row.independent.statements
    assert st_.revised_on is None and Flag.REVISED not in row.flags
    assert st_.via == ["Reuters"] and len(st_.sources) == 2


def test_time_of_day_orders_two_statements_of_one_day() -> None:
    [row] = rows([rec(claims=[claim(count=13, reported="2025-06-02T08:00:00+00:00"),
                              claim(count=14, reported="2025-06-02T20:00:00+00:00")])])  # fmt: skip
    assert [s.text for s in EN_rows(row.official.statements)] == ["14"]
    assert Flag.REVISED in row.flags


def EN_rows(statements: list[Any]) -> list[Any]:
    from reading import worded

    return worded(statements)  # type: ignore[no-any-return]


# --- 5. the headline ------------------------------------------------------------------------


def test_no_total_adds_claims() -> None:
    r = rec(date="2025-06-02", claims=[claim(by="locals", stance="independent",
                                             group="civilians", count=300),
                    claim(by="group", stance="claimed", group="armed_group", count="nearly 300",
                          party=True)])  # fmt: skip
    t = _report([r]).key_figures.killed_all
    assert (t.low, t.high) == (300, 300)
    assert "claims" not in EN.total(t)


# --- 6. merges ------------------------------------------------------------------------------


def test_two_events_in_one_town_a_day_apart_are_possible_duplicates() -> None:
    battle = rec(id="battle", sub_event_type="armed_clash")
    ied = rec(id="ied", date="2025-06-02", event_type="explosions_remote_violence",
              sub_event_type="remote_explosive_landmine_ied",
              sources=[{"id": "x", "name": "Other", "published": "2025-06-02"}])  # fmt: skip
    incidents = merge_records([battle, ied])
    assert len(incidents) == 2
    [dup] = possible_duplicates(incidents)
    assert (dup.a, dup.b, dup.reason) == ("battle", "ied", "event_type")
    same_kind = rec(id="later", date="2025-06-02",
                    sources=[{"id": "x", "name": "Other", "published": "2025-06-02"}])  # fmt: skip
    assert len(merge_records([battle, same_kind])) == 2  # no corroborating signal
    dismissed = same_kind.model_copy(update={"not_same_as": ["battle"]})
    assert possible_duplicates(merge_records([battle, dismissed])) == []


# --- 8. outcome statements --------------------------------------------------------------------


def test_outcome_statements_are_shown_with_contradictions_flagged() -> None:
    army = {"source": "src", "by": "FAMa", "stance": "official", "says": "repelled"}
    r = rec(outcomes=[{"source": "src", "by": "JNIM", "stance": "claimed", "says": "seized"}, army])
    [inc] = _report([r]).incidents
    assert sorted(o.says.value for o in inc.outcomes) == ["repelled", "seized"]
    assert all(o.contradicted for o in inc.outcomes)


# --- 9. as of ---------------------------------------------------------------------------------


def test_as_of_leaves_out_later_statements_and_says_how_many() -> None:
    r = rec(date="2025-06-02", claims=[claim(count=5, reported="2025-06-02"),
                                       claim(by="UN", count=9, reported="2025-06-04")])  # fmt: skip
    early = _report([r], as_of=dt.datetime(2025, 6, 2, 23, 59, tzinfo=dt.UTC))
    assert early.later_statements == 1
    assert "--as-of" in (EN.as_of_note(early) or "")
    late = _report([r], as_of=dt.datetime(2025, 6, 5, tzinfo=dt.UTC))
    assert late.later_statements == 0 and late.key_figures.killed_all.high == 9


# --- the example: page 1 of 2 June ------------------------------------------------------------


def test_example_page_one_reads_as_the_issue_asks(examples_dir: Path) -> None:
    loaded = load_records(examples_dir)
    report = build_report(Config(), start=dt.date(2025, 6, 2), end=dt.date(2025, 6, 2),
                          loaded=loaded, now=NOW)  # fmt: skip
    kf = report.key_figures
    assert kf.incidents == 1 and kf.updates == 1
    timbuktu = next(i for i in report.incidents if i.status == "new")
    assert timbuktu.location == "Timbuktu"
    [killed] = [r for r in timbuktu.figures if r.outcome.value == "killed"]
    assert killed.group is Group.ARMED_GROUP and Flag.PARTY_CLAIM in killed.flags
    assert kf.killed_all.credible_rows == 0  # no total adds a claim
    assert {u.statement.wording for u in kf.unconfirmed} == {"13", "14"}
    boulkessi = next(i for i in report.incidents if i.status == "update")
    assert boulkessi.location == "Boulkessi"
    assert any(o.says.value == "withdrew" and o.by == "FAMa" for o in boulkessi.outcomes)
    [change] = [c for c in kf.new_information if c.group is Group.STATE_FORCES]
    assert (change.before_low, change.low, change.high_open) == (None, 31, True)
    row = next(r for r in boulkessi.figures if r.group is Group.STATE_FORCES)
    [st_] = row.independent.statements
    assert st_.by == "two security sources" and st_.via == ["Reuters"]
    assert {i.location for i in report.incidents if i.status == "restatement"} >= {
        "Djibo", "Dioura", "Sirakorola"}
    sentence = EN.developments(report)[1]
    assert "FAMa gave no figure for its own losses" in sentence and "party claim" in sentence


def _report(records: list[Record], as_of: dt.datetime | None = None) -> Report:
    from sitrep.store.base import LoadResult

    config = Config()
    from sitrep.pipeline import EditionBuilder, make_plan

    plan = make_plan(config, start=dt.date(2025, 6, 2), now=NOW, as_of=as_of, formats=["json"])
    builder = EditionBuilder(plan, loaded=LoadResult(records, [], [], []))
    from sitrep.pipeline import report_for

    return report_for(plan, builder.merged())


# --- properties -------------------------------------------------------------------------------

TEXTS = ["0", "3", "12", "30", "about 20", "more than 10", "at least 25", "up to 40",
         "fewer than 10", "10-20", "dozens", "many", "some", ">=1", "hundreds"]
figures = st.lists(st.tuples(st.sampled_from(list(Stance)), st.sampled_from(TEXTS),
                             st.booleans(), st.booleans()), max_size=6)  # fmt: skip


def _stated(items: list[tuple[Stance, str, bool, bool]]) -> list[Stated]:
    return [Stated(s, f"s{i}", parse_count(t), p, sub) for i, (s, t, p, sub) in enumerate(items)]


@settings(max_examples=60, deadline=None)
@given(figures, st.sampled_from(["corroborated", "never", "always"]))
def test_property_low_best_high_are_ordered(items: list[Any], rule: Any) -> None:
    found = bounds(_stated(items), FigureRules(party_claims=rule))
    if found.low is not None:
        assert found.best is not None and found.low <= found.best
        if found.high is not None:
            assert found.best <= found.high
        if found.credible_high is not None:
            assert found.low <= found.credible_high or found.credible_high_open is False


@settings(max_examples=60, deadline=None)
@given(figures, figures)
def test_property_vague_figures_never_lower_a_specific_floor(
    items: list[Any], extra: list[Any]
) -> None:
    specific = [i for i in items if i[1] in ("3", "12", "30", "about 20", "10-20")]
    vague = [(s, t, p, False) for s, t, p, _ in extra if t in ("many", "some", ">=1", "dozens")]
    alone = bounds(_stated(specific))
    both = bounds(_stated(specific + vague))
    # vague words neither set nor move a floor, not even beside a subset figure ("3 of them
    # students"): low and best are the specific figures' own
    if alone.low is not None:
        assert (both.low, both.best) == (alone.low, alone.best)


NON_SPECIFIC = ("up to 40", "fewer than 10", "dozens", "many", "some", ">=1", "hundreds")


@settings(max_examples=80, deadline=None)
@given(figures, st.sampled_from(["corroborated", "never", "always"]))
def test_property_low_and_best_never_come_from_a_non_specific_figure(
    items: list[Any], rule: Any
) -> None:
    stated = _stated(items)
    found = bounds(stated, FigureRules(party_claims=rule))
    if found.low is None:
        assert found.best is None
        return
    admitted = found.derivation.party_admitted or rule == "always"
    credible = [s for s in stated if s.stance is not CLM and (not s.party or admitted)
                and specific(s.count)]  # fmt: skip
    assert found.derivation.low_from is not None and found.derivation.low_from.kind is not None
    assert found.derivation.low_from.wording not in NON_SPECIFIC
    assert found.low in {s.count.low for s in credible}
    points = {s.count.point for s in credible} | {s.count.low for s in credible}
    assert found.best in points | {found.low}


@settings(max_examples=80, deadline=None)
@given(figures, st.sampled_from(["corroborated", "never", "always"]))
def test_property_a_row_of_non_specific_figures_has_no_floor(items: list[Any], rule: Any) -> None:
    vague = [(s, t, p, sub) for s, t, p, sub in items if t in NON_SPECIFIC]
    found = bounds(_stated(vague), FigureRules(party_claims=rule))
    assert found.low is None and found.best is None
    fair = any(s is not CLM and not p for s, _, p, _ in vague)
    if fair:  # credible figures were given, none specific
        assert found.derivation.rule == "no_floor"


@settings(max_examples=60, deadline=None)
@given(figures, figures)
def test_property_party_claims_alone_never_set_low_or_best(
    items: list[Any], extra: list[Any]
) -> None:
    party_only = [(s, t, True, sub) for s, t, _, sub in items if s is not Stance.CLAIMED]
    found = bounds(_stated(party_only))
    assert found.low is None and found.best is None


# --- vague figures set no floor -----------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "stance", "expected"),
    [
        ("hundreds", "independent", Severity.CRITICAL),
        ("dozens", "independent", Severity.MAJOR),
        ("many", "independent", Severity.MODERATE),
        ("up to 600", "official", Severity.MODERATE),  # a bound alone: at least one
        ("hundreds", "claimed", Severity.MODERATE),  # a claim: at least moderate, never more
    ],
)
def test_a_vague_toll_ranks_by_what_its_words_say_at_least(
    count: str, stance: str, expected: Severity
) -> None:
    """Severity reads credible vague words as ACLED does, at their least ('dozens' is at
    least 12): an incident where residents say hundreds were killed is critical, though
    its row prints no low and no best."""
    by = "JNIM" if stance == "claimed" else "residents"
    [inc] = _report([rec(date="2025-06-02", claims=[
        claim(by=by, stance=stance, group="civilians", count=count)])]).incidents  # fmt: skip
    assert inc.severity is expected
    assert all(row.low is None and row.best is None for row in inc.figures)


def test_an_incident_of_vague_figures_prints_no_number_nobody_said() -> None:
    r = rec(date="2025-06-02", claims=[
        claim(by="residents", stance="independent", group="civilians", count="hundreds"),
        claim(by="JNIM", stance="claimed", count=50),
        claim(by="local official", stance="independent", count="up to 10"),
    ])  # fmt: skip
    report = _report([r])
    [inc] = report.incidents
    # "hundreds" prints no number, but says at least 100 were killed: critical
    assert inc.severity is Severity.CRITICAL
    civilians = next(row for row in inc.figures if row.group is Group.CIVILIANS)
    soldiers = next(row for row in inc.figures if row.group is Group.STATE_FORCES)
    assert (civilians.low, civilians.best, soldiers.low, soldiers.best) == (None,) * 4
    assert not soldiers.claimed_only and Flag.CLAIMED_ONLY not in soldiers.flags
    assert EN.high(civilians) == "open" and EN.high(soldiers) == "50"
    assert EN.estimate(civilians) == "no low or best (vague figures only) · high open"
    assert EN.basis(soldiers) == (
        "no low or best: the credible figures are only vague words or bounds (local official: "
        "up to 10), which set no floor; high 50 from JNIM")
    kf = report.key_figures
    assert (kf.killed_all.low, kf.killed_all.vague_rows) == (0, 2)
    assert EN.total(kf.killed_all) == "no specific credible figure (only vague figures, not added)"
    assert [u.statement.by for u in kf.unconfirmed] == ["JNIM"]  # "up to 10" confirms no 50
    assert EN.tally(tally(inc)) == "vague figures only"
    point = map_point(inc)
    assert point.floor == 0 and point.vague and not point.claims_only
    assert map_words("en").figure(point) == "vague killed figures only, no credible low"
    [chart] = [c for c in EN.chart_texts(report) if c["name"] == "casualties"]
    assert chart["text"] == ("Bar chart of people killed per incident and group. Testville, "
                             "2 Jun, state forces: vague figures only (up to 10); 50 claimed.")
    assert report.daily[-1].killed_low == 0
    fr = words_for("fr")
    assert fr.high(civilians) == "ouvert"
    assert fr.estimate(civilians) == "ni bas ni meilleur (chiffres vagues seulement) · haut ouvert"
    assert fr.tally(tally(inc)) == "chiffres vagues seulement"
