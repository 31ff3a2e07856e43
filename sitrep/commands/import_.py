"""``sitrep import SOURCE FILE...``: records into the store: sitrep's own record files
(``records``), or a dataset's files (ACLED, UCDP GED, HXL, a spreadsheet tracker)."""

from __future__ import annotations

import argparse
import getpass
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, UsageError
from ..ingest.importers import IMPORTERS
from ..progress import SILENT, Progress
from ._common import add_config_option, config_from
from ._progress import progress_for

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..config import Config
    from ..importing import ImportSummary
    from ..ingest.raw import RawRecord

NAME = "import"
HELP = "import record files, or ACLED, UCDP GED, HXL or spreadsheet files, into the store"
RECORDS = "records"
BATCH = 10_000
"""Records validated and written at a time by ``import records`` (memory holds one batch)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep import``."""
    sources = ", ".join(
        [f"{RECORDS} (sitrep record files)", *(f"{i.name} ({i.help})" for i in IMPORTERS.values())]
    )
    parser.add_argument("source", metavar="SOURCE", help=f"one of: {sources}")
    parser.add_argument("files", nargs="+", metavar="FILE", help="files, folders (records) or "
                        "http(s) URLs (APIs)")  # fmt: skip
    parser.add_argument("--dataset", help="the id prefix and speaker of an HXL file (e.g. acled)")
    parser.add_argument("--author", help="who makes the change (default: $USER)")
    parser.add_argument("--reason", help='why (default: "import SOURCE FILE")')
    add_config_option(parser)


def run(args: argparse.Namespace) -> int:
    """Import each file; print every problem; exit 1 if there was any.

    Record files go into a database store as one revision each. A dataset's files become
    records: into a database store as revisions too, or, when the store is the folder of
    record files, as JSONL files under ``<data>/imports/`` (written atomically)."""
    from ..importing import import_file
    from ..store.directory import DirectoryStore
    from ..store.open import open_store

    if args.source != RECORDS and args.source not in IMPORTERS:
        known = ", ".join([RECORDS, *IMPORTERS])
        raise UsageError(f"unknown source {args.source!r} (expected one of {known})")
    config = config_from(args)
    store = open_store(config)
    author = args.author or _user()
    failed = 0
    for location in args.files:
        reason = args.reason or f"import {args.source} {location}"
        if args.source == RECORDS:
            failed += _into_database(config, Path(location), author, reason, _bar(args, location))
            continue
        if isinstance(store, DirectoryStore):
            if not store.root.is_dir():
                raise UsageError("imports are written into the data folder: set report.data "
                                 "to a folder, or [store] kind to a database")  # fmt: skip
            failed += _report(location, import_file(args.source, location, store.root / "imports",
                                                    args.dataset, _bar(args, location)))
            continue
        with tempfile.TemporaryDirectory(prefix="sitrep-import-") as folder:
            summary = import_file(args.source, location, Path(folder), args.dataset,
                                  _bar(args, location))  # fmt: skip
            failed += _report(location, summary)
            failed += _into_database(config, Path(folder), author, reason)
    return 1 if failed else 0


def _report(location: str, summary: ImportSummary) -> int:
    for problem in summary.problems:
        print(problem)
    print(f"{location}: {summary.records} record(s) into {summary.written}; "
          f"{len(summary.errors)} problem(s)", file=sys.stderr)  # fmt: skip
    return len(summary.errors)


def _into_database(
    config: Config, path: Path, author: str, reason: str, progress: Progress = SILENT
) -> int:
    """Write the record files at ``path`` into the database store as one revision, in
    batches (memory holds one batch); print every problem as it is found; return how many
    errors there were."""
    from ..ingest.readers import RecordReader, discover, record_ids
    from ..store.open import open_database

    if not path.exists():
        raise UsageError(f"{path}: no such folder or file of records")
    store = open_database(config)
    files = discover(path, config.report.follow_links)
    known = {rid for file in files.files for rid in record_ids(file)}  # for references
    errors = 0

    def report(problem: Problem) -> None:
        nonlocal errors
        errors += problem.level == "error"
        print(problem)

    def batches() -> Iterator[list[RawRecord]]:
        batch: list[RawRecord] = []
        for item in RecordReader(files.files, progress, str):
            if isinstance(item, Problem):  # the file's own: unreadable lines, bad JSON
                report(item)
                continue
            batch.append(item)
            if len(batch) == BATCH:
                yield batch
                batch = []
        yield batch

    for problem in files.problems:
        report(problem)
    result = store.write_batches(batches(), author=author, reason=reason, known=known,
                                 on_problem=report)  # fmt: skip
    done = f"revision {result.revision}" if result.revision is not None else "no new revision"
    print(f"{store.name}: {done}: {len(result.added)} added, {len(result.changed)} changed, "
          f"{result.unchanged} unchanged, {len(result.invalid)} invalid",
          file=sys.stderr)  # fmt: skip
    return errors


def _bar(args: argparse.Namespace, location: str) -> Progress:
    return progress_for(args, f"import {Path(location).name}")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
