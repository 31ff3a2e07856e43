"""``sitrep history ID``: every revision of a record in the store, and what changed."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import UsageError
from ._common import add_config_option, config_from

NAME = "history"
HELP = "show every revision of a stored record and what changed between them"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep history``."""
    parser.add_argument("id", help="the record's id")
    add_config_option(parser)


def run(args: argparse.Namespace) -> int:
    """Print the revisions, oldest first, each with its field-level changes."""
    from ..store.diff import diff
    from ..store.open import open_database

    store = open_database(config_from(args))
    versions = store.history(args.id)
    if not versions:
        raise UsageError(f"no record with id {args.id!r} in {store.name}, now or ever")
    before: dict[str, Any] | None = None
    for v in versions:
        after = v.document
        what = "deleted" if after is None else ("created" if before is None else "changed")
        print(f"revision {v.revision}  {v.at:%Y-%m-%d %H:%M:%S}Z  {v.author}: {v.reason} ({what})")
        if before is not None and after is not None:
            for change in diff(before, after):
                print(f"    {change}")
        before = after
    return 0
