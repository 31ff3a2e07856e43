"""Reading the subscriber sources: ``[[subscribers]]`` tables in ``sitrep.toml`` and the
``subscribers_file`` (TOML or CSV), as raw entries with the file and line of each field.

Parsing and checking the entries is :mod:`sitrep.deliver.subscribers`'.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import Problem


@dataclass(frozen=True)
class RawEntry:
    """One subscriber entry as written, with where each field is."""

    file: str
    line: int | None
    data: Mapping[str, Any]
    field_lines: Mapping[str, int]


_HEADER = re.compile(r"^\s*\[")
_SUBSCRIBERS_HEADER = re.compile(r"""^\s*\[\[\s*["']?subscribers["']?\s*\]\]""")
_KEY = re.compile(r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*=""")


def _toml_locations(text: str) -> list[tuple[int, dict[str, int]]]:
    """For each ``[[subscribers]]`` table: its header line and the line of each key."""
    blocks: list[tuple[int, dict[str, int]]] = []
    current: dict[str, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if _SUBSCRIBERS_HEADER.match(line):
            current = {}
            blocks.append((number, current))
        elif _HEADER.match(line):
            current = None
        elif current is not None and (m := _KEY.match(line)):
            current.setdefault(m.group(1), number)
    return blocks


def _raws_from_toml(entries: Any, text: str, display: str) -> tuple[list[RawEntry], list[Problem]]:
    if not isinstance(entries, list):
        return [], [
            Problem(
                display,
                None,
                None,
                "subscribers",
                "is not a list of tables (expected [[subscribers]] sections, see docs/delivery.md)",
            )
        ]
    blocks = _toml_locations(text)
    whole = next(
        (i for i, ln in enumerate(text.splitlines(), 1) if re.match(r"\s*subscribers\s*=", ln)),
        None,
    )
    raws: list[RawEntry] = []
    problems: list[Problem] = []
    for i, entry in enumerate(entries):
        line, fields = blocks[i] if i < len(blocks) else (whole, {})
        if not isinstance(entry, dict):
            problems.append(
                Problem(
                    display,
                    line,
                    f"#{i + 1}",
                    None,
                    "is not a table (expected name = ..., email = ...)",
                )
            )
            continue
        raws.append(RawEntry(display, line, entry, fields))
    return raws, problems


def _raws_from_csv(text: str, display: str) -> tuple[list[RawEntry], list[Problem]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), skipinitialspace=True)
    if not reader.fieldnames or "email" not in [f.strip().lower() for f in reader.fieldnames]:
        return [], [
            Problem(
                display,
                1,
                None,
                None,
                "has no 'email' column (expected a header row "
                "such as name,email,language,receive,countries,admin1,min_severity,active)",
            )
        ]
    raws: list[RawEntry] = []
    problems: list[Problem] = []
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(
                Problem(display, line, None, None, "has more cells than the header has columns")
            )
            continue
        data = {
            k.strip().lower(): v.strip()
            for k, v in row.items()
            if k and v is not None and v.strip() != ""
        }
        if not data or all(k.startswith("#") for k in data):
            continue
        raws.append(RawEntry(display, line, data, {}))
    return raws, problems


def _display(config: Config, path: Path) -> str:
    try:
        return str(path.relative_to(config.root))
    except ValueError:
        return str(path)


def raw_entries(config: Config) -> tuple[list[RawEntry], list[Problem]]:
    """Every subscriber entry of sitrep.toml and the subscribers file, and the problems
    that kept the others from being read (unreadable file, bad TOML, no email column)."""
    raws: list[RawEntry] = []
    problems: list[Problem] = []
    if config.subscribers:
        file = config.file
        display = _display(config, file) if file else "sitrep.toml"
        text = file.read_text(encoding="utf-8") if file and file.exists() else ""
        r, p = _raws_from_toml(list(config.subscribers), text, display)
        raws += r
        problems += p
    if config.subscribers_file is not None:
        path = config.path(config.subscribers_file)
        display = _display(config, path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
            problems.append(
                Problem(
                    display,
                    None,
                    None,
                    None,
                    f"cannot be read: {why} (check subscribers_file in sitrep.toml; "
                    "save CSV files from spreadsheets as 'CSV UTF-8')",
                )
            )
            return raws, problems
        if path.suffix.lower() == ".csv":
            r, p = _raws_from_csv(text, display)
        elif path.suffix.lower() == ".toml":
            try:
                document = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                return raws, [
                    *problems,
                    Problem(display, None, None, None, f"is not valid TOML: {exc}"),
                ]
            for key in sorted(set(document) - {"subscribers"}):
                line = next(
                    (n for n, ln in enumerate(text.splitlines(), 1) if key in ln), None
                )
                problems.append(
                    Problem(display, line, None, key, "unknown table (expected [[subscribers]])")
                )
            r, p = _raws_from_toml(document.get("subscribers", []), text, display)
        else:
            return raws, [
                *problems,
                Problem(
                    display,
                    None,
                    None,
                    None,
                    "has an unknown format (expected a .toml or .csv file)",
                ),
            ]
        raws += r
        problems += p
    return raws, problems
