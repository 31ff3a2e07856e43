"""Summarising: placing incidents in the period, totals, trends and edition filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reading import EN, date_text, short_label, worded

from sitrep.config import Config
from sitrep.model.counts import CountKind
from sitrep.model.records import DatePrecision, Group, Outcome, Record, Stance
from sitrep.model.report import (
    Basis,
    Cell,
    FigureRow,
    Flag,
    Report,
    ReportFilter,
    Severity,
    Statement,
)
from sitrep.pipeline import build_report, load
from sitrep.store import LoadResult, MemoryStore
from sitrep.summarise import (
    PeriodCount,
    change_level,
    in_period,
    low_activity,
    make_period,
    trends,
)
from sitrep.summarise.totals import period_totals, total
from sitrep.wording import words_for

MakeRecord = Callable[..., dict[str, Any]]
MakeClaim = Callable[..., dict[str, Any]]
NOW = dt.datetime(2025, 6, 3, 6, 0, tzinfo=dt.UTC)
JUN2 = dt.date(2025, 6, 2)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TIMBUKTU = "mli-timbuktu-2025-06-02"
BOULKESSI = "mli-boulkessi-2025-06-01"
TAHOUA = "ner-tahoua-2025-05-24"
DOSSO = "ner-dosso-2025-05-26"
DJIBO = "bfa-djibo-2025-05-15"
DIOURA = "mli-dioura-2025-05-24"
SIRAKOROLA = "mli-sirakorola-2025-05-30"


def report_of(
    records: Sequence[dict[str, Any]] | LoadResult,
    start: dt.date = JUN2,
    end: dt.date | None = None,
    filters: ReportFilter | None = None,
    config: Config | None = None,
    now: dt.datetime = NOW,
) -> Report:
    """The report as the data stands at ``now`` (the default as-of: issue 8, point 9)."""
    loaded = records if isinstance(records, LoadResult) else MemoryStore(records).load()
    assert [p for p in loaded.problems if p.level == "error"] == [], loaded.problems
    return worded(  # type: ignore[no-any-return]
        build_report(
            config or Config(), start=start, end=end or start, filters=filters, loaded=loaded,
            now=now,
        )
    )


def status_of(report: Report) -> dict[str, str]:
    return {inc.id: inc.status for inc in report.incidents}


@pytest.fixture(scope="module")
def example_loaded(examples_dir: Path) -> LoadResult:
    return load(Config().with_overrides(data=examples_dir))


@pytest.fixture(scope="module")
def example_report(example_loaded: LoadResult) -> Report:
    return report_of(example_loaded)


# --- period placement --------------------------------------------------------------------


def test_example_placement_on_2_june(example_report: Report) -> None:
    # Timbuktu happened on 2 June; Boulkessi's figures were said on 2 June: new information;
    # the articles of 2 June only repeat what was said in mid-May, on 24 May or "last
    # Friday" (Djibo, Dioura, Sirakorola, Tahoua and Dosso): restatements, never news
    # (issue 8, point 1); Bamako (2024) and Kidal (2023) are too old.
    assert status_of(example_report) == {
        TIMBUKTU: "new",
        BOULKESSI: "update",
        SIRAKOROLA: "restatement",
        DOSSO: "restatement",
        TAHOUA: "restatement",
        DJIBO: "restatement",
        DIOURA: "restatement",
    }
    assert example_report.key_figures.incidents == 1
    assert example_report.key_figures.updates == 1
    assert example_report.key_figures.restatements == 5
    assert example_report.key_figures.countries == ["MLI"]
    # new first, then updates, then restatements, then context
    order = [inc.status for inc in example_report.incidents]
    assert order == sorted(order, key=["new", "update", "restatement", "context"].index)


def test_example_placement_on_1_june(example_loaded: LoadResult) -> None:
    end_of_day = dt.datetime(2025, 6, 1, 23, 59, tzinfo=dt.UTC)
    report = report_of(example_loaded, start=dt.date(2025, 6, 1), now=end_of_day)
    status = status_of(report)
    assert status[BOULKESSI] == "new"
    assert TIMBUKTU not in status  # it had not happened yet
    # as known at the end of 1 June, nobody had given a figure: every figure on Boulkessi
    # was reported on 2 June; the report says that later statements exist
    assert [r for r in report.table if r.incident == BOULKESSI and r.low is not None] == []
    assert report.key_figures.killed_all.low == 0
    assert report.later_statements
    # the same day with everything known now: Boulkessi's 31 soldiers; the "many dead" of
    # unknown group may be those soldiers, so it is not added (31, not 32)
    assert report_of(example_loaded, start=dt.date(2025, 6, 1)).key_figures.killed_all.low == 31


def test_a_week_of_reports(example_loaded: LoadResult) -> None:
    report = report_of(example_loaded, start=dt.date(2025, 5, 27), end=JUN2)
    status = status_of(report)
    assert {k for k, v in status.items() if v == "new"} == {TIMBUKTU, BOULKESSI, SIRAKOROLA}
    assert EN.period(report.period) == "27 May – 2 June 2025"


@settings(max_examples=60, deadline=None)
@given(
    st.dates(dt.date(2025, 4, 1), dt.date(2025, 8, 31)),
    st.integers(min_value=-20, max_value=20),
)
def test_property_month_precision_event_is_never_new_on_a_one_day_report(
    event: dt.date, offset: int
) -> None:
    record = Record.model_validate(
        {
            "id": "r",
            "date": event,
            "date_precision": "month",
            "country": "MLI",
            "location": "X",
            "event_type": "battles",
            "sources": [{"id": "s", "name": "S"}],
        }
    )
    day = event + dt.timedelta(days=offset)
    assert not in_period(record, day, day)
    assert not in_period(record, day - dt.timedelta(days=6), day)  # nor on a weekly one


def test_month_precision_event_with_statements_today_is_an_update(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    record = make_record(
        date="2025-06-02", date_precision="month", claims=[make_claim(reported="2025-06-02")]
    )
    assert status_of(report_of([record])) == {"mli-testville-2025-06-01": "update"}
    quiet = make_record(
        date="2025-06-02", date_precision="month", claims=[make_claim(reported="2025-05-20")]
    )
    assert status_of(report_of([quiet])) == {"mli-testville-2025-06-01": "context"}


def test_week_precision_mid_may_is_not_new_on_2_june(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    with_news = make_record(
        id="w", date="2025-05-15", date_precision="week", claims=[make_claim(reported="2025-06-02")]
    )
    without = make_record(
        id="q",
        date="2025-05-15",
        date_precision="week",
        location="Elsewhere",
        claims=[make_claim(reported="2025-05-16")],
    )
    assert status_of(report_of([with_news, without])) == {"w": "update", "q": "context"}


def test_week_precision_event_is_new_when_the_period_covers_its_whole_week(
    make_record: MakeRecord,
) -> None:
    record = make_record(id="w", date="2025-05-15", date_precision="week")
    assert status_of(report_of([record], dt.date(2025, 5, 12), dt.date(2025, 5, 18))) == {
        "w": "new"
    }
    # a period that covers only part of the week leaves it out of "new"
    assert status_of(report_of([record], dt.date(2025, 5, 14), dt.date(2025, 5, 18))) != {
        "w": "new"
    }


def test_day_precision_event_in_the_period_is_new(make_record: MakeRecord) -> None:
    record = make_record(id="d", date="2025-06-02")
    assert status_of(report_of([record])) == {"d": "new"}


def test_multi_day_event_overlapping_the_period_is_new(make_record: MakeRecord) -> None:
    record = make_record(id="d", date="2025-05-30", end_date="2025-06-02")
    assert status_of(report_of([record])) == {"d": "new"}


def test_older_incident_with_statements_reported_in_the_period_is_an_update(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    old = make_record(id="old", date="2025-05-20", claims=[make_claim(reported="2025-06-02")])
    stale = make_record(
        id="stale", date="2025-05-20", location="Other", claims=[make_claim(reported="2025-05-21")]
    )
    ancient = make_record(id="ancient", date="2025-03-01", location="Far")
    status = status_of(report_of([old, stale, ancient]))
    assert status == {"old": "update", "stale": "context"}  # beyond the look-back: not shown


def test_statements_made_after_as_of_are_left_out_and_counted(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    record = make_record(
        id="inc",
        date="2025-06-01",
        claims=[
            make_claim(count=8, reported="2025-06-01"),
            make_claim(count=12, reported="2025-06-03"),
            make_claim(by="JNIM", stance="claimed", count=90, reported="2025-06-04"),
        ],
    )
    end_of_day = dt.datetime(2025, 6, 1, 23, 59, tzinfo=dt.UTC)
    report = report_of([record], dt.date(2025, 6, 1), now=end_of_day)
    [row] = report.table
    assert [s.text for s in row.official.statements] == ["8"]
    assert report.later_statements == 2  # said how many, and how to include them
    assert row.claimed.status == "silent"
    assert Flag.REVISED not in row.flags
    assert (row.low, row.best, row.high) == (8, 8, 8)
    assert report.data_as_of is not None and report.data_as_of.date() == dt.date(2025, 6, 1)
    joined = " ".join(report.developments)
    assert "12" not in joined and "90" not in joined
    # an older incident whose only news comes after the end is not an update
    old = make_record(
        id="old", date="2025-05-25", location="Other", claims=[make_claim(reported="2025-06-05")]
    )
    assert status_of(report_of([old], dt.date(2025, 6, 1), now=end_of_day)) == {
        "old": "context"
    }
    # with everything known now (the default as-of), the later figures are the current ones
    [row] = report_of([record], dt.date(2025, 6, 1)).table
    assert [s.text for s in row.official.statements] == ["12"]


def test_revision_inside_the_period_is_shown(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    record = make_record(
        id="inc",
        date="2025-06-01",
        claims=[
            make_claim(count=8, reported="2025-06-01"),
            make_claim(count=12, reported="2025-06-02"),
        ],
    )
    [row] = report_of([record], dt.date(2025, 6, 1), JUN2).table
    assert [s.text for s in row.official.statements] == ["12"]
    assert [s.text for s in row.official.superseded] == ["8"]


def test_events_after_the_period_are_not_shown(make_record: MakeRecord) -> None:
    assert report_of([make_record(id="later", date="2025-06-03")]).incidents == []


def test_empty_day(make_record: MakeRecord) -> None:
    report = report_of([make_record(id="old", date="2025-01-01")])
    assert report.incidents == [] and report.table == []
    assert report.key_figures.incidents == 0
    assert report.key_figures.killed_all.low == 0
    assert report.key_figures.killed_all.text == "no one reported killed"
    assert report.developments == ["No incidents were reported for 2 June 2025."]


# --- dates and labels ----------------------------------------------------------------------


def _rec(**kw: Any) -> Record:
    data = {
        "id": "r",
        "country": "MLI",
        "location": "Djibo",
        "event_type": "battles",
        "sources": [{"id": "s", "name": "S"}],
        **kw,
    }
    return Record.model_validate(data)


@pytest.mark.parametrize(
    ("kw", "text", "label"),
    [
        ({"date": "2025-06-01"}, "1 June 2025", "Djibo, 1 Jun"),
        ({"date": "2025-05-15", "date_precision": "week"}, "mid-May 2025", "Djibo, mid-May"),
        ({"date": "2025-05-05", "date_precision": "week"}, "early-May 2025", "Djibo, early-May"),
        ({"date": "2025-05-25", "date_precision": "week"}, "late-May 2025", "Djibo, late-May"),
        ({"date": "2023-11-15", "date_precision": "month"}, "November 2023", "Djibo, November"),
        ({"date": "2025-05-30", "end_date": "2025-06-02"}, "30 May – 2 June 2025", "Djibo, 30 May"),
        ({"date": "2025-06-01", "end_date": "2025-06-03"}, "1–3 June 2025", "Djibo, 1 Jun"),
    ],
)
def test_date_text_and_label(kw: dict[str, Any], text: str, label: str) -> None:
    record = _rec(**kw)
    assert date_text(record) == text
    assert short_label(record) == label


def test_make_period() -> None:
    period = make_period(JUN2, JUN2, "Africa/Bamako", lookback_days=30)
    assert (EN.period(period), period.days, period.context_start) == (
        "2 June 2025",
        1,
        dt.date(2025, 5, 3),
    )
    assert EN.period(make_period(dt.date(2024, 12, 30), dt.date(2025, 1, 2), "UTC")) == (
        "30 December 2024 – 2 January 2025"
    )
    with pytest.raises(ValueError, match="ends"):
        make_period(JUN2, dt.date(2025, 6, 1), "UTC")


def test_slack_days_of_precisions() -> None:
    assert [p.uncertainty_days for p in DatePrecision] == [0, 3, 15]


# --- change levels and trends --------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "baseline", "level"),
    [
        (126, 100, "large increase"),  # more than 25% up
        (125, 100, "moderate increase"),  # 25% is still moderate
        (110, 100, "moderate increase"),  # 10% up starts moderate
        (109, 100, "limited change"),
        (100, 100, "limited change"),
        (75, 100, "limited change"),  # 25% down is still limited
        (74, 100, "large decrease"),
        (0, 100, "large decrease"),
        (0, 0, "limited change"),
        (3, 0, "large increase"),
        (4.6, 4, "moderate increase"),
        (1, 0.43, "large increase"),
    ],
)
def test_change_level_boundaries(current: float, baseline: float, level: str) -> None:
    assert change_level(current, baseline) == level


def test_low_activity_is_limited_change() -> None:
    # ACLED: two events or fewer on average before and five or fewer now
    assert low_activity(5, 2) and not low_activity(6, 2) and not low_activity(5, 2.1)
    assert change_level(5, 1, low_activity=True) == "limited change"


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_property_change_level_matches_the_percentages(current: int, baseline: int) -> None:
    change = (current - baseline) * 100 / baseline  # percent, in exact-enough arithmetic
    level = change_level(current, baseline)
    if change > 25:
        assert level == "large increase"
    elif change >= 10:
        assert level == "moderate increase"
    elif change >= -25:
        assert level == "limited change"
    else:
        assert level == "large decrease"


def test_trends_against_previous_and_averages() -> None:
    history = [PeriodCount(8, 20)] + [PeriodCount(4, 10)] * 6 + [PeriodCount(0, 0)] * 23
    incidents, killed = trends(PeriodCount(10, 10), history)
    assert (incidents.metric, incidents.current, incidents.previous) == ("incidents", 10, 8)
    assert incidents.average_7 == pytest.approx((8 + 24) / 7, abs=0.01)
    assert incidents.average_30 == pytest.approx(32 / 30, abs=0.01)
    assert incidents.change_previous == "moderate increase"  # 10 vs 8: +25%
    assert incidents.change_7 == "large increase"
    assert killed.change_previous == "large decrease"  # 10 vs 20
    assert killed.average_7 == pytest.approx(80 / 7, abs=0.01)
    assert killed.change_7 == "limited change"  # 10 vs 11.43: -12.5%
    # a quiet place: too few incidents for a percentage to mean anything
    quiet = trends(PeriodCount(3, 10), [PeriodCount(1, 1)] * 30)
    assert {t.change_previous for t in quiet} == {"limited change"}


def test_example_trends_count_the_day_before(example_report: Report) -> None:
    incidents, killed = example_report.trends
    # 1 June: one incident (Boulkessi), conservatively 31 soldiers + at least 1 of unknown group
    assert (incidents.current, incidents.previous) == (1, 1)
    assert incidents.change_previous == "limited change"
    # 2 June: Timbuktu, where only the army's party claims give a figure: no credible
    # killed figure (issue 8); few incidents: limited change
    assert (killed.current, killed.previous) == (0, 31)
    assert killed.change_previous == "limited change"


# --- totals --------------------------------------------------------------------------------


def _row(
    low: int | None,
    best: int | None,
    high: int | None,
    *,
    high_open: bool = False,
    group: Group = Group.STATE_FORCES,
    incidents: Sequence[str] = ("a",),
    open_low: int | None = None,
) -> FigureRow:
    statements = []
    if open_low is not None:
        statements.append(
            Statement(
                record="a",
                by="x",
                stance=Stance.INDEPENDENT,
                wording=f"more than {open_low - 1}",
                kind=CountKind.MORE_THAN,
                low=open_low,
                high=None,
                reported=None,
                sources=[1],
            )
        )
    cell = Cell(
        stance=Stance.INDEPENDENT,
        status="figure" if statements else "silent",
        statements=statements,
    )
    silent = Cell(stance=Stance.OFFICIAL, status="silent", statements=[])
    return FigureRow(
        incident=incidents[0],
        incidents=list(incidents),
        group=group,
        outcome=Outcome.KILLED,
        official=silent,
        claimed=silent.model_copy(update={"stance": Stance.CLAIMED}),
        independent=cell,
        low=low,
        best=best,
        high=high,
        high_open=high_open,
        # a row with a credible low has credible figures; one without, only claims
        credible_high=high if low is not None else None,
        credible_high_open=high_open if low is not None else False,
        derivation=Basis(rule="credible"),
    )


def test_total_of_credible_bounded_figures() -> None:
    rows = [_row(5, 5, 5), _row(3, 3, 3, incidents=("b",))]
    t = worded(total(rows, Outcome.KILLED, None, None, 2))
    assert (t.low, t.best, t.high, t.high_open) == (8, 8, 8, False)
    assert t.text == "at least 8 killed"


def test_total_never_adds_claims() -> None:
    # issue 8: no total adds claims across incidents; the claim is listed apart
    t = worded(
        total([_row(5, 5, 5), _row(None, None, 200, incidents=("b",))], Outcome.KILLED, None,
              None, 2)
    )
    assert (t.low, t.best, t.high, t.high_open) == (5, 5, 5, False)
    assert t.text == "at least 5 killed"


def test_total_with_open_ended_figures_never_invents_an_upper_figure() -> None:
    rows = [_row(31, 31, None, high_open=True, open_low=31)]
    t = worded(total(rows, Outcome.KILLED, None, None, 1))
    # high is the sum of what was stated, flagged open: "31 or more", never "31 exactly"
    assert (t.low, t.high, t.high_open) == (31, 31, True)
    assert t.text == "at least 31 killed; no upper figure given"
    t = worded(
        total(
            [_row(31, 31, None, high_open=True, open_low=31),
             _row(None, None, 200, incidents=("b",))],
            Outcome.KILLED,
            None,
            None,
            2,
        )
    )
    # the claim of 200 is not added (issue 8): the credible figure stays open-ended
    assert (t.low, t.high, t.high_open) == (31, 31, True)
    assert t.text == "at least 31 killed; no upper figure given"
    assert "up to" not in t.text


def test_total_of_nothing() -> None:
    t = worded(total([], Outcome.KILLED, None, None, 0))
    assert (t.low, t.best, t.high, t.high_open, t.incidents) == (0, None, 0, False, 0)
    assert t.text == "no one reported killed"  # docs/methodology.md, Totals


def test_total_filters_by_group() -> None:
    rows = [_row(5, 5, 5), _row(3, 3, 3, group=Group.CIVILIANS)]
    assert total(rows, Outcome.KILLED, None, Group.CIVILIANS, 1).low == 3
    assert total(rows, Outcome.WOUNDED, None, None, 0).low == 0


def test_a_figure_of_unknown_group_and_the_groups_figures_of_one_incident_count_once() -> None:
    # ACLED's 41 "fatalities" (group unknown) and UCDP's 8 soldiers and 2 assailants of the
    # same event count, at least in part, the same dead: at least 41, not 51
    rows = [
        _row(41, 41, 41, group=Group.UNKNOWN),
        _row(8, 8, 8),
        _row(2, 2, 2, group=Group.ARMED_GROUP),
    ]
    everyone = total(rows, Outcome.KILLED, None, None, 1)
    assert (everyone.low, everyone.best, everyone.high) == (41, 41, 41)
    # the groups' own totals are unchanged
    assert total(rows, Outcome.KILLED, None, Group.STATE_FORCES, 1).low == 8
    assert total(rows, Outcome.KILLED, None, Group.UNKNOWN, 1).low == 41
    # the larger side counts: Boulkessi's "many dead" (1) beside "more than 30" soldiers
    rows = [_row(1, 1, None, high_open=True, group=Group.UNKNOWN), _row(31, 31, 31)]
    assert total(rows, Outcome.KILLED, None, None, 1).low == 31
    # another incident's unknown figure is simply added
    rows = [_row(31, 31, 31), _row(3, 3, 3, group=Group.UNKNOWN, incidents=("b",))]
    assert total(rows, Outcome.KILLED, None, None, 2).low == 34


def test_example_totals_count_the_joint_figure_once(
    example_report: Report, example_loaded: LoadResult
) -> None:
    # On 2 June only Timbuktu happened, and only the army's party claims give it a figure:
    # no credible figure, and no claim added (issue 8).
    killed = example_report.key_figures.killed_all
    assert (killed.low, killed.best, killed.incidents) == (0, None, 1)
    assert killed.text == "no credible figure (only claims, listed apart)"
    # Over 20 May - 2 June: Boulkessi more than 30 (31; its "many dead" of unknown group
    # names no number: not added, and said so) + Tahoua and Dosso together more than 100 (101,
    # once, not 202); Dioura and Djibo are claims only, Timbuktu a party claim: none of
    # them is added.
    fortnight = report_of(example_loaded, start=dt.date(2025, 5, 20), end=JUN2)
    whole = fortnight.key_figures.killed_all
    assert (whole.low, whole.high, whole.high_open) == (31 + 101, 31 + 101, True)
    assert whole.text == "at least 132 killed; no upper figure given; 1 vague figure not added"
    assert (whole.credible_rows, whole.vague_rows) == (2, 1)
    niger = {(t.country, t.group, t.outcome): t for t in fortnight.totals}[
        ("NER", None, Outcome.KILLED)
    ]
    assert (niger.low, niger.incidents) == (101, 2)
    totals = {(t.country, t.group, t.outcome): t for t in example_report.totals}
    arrested = totals[(None, None, Outcome.ARRESTED)]
    assert (arrested.low, arrested.high) == (31, 31)
    # per-country totals add up to the whole when no joint figure crosses a border
    for outcome in (Outcome.KILLED, Outcome.ARRESTED):
        whole = totals[(None, None, outcome)]
        parts = [t for (c, g, o), t in totals.items() if c and g is None and o is outcome]
        assert sum(t.low for t in parts) == whole.low


def test_example_table_has_each_row_once(example_report: Report) -> None:
    keys = [(tuple(r.incidents), r.group, r.outcome) for r in example_report.table]
    assert len(keys) == len(set(keys))
    joint = [r for r in example_report.table if len(r.incidents) > 1]
    assert [r.incidents for r in joint] == [[TAHOUA, DOSSO]]
    # the joint row is on both incidents in the log, as the same row
    by_id = {inc.id: inc for inc in example_report.incidents}
    assert by_id[TAHOUA].figures == by_id[DOSSO].figures == joint


def test_example_severity(example_report: Report) -> None:
    severity = {inc.id: inc.severity for inc in example_report.incidents}
    assert severity[TAHOUA] is Severity.CRITICAL  # more than 100
    assert severity[BOULKESSI] is Severity.MAJOR  # more than 30 and the base taken
    # the army's 13 or 14 attackers are a party's claim about its enemy (issue 8): no
    # credible figure, so a claimed toll alone: at least moderate, never more
    assert severity[TIMBUKTU] is Severity.MODERATE
    assert severity[DJIBO] is Severity.MODERATE  # a claim alone is not evidence of more
    assert severity[SIRAKOROLA] is Severity.MINOR  # no figure at all


def test_example_merge_is_listed_in_data_quality(example_report: Report) -> None:
    [merge] = example_report.data_quality.merges
    assert merge.incident == BOULKESSI
    assert merge.records == [BOULKESSI, "mli-boulikessi-2025-06-01"]
    assert "alias" in merge.reasons[0]
    assert example_report.data_quality.records_loaded == 10


def test_example_sources_are_numbered_and_used(example_report: Report) -> None:
    numbers = [s.number for s in example_report.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    used = {
        n
        for row in example_report.table
        for cell in (row.official, row.claimed, row.independent)
        for s in cell.statements
        for n in s.sources
    }
    assert used <= set(numbers)


@st.composite
def record_sets(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 5))
    ids = [f"r{i}" for i in range(n)]
    out = []
    for i, rid in enumerate(ids):
        claims = []
        for _ in range(draw(st.integers(0, 3))):
            stance = draw(st.sampled_from(["official", "claimed", "independent"]))
            claim: dict[str, Any] = {
                "source": "s",
                "by": f"{stance}-{draw(st.integers(0, 1))}",
                "stance": stance,
                "group": draw(st.sampled_from(["state_forces", "civilians", "unknown"])),
                "outcome": "killed",
                "count": draw(
                    st.sampled_from(
                        [
                            None,
                            0,
                            3,
                            12,
                            "about 20",
                            "more than 10",
                            "dozens",
                            "5-9",
                            "fewer than 10",
                        ]
                    )
                ),
                "reported": f"2025-06-0{draw(st.integers(1, 3))}",
            }
            others = [x for x in ids if x != rid]
            if others and draw(st.booleans()):
                claim["covers"] = [draw(st.sampled_from(others))]
            claims.append(claim)
        out.append(
            {
                "id": rid,
                "date": f"2025-0{draw(st.sampled_from(['5-30', '6-01', '6-02']))}",
                "country": draw(st.sampled_from(["MLI", "NER"])),
                "location": f"Place {i}",
                "event_type": "battles",
                "sources": [{"id": "s", "name": "Wire"}],
                "claims": claims,
            }
        )
    return out


@PROPERTY
@given(record_sets())
def test_property_totals_are_the_sums_they_claim_and_joint_figures_count_once(
    data: list[dict[str, Any]],
) -> None:
    report = report_of(data)
    table_killed = [r for r in report.table if r.outcome is Outcome.KILLED]
    keys = [(tuple(r.incidents), r.group) for r in table_killed]
    assert len(keys) == len(set(keys))  # a joint figure is one row, counted once
    # the period's total counts the rows of the period's incidents only (never an update's
    # or a restatement's), and credible figures only (issue 8)
    new = {i.id for i in report.incidents if i.status == "new"}
    killed_rows = [r for r in table_killed if new.issuperset(r.incidents) or r.incident in new]
    whole = report.key_figures.killed_all
    overlap = any(
        (a.group is b.group or Group.UNKNOWN in (a.group, b.group))
        and set(a.incidents) & set(b.incidents)
        for i, a in enumerate(killed_rows)
        for b in killed_rows[i + 1 :]
    )
    lows = [r.low or 0 for r in killed_rows]
    if overlap:  # a joint figure and a separate one count the same people: never both
        assert max(lows) <= whole.low <= sum(lows)
    else:
        assert whole.low == sum(lows)
        bests = [r.best for r in killed_rows if r.best is not None]
        assert whole.best == (sum(bests) if bests else None)
    credible = [r for r in killed_rows if r.low is not None]
    if whole.high_open:  # "N or more": N sums what was stated, never an invented bound
        assert whole.high is not None
        assert any(r.credible_high_open for r in credible)
        assert "up to" not in whole.text
    elif not overlap:
        assert whole.high == sum(
            r.credible_high if r.credible_high is not None else r.low or 0 for r in credible
        )
        assert not any(r.credible_high_open for r in credible)
    assert (
        whole.text.startswith(f"at least {whole.low} killed")
        or (whole.low == 0 and whole.text.startswith(("no credible figure",
                                                        "no specific credible figure")))
        or (whole.high == 0 and whole.text == "no figure given")
        or not killed_rows
    )
    # a row of vague figures only ("dozens") adds nothing, and the total says it left it out
    vague = [r for r in killed_rows if r.derivation.rule == "no_floor"]
    assert whole.vague_rows == len(vague)
    assert ("vague figure" in whole.text) == bool(vague)
    for t in report.totals:
        assert t.low <= (t.best if t.best is not None else t.low)
        if t.high is not None:
            assert t.low <= t.high
    # each covered statement appears in exactly one table row
    covering = [
        (tuple(r.incidents), r.group, r.outcome, s.record, s.by, s.text, s.reported)
        for r in report.table
        for c in (r.official, r.claimed, r.independent)
        for s in c.statements
        if s.covers
    ]
    assert len(set(covering)) == len(covering)



@PROPERTY
@given(record_sets())
def test_property_each_countrys_totals_are_the_totals_of_its_own_rows(
    data: list[dict[str, Any]],
) -> None:
    # period_totals clusters the rows of all countries once and reuses each cluster that is
    # all of one country: every total must still be total() of the rows it counts, a
    # country's being the rows whose incidents all lie in it (a joint figure across Mali
    # and Niger counts in neither country's totals, and never ties their rows together)
    report = report_of(data)
    country_of = {i.id: i.country for i in report.incidents}
    new = [i for i in report.incidents if i.status == "new"]
    for t in period_totals(report.table, new, country_of):
        rows = [
            r
            for r in report.table
            if r.outcome is t.outcome
            and (t.group is None or r.group is t.group)
            and (t.country is None or {country_of.get(i) for i in r.incidents} == {t.country})
        ]
        assert t == total(rows, t.outcome, t.country, t.group, t.incidents)


# --- filters -------------------------------------------------------------------------------


def test_filter_by_country(example_loaded: LoadResult) -> None:
    report = report_of(example_loaded, filters=ReportFilter(countries=frozenset({"NER"})))
    # the 2 June articles only restate Niger's toll (issue 8): never news, in no total
    assert status_of(report) == {DOSSO: "restatement", TAHOUA: "restatement"}
    assert report.key_figures.countries == []
    assert report.key_figures.killed_all.low == 0
    assert {s.name for s in report.sources} == {"TRT World"}
    assert [s.number for s in report.sources] == [1]


def test_filter_by_admin1_is_case_insensitive(example_loaded: LoadResult) -> None:
    report = report_of(example_loaded, filters=ReportFilter(admin1=frozenset({"MOPTI"})))
    assert status_of(report) == {BOULKESSI: "update", DIOURA: "restatement"}
    assert report.data_quality.merges[0].incident == BOULKESSI


def test_filter_by_minimum_severity(example_loaded: LoadResult) -> None:
    report = report_of(example_loaded, filters=ReportFilter(min_severity=Severity.MAJOR))
    # Timbuktu's only figures are the army's party claims: moderate (issue 8)
    assert set(status_of(report)) == {BOULKESSI, TAHOUA, DOSSO}
    critical = report_of(example_loaded, filters=ReportFilter(min_severity=Severity.CRITICAL))
    assert set(status_of(critical)) == {TAHOUA, DOSSO}


def test_filter_combines_country_and_severity(example_loaded: LoadResult) -> None:
    flt = ReportFilter(countries=frozenset({"MLI"}), min_severity=Severity.MAJOR)
    assert set(status_of(report_of(example_loaded, filters=flt))) == {BOULKESSI}


def test_filtered_edition_keeps_a_joint_figure_in_its_country_total(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    # A Tahoua edition leaves Dosso out; the joint figure is still all in Niger.
    joint = make_claim(count="more than 100", stance="independent", by="security sources",
                       covers=[DOSSO], reported="2025-06-02")  # fmt: skip
    tahoua = make_record(id=TAHOUA, date="2025-06-02", location="Tahoua region", country="NER",
                         admin1="Tahoua", claims=[joint], not_same_as=[DOSSO])  # fmt: skip
    dosso = make_record(id=DOSSO, date="2025-06-02", location="Dosso region", country="NER",
                        admin1="Dosso")  # fmt: skip
    report = report_of([tahoua, dosso], filters=ReportFilter(admin1=frozenset({"Tahoua"})))
    assert status_of(report) == {TAHOUA: "new"}
    totals = {(t.country, t.group, t.outcome): t for t in report.totals}
    assert totals[(None, None, Outcome.KILLED)].low == 101
    assert totals[("NER", None, Outcome.KILLED)].low == 101
    assert totals[("NER", None, Outcome.KILLED)].incidents == 1


def test_filter_key() -> None:
    assert ReportFilter().key == "all" and ReportFilter().is_empty
    flt = ReportFilter(
        countries=frozenset({"NER", "MLI"}),
        admin1=frozenset({"Ségou Region"}),
        min_severity=Severity.MAJOR,
    )
    assert flt.key == "MLI-NER-segou-region-major"
    # the key names files: nothing from the data may leave the output folder
    evil = ReportFilter(admin1=frozenset({"../../../../tmp/escaped", "a/b"}))
    assert evil.key == "a-b-tmp-escaped"


def test_first_incident_in_a_region_for_a_month_is_said_and_ranked_up(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    records = [
        # the data covers Mali in May (Mopti), so a new incident in Timbuktu is news
        make_record(
            id="mopti",
            date="2025-05-20",
            admin1="Mopti",
            location="Sevare",
            claims=[make_claim(count=40)],
        ),
        make_record(
            id="gao", date="2025-06-02", admin1="Gao", location="Gao", claims=[make_claim(count=1)]
        ),
        make_record(
            id="mopti-2",
            date="2025-06-02",
            admin1="Mopti",
            location="Boni",
            claims=[make_claim(count=1)],
        ),
    ]
    report = report_of(records)
    sentences = [d for d in report.developments if "first incident" in d]
    assert sentences == [d for d in report.developments if "Gao" in d]
    assert "the first incident reported in Gao in the past month" in sentences[0]
    # equal severity and toll: the novel one comes first
    order = [d for d in report.developments if d.startswith("On 2 June")]
    assert "Gao" in order[0] and "Boni" in order[1]


def test_no_novelty_claimed_where_the_data_has_no_coverage(make_record: MakeRecord) -> None:
    # nothing else in the country in the month before: a gap in the data, not calm
    report = report_of([make_record(id="gao", date="2025-06-02", admin1="Gao")])
    assert not any("first incident" in d for d in report.developments)


def test_joint_figure_and_a_separate_figure_for_one_incident_are_not_added(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    # "more than 100 soldiers in Tahoua and Dosso" and "20 soldiers in Tahoua" count the
    # same soldiers: at least 101, not 121
    tahoua = make_record(
        id="tahoua",
        date="2025-06-02",
        location="Tahoua",
        country="NER",
        claims=[
            make_claim(
                count="more than 100", stance="independent", by="security sources",
                covers=["dosso"], reported="2025-06-02",
            ),
            make_claim(count=20, by="army", reported="2025-06-02"),
        ],
        not_same_as=["dosso"],
    )
    dosso = make_record(id="dosso", date="2025-06-02", location="Dosso", country="NER")
    killed = report_of([tahoua, dosso]).key_figures.killed_all
    assert (killed.low, killed.high, killed.high_open) == (101, 101, True)
    assert killed.text == "at least 101 killed; no upper figure given"


def test_the_trend_counts_a_joint_figure_reaching_back_that_the_total_leaves_out(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    # A joint figure over an attack of the period and one of the days before belongs to the
    # older incident, so it is in no period total; the trend's killed figure adds up the
    # figures of the period's incidents, this one included (the report may not take the
    # killed total for it then)
    joint = make_claim(count="more than 100", stance="independent", by="security sources",
                       covers=["earlier"], reported="2025-06-02")  # fmt: skip
    now = make_record(id="now", date="2025-06-02", location="Tahoua", country="NER",
                      claims=[joint], not_same_as=["earlier"])  # fmt: skip
    earlier = make_record(id="earlier", date="2025-05-30", location="Dosso", country="NER")
    report = report_of([now, earlier])
    assert report.key_figures.killed_all.low == 0
    assert {t.metric: t for t in report.trends}["killed"].current == 101


def test_trends_of_a_filtered_edition_compare_like_with_like(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    # Burkina Faso was quiet in May while Mali was not: a Burkina-only edition's baseline
    # must not count Mali's incidents
    records = [
        make_record(
            id=f"mli-{d}", date=f"2025-05-{d:02d}", location=f"M{d}", claims=[make_claim(count=3)]
        )
        for d in range(10, 20)
    ]
    records.append(
        make_record(
            id="bfa",
            date="2025-06-02",
            country="BFA",
            location="Djibo",
            claims=[make_claim(count=2)],
        )
    )
    burkina = report_of(records, filters=ReportFilter(countries=frozenset({"BFA"})))
    trend = {t.metric: t for t in burkina.trends}
    assert trend["incidents"].average_30 == 0 and trend["killed"].average_30 == 0
    assert trend["incidents"].current == 1
    everything = {t.metric: t for t in report_of(records).trends}
    assert everything["incidents"].average_30 == pytest.approx(10 / 30, abs=0.01)


def test_a_vague_claim_alone_makes_an_incident_moderate(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    # "dozens" claimed by the perpetrator is no evidence of more, but of an attack with a toll
    report = report_of(
        [
            make_record(
                date="2025-06-02", claims=[make_claim(stance="claimed", by="JNIM", count="dozens")]
            )
        ]
    )
    assert report.incidents[0].severity is Severity.MODERATE


def test_djibo_claim_coded_with_month_precision(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    # "In May, JNIM claimed attacks on Djibo in which it said it killed 200 soldiers"
    djibo = make_record(
        id="bfa-djibo-2025-05",
        date="2025-05-15",
        date_precision="month",
        country="BFA",
        location="Djibo",
        admin1="Sahel",
        sources=[{"id": "jnim", "name": "JNIM statement", "published": "2025-05-16"}],
        claims=[make_claim(source="jnim", by="JNIM", stance="claimed", count=200)],
    )
    for day in (dt.date(2025, 5, 15), dt.date(2025, 5, 16)):  # never on one report day
        report = report_of([djibo], start=day)
        assert [(i.id, i.status) for i in report.incidents if i.status == "new"] == []
    month = report_of([djibo], start=dt.date(2025, 5, 1), end=dt.date(2025, 5, 31))
    [incident] = month.incidents
    assert (incident.status, EN.incident_date(incident)) == ("new", "May 2025")
    [row] = month.table
    assert (row.low, row.best, row.high) == (None, None, 200)
    assert Flag.CLAIMED_ONLY in row.flags and Flag.NO_OFFICIAL in row.flags
    # claims are never added into a total (issue 8): listed apart
    assert month.key_figures.killed_all.text == "no credible figure (only claims, listed apart)"
    assert any("JNIM said it killed 200 soldiers" in d for d in month.developments)


def test_speaking_again_without_a_figure_is_not_an_update(
    make_record: MakeRecord, make_claim: MakeClaim
) -> None:
    record = make_record(
        date="2025-05-20",
        sources=[{"id": "s1", "name": "AFP", "published": "2025-05-21"},
                 {"id": "s2", "name": "AFP", "published": "2025-06-02"}],
        claims=[make_claim(source="s1", count=12), make_claim(source="s2", count=None)],
    )
    assert status_of(report_of([record])) == {record["id"]: "context"}


def test_the_daily_series_never_adds_claims(make_record: MakeRecord, make_claim: MakeClaim) -> None:
    # two claim-only attacks in Mali on one day: the day shows the largest claim, never 240
    records = [
        make_record(
            id=f"claim-{n}", date="2025-06-02", location=place,
            claims=[make_claim(count=n, stance="claimed", by="JNIM")],
        )
        for n, place in ((40, "Dioura"), (200, "Djibo"))
    ]
    soldiers = [make_claim(count=5), make_claim(count=3, group="unknown")]
    records.append(make_record(id="soldiers", date="2025-06-02", location="Gao", claims=soldiers))
    report = report_of(records)
    (day,) = report.daily
    assert (day.killed_low, day.killed_claimed, day.claimed_incidents) == (5, 200, 2)
    alt = words_for("en").charts().daily_text(report.daily, report.period.start,
                                              report.period.end)  # fmt: skip
    assert "claims on 1 day, not added" in alt
    assert "(claimed, 2 incidents: up to 200)" in alt and "240" not in alt


@dataclass(frozen=True)
class _Row:
    group: Group
    incidents: tuple[str, ...]
    low: int | None


ROWS = st.lists(
    st.builds(
        _Row,
        st.sampled_from(list(Group)),
        st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=2, unique=True)
        .map(tuple),
        st.none() | st.integers(0, 60),
    ),
    max_size=8,
)


@settings(max_examples=400)
@given(ROWS)
@example([_Row(Group.UNKNOWN, ("a",), 5), _Row(Group.STATE_FORCES, ("a",), 3)])  # one of them
@example([_Row(Group.STATE_FORCES, ("a",), 5), _Row(Group.STATE_FORCES, ("a",), 3)])
@example([_Row(Group.STATE_FORCES, ("a", "b"), 9), _Row(Group.STATE_FORCES, ("a",), 3)])
@example([_Row(Group.STATE_FORCES, ("a",), 5), _Row(Group.ARMED_GROUP, ("a",), 3)])  # both
def test_low_sum_adds_rows_that_overlap_nothing_as_the_clusters_would(rows: list[_Row]) -> None:
    """low_sum's shortcut (the rows of an incident no joint row names add up by the rule
    for one incident) gives what clustering every row gives, whatever the rows."""
    from sitrep.summarise.totals import _overlapping, _pick, low_sum

    clustered = sum(r.low or 0 for cluster in _overlapping(rows, across_groups=True)
                    for r in _pick(cluster, lambda r: r.low or 0))  # fmt: skip
    assert low_sum(rows) == clustered


_IDS = ["a", "b", "c", "d", "e"]
SUMMARIES = st.lists(
    st.tuples(
        st.integers(1, 40),  # days before the period
        st.sampled_from([DatePrecision.DAY, DatePrecision.DAY, DatePrecision.WEEK]),
        st.lists(st.tuples(st.sampled_from(list(Group)),
                           st.lists(st.sampled_from(_IDS), max_size=1),
                           st.none() | st.integers(0, 60)), max_size=3),
    ),
    min_size=1,
    max_size=len(_IDS),
)  # fmt: skip


@settings(max_examples=300)
@given(SUMMARIES)
def test_baseline_counts_each_period_as_clustering_its_rows_would(drawn: list[Any]) -> None:
    """The baseline works out once what an incident no joint figure touches adds to a
    period; it gives what adding up each period's rows together gives, joint rows (an
    incident's row naming another) and unknown-group rows included."""
    from sitrep.summarise.baseline import IncidentSummary, KilledRow, _earlier_periods, baseline
    from sitrep.summarise.period import make_period
    from sitrep.summarise.totals import _overlapping, _pick

    period = make_period(dt.date(2025, 6, 8), dt.date(2025, 6, 14), "UTC")
    summaries = []
    for iid, (back, precision, rows) in zip(_IDS, drawn, strict=False):
        day = period.start - dt.timedelta(days=back)
        killed = {(g, tuple(sorted({iid, *other}))): low for g, other, low in rows}
        summaries.append(IncidentSummary(
            iid, day, day, precision, "MLI", None, Severity.MINOR,
            tuple(KilledRow(g, inc, low) for (g, inc), low in killed.items()), None,
        ))  # fmt: skip
    expected = []
    for k in range(1, 6):
        ids = {s.id for s in summaries
               if k in _earlier_periods(s.day, s.last_day, s.precision, period, 5)}  # fmt: skip
        rows = list({(r.group, r.incidents): r for s in summaries if s.id in ids
                     for r in s.killed}.values())  # fmt: skip
        low = sum(r.low or 0 for cluster in _overlapping(rows, across_groups=True)
                  for r in _pick(cluster, lambda r: r.low or 0))  # fmt: skip
        expected.append((len(ids), low))
    got = baseline(summaries, period, periods=5)
    assert [(c.incidents, c.killed) for c in got] == expected


def test_a_joint_row_held_in_two_versions_counts_the_same_in_every_process() -> None:
    """Each incident a joint row covers holds a copy of it, and copies summarised in
    different months may differ: the baseline keeps the copy of the last incident by id,
    not whichever a set of ids yields first (an order that changes with each process's
    string hashing). Two ids are chosen whose set order, in this process, is not theirs."""
    from sitrep.summarise.baseline import IncidentSummary, KilledRow, baseline
    from sitrep.summarise.period import make_period

    names = [f"inc-{n}" for n in range(40)]
    x, y = next((a, b) for a in names for b in names
                if a < b and next(iter({a, b}.intersection({a: 0, b: 0}))) == b)  # fmt: skip
    period = make_period(dt.date(2025, 6, 8), dt.date(2025, 6, 14), "UTC")
    day = period.start - dt.timedelta(days=1)

    def summary(iid: str, low: int | None) -> IncidentSummary:
        row = KilledRow(Group.STATE_FORCES, (x, y), low)
        return IncidentSummary(iid, day, day, DatePrecision.DAY, "MLI", None, Severity.MINOR,
                               (row,), None)  # fmt: skip

    counts = baseline([summary(x, None), summary(y, 5)], period, periods=2)
    assert [(c.incidents, c.killed) for c in counts] == [(2, 5), (0, 0)]


def test_incident_summaries_come_back_from_the_cache_as_they_went_in() -> None:
    """The trend cache's form of summaries (columns) reads back equal: dates, the killed
    rows with their enums and tuples, what each incident adds alone and whether a joint
    row touches it (one-day and multi-day events, joint rows, no figure, no date)."""
    import json

    from sitrep.summarise.baseline import Earlier, IncidentSummary, KilledRow

    summaries = [
        IncidentSummary("a", dt.date(2025, 5, 1), dt.date(2025, 5, 1), DatePrecision.DAY,
                        "MLI", "Mopti", Severity.MAJOR,
                        (KilledRow(Group.STATE_FORCES, ("a",), 12),
                         KilledRow(Group.UNKNOWN, ("a",), 20),
                         KilledRow(Group.UNKNOWN, ("a", "b"), None)), dt.date(2025, 5, 3)),
        IncidentSummary("b", dt.date(2025, 4, 28), dt.date(2025, 5, 2), DatePrecision.WEEK,
                        "BFA", None, Severity.MINOR, (), None),
    ]  # fmt: skip
    columns = Earlier.of(summaries)
    back = Earlier.from_json(json.loads(json.dumps(columns.to_json())))
    assert back == columns and len(back) == 2
    assert [back.rows(i) for i in range(2)] == [s.killed for s in summaries]
    assert all(type(r) is KilledRow and type(r.incidents) is tuple and type(r.group) is Group
               for r in back.rows(0))  # fmt: skip
    assert back.alone == [20, 0] and back.joint == [True, False]
    assert [dt.date.fromordinal(d) for d in back.lasts] == [s.last_day for s in summaries]
    assert back.horizon == dt.date(2025, 5, 3)
    assert Earlier.join([columns, Earlier(), back]) == Earlier.of(summaries + summaries)
