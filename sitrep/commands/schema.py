"""``sitrep schema``: print the JSON Schema of incident records (or of the JSON report)."""

from __future__ import annotations

import argparse
import sys
from importlib import resources

NAME = "schema"
HELP = "print the JSON Schema of incident records (--report: of the JSON report)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep schema``."""
    parser.add_argument("--report", action="store_true", help="schema of the JSON report")


def run(args: argparse.Namespace) -> int:
    """Print the schema: the copy shipped with the package, written from the models
    (``scripts/write_schemas.py``; a test keeps it current), so that printing it does not
    build every model of the report (0.1 s instead of 0.4)."""
    name = "report.schema.json" if args.report else "record.schema.json"
    sys.stdout.write(resources.files("sitrep").joinpath("data", name).read_text(encoding="utf-8"))
    return 0
