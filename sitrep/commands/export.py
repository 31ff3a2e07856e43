"""``sitrep export``: the reconciled incidents of a period for partners (CSV, HXL, JSONL),
or, with ``--records``, the stored records themselves (what ``sitrep import records`` reads)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import UsageError
from ._common import add_config_option, add_period_options, config_from, period_from

NAME = "export"
HELP = "export a period's reconciled incidents (csv, hxl, jsonl) or, with --records, the records"
EXPORT_FORMATS = ("csv", "hxl", "jsonl")  # checked against render.export when run


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``sitrep export``."""
    add_config_option(parser)
    parser.add_argument("--data", type=Path, help="folder of incident records")
    add_period_options(parser)
    parser.add_argument("--format", default="csv", help=f"one of {', '.join(EXPORT_FORMATS)}")
    parser.add_argument(
        "--records", action="store_true",
        help="the stored records themselves as JSONL, one a line (database stores)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, help="file to write (default: standard output)")


def run(args: argparse.Namespace) -> int:
    """Write the export to --out or standard output."""
    from ..writers import write_atomic

    config = config_from(args).with_overrides(data=args.data and args.data.resolve())
    if args.records:
        from ..store.open import open_database

        store = open_database(config)
        text = "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in store.documents())
    else:
        from ..pipeline import load, make_plan, merge, previous_day, report_for
        from ..render.export import EXPORT_FORMATS as known
        from ..render.export import export_text

        if args.format not in known:
            raise UsageError(f"--format {args.format!r} is not one of {', '.join(known)}")
        start, end = period_from(args, previous_day(config))
        plan = make_plan(config, start=start, end=end, formats=[])
        report = report_for(plan, merge(plan, load(config, window=plan.window)))
        text = export_text(report, args.format, plan.rules.figures)
    if args.out:
        print(write_atomic(args.out, text))
    else:
        sys.stdout.write(text)
    return 0
