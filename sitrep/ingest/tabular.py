"""What the importers share: reading a CSV row by row (encoding detected, never guessed
silently), JSON from a file or a URL, dates in the forms datasets write them, ids and
source ids from names."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import logging
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from ..errors import Problem
from ..model.fields import normalise_country

logger = logging.getLogger(__name__)

_SAMPLE = 1 << 20  # bytes read to detect the encoding
csv.field_size_limit(1 << 24)  # ACLED notes and UCDP source_original can be long


class RowError(ValueError):
    """A field of a row cannot be read; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its values by lower-cased column name, and where it starts."""

    file: str
    line: int
    values: dict[str, str]

    def get(self, *names: str) -> str:
        """The first non-empty value among these columns, stripped ('' when none)."""
        for name in names:
            value = self.values.get(name)
            if value is not None and (value := value.strip()):
                return value
        return ""

    def problem(self, record: str | None, field: str | None, message: str) -> Problem:
        """A problem located at this row."""
        return Problem(self.file, self.line, record, field, message)


def detect_encoding(path: Path) -> tuple[str, bool]:
    """The file's encoding, and whether it had to be detected (not UTF-8).

    UTF-8 (with or without BOM) is taken when the first megabyte decodes as UTF-8; a later
    byte that does not decode then stops the read with a clear error. Anything else is
    detected by charset-normalizer on that megabyte (Windows-1252 among equally likely
    code pages) and logged by the caller; undetectable text is refused."""
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < _SAMPLE)
        return "utf-8", False
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        raise ValueError(
            "the text is neither UTF-8 nor an encoding charset-normalizer recognises "
            "(save the file as UTF-8 and import it again)"
        )
    # Short samples fit several Windows code pages equally well: among equals, prefer
    # Windows-1252, the code page of Western exports (ACLED's before 2019, Excel's).
    ties = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    if any("cp1252" in m.could_be_from_charset for m in ties):
        return "cp1252", True
    return best.encoding, True


def csv_rows(path: Path, display: str | None = None) -> Iterator[Row | Problem]:
    """The rows of a CSV file, one at a time, with the line each starts on.

    Column names are stripped and lower-cased; columns without a name (trailing commas,
    an empty last header) are dropped; an HXL hashtag row under the header is skipped.
    An unreadable file yields one problem."""
    name = display or str(path)
    try:
        encoding, detected = detect_encoding(path)
    except (OSError, ValueError) as exc:
        yield Problem(name, None, None, None, f"cannot read the file: {exc}")
        return
    if detected:
        logger.warning("%s is not UTF-8: read as %s (detected)", name, encoding)
    try:
        with path.open(encoding=encoding, newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                yield Problem(name, None, None, None, "the file is empty (expected a header row)")
                return
            columns = [(i, h.strip().lower()) for i, h in enumerate(header) if h.strip()]
            end = reader.line_num
            first = True
            for cells in reader:
                start, end = end + 1, reader.line_num
                if first and _is_hashtag_row(cells):
                    first = False
                    continue
                first = False
                if not any(c.strip() for c in cells):
                    continue
                values = {col: cells[i] for i, col in columns if i < len(cells)}
                yield Row(name, start, values)
    except UnicodeDecodeError as exc:
        yield Problem(name, None, None, None,
                      f"not {encoding} text after the first megabyte ({exc.reason}); save the "
                      "file as UTF-8 and import it again")  # fmt: skip
    except csv.Error as exc:
        yield Problem(name, None, None, None, f"not valid CSV: {exc}")


def _is_hashtag_row(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(c.startswith("#") for c in filled)


def json_pages(location: str, items: str, next_page: str | None = None) -> Iterator[Any]:
    """The items of a JSON document (a file, or an http(s) URL and the pages after it).

    ``items`` is the key of the list of rows; ``next_page`` the key of the next page's
    URL (UCDP), else pages are followed by ``page=N`` while they hold rows (ACLED)."""
    if not location.startswith(("http://", "https://")):
        with open(location, encoding="utf-8") as fh:
            yield from _items(json.load(fh), items)
        return
    url, page = location, 1
    while url:
        logger.info("fetching %s", url)
        with urllib.request.urlopen(url, timeout=60) as response:
            doc = json.load(response)
        rows = _items(doc, items)
        if not rows:
            return
        yield from rows
        if next_page is not None:
            url = str(doc.get(next_page) or "")
        else:
            page += 1
            base = re.sub(r"[?&]page=\d+", "", location)
            url = f"{base}{'&' if '?' in base else '?'}page={page}"


def _items(doc: Any, key: str) -> list[Any]:
    rows = doc.get(key) if isinstance(doc, dict) else doc
    if not isinstance(rows, list):
        raise ValueError(f"expected a list of rows under {key!r} in the JSON document")
    return rows


def json_rows(location: str, items: str, next_page: str | None = None) -> Iterator[Row]:
    """JSON rows as :class:`Row` (values as text; ``line`` is the row's number)."""
    for n, item in enumerate(json_pages(location, items, next_page), start=1):
        values = {str(k).lower(): "" if v is None else str(v) for k, v in dict(item).items()}
        yield Row(f"{location} row", n, values)


# --- values ---------------------------------------------------------------------------

_MONTHS = "%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y", "%B %d, %Y"


def parse_day(text: str, slashes: Literal["dmy", "mdy"] = "dmy") -> dt.date:
    """A date as datasets write it: ISO (with or without a time), '31 December 2020', or
    with slashes in the order given ('18/04/2001' for ACLED, '04/18/2001 00:00:00' for
    UCDP's download tool)."""
    value = text.strip()
    iso = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[ T][\d:.]+)?$", value)
    try:
        if iso:
            return dt.date.fromisoformat(iso.group(1))
        slash = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: [\d:]+(?: ?[AP]M)?)?$", value)
        if slash:
            a, b, year = (int(g) for g in slash.groups())
            day, month = (a, b) if slashes == "dmy" else (b, a)
            return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid date ({exc})") from None
    for fmt in _MONTHS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    order = "DD/MM/YYYY" if slashes == "dmy" else "MM/DD/YYYY"
    raise ValueError(
        f"{text!r} is not a date (expected 2020-12-31, '31 December 2020' or {order})"
    )


def parse_int(text: str) -> int:
    """A whole number (ignoring '.0' from spreadsheets)."""
    value = text.strip()
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{text!r} is not a number (expected a whole number)") from None
    if not number.is_integer() or number < 0:
        raise ValueError(f"{text!r} is not a whole number of at least 0")
    return int(number)


def parse_float(text: str) -> float:
    """A decimal number such as a coordinate."""
    try:
        return float(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a number (expected e.g. 14.4936)") from None


def slug(text: str) -> str:
    """A name as an id part: 'Air/drone strike' -> 'air_drone_strike'."""
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def source_id(name: str, taken: set[str]) -> str:
    """A record-unique source id from an outlet's name ('Reuters' -> 'reuters')."""
    base = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:60] or "source"
    sid, n = base, 1
    while sid in taken:
        n += 1
        sid = f"{base}-{n}"
    taken.add(sid)
    return sid


@lru_cache(maxsize=1024)
def country_code(*candidates: str) -> str:
    """The alpha-3 code of the first candidate that names a country (also 'Myanmar
    (Burma)'); else the first candidate as given, for validation to report."""
    for value in filter(None, candidates):
        for form in dict.fromkeys((value, value.split("(")[0].strip())):
            try:
                return normalise_country(form)
            except ValueError:
                continue
    return next((c for c in candidates if c), "")


def record_id(dataset: str, own_id: str) -> str:
    """A stable record id from the dataset and its own event id: ``acled-NER1234``."""
    return f"{dataset}-{re.sub(r'[^A-Za-z0-9._-]+', '_', own_id.strip())}"
