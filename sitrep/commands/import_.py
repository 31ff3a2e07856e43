"""``sitrep import SOURCE FILE...``: records from a dataset's files into the store."""

from __future__ import annotations

import argparse
import sys

from ..errors import UsageError
from ..ingest.importers import IMPORTERS
from ._common import add_config_option, config_from

NAME = "import"
HELP = "import ACLED, UCDP GED, HXL or spreadsheet files as incident records"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep import``."""
    sources = ", ".join(f"{i.name} ({i.help})" for i in IMPORTERS.values())
    parser.add_argument("source", metavar="SOURCE", help=f"one of: {sources}")
    parser.add_argument("files", nargs="+", metavar="FILE", help="files or http(s) URLs (API)")
    parser.add_argument("--dataset", help="the id prefix and speaker of an HXL file (e.g. acled)")
    add_config_option(parser)


def run(args: argparse.Namespace) -> int:
    """Import each file; print every problem; exit 1 if there was any."""
    from ..importing import import_file
    from ..store.directory import DirectoryStore
    from ..store.open import open_store

    if args.source not in IMPORTERS:  # further sources (records) are dispatched here
        raise UsageError(f"unknown source {args.source!r} (expected one of {', '.join(IMPORTERS)})")
    store = open_store(config_from(args))
    if not isinstance(store, DirectoryStore) or not store.root.is_dir():
        raise UsageError("imports are written into the data folder: set report.data to a folder")
    failed = 0
    for location in args.files:
        summary = import_file(args.source, location, store.root / "imports", args.dataset)
        for problem in summary.problems:
            print(problem)
        failed += len(summary.problems)
        print(f"{location}: {summary.records} record(s) into {summary.written}; "
              f"{len(summary.problems)} problem(s)", file=sys.stderr)  # fmt: skip
    return 1 if failed else 0
