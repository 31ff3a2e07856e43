"""Dates, labels and the reasoning behind figures, in words: 'mid-May 2025',
'Boulkessi, 1 Jun', 'low 31 from two security sources (more than 30); ...'."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from ..model.records import DatePrecision
from ..model.report import (
    FigureRow,
    MergeLink,
    Period,
    Place,
    PossibleDuplicate,
    Statement,
    Total,
)
from . import counts
from .numbers import day_month, fmt_date, fmt_num, month_year


def date_text(
    day: dt.date, precision: DatePrecision, end_date: dt.date | None = None, locale: str = "en"
) -> str:
    """An event date as a reader should see it: '1 June 2025', 'mid-May 2025', 'May 2025'."""
    if precision is DatePrecision.MONTH:
        return month_year(day, locale)
    if precision is DatePrecision.WEEK:
        part = "early" if day.day <= 10 else ("mid" if day.day <= 20 else "late")
        return f"{part}-{month_year(day, locale)}"
    if end_date and end_date != day:
        if (end_date.year, end_date.month) == (day.year, day.month):
            return f"{day.day}–{fmt_date(end_date, locale=locale)}"
        return f"{day_month(day, locale=locale)} – {fmt_date(end_date, locale=locale)}"
    return fmt_date(day, locale=locale)


def place_label(place: Place, locale: str = "en") -> str:
    """'Boulkessi, 1 Jun' (or 'Djibo, mid-May')."""
    if place.date_precision is DatePrecision.DAY:
        return f"{place.location}, {day_month(place.date, short=True, locale=locale)}"
    text = date_text(place.date, place.date_precision, place.end_date, locale)
    return f"{place.location}, {text.rsplit(' ', 1)[0]}"


def row_label(row: FigureRow, locale: str = "en") -> str:
    """'Boulkessi, 1 Jun'; a joint figure names each incident: 'Tahoua region, 24 May + ...'."""
    if len(row.places) != len(row.incidents):
        return " + ".join(row.incidents)
    return " + ".join(place_label(p, locale) for p in row.places)


def _strip_region(name: str) -> str:
    return re.sub(r"\s+region$", "", name, flags=re.IGNORECASE)


def joint_label(row: FigureRow) -> str:
    """'joint: Tahoua + Dosso' for a figure covering several incidents; '' otherwise."""
    if len(row.incidents) < 2:
        return ""
    names = (
        [_strip_region(p.location) for p in row.places]
        if len(row.places) == len(row.incidents)
        else row.incidents
    )
    return "joint: " + " + ".join(names)


def joint_places(row: FigureRow) -> str:
    """'Tahoua region and Dosso region': the places one joint figure covers."""
    names = [p.location for p in row.places] or row.incidents
    return " and ".join(names)


def period_label(period: Period, locale: str = "en") -> str:
    """'2 June 2025', '1–7 June 2025', '27 May – 2 June 2025', '30 December 2024 –
    2 January 2025'."""
    start, end = period.start, period.end
    if start == end:
        return fmt_date(start, locale=locale)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{fmt_date(end, locale=locale)}"
    if start.year == end.year:
        return f"{day_month(start, locale=locale)} – {fmt_date(end, locale=locale)}"
    return f"{fmt_date(start, locale=locale)} – {fmt_date(end, locale=locale)}"


def long_period(period: Period, locale: str = "en") -> str:
    """'2 June 2025', '27 May 2025 – 2 June 2025' (each day in full, for e-mail subjects)."""
    if period.start == period.end:
        return fmt_date(period.end, locale=locale)
    return f"{fmt_date(period.start, locale=locale)} – {fmt_date(period.end, locale=locale)}"


def basis_text(row: FigureRow) -> str:
    """How low/best/high were chosen: 'low 13 from FAMa (13); best 14 from FAMa; high 14
    from FAMa'."""
    b = row.derivation
    if b.rule == "no_figure":
        return "no figure given"
    high = (
        "no upper figure stated" if b.high_by is None
        else f"high {fmt_num(row.high)} from {b.high_by}"
    )  # fmt: skip
    if b.rule == "claimed_only":
        return f"claimed only; {high}"
    if b.rule == "party_only":
        return f"party claims only, kept out of low and best; {high}"
    if b.rule == "no_floor":
        said = "; ".join(credible_said(row, counts.statement))
        return (f"no low or best: the credible figures are only vague words or bounds "
                f"({said}), which set no floor; {high}")  # fmt: skip
    best = {
        "point": f"best {fmt_num(row.best)} from {b.best_by}",
        "low": "best = low",
        "no_point": "best = low (no exact credible figure)",
    }[b.best_rule or "no_point"]
    stated = counts.figure(b.low_from)
    party = (
        "; party claims counted: a non-party source gave a specific figure"
        if b.party_admitted else ""
    )  # fmt: skip
    return f"low {fmt_num(row.low)} from {b.low_by} ({stated}); {best}; {high}{party}"


def credible_said(row: FigureRow, text: Callable[[Statement], str | None]) -> list[str]:
    """'municipal source in Mondoro: many': each credible figure of a row (official and
    independent, party claims when admitted), who said it and its words as ``text`` gives
    them."""
    return [f"{s.by}: {said}" for s in row.credible_statements() if (said := text(s)) is not None]


def total_text(t: Total) -> str:
    """'at least 45 killed; 46 or more', 'no credible figure', 'no one reported killed'.
    Claims are never added up: the report lists them apart; vague figures ('many') add
    nothing, and the text says how many were left out."""
    noun = t.outcome.value
    high = t.high or 0
    if not t.rows:
        return f"no one reported {noun}"
    if not t.credible_rows and t.vague_rows:
        if t.rows > t.vague_rows:
            return "no specific credible figure (vague figures not added; claims listed apart)"
        return "no specific credible figure (only vague figures, not added)"
    if not t.credible_rows:
        return "no credible figure (only claims, listed apart)" if t.rows else "no figure given"
    text = f"at least {fmt_num(t.low)} {noun}"
    if t.high_open:
        text += f"; {fmt_num(high)} or more" if high > t.low else "; no upper figure given"
    elif high > t.low:
        text += f"; up to {fmt_num(high)}"
    if t.vague_rows:
        text += f"; {fmt_num(t.vague_rows)} vague figure{'s' if t.vague_rows > 1 else ''} not added"
    return text


def possible_duplicate(d: PossibleDuplicate) -> str:
    """'a + b (Timbuktu, 1 Jun / Timbuktu, 2 Jun): the kinds of event differ; ...'."""
    why = {
        "event_type": "same place and dates, but the event types differ",
        "sub_event_type": "same place and dates, but the sub-event types differ",
        "uncorroborated": "same place on different days, with no shared actor, source or "
        "nearby coordinates",
    }[d.reason]
    places = f"{d.place_a}, {d.day_a.isoformat()} / {d.place_b}, {d.day_b.isoformat()}"
    return (f"{d.a} + {d.b} ({places}): {why}; not merged (add same_as to merge, "
            "not_same_as to dismiss)")  # fmt: skip


def merge_reason(link: MergeLink) -> str:
    """'a + b: place names match by alias (Boulikessi / Boulkessi), same date'."""
    if link.rule == "same_as":
        why = "same_as in the data"
    else:
        when = (
            "same date"
            if link.day_a == link.day_b
            else f"dates {link.day_a} and {link.day_b} within their precision"
        )
        names = f"{link.place_a} / {link.place_b}"
        why = {
            "same_name": f"same place name ({names}), {when}",
            "alias": f"place names match by alias ({names}), {when}",
            "similar_name": f"similar place names ({names}, score {link.score or 0:.0f}), {when}",
            "distance": f"{link.km or 0:.0f} km apart (within {link.radius_km or 0:g} km), {when}",
        }[link.rule]
    return f"{link.a} + {link.b}: {why}"
