"""Records in YAML/JSON/JSONL files under a folder."""

from __future__ import annotations

import logging
from pathlib import Path

from ..errors import Problem
from ..ingest.raw import RawRecord, Window
from ..ingest.readers import discover, parse_file
from .base import LoadResult
from .validate import validate_records

logger = logging.getLogger(__name__)

class DirectoryStore:
    """Records in YAML/JSON/JSONL files under a folder (the real store)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def load(self, window: Window | None = None) -> LoadResult:
        """Read the data files under the folder; validate the records in the window."""
        return load_records(self.root, window)



def load_records(root: Path, window: Window | None = None) -> LoadResult:
    """Read every data file under ``root``; validate its records (those in ``window``)."""
    files = discover(root)
    raws: list[RawRecord] = []
    problems: list[Problem] = []
    base = root if root.is_dir() else root.parent
    for path in files:
        try:
            display = str(path.relative_to(Path.cwd()))
        except ValueError:
            display = str(path)
        found, trouble = parse_file(path, display, window)
        raws.extend(found)
        problems.extend(trouble)
    result = validate_records(raws, files=files, window=window)
    result.problems = sorted([*problems, *result.problems], key=lambda p: (p.file, p.line or 0))
    logger.info(
        "loaded %d valid record(s) from %d file(s) under %s; %d problem(s)",
        len(result.records),
        len(files),
        base,
        len(result.problems),
    )
    return result
