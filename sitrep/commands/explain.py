"""``sitrep explain``: why an incident's figures and merges are what they are."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import add_config_option, config_from, parse_date

NAME = "explain"
HELP = "show how an incident was merged and how its figures were reconciled"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep explain``."""
    parser.add_argument("incident", help="an incident or record id")
    add_config_option(parser)
    parser.add_argument("--data", type=Path, help="folder of incident records")
    parser.add_argument("--as-of", help="only statements reported up to this date")


def run(args: argparse.Namespace) -> int:
    """Print the explanation; exit 2 when no record has that id."""
    from ..explaining import explain
    from ..pipeline import load
    from ..wording.explain import explanation

    config = config_from(args).with_overrides(data=args.data and args.data.resolve())
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else None
    loaded = load(config)
    found = explain(config, loaded.records, args.incident, as_of=as_of)
    print(explanation(found.incident, found.rows, found.sources, found.possible))
    return 0
