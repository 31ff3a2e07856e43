"""UCDP GED events (bulk CSV, download-tool CSV, API JSON) into records
(docs/importing.md).

One record per GED ``id``, id ``ucdp-<id>``. Deaths by side become claims by UCDP, one per
casualty group; the event's low/best/high are kept in the count ('8-14 (best 10)', see
:func:`_claims`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..model.fields import FIRST_DAY, LAST_DAY
from .raw import RawRecord
from .tabular import (
    Row,
    RowError,
    country_code,
    csv_rows,
    json_rows,
    parse_day,
    parse_float,
    parse_int,
    record_id,
    source_id,
)

logger = logging.getLogger(__name__)

DATASET = "ucdp"
UCDP_SOURCE = "ucdp-ged"

# date_prec: 1 the day, 2 within 2-6 days, 3 the week, 4 the month, 5 the year
PRECISION = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "month"}
# type_of_violence: 1 state-based, 2 non-state, 3 one-sided (against civilians)
VIOLENCE = {"1": "battles", "2": "battles", "3": "violence_against_civilians"}


def side_group(side: str) -> str:
    """The casualty group of a GED side: governments are state forces."""
    if side.casefold().startswith("government of"):
        return "state_forces"
    if side.casefold() == "civilians":
        return "civilians"
    return "armed_group"


def _number(row: Row, name: str, *columns: str) -> int | None:
    text = row.get(*columns)
    if not text:
        return None
    try:
        return parse_int(text)
    except ValueError as exc:
        raise RowError(name, str(exc)) from None


def _day(row: Row, name: str) -> Any:
    text = row.get(name)
    if not text:
        return None
    try:  # the download tool writes MM/DD/YYYY HH:MM:SS
        return parse_day(text, "mdy")
    except ValueError as exc:
        raise RowError(name, str(exc)) from None


def split_articles(text: str, taken: set[str]) -> list[dict[str, Any]]:
    """``source_article``: '"Outlet,2015-05-13,Headline";"Outlet2,..."' as sources."""
    out: list[dict[str, Any]] = []
    for entry in text.split(";"):
        entry = entry.strip().strip('"').strip()
        if not entry:
            continue
        parts = [p.strip() for p in entry.split(",", 2)]
        outlet = parts[0] or "unnamed outlet"
        source: dict[str, Any] = {"id": source_id(outlet, taken), "name": outlet}
        if len(parts) > 1:
            with contextlib.suppress(ValueError):  # no date: the name is kept
                day = parse_day(parts[1])
                # UCDP writes 1753-01-01 (and other impossible years) for an unknown date
                if FIRST_DAY <= day <= LAST_DAY:
                    source["published"] = day.isoformat()
        out.append(source)
    return out


def _claims(row: Row) -> list[dict[str, Any]]:
    """Claims by UCDP: one per group with deaths (side A, side B, civilians, unknown).

    When all the deaths are in one group, its count keeps the event's low, best and high
    ('8-14 (best 10)'; '10' when the three agree). When they are split over groups, GED
    gives each group only its share of best: each group's claim is that share, and the
    quote names the event's low/best/high (they bound the event, not any one group)."""
    best = _number(row, "best", "best", "best_est")
    low = _number(row, "low", "low", "low_est")
    high = _number(row, "high", "high", "high_est")
    if best is None:
        raise RowError("best", "missing (expected UCDP's best estimate of deaths)")
    low = best if low is None else low
    high = best if high is None else high
    estimate = f"UCDP GED estimate of the event's deaths: best {best}, low {low}, high {high}"
    note = None
    if not low <= best <= high:  # a few GED rows do this: the range spans all three
        note = estimate + " (best is outside low-high in GED; the range spans all three)"
        low, high = min(low, best, high), max(low, best, high)
    shares: dict[str, int] = {}
    for column, side in (("deaths_a", row.get("side_a")), ("deaths_b", row.get("side_b")),
                         ("deaths_civilians", "Civilians"), ("deaths_unknown", "")):
        n = _number(row, column, column)
        if n:
            group = side_group(side) if side else "unknown"
            shares[group] = shares.get(group, 0) + n  # fmt: skip
    if not shares:
        shares = {"unknown": best}

    def claim(group: str, count: int | str, quote: str | None) -> dict[str, Any]:
        c: dict[str, Any] = {"source": UCDP_SOURCE, "by": "UCDP", "stance": "independent",
                             "group": group, "outcome": "killed", "count": count}
        if quote:
            c["quote"] = quote
        return c

    if low == best == high:
        return [claim(g, n, None) for g, n in shares.items()]
    if len(shares) == 1:
        (group,) = shares
        return [claim(group, f"{low}-{high} (best {best})", note)]
    return [claim(g, n, f"{note or estimate}; this group: {n}") for g, n in shares.items()]


def ucdp_record(row: Row, dataset: str = DATASET) -> RawRecord | Problem:
    """The record of one GED event row."""
    gid = row.get("id")
    if not gid:
        return row.problem(None, "id", "missing (every GED row has an id)")
    rid = record_id(dataset, gid)
    try:
        data = _event(row, rid)
    except RowError as exc:
        return row.problem(rid, exc.field, str(exc))
    return RawRecord(data, row.file, row.line)


def _event(row: Row, rid: str) -> dict[str, Any]:
    start, end = _day(row, "date_start"), _day(row, "date_end")
    if start is None:
        raise RowError("date_start", "missing (expected the event's first day)")
    violence = row.get("type_of_violence")
    if violence not in VIOLENCE:
        raise RowError("type_of_violence", f"{violence!r} is not 1, 2 or 3")
    lat, lon = row.get("latitude"), row.get("longitude")
    try:
        latitude, longitude = (parse_float(lat), parse_float(lon)) if lat and lon else (None, None)
    except ValueError as exc:
        raise RowError("latitude", str(exc)) from None
    taken = {UCDP_SOURCE}
    version = row.get("version")
    data: dict[str, Any] = {
        "id": rid,
        "date": start.isoformat(),
        "end_date": end.isoformat() if end and end != start else None,
        "date_precision": PRECISION.get(row.get("date_prec"), "day"),
        "country": country_code(row.get("country")),
        "admin1": row.get("adm_1") or None,
        "admin2": row.get("adm_2") or None,
        "location": row.get("where_coordinates", "adm_2", "adm_1", "country"),
        "latitude": latitude,
        "longitude": longitude,
        "event_type": VIOLENCE[violence],
        "perpetrator": row.get("side_a") or None,
        "target": row.get("side_b") or None,
        "title": row.get("conflict_name") or None,
        "summary": row.get("where_description") or None,
        "sources": [
            {"id": UCDP_SOURCE, "name": f"UCDP GED {version}" if version else "UCDP GED"},
            *split_articles(row.get("source_article"), taken),
        ],
        "claims": _claims(row),
    }
    return {k: v for k, v in data.items() if v is not None}


def read_ucdp(location: str, dataset: str = DATASET) -> Iterator[RawRecord | Problem]:
    """Records from a GED CSV (bulk or download tool) or API JSON (file or URL)."""
    rows: Iterable[Row | Problem]
    if location.startswith(("http://", "https://")) or location.lower().endswith(".json"):
        rows = json_rows(location, "Result", next_page="NextPageUrl")
    else:
        rows = csv_rows(Path(location), location)
    for row in rows:
        yield row if isinstance(row, Problem) else ucdp_record(row, dataset)
