"""A desk's tracker spreadsheet (CSV or XLSX), one claim per row, grouped into records by
``id`` (columns in docs/importing.md; the template is ``claims-template.csv`` here).

A tracker is a few thousand rows: a sheet is read whole, its records built in the order of
their first rows. Problems name the sheet, the row and the column."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import Problem
from .raw import RawRecord
from .tabular import Row, csv_rows

logger = logging.getLogger(__name__)

TEMPLATE = "claims-template.csv"

EVENT_COLUMNS = (
    "date", "end_date", "date_precision", "country", "admin1", "admin2", "location",
    "latitude", "longitude", "event_type", "sub_event_type", "perpetrator", "target",
    "title", "summary", "same_as",
)  # fmt: skip
LIST_COLUMNS = ("aliases", "tags", "not_same_as")  # ';'-separated
SOURCE_COLUMNS = {"source_id": "id", "source_name": "name", "source_url": "url",
                  "source_published": "published"}  # fmt: skip
CLAIM_COLUMNS = ("by", "stance", "group", "outcome", "count", "reported", "quote", "covers")
COLUMNS = ("id", *EVENT_COLUMNS, *LIST_COLUMNS, *SOURCE_COLUMNS, *CLAIM_COLUMNS)


def template_text() -> str:
    """The tracker template (header and two example rows) that ``sitrep init`` can write."""
    return resources.files("sitrep.ingest").joinpath(TEMPLATE).read_text(encoding="utf-8")


@dataclass
class SheetRecord(RawRecord):
    """A record built from rows of a sheet: the column of each of its field paths."""

    columns: dict[str, str] = field(default_factory=dict)
    """The column (letter in a workbook, name in a CSV file) of each field path."""
    extra_problems: list[Problem] = field(default_factory=list)
    """Rows of the record that disagree (found while grouping them)."""

    def locate(self, problems: list[Problem]) -> list[Problem]:
        """The record's problems: its rows' disagreements, then those of its validation
        with the column of each field."""
        out = list(self.extra_problems)
        for p in problems:
            column = self._column(p.field) if p.field else None
            named = f"{p.field} (column {column})" if column else p.field
            out.append(Problem(p.file, p.line, p.record, named, p.message, p.level))
        return out

    def _column(self, path: str) -> str | None:
        while path:
            if path in self.columns:
                return self.columns[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None


def read_sheet(location: str, dataset: str = "") -> Iterator[RawRecord | Problem]:
    """Records from a tracker: a CSV file, or every sheet of an XLSX workbook that has an
    ``id`` column. ``dataset`` is not used (ids are the tracker's own)."""
    path = Path(location)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _workbook(path, location)
    else:
        yield from _records(csv_rows(path, location), location, {})


def _workbook(path: Path, name: str) -> Iterator[RawRecord | Problem]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        yield Problem(name, None, None, None, f"cannot read the workbook: {exc}")
        return
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = [str(c or "").strip().lower() for c in next(rows, ())]
            if "id" not in header:
                logger.info("%s: sheet %s has no id column; skipped", name, sheet.title)
                continue
            letters = {h: get_column_letter(i + 1) for i, h in enumerate(header) if h}
            display = f"{name} sheet {sheet.title}"

            def sheet_rows(
                rows: Any = rows, display: str = display, header: list[str] = header
            ) -> Iterator[Row]:
                for n, cells in enumerate(rows, start=2):
                    values = {h: _cell(c) for h, c in zip(header, cells, strict=False) if h}
                    if any(values.values()):
                        yield Row(display, n, values)

            yield from _records(sheet_rows(), display, letters)
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _records(
    rows: Iterator[Row | Problem], name: str, letters: dict[str, str]
) -> Iterator[RawRecord | Problem]:
    unknown_reported = False
    groups: dict[str, list[Row]] = {}
    for row in rows:
        if isinstance(row, Problem):
            yield row
            continue
        if not unknown_reported and (extra := sorted(set(row.values) - set(COLUMNS))):
            unknown_reported = True
            yield row.problem(None, extra[0], "unknown column (check the spelling; "
                                              "docs/importing.md lists the columns)")
        rid = row.get("id")
        if not rid:
            yield row.problem(None, _col("id", letters), "missing (every row needs a record id)")
            continue
        groups.setdefault(rid, []).append(row)
    for rid, group in groups.items():
        yield _record(rid, group, letters)


def _col(column: str, letters: dict[str, str]) -> str:
    return f"{column} (column {letters[column]})" if column in letters else column


def _record(rid: str, rows: list[Row], letters: dict[str, str]) -> SheetRecord:
    first = rows[0]
    rec = SheetRecord({"id": rid}, first.file, first.line, {"id": first.line})
    data = rec.data

    def put(target: dict[str, Any], key: str, path: str, value: Any, row: Row, column: str) -> None:
        if key in target and target[key] != value:
            rec.extra_problems.append(row.problem(
                rid, _col(column, letters),
                f"{value!r} differs from {target[key]!r} on row {rec.lines[path]} (expected "
                "the same value on every row of a record, or an empty cell)"))  # fmt: skip
            return
        if key not in target:
            target[key] = value
            rec.lines[path] = row.line
            rec.columns[path] = letters.get(column, column)

    sources: dict[str, dict[str, Any]] = {}
    claims: list[dict[str, Any]] = []
    for row in rows:
        for column in EVENT_COLUMNS:
            if value := row.get(column):
                put(data, column, column, value, row, column)
        for column in LIST_COLUMNS:
            if value := row.get(column):
                items = [v.strip() for v in value.split(";") if v.strip()]
                put(data, column, column, items, row, column)
        sid = row.get("source_id")
        if sid:
            i = list(sources).index(sid) if sid in sources else len(sources)
            source = sources.setdefault(sid, {})
            for column, key in SOURCE_COLUMNS.items():
                if value := row.get(column):
                    put(source, key, f"sources[{i}].{key}", value, row, column)
        if row.get("by"):
            claim: dict[str, Any] = {"source": sid} if sid else {}
            path = f"claims[{len(claims)}]"
            for column in CLAIM_COLUMNS:
                if value := row.get(column):
                    claim[column] = [v.strip() for v in value.split(";")] if column == "covers" \
                        else value
                    rec.lines[f"{path}.{column}"] = row.line
                    rec.columns[f"{path}.{column}"] = letters.get(column, column)
            if sid:
                rec.lines[f"{path}.source"] = row.line
                rec.columns[f"{path}.source"] = letters.get("source_id", "source_id")
            rec.lines[path] = row.line
            claims.append(claim)
    for column in ("latitude", "longitude"):
        if column in data:
            with contextlib.suppress(ValueError):  # else validation reports it
                data[column] = float(data[column])
    data["sources"] = list(sources.values())
    rec.lines.setdefault("sources", first.line)
    data["claims"] = claims
    return rec
