"""Records in YAML/JSON/JSONL files under a folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import Problem
from ..ingest.raw import RawRecord, Window
from ..ingest.readers import (
    FileStream,
    FollowLinks,
    Found,
    RecordReader,
    discover,
    display_name,
)
from ..model.records import Record
from ..model.values import clean
from ..progress import SILENT, Progress
from .base import LoadResult
from .checking import Checked, Checker, Elsewhere, validate_records

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

    def fingerprints(
        self, windows: Sequence[Window], as_of: dt.datetime | None = None
    ) -> list[str]:
        """What identifies the folder's records, the same for every window: every data
        file's path, size and time of last change (a folder has no revisions: ``as_of``
        and the windows change nothing). The folder is walked once."""
        digest = hashlib.sha256(str(self.root.resolve()).encode())
        for path in discover(self.root, self.follow_links).files:
            st = path.stat()
            digest.update(f"\0{path}\0{st.st_size}\0{st.st_mtime_ns}".encode())
        return [digest.hexdigest()] * len(windows)

    def check(
        self, progress: Progress = SILENT, name: Callable[[Record], str | None] | None = None
    ) -> Checked:
        """Check every record, a file and a JSON line at a time (``sitrep validate``)."""
        found = discover(self.root, self.follow_links)
        done = _stream(found, Checker(name=name), progress)
        _log(self.root, done.notes, done.valid, len(found.files), len(done.problems))
        return done


def load_records(
    root: Path, window: Window | None = None, *, follow_links: FollowLinks = "never"
) -> LoadResult:
    """Read every data file under ``root``; validate its records (those in ``window``).
    Symbolic links are not followed (``follow_links="inside"``: those that stay inside
    ``root`` are); every file or folder that cannot be read is a problem."""
    found = discover(root, follow_links)
    if window is None:  # every record: streamed, only the valid ones kept
        done = _stream(found, Checker(keep=True, keep_invalid=True), SILENT)
        _log(root, done.notes, done.valid, len(found.files), len(done.problems))
        return LoadResult(done.kept, list(done.problems), found.files, done.invalid, done.notes)
    raws: list[RawRecord] = []
    problems: list[Problem] = list(found.problems)
    notes = list(found.notes)
    elsewhere = Elsewhere()  # the ids of the lines outside the window, not their records
    for path in found.files:
        display = display_name(path)
        elsewhere.file(display)
        empty = True
        for item in FileStream(path, display, window):
            empty = False
            if isinstance(item, Problem):
                problems.append(item)
            elif item.outside:
                elsewhere.add(item)
            else:
                raws.append(item)
        if empty:
            notes.append(Problem(display, None, None, None, _NO_RECORDS))
    result = validate_records(raws, files=found.files, window=window, elsewhere=elsewhere)
    result.problems = sorted(
        map(clean, [*problems, *result.problems]), key=lambda p: (p.file, p.line or 0)
    )
    result.notes = sorted(map(clean, notes), key=lambda p: p.file)
    _log(root, result.notes, len(result.records), len(found.files), len(result.problems))
    return result


def _stream(found: Found, checker: Checker, progress: Progress) -> Checked:
    """Check the records of the files found one at a time, telling ``progress`` the bytes
    read of the files' total."""
    for problem in found.problems:
        checker.problem(problem)
    reader = RecordReader(found.files, progress)
    for item in reader:
        if isinstance(item, Problem):
            checker.problem(item)
        else:
            checker.add(item)
    result = checker.finish(progress)
    result.files = found.files
    empty = [Problem(name, None, None, None, _NO_RECORDS) for name in reader.empty]
    result.notes = sorted(map(clean, [*found.notes, *empty]), key=lambda p: p.file)
    return result


def _log(root: Path, notes: list[Problem], valid: int, files: int, problems: int) -> None:
    for note in notes:  # left out on purpose, nothing lost: not a failure
        logger.info("note: %s", note)
    where = root if root.is_dir() else root.parent
    logger.info(
        "loaded %d valid record(s) from %d file(s) under %s; %d problem(s)",
        valid, files, where, problems,
    )  # fmt: skip
