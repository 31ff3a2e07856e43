"""``sitrep validate``: check incident records (and subscribers) and list every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import Problem
from ._common import add_config_option, config_from

NAME = "validate"
HELP = "check incident records and subscribers; print every problem, exit 1 if any error"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep validate``."""
    parser.add_argument("data", nargs="?", type=Path, help="data folder or file (default: config)")
    add_config_option(parser)


def run(args: argparse.Namespace) -> int:
    """Print problems one per line (errors on stdout, warnings on stderr); exit 1 when
    there is any error."""
    from ..deliver.subscribers import subscriber_problems
    from ..store.open import open_store

    config = config_from(args)
    result = open_store(config, args.data).load()
    problems: list[Problem] = list(result.problems)
    # Subscribers' admin1 names are checked against the records just loaded (if any has one).
    admin1 = {r.admin1 for r in result.records if r.admin1} or None
    problems += subscriber_problems(config, admin1_names=admin1, check_admin1=bool(admin1))
    for problem in problems:  # errors on stdout, warnings (valid data) on stderr
        print(problem, file=sys.stdout if problem.level == "error" else sys.stderr)
    n = len(result.records)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        print(f"{len(errors)} problem(s); {n} valid record(s)", file=sys.stderr)
        return 1
    warned = f"; {len(problems)} warning(s)" if problems else ""
    print(f"ok: {n} record(s) in {len(result.files)} file(s){warned}", file=sys.stderr)
    return 0
