"""``sitrep validate``: check incident records (and subscribers) and list every problem."""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import add_config_option, config_from
from ._progress import progress_for

if TYPE_CHECKING:
    from ..store.checking import Coverage

NAME = "validate"
HELP = "check incident records and subscribers; print every problem, exit 1 if any error"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep validate``."""
    parser.add_argument("data", nargs="?", type=Path, help="data folder or file (default: config)")
    parser.add_argument(
        "--all",
        action="store_true",
        help="a database store: check every record, not only those changed since the last "
        "check (a folder is always checked whole)",
    )
    add_config_option(parser)


def run(args: argparse.Namespace) -> int:
    """Print problems one per line (errors on stdout, warnings on stderr); exit 1 when
    there is any error."""
    from ..deliver.subscribers import subscriber_problems
    from ..store.open import check_store, open_store

    config = config_from(args)
    store = open_store(config, args.data)
    # Every record (of a database store: those changed since the last check) is checked one
    # at a time (memory does not grow with the data), keeping only the admin1 names for the
    # subscribers' check.
    progress = progress_for(args, "validate")
    result = check_store(store, progress, name=lambda r: r.admin1, full=args.all)
    admin1 = result.names or None
    more = subscriber_problems(config, admin1_names=admin1, check_admin1=bool(admin1))
    errors = warnings = 0
    for problem in itertools.chain(result.problems, more):  # read one at a time
        error = problem.level == "error"  # errors on stdout, warnings (valid data) on stderr
        print(problem, file=sys.stdout if error else sys.stderr)
        errors, warnings = errors + error, warnings + (not error)
    n = result.valid
    where = getattr(store, "name", "the store")
    scope = "" if result.coverage is None else f"; {_scope(result.coverage, where)}"
    if errors:
        print(f"{errors} problem(s); {n} valid record(s){scope}", file=sys.stderr)
        return 1
    warned = f"; {warnings} warning(s)" if warnings else ""
    if result.coverage is not None:
        print(f"ok: {n} valid record(s){scope}{warned}", file=sys.stderr)
    else:
        print(f"ok: {n} record(s) in {len(result.files)} file(s){warned}", file=sys.stderr)
    return 0


_WHY = {
    "first": "the first check",
    "all": "--all",
    "rules": "the record rules changed since the last check",
}


def _scope(c: Coverage, name: str) -> str:
    """What a database store's check covered, in words."""
    if c.since is None:
        why = _WHY[c.why]
        return f"checked all {c.stored} record(s) of {name} at revision {c.revision} ({why})"
    when = f"{c.since_at:%Y-%m-%d %H:%M} UTC" if c.since_at else "time unknown"
    parts = [f"{c.written} written"] if c.written else []
    if c.referring:
        parts.append(f"{c.referring} naming a record deleted or written again")
    if c.deleted:
        parts.append(f"{c.deleted} deleted")
    changes = ", ".join(parts) or "nothing changed"
    older = f"; {c.older} error(s) found before, not fixed" if c.older else ""
    return (
        f"checked {c.written + c.referring} of {c.stored} record(s) of {name}: {changes} since "
        f"revision {c.since} (checked {when}), now at revision {c.revision}{older} "
        "(--all checks every record)"
    )
