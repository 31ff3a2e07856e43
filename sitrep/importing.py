"""Importing a dataset's file: its importer's records, validated, written for the store.

The folder store cannot be written to: an import is written as one JSONL file in the
data folder (``imports/<source>-<name>.jsonl``, replaced whole by a re-import, so a
re-import of the same file gives the same bytes). The SQL store will take the records
with revisions instead (docs/importing.md).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, UsageError
from .ingest.importers import IMPORTERS
from .ingest.sheets import SheetRecord
from .progress import EVERY, SILENT, Progress
from .store.validate import validate_raw
from .writers import atomic_text

logger = logging.getLogger(__name__)


@dataclass
class ImportSummary:
    """What one file's import did."""

    source: str
    location: str
    written: Path
    records: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that kept a row or record out (warnings do not)."""
        return [p for p in self.problems if p.level == "error"]


def import_name(source: str, location: str) -> str:
    """The file name of an import: ``acled-<file stem>.jsonl`` (for a URL, its path)."""
    stem = Path(location.split("?")[0].rstrip("/")).stem or "api"
    return f"{source}-{re.sub(r'[^A-Za-z0-9._-]+', '-', stem).strip('-')}.jsonl"


def _lines(location: str) -> int | None:
    """The lines of a local CSV file (a quick count of line breaks), for the progress bar;
    None for anything else (a URL, a workbook, JSON), whose rows are not lines."""
    path = Path(location)
    if path.suffix.lower() != ".csv" or not path.is_file():
        return None
    count, last = 0, b"\n"
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def import_file(
    source: str,
    location: str,
    folder: Path,
    dataset: str | None = None,
    progress: Progress = SILENT,
) -> ImportSummary:
    """Import one file (or URL) with the importer named ``source`` into ``folder``:
    valid records are written one a line; every unreadable row or invalid record is a
    problem in the summary, and the rest is imported. ``progress`` is told the records
    read and, for a CSV file, the furthest line reached of the file's lines."""
    importer = IMPORTERS.get(source)
    if importer is None:
        raise UsageError(f"unknown source {source!r} (expected one of {', '.join(IMPORTERS)})")
    summary = ImportSummary(source, location, folder / import_name(source, location))
    lines = _lines(location)
    progress.start(lines, "lines")
    read = furthest = 0
    with atomic_text(summary.written) as out:
        for item in importer.read(location, dataset or importer.dataset):
            read += 1
            furthest = max(furthest, item.line or 0) if lines else 0
            if read % EVERY == 0:
                progress.update(read, furthest)
            if isinstance(item, Problem):
                summary.problems.append(item)
                continue
            record, problems = validate_raw(item)
            if isinstance(item, SheetRecord):
                problems = item.locate(problems)
            summary.problems.extend(problems)
            if record is None or any(p.level == "error" for p in problems):
                continue
            data = record.model_dump(mode="json", exclude_defaults=True)
            out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
            summary.records += 1
    progress.update(read, lines)
    progress.finish()
    logger.info("%s: %d record(s) into %s, %d problem(s)",
                location, summary.records, summary.written, len(summary.problems))  # fmt: skip
    return summary
