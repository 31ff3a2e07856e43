"""``sitrep validate``: check incident records (and subscribers) and list every problem."""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

from ._common import add_config_option, config_from
from ._progress import progress_for

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
    from ..store.open import check_store, open_store

    config = config_from(args)
    store = open_store(config, args.data)
    # Every record is checked one at a time (memory does not grow with the data), keeping
    # only the admin1 names for the subscribers' check.
    result = check_store(store, progress_for(args, "validate"), name=lambda r: r.admin1)
    admin1 = result.names or None
    more = subscriber_problems(config, admin1_names=admin1, check_admin1=bool(admin1))
    errors = warnings = 0
    for problem in itertools.chain(result.problems, more):  # read one at a time
        error = problem.level == "error"  # errors on stdout, warnings (valid data) on stderr
        print(problem, file=sys.stdout if error else sys.stderr)
        errors, warnings = errors + error, warnings + (not error)
    n = result.valid
    if errors:
        print(f"{errors} problem(s); {n} valid record(s)", file=sys.stderr)
        return 1
    warned = f"; {warnings} warning(s)" if warnings else ""
    print(f"ok: {n} record(s) in {len(result.files)} file(s){warned}", file=sys.stderr)
    return 0
