"""``sitrep validate``: check incident records (and subscribers) and list every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..deliver.subscribers import subscriber_problems
from ..errors import Problem
from ..store.directory import load_records
from ._common import add_config_option, config_from

NAME = "validate"
HELP = "check incident records and subscribers; print every problem, exit 1 if any"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep validate``."""
    parser.add_argument("data", nargs="?", type=Path, help="data folder or file (default: config)")
    add_config_option(parser)


def run(args: argparse.Namespace) -> int:
    """Print problems one per line on stdout; exit 1 when there is any."""
    config = config_from(args)
    data = args.data or config.path(config.report.data)
    result = load_records(data, follow_links=config.report.follow_links)
    problems: list[Problem] = list(result.problems)
    problems += subscriber_problems(config)
    for problem in problems:
        print(problem)
    n = len(result.records)
    if problems:
        print(f"{len(problems)} problem(s); {n} valid record(s)", file=sys.stderr)
        return 1
    print(f"ok: {n} record(s) in {len(result.files)} file(s)", file=sys.stderr)
    return 0
