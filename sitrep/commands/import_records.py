"""``sitrep import records DIR``: load a folder of record files into the database store."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from ..errors import UsageError
from ._common import add_config_option, config_from

NAME = "import"
HELP = "load incident records into the database store (import records DIR)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep import``."""
    parser.add_argument("source", choices=["records"], help="records: sitrep record files")
    parser.add_argument("path", type=Path, help="a folder of record files, or one file")
    parser.add_argument("--author", help="who makes the change (default: $USER)")
    parser.add_argument("--reason", help='why (default: "import records PATH")')
    add_config_option(parser)


def run(args: argparse.Namespace) -> int:
    """Write the valid records as one store revision; print every problem; exit 1 if any."""
    from ..ingest.raw import RawRecord
    from ..ingest.readers import discover, parse_file
    from ..store.open import open_database

    if not args.path.exists():
        raise UsageError(f"{args.path}: no such folder or file of records")
    store = open_database(config_from(args))
    raws: list[RawRecord] = []
    found_files = discover(args.path)
    problems = [*found_files.problems]
    for path in found_files.files:
        found, trouble = parse_file(path, str(path), None)
        raws.extend(found)
        problems.extend(trouble)
    author = args.author or _user()
    result = store.write(raws, author=author, reason=args.reason or f"import records {args.path}")
    problems.extend(result.problems)
    for problem in problems:
        print(problem)
    done = f"revision {result.revision}" if result.revision is not None else "no new revision"
    print(
        f"{store.name}: {done}: {len(result.added)} added, {len(result.changed)} changed, "
        f"{result.unchanged} unchanged, {len(result.invalid)} invalid",
        file=sys.stderr,
    )
    return 1 if problems else 0


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
