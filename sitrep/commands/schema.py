"""``sitrep schema``: print the JSON Schema of incident records (or of the JSON report)."""

from __future__ import annotations

import argparse
import json

NAME = "schema"
HELP = "print the JSON Schema of incident records (--report: of the JSON report)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep schema``."""
    parser.add_argument("--report", action="store_true", help="schema of the JSON report")


def run(args: argparse.Namespace) -> int:
    """Print the schema."""
    from ..model.records import record_json_schema

    if args.report:
        from ..render import report_json_schema

        schema = report_json_schema()
    else:
        schema = record_json_schema()
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0
