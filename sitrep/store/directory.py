"""Records in YAML/JSON/JSONL files under a folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path

from ..errors import Problem
from ..ingest.raw import RawRecord, Window
from ..ingest.readers import FollowLinks, discover, display_name, parse_file
from ..model.values import clean
from .base import LoadResult
from .validate import validate_records

logger = logging.getLogger(__name__)

_NO_RECORDS = "holds an empty list: no records"


class DirectoryStore:
    """Records in YAML/JSON/JSONL files under a folder (the real store)."""

    def __init__(self, root: Path, follow_links: FollowLinks = "never") -> None:
        self.root = root
        self.follow_links: FollowLinks = follow_links

    def load(self, window: Window | None = None) -> LoadResult:
        """Read the data files under the folder; validate the records in the window."""
        return load_records(self.root, window, follow_links=self.follow_links)

    def fingerprint(self, window: Window, as_of: dt.datetime | None = None) -> str:
        """What identifies the folder's records: every data file's path, size and time of
        last change (a folder has no revisions: ``as_of`` and the window change nothing)."""
        digest = hashlib.sha256(str(self.root.resolve()).encode())
        for path in discover(self.root, self.follow_links).files:
            st = path.stat()
            digest.update(f"\0{path}\0{st.st_size}\0{st.st_mtime_ns}".encode())
        return digest.hexdigest()


def load_records(
    root: Path, window: Window | None = None, *, follow_links: FollowLinks = "never"
) -> LoadResult:
    """Read every data file under ``root``; validate its records (those in ``window``).
    Symbolic links are not followed (``follow_links="inside"``: those that stay inside
    ``root`` are); every file or folder that cannot be read is a problem."""
    found = discover(root, follow_links)
    raws: list[RawRecord] = []
    problems: list[Problem] = list(found.problems)
    notes = list(found.notes)
    for path in found.files:
        display = display_name(path)
        records, trouble = parse_file(path, display, window)
        if not records and not trouble:
            notes.append(Problem(display, None, None, None, _NO_RECORDS))
        raws.extend(records)
        problems.extend(trouble)
    result = validate_records(raws, files=found.files, window=window)
    result.problems = sorted(
        map(clean, [*problems, *result.problems]), key=lambda p: (p.file, p.line or 0)
    )
    result.notes = sorted(map(clean, notes), key=lambda p: p.file)
    for note in result.notes:  # left out on purpose, nothing lost: not a failure
        logger.info("note: %s", note)
    logger.info(
        "loaded %d valid record(s) from %d file(s) under %s; %d problem(s)",
        len(result.records),
        len(found.files),
        root if root.is_dir() else root.parent,
        len(result.problems),
    )
    return result
