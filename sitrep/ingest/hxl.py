"""HXL-tagged files (HDX) into records, through libhxl: columns are found by their
hashtags, whatever their order or the other columns (docs/importing.md)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem
from .acled import event_types, split_sources
from .raw import RawRecord
from .tabular import (
    Row,
    RowError,
    country_code,
    detect_encoding,
    parse_day,
    parse_float,
    parse_int,
    record_id,
)

logger = logging.getLogger(__name__)

DATASET = "hxl"
DATASET_SOURCE = "dataset"

# our name -> the hashtag pattern that finds the column ('-assoc': not the associates)
TAGS: dict[str, str] = {
    "id": "#event+code",
    "date": "#date+occurred",
    "date_any": "#date-year-reported",
    "event_type": "#event+type-sub",
    "sub_event_type": "#event+type+sub",
    "perpetrator": "#group+name+first-assoc",
    "target": "#group+name+second-assoc",
    "country_code": "#country+code",
    "country": "#country+name",
    "admin1": "#adm1+name",
    "admin2": "#adm2+name",
    "location": "#loc+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "source": "#meta+source",
    "summary": "#description",
    "killed": "#affected+killed",
}


def read_hxl(location: str, dataset: str = DATASET) -> Iterator[RawRecord | Problem]:
    """Records from an HXL file (CSV or XLSX with a hashtag row) or URL."""
    import hxl

    options: dict[str, Any] = {"allow_local": True}
    if not location.startswith(("http://", "https://")) and location.lower().endswith(".csv"):
        try:
            encoding, detected = detect_encoding(Path(location))
        except (OSError, ValueError) as exc:
            yield Problem(location, None, None, None, f"cannot read the file: {exc}")
            return
        if detected:
            logger.warning("%s is not UTF-8: read as %s (detected)", location, encoding)
        options["encoding"] = encoding
    try:
        source = hxl.data(location, hxl.InputOptions(**options))
        patterns = {name: hxl.model.TagPattern.parse(tag) for name, tag in TAGS.items()}
        for item in source:
            values = {name: item.get(p) or "" for name, p in patterns.items()}
            row = Row(location, item.source_row_number + 1, {k: str(v) for k, v in values.items()})
            yield hxl_record(row, dataset)
    except hxl.HXLException as exc:
        yield Problem(location, None, None, None, f"not a readable HXL file: {exc}")


def hxl_record(row: Row, dataset: str = DATASET) -> RawRecord | Problem:
    """The record of one HXL row (values under our names, see :data:`TAGS`)."""
    code = row.get("id")
    if not code:
        return row.problem(None, "#event+code", "missing (every row needs an event code)")
    rid = record_id(dataset, code)
    try:
        data = _event(row, rid, dataset)
    except RowError as exc:
        return row.problem(rid, TAGS.get(exc.field, exc.field), str(exc))
    return RawRecord(data, row.file, row.line)


def _parse(row: Row, name: str, parse: Any) -> Any:
    text = row.get(name)
    try:
        return parse(text) if text else None
    except ValueError as exc:
        raise RowError(name, str(exc)) from None


def _event(row: Row, rid: str, dataset: str) -> dict[str, Any]:
    day = _parse(row, "date", parse_day) or _parse(row, "date_any", parse_day)
    if day is None:
        raise RowError("date", "missing (expected a #date+occurred column)")
    kind, sub = event_types(row.get("event_type"), row.get("sub_event_type"))
    killed = _parse(row, "killed", parse_int)
    by = dataset.upper() if len(dataset) <= 5 else dataset
    data: dict[str, Any] = {
        "id": rid,
        "date": day.isoformat(),
        "country": country_code(row.get("country_code"), row.get("country")),
        "admin1": row.get("admin1") or None,
        "admin2": row.get("admin2") or None,
        "location": row.get("location", "admin2", "admin1"),
        "latitude": _parse(row, "latitude", parse_float),
        "longitude": _parse(row, "longitude", parse_float),
        "event_type": kind,
        "sub_event_type": sub,
        "perpetrator": row.get("perpetrator") or None,
        "target": row.get("target") or None,
        "summary": row.get("summary") or None,
        "sources": [{"id": DATASET_SOURCE, "name": by},
                    *split_sources(row.get("source"), {DATASET_SOURCE})],
        "claims": [] if killed is None else [{
            "source": DATASET_SOURCE, "by": by, "stance": "independent", "group": "unknown",
            "outcome": "killed", "count": killed, "quote": f"as coded by {by}",
        }],
    }  # fmt: skip
    return {k: v for k, v in data.items() if v is not None and v != []}
