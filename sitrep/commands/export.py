"""``sitrep export --records``: the stored records as JSONL, what ``import records`` reads."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import UsageError
from ..writers import write_atomic
from ._common import add_config_option, config_from

NAME = "export"
HELP = "write the stored records as JSONL (--records), one record a line"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep export``."""
    parser.add_argument(
        "--records", action="store_true", help="the records themselves, in the record format"
    )
    parser.add_argument("--out", type=Path, help="the .jsonl file to write (default: stdout)")
    add_config_option(parser)


def run(args: argparse.Namespace) -> int:
    """Write the current records of the database store, in the order they were written."""
    from ..store.open import open_database

    if not args.records:
        raise UsageError("give --records (the only export so far)")
    store = open_database(config_from(args))
    lines = (json.dumps(doc, ensure_ascii=False) + "\n" for doc in store.documents())
    if args.out is None:
        sys.stdout.writelines(lines)
    else:
        write_atomic(args.out, "".join(lines))
    return 0
