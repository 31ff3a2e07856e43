"""Helpers of the importer tests: the fixtures' folder and reading an import's records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sitrep.importing import ImportSummary, import_file

FIXTURES = Path(__file__).parent / "fixtures" / "importers"


def run_import(
    source: str, name: str, folder: Path, dataset: str | None = None
) -> tuple[ImportSummary, dict[str, dict[str, Any]]]:
    """Import a fixture (or a path or URL) into ``folder``; the summary and the records
    written, by id."""
    location = name if "/" in name else str(FIXTURES / name)
    summary = import_file(source, location, folder, dataset)
    lines = summary.written.read_text(encoding="utf-8").splitlines()
    return summary, {r["id"]: r for r in map(json.loads, lines)}


def problems_text(summary: ImportSummary) -> list[str]:
    """The problems as the command prints them."""
    return [str(p) for p in summary.problems]
